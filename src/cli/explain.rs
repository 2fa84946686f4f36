//! `topo explain CODE` prints a rule's doc; `topo explain URL` traces a request.

use std::net::IpAddr;

use super::args::ExplainArgs;
use super::common::{compile, render_in_memory};
use super::{EXIT_ERROR, EXIT_OK};
use crate::explain::trace::{From, trace};
use crate::lint::find_rule;

pub fn run(args: &ExplainArgs) -> i32 {
    if let Some(rule) = find_rule(&args.subject) {
        println!("{} ({}): {}\n", rule.code, rule.name, rule.summary);
        print!("{}", rule.doc);
        return EXIT_OK;
    }
    let url = match url::Url::parse(&args.subject) {
        Ok(url) if url.host_str().is_some() => url,
        _ => {
            eprintln!(
                "error: `{}` is neither a rule code nor a URL\n  help: `topo rules` lists the codes; a URL looks like https://app.example.com/path",
                args.subject
            );
            return EXIT_ERROR;
        }
    };
    let from = match args.from.as_str() {
        "internet" => From::Internet,
        "lan" => From::Lan(None),
        other => match other.parse::<IpAddr>() {
            Ok(ip) => From::Lan(Some(ip)),
            Err(_) => {
                eprintln!("error: --from takes internet, lan or an IP address, not `{other}`");
                return EXIT_ERROR;
            }
        },
    };
    let Some(compilation) = compile(&args.input) else {
        return EXIT_ERROR;
    };
    let tree = match render_in_memory(&compilation, None) {
        Ok(tree) => tree,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    if let Some(entrypoint) = &args.entrypoint {
        if !compilation
            .topology
            .proxy
            .entrypoints
            .iter()
            .any(|e| &e.name == entrypoint)
        {
            eprintln!("error: the proxy has no entrypoint `{entrypoint}`");
            return EXIT_ERROR;
        }
        let ip = match from {
            From::Lan(ip) => ip,
            _ => None,
        };
        let from = From::Direct {
            entrypoint: entrypoint.clone(),
            ip,
        };
        return print_trace(&trace(&compilation.topology, &tree, &url, from), args);
    }
    // An IP outside every network arrives like any internet client: through the tunnel.
    let from = match from {
        From::Lan(Some(ip))
            if !compilation
                .topology
                .lan_cidrs()
                .iter()
                .any(|n| n.contains(&ip)) =>
        {
            eprintln!(
                "note: {ip} is outside every `network`: tracing it as an internet client (through the tunnel)"
            );
            From::Internet
        }
        other => other,
    };
    print_trace(&trace(&compilation.topology, &tree, &url, from), args)
}

fn print_trace(result: &crate::explain::trace::Trace, args: &ExplainArgs) -> i32 {
    if args.input.format == crate::report::ReportFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&result).unwrap_or_default()
        );
        return EXIT_OK;
    }
    println!("{} from {}", result.url, args.from);
    for step in &result.steps {
        println!("  {:<11} {}", step.what, step.detail);
    }
    println!("  => {}", result.result);
    EXIT_OK
}
