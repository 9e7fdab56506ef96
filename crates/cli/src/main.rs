//! The `hark` command line.
//!
//! One binary for every job: parsing sentences now, the server and the
//! satellite later. Library crates return their own errors; this binary turns
//! them into messages with `anyhow` and a non-zero exit status.

mod nlu;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// hark: an open, self-hosted voice assistant.
#[derive(Debug, Parser)]
#[command(name = "hark", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Understand sentences: parse them into intents, or benchmark the parser.
    #[command(subcommand)]
    Nlu(nlu::NluCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Nlu(command) => nlu::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hark: {error:#}");
            ExitCode::FAILURE
        }
    }
}
