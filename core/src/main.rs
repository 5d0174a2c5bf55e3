use clap::Parser;

/// mimalloc rather than the system's allocator: an import allocates on one thread (the
/// adapter's records, the rows) and frees on others (the writer, SQLite's), where
/// glibc's arenas contend; 100,000 rows import 30–40 % faster (BENCHMARKS.md).
#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    dude_core::cli::run(dude_core::cli::Cli::parse()).await
}
