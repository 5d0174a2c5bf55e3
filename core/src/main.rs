use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    dude_core::cli::run(dude_core::cli::Cli::parse()).await
}
