//! `hark music scan DIR`: the household's music library from a folder of audio files, written
//! straight to its database (the data folder, or PostgreSQL), like `hark device`; a running
//! server learns the new names within seconds (it watches the library's version).
//!
//! The progress bar is drawn on stderr only when stderr is a terminal, so a script or a log
//! gets the summary alone; `--json` prints the summary as JSON on stdout.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Subcommand;
use hark_music::{ScanProgress, ScanReport};

use crate::admin;
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum MusicCommand {
    /// Index the audio files under DIR (MP3, FLAC, Ogg Vorbis, Opus, WAV, M4A) with their
    /// tags; a rescan reads only files that changed, and removes those gone.
    Scan {
        /// The music folder.
        dir: PathBuf,
        /// The household (default: the first one).
        #[arg(long)]
        household: Option<String>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(settings: &Settings, command: MusicCommand) -> Result<()> {
    let MusicCommand::Scan {
        dir,
        household,
        json,
    } = command;
    let config = settings.config()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(async {
        let store = admin::open(&config).await?;
        let household = admin::household(&store, household.as_deref()).await?;
        let mut bar = Bar::new(std::io::stderr().is_terminal());
        let report =
            hark_music::scan(&store, &household, &dir, |progress| bar.draw(progress)).await?;
        bar.finish();
        anyhow::Ok(report)
    })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_summary(&report);
    }
    Ok(())
}

fn print_summary(report: &ScanReport) {
    println!(
        "{} files in {:.1} s ({:.0} files/s): {} added, {} updated, {} unchanged, {} removed; \
         skipped {} corrupt, {} not audio, {} unreadable",
        report.files,
        report.seconds,
        report.files_per_sec,
        report.added,
        report.updated,
        report.unchanged,
        report.removed,
        report.skipped_corrupt,
        report.skipped_not_audio,
        report.skipped_unreadable,
    );
}

/// A one-line progress bar, redrawn at most ten times a second.
struct Bar {
    on: bool,
    started: Instant,
    drawn: Option<Instant>,
}

impl Bar {
    fn new(on: bool) -> Bar {
        Bar {
            on,
            started: Instant::now(),
            drawn: None,
        }
    }

    fn draw(&mut self, progress: ScanProgress) {
        if !self.on {
            return;
        }
        let last = progress.done >= progress.total;
        if !last
            && self
                .drawn
                .is_some_and(|at| at.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.drawn = Some(Instant::now());
        const WIDTH: u64 = 30;
        let filled = (progress.done * WIDTH)
            .checked_div(progress.total)
            .unwrap_or(WIDTH)
            .min(WIDTH);
        let rate = progress.done as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        let mut stderr = std::io::stderr().lock();
        let _ = write!(
            stderr,
            "\r[{}{}] {}/{} files, {:.0}/s ",
            "#".repeat(filled as usize),
            " ".repeat((WIDTH - filled) as usize),
            progress.done,
            progress.total,
            rate
        );
        let _ = stderr.flush();
    }

    fn finish(&mut self) {
        if self.on && self.drawn.is_some() {
            let _ = writeln!(std::io::stderr());
        }
    }
}
