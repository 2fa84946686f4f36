use super::args::CheckArgs;
use super::common::compile;
use super::{EXIT_ERROR, EXIT_OK};

pub fn run(args: &CheckArgs) -> i32 {
    match compile(&args.input) {
        Some(compilation) => {
            if args.input.format != crate::report::ReportFormat::Json {
                let t = &compilation.topology;
                eprintln!(
                    "{}: ok ({} services, {} hostnames)",
                    compilation.source.display_name,
                    t.services.len(),
                    t.services.iter().map(|s| s.hostnames.len()).sum::<usize>()
                );
            }
            EXIT_OK
        }
        None => EXIT_ERROR,
    }
}
