//! `cargo run --release --example synth -- N`: print a synthetic topology;
//! `-- N lock`: print the matching `topo.lock` (a locked hash per OIDC client).

mod synth;

fn main() {
    let mut args = std::env::args().skip(1);
    let n = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    match args.next().as_deref() {
        Some("lock") => print!("{}", synth::lock(n)),
        _ => print!("{}", synth::topology(n)),
    }
}
