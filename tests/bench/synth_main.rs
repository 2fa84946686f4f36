//! `cargo run --release --example synth -- N`: print a synthetic topology.

mod synth;

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    print!("{}", synth::topology(n));
}
