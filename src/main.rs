// mimalloc: the pipeline allocates many small strings (KDL nodes, YAML
// scalars, template output); it is markedly faster than glibc's malloc here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(topo::cli::run(std::env::args_os()));
}
