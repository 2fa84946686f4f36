use super::args::{GraphArgs, GraphFormat};
use super::common::compile;
use super::{EXIT_ERROR, EXIT_OK};
use crate::explain::graph;

pub fn run(args: &GraphArgs) -> i32 {
    let Some(compilation) = compile(&args.input()) else {
        return EXIT_ERROR;
    };
    let text = match args.graph_format {
        GraphFormat::Mermaid => graph::mermaid(&compilation.topology),
        GraphFormat::Dot => graph::dot(&compilation.topology),
    };
    print!("{text}");
    EXIT_OK
}
