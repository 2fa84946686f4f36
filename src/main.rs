fn main() {
    std::process::exit(topo::cli::run(std::env::args_os()));
}
