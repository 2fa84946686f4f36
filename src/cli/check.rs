use super::args::CheckArgs;
use super::common::{compile, lint, render_in_memory};
use super::{EXIT_ERROR, EXIT_OK};

pub fn run(args: &CheckArgs) -> i32 {
    let Some(compilation) = compile(&args.input) else {
        return EXIT_ERROR;
    };
    // Render in memory so the rules that guard the renderers see real output.
    let tree = render_in_memory(&compilation, args.templates.as_deref()).ok();
    if lint(
        &compilation,
        tree.as_ref(),
        args.templates.as_deref(),
        &args.lint,
        &args.input,
    )
    .is_none()
    {
        return EXIT_ERROR;
    }
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
