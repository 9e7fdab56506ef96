//! `hark say`, `hark transcribe`, `hark understand`: the voice pipeline on files.

use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use clap::Args;
use hark_audio::denoise::NoiseSuppression;
use hark_voice::{Config, Heard, RecognizerGrammar, Speaker, Voice};
use serde_json::json;

use crate::nlu::GrammarArgs;

/// What the recognizer decodes against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Recognizer {
    /// A trigram model of sentences of the grammar.
    Ngram,
    /// The grammar as JSGF.
    Jsgf,
}

#[derive(Debug, Args)]
pub struct SayArgs {
    /// What to say.
    text: String,
    /// The WAV file to write (16 kHz mono 16-bit).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// espeak-ng's voice.
    #[arg(long, default_value = "en-us")]
    voice: String,
    /// Words per minute.
    #[arg(long, default_value_t = 175)]
    rate: u32,
}

#[derive(Debug, Args)]
pub struct HearArgs {
    /// WAV files, any common format.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    grammar: GrammarArgs,
    /// Recognize only these intents (comma-separated); all of the grammar's without it.
    #[arg(long, value_delimiter = ',', value_name = "INTENT,...")]
    intents: Vec<String>,
    /// Decode without noise suppression.
    #[arg(long)]
    no_denoise: bool,
    /// What the recognizer decodes against: `ngram`, a trigram model of the grammar (fast for
    /// the whole grammar), or `jsgf`, the grammar itself (exact, but slow beyond a few intents).
    #[arg(long, value_enum, default_value_t = Recognizer::Ngram)]
    recognizer: Recognizer,
    /// One JSON object per file: {"file", "text", "intent"}.
    #[arg(long)]
    jsonl: bool,
}

pub fn say(args: SayArgs) -> Result<()> {
    let wav = Speaker::new(&args.voice, args.rate)?.speak(&args.text)?;
    std::fs::write(&args.output, wav).with_context(|| format!("writing {}", args.output.display()))
}

/// Each file's text: `FILE<TAB>text`, or `(nothing heard)`, `(not understood)`.
pub fn transcribe(args: HearArgs) -> Result<()> {
    hear_each(&args, |file, heard, _| {
        println!("{file}\t{}", text_of(heard).unwrap_or_else(|| label(heard)));
    })
}

/// Each file's text and intent, as JSON lines (`--jsonl`) or `FILE<TAB>text<TAB>intent`.
pub fn understand(args: HearArgs) -> Result<()> {
    let matcher = args.grammar.matcher()?;
    let context = args.grammar.context()?;
    let jsonl = args.jsonl;
    hear_each(&args, |file, heard, timings| {
        let text = text_of(heard);
        let intent = match &text {
            Some(text) => crate::nlu::intent_value(&matcher, text, &context),
            None => serde_json::Value::Null,
        };
        if jsonl {
            let line = json!({
                "file": file,
                "text": text,
                "intent": intent,
                "heard": label(heard).trim_matches(['(', ')']),
                "real_time_factor": timings.real_time_factor(),
            });
            println!("{line}");
        } else {
            let name = intent["name"].as_str().unwrap_or("-");
            println!("{file}\t{}\t{name}", text.unwrap_or_else(|| label(heard)));
        }
    })
}

fn text_of(heard: &Heard) -> Option<String> {
    match heard {
        Heard::Text(text) => Some(text.clone()),
        _ => None,
    }
}

fn label(heard: &Heard) -> String {
    match heard {
        Heard::Nothing => "(nothing heard)".into(),
        Heard::NotUnderstood => "(not understood)".into(),
        Heard::Text(_) => "(heard)".into(),
    }
}

/// Runs the pipeline on each file; a file that cannot be read or heard is reported on
/// stderr with its code, and makes the command fail at the end.
fn hear_each(
    args: &HearArgs,
    mut report: impl FnMut(&str, &Heard, &hark_voice::Timings),
) -> Result<()> {
    let grammar = args.grammar.load()?;
    let config = Config {
        denoise: if args.no_denoise {
            NoiseSuppression::Off
        } else {
            NoiseSuppression::Rnnoise
        },
        intents: (!args.intents.is_empty()).then(|| args.intents.iter().cloned().collect()),
        grammar: match args.recognizer {
            Recognizer::Ngram => RecognizerGrammar::Ngram,
            Recognizer::Jsgf => RecognizerGrammar::Jsgf,
        },
        ..Config::default()
    };
    let voice = Voice::new(&grammar, config)?;
    let mut failed = 0;
    for path in &args.files {
        let name = path.display().to_string();
        let heard = std::fs::read(path)
            .map_err(|e| format!("cannot read it: {e}"))
            .and_then(|bytes| voice.hear(&bytes).map_err(|e| format!("{}: {e}", e.code())));
        match heard {
            Ok((heard, timings)) => report(&name, &heard, &timings),
            Err(error) => {
                eprintln!("hark: {name}: {error}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} files could not be heard", args.files.len());
    }
    Ok(())
}
