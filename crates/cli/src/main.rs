//! The `hark` command line.
//!
//! One binary for every job: the assistant service, talking to it, managing
//! its devices and tokens, parsing sentences, benchmarks. Library crates
//! return their own errors; this binary turns them into messages with
//! `anyhow` and a non-zero exit status.

mod admin;
mod ask;
mod bench;
mod bench_nlu;
mod bench_voice;
mod lists;
mod logging;
// The music library (issue 7).
mod bench_music;
mod music;
mod nlu;
mod nlu_trained;
mod serve;
mod settings;
mod timers;
mod voice;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::settings::Settings;

/// hark: an open, self-hosted voice assistant.
#[derive(Debug, Parser)]
#[command(name = "hark", version, about)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the assistant service (HTTP API on --listen, default 127.0.0.1:8750).
    Serve,
    /// Say something to hark and print its answer.
    Ask(ask::AskArgs),
    /// Manage households (one server can serve several).
    #[command(subcommand)]
    Household(admin::HouseholdCommand),
    /// Manage the household's devices.
    #[command(subcommand)]
    Device(admin::DeviceCommand),
    /// Manage the household's API tokens.
    #[command(subcommand)]
    Token(admin::TokenCommand),
    /// The household's timers, through the running server (list, start, pause, resume, add,
    /// cancel).
    Timers {
        #[command(subcommand)]
        command: Option<timers::TimersCommand>,
    },
    /// The household's alarms, through the running server (list, set, move, cancel).
    Alarms {
        #[command(subcommand)]
        command: Option<timers::AlarmsCommand>,
    },
    /// The household's reminders, through the running server (list, add, move, cancel).
    Reminders {
        #[command(subcommand)]
        command: Option<timers::RemindersCommand>,
    },
    /// What rings now, through the running server (list, stop, snooze).
    Ringing {
        #[command(subcommand)]
        command: Option<timers::RingingCommand>,
    },
    /// What was missed: came due while hark was down, or rang with nobody to stop it.
    Missed,
    /// The household's lists, through the running server (all, show, add, done, remove,
    /// clear, create, delete).
    Lists(lists::ListsArgs),
    /// Print the effective configuration (file < environment < flags).
    Config,
    /// Understand sentences: parse them into intents, or benchmark the parser.
    #[command(subcommand)]
    Nlu(nlu::NluCommand),
    /// Speak text into a WAV file (espeak-ng, 16 kHz mono).
    Say(voice::SayArgs),
    /// Print what is said in WAV files, recognized against the grammar.
    Transcribe(voice::HearArgs),
    /// Print what is said in WAV files and the intent it means.
    Understand(voice::HearArgs),
    /// Measure hark.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The household's music library: scan a folder of audio files into it.
    #[command(subcommand)]
    Music(music::MusicCommand),
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Requests per second and latency of /v1/converse over loopback.
    Converse(bench::ConverseBench),
    /// Memory per pending timer, recovery time of a million, firing lateness.
    Scheduler(bench::SchedulerBench),
    /// Speak a voice test set with espeak-ng: WAV files and manifest.jsonl.
    VoiceSet(bench_voice::VoiceSetArgs),
    /// Acceptance, word error rate, real-time factor and answer latency on a voice test set.
    Voice(bench_voice::VoiceBenchArgs),
    /// Mean slot F1 of the trained parser on the Snips 2017 benchmark's data, by training size.
    NluTrain(bench_nlu::NluTrainBench),
    /// Scan, rescan and search speed of the music library on generated tagged files.
    MusicScan(bench_music::MusicScanBench),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = &cli.settings;
    let result = match cli.command {
        Command::Serve => serve::run(settings),
        Command::Ask(args) => ask::run(settings, args),
        Command::Household(command) => admin::household_command(settings, command),
        Command::Device(command) => admin::device(settings, command),
        Command::Token(command) => admin::token(settings, command),
        Command::Timers { command } => timers::timers(settings, command),
        Command::Alarms { command } => timers::alarms(settings, command),
        Command::Reminders { command } => timers::reminders(settings, command),
        Command::Ringing { command } => timers::ringing(settings, command),
        Command::Missed => timers::missed(settings),
        Command::Lists(args) => lists::run(settings, args),
        Command::Config => settings
            .config()
            .map(|config| print!("{}", config.to_toml())),
        Command::Nlu(command) => nlu::run(command),
        Command::Say(args) => voice::say(args),
        Command::Transcribe(args) => voice::transcribe(args),
        Command::Understand(args) => voice::understand(args),
        Command::Bench(BenchCommand::Converse(args)) => bench::converse(settings, args),
        Command::Bench(BenchCommand::Scheduler(args)) => bench::scheduler(args),
        Command::Bench(BenchCommand::VoiceSet(args)) => bench_voice::voice_set(args),
        Command::Bench(BenchCommand::Voice(args)) => bench_voice::voice(settings, args),
        Command::Bench(BenchCommand::NluTrain(args)) => bench_nlu::run(args),
        Command::Music(command) => music::run(settings, command),
        Command::Bench(BenchCommand::MusicScan(args)) => bench_music::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hark: {error:#}");
            ExitCode::FAILURE
        }
    }
}
