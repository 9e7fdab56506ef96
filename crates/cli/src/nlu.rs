//! `hark nlu`: parse sentences into intents, and measure how fast.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand};
use hark_core::{Intent, IntentName, SlotName, Stage};
use hark_nlu::trained::Model;
use hark_nlu::{builtin, entity, Grammar, Matcher, ParseContext};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Subcommand)]
pub enum NluCommand {
    /// Parse sentences (arguments, or one per line on stdin) into JSON lines.
    Parse(ParseArgs),
    /// Measure sentences per second and latency over a file of sentences.
    Bench(BenchArgs),
    /// Learn a parser from example sentences (and template grammars).
    Train(crate::nlu_trained::TrainArgs),
    /// Score a trained parser on annotated sentences, as the Snips benchmark counts.
    Eval(crate::nlu_trained::EvalArgs),
}

/// What every subcommand needs to build a matcher and a context.
#[derive(Debug, Args)]
pub struct GrammarArgs {
    /// A grammar folder, YAML file or Home Assistant JSON file; repeat to merge
    /// several. Without it, hark's built-in grammar is used.
    #[arg(long = "grammar", value_name = "PATH")]
    grammars: Vec<PathBuf>,
    /// Language of the built-in grammar.
    #[arg(long, default_value = "en")]
    lang: String,
    /// The current instant relative times resolve against (RFC 3339, e.g.
    /// 2026-11-25T08:00:00+01:00, optionally followed by [Zone]).
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// The household's time zone (IANA name, e.g. Europe/Paris); defaults to
    /// the zone in --now, else the system's.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Request context checked by templates' requires_context (KEY=VALUE).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    #[command(flatten)]
    grammar: GrammarArgs,
    /// Models from `hark nlu train`, asked when no template matches; repeat for several.
    #[arg(long = "model", value_name = "MODEL")]
    models: Vec<PathBuf>,
    /// Sentences to parse; without any, lines are read from stdin.
    sentences: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(flatten)]
    grammar: GrammarArgs,
    /// The sentences, one per line.
    #[arg(long, value_name = "FILE")]
    sentences: PathBuf,
    /// How many times to parse the whole file (after one warm-up pass).
    #[arg(long, default_value_t = 5)]
    repeat: usize,
}

pub fn run(command: NluCommand) -> Result<()> {
    match command {
        NluCommand::Parse(args) => parse(args),
        NluCommand::Bench(args) => bench(args),
        NluCommand::Train(args) => crate::nlu_trained::train(args),
        NluCommand::Eval(args) => crate::nlu_trained::evaluate(args),
    }
}

impl GrammarArgs {
    pub(crate) fn load(&self) -> Result<Grammar> {
        let grammar = if self.grammars.is_empty() {
            builtin::grammar(&self.lang)?
        } else {
            Grammar::load(&self.grammars)?
        };
        Ok(grammar)
    }

    pub(crate) fn context(&self) -> Result<ParseContext> {
        let zone = match &self.tz {
            Some(name) => {
                Some(TimeZone::get(name).with_context(|| format!("unknown time zone '{name}'"))?)
            }
            None => None,
        };
        let now: Zoned = match &self.now {
            None => Zoned::now().with_time_zone(zone.unwrap_or_else(TimeZone::system)),
            Some(text) => parse_now(text, zone)?,
        };
        let mut context = ParseContext::new(entity::Context { now });
        for pair in &self.context {
            let Some((key, value)) = pair.split_once('=') else {
                bail!("--context '{pair}' is not KEY=VALUE");
            };
            context
                .intent_context
                .insert(key.to_string(), Value::String(value.to_string()));
        }
        Ok(context)
    }

    pub(crate) fn matcher(&self) -> Result<Matcher> {
        let grammar = self.load()?;
        Ok(Matcher::new(&grammar)?)
    }
}

/// Reads `--now`: a zoned date-time (`...+01:00[Europe/Paris]`) or an RFC 3339
/// one (`...+01:00`), whose offset stands for the zone unless `--tz` names one.
fn parse_now(text: &str, zone: Option<TimeZone>) -> Result<Zoned> {
    if let Ok(zoned) = text.parse::<Zoned>() {
        return Ok(match zone {
            Some(zone) => zoned.with_time_zone(zone),
            None => zoned,
        });
    }
    let pieces = Pieces::parse(text)
        .with_context(|| format!("--now '{text}' is not an RFC 3339 date-time"))?;
    let instant: Timestamp = text
        .parse()
        .with_context(|| format!("--now '{text}' is not an RFC 3339 date-time"))?;
    let zone = zone.unwrap_or_else(|| match pieces.offset() {
        Some(PiecesOffset::Numeric(offset)) => TimeZone::fixed(offset.offset()),
        _ => TimeZone::UTC,
    });
    Ok(instant.to_zoned(zone))
}

/// The JSON line for one sentence, fields in the documented order.
#[derive(Serialize)]
struct Answer<'a> {
    text: &'a str,
    intent: Option<IntentJson>,
}

#[derive(Serialize)]
struct IntentJson {
    name: IntentName,
    slots: BTreeMap<SlotName, Value>,
    raw: BTreeMap<SlotName, String>,
    confidence: f64,
    stage: Stage,
}

impl From<Intent> for IntentJson {
    fn from(intent: Intent) -> Self {
        IntentJson {
            name: intent.name,
            slots: intent.slots,
            raw: intent.raw,
            confidence: intent.confidence,
            stage: intent.stage,
        }
    }
}

/// The templates, then the trained models.
struct Parsers {
    matcher: Matcher,
    models: Vec<Model>,
}

impl Parsers {
    fn intent(&self, text: &str, context: &ParseContext) -> Option<IntentJson> {
        if let Some(found) = self.matcher.parse(text, context) {
            return Some(found.intent.into());
        }
        self.models
            .iter()
            .filter_map(|model| model.parse(text, &context.entities))
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
            .map(|parsed| parsed.to_intent().into())
    }

    fn answer(&self, text: &str, context: &ParseContext) -> String {
        let intent = self.intent(text, context);
        serde_json::to_string(&Answer { text, intent }).expect("plain JSON values serialize")
    }
}

/// The intent of `text`, as `hark nlu parse` prints it; `null` if none.
pub(crate) fn intent_value(matcher: &Matcher, text: &str, context: &ParseContext) -> Value {
    serde_json::to_value(intent(matcher, text, context)).expect("plain JSON values serialize")
}

fn intent(matcher: &Matcher, text: &str, context: &ParseContext) -> Option<IntentJson> {
    matcher
        .parse(text, context)
        .map(|found| found.intent.into())
}

fn parse(args: ParseArgs) -> Result<()> {
    let context = args.grammar.context()?;
    let parsers = Parsers {
        matcher: args.grammar.matcher()?,
        models: args
            .models
            .iter()
            .map(|path| Model::load(path))
            .collect::<Result<_, _>>()?,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !args.sentences.is_empty() {
        for sentence in &args.sentences {
            writeln!(out, "{}", parsers.answer(sentence, &context))?;
        }
        out.flush()?;
        return Ok(());
    }
    let interactive = io::stdin().is_terminal();
    let mut input = io::stdin().lock();
    let mut line = Vec::new();
    while read_line(&mut input, &mut line).context("reading stdin")? {
        // Lines that are not UTF-8 still get their line of output.
        let text = String::from_utf8_lossy(&line);
        writeln!(out, "{}", parsers.answer(&text, &context))?;
        if interactive {
            out.flush()?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The most of one input line kept; the rest of a longer line is read and
/// dropped (no sentence that long is a command).
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Reads one line into `line` (without its end of line), keeping at most
/// [`MAX_LINE_BYTES`]; false at the end of the input.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    line.clear();
    let mut any = false;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            break;
        }
        any = true;
        let (chunk, found) = match buffer.iter().position(|&b| b == b'\n') {
            Some(i) => (&buffer[..i], Some(i)),
            None => (buffer, None),
        };
        let room = MAX_LINE_BYTES.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = found.map_or(buffer.len(), |i| i + 1);
        input.consume(used);
        if found.is_some() {
            break;
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(any)
}

fn bench(args: BenchArgs) -> Result<()> {
    let context = args.grammar.context()?;
    let started = Instant::now();
    let matcher = args.grammar.matcher()?;
    let compile_ms = started.elapsed().as_secs_f64() * 1e3;
    let text = std::fs::read(&args.sentences)
        .with_context(|| format!("reading {}", args.sentences.display()))?;
    let sentences: Vec<String> = String::from_utf8_lossy(&text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if sentences.is_empty() {
        bail!("{} has no sentences", args.sentences.display());
    }
    let repeat = args.repeat.max(1);
    let matched = sentences
        .iter()
        .filter(|s| matcher.parse(s, &context).is_some())
        .count();
    let mut latencies = Vec::with_capacity(sentences.len() * repeat);
    let total = Instant::now();
    for _ in 0..repeat {
        for sentence in &sentences {
            let start = Instant::now();
            std::hint::black_box(matcher.parse(std::hint::black_box(sentence), &context));
            latencies.push(start.elapsed().as_nanos() as f64 / 1e3);
        }
    }
    let elapsed = total.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let percentile = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    let stats = matcher.stats();
    let report = json!({
        "engine": "hark",
        "sentences": sentences.len(),
        "repeat": repeat,
        "matched": matched,
        "sentences_per_s": (latencies.len() as f64 / elapsed).round(),
        "p50_us": (percentile(0.50) * 100.0).round() / 100.0,
        "p99_us": (percentile(0.99) * 100.0).round() / 100.0,
        "max_us": (percentile(1.0) * 100.0).round() / 100.0,
        "compile_ms": (compile_ms * 10.0).round() / 10.0,
        "templates": stats.templates,
        "states": stats.states,
    });
    eprintln!(
        "hark: {} sentences x {repeat}: {:.0} sentences/s, p50 {:.2} µs, p99 {:.2} µs ({matched} matched; grammar of {} templates compiled in {compile_ms:.1} ms)",
        sentences.len(),
        report["sentences_per_s"].as_f64().unwrap_or_default(),
        percentile(0.5),
        percentile(0.99),
        stats.templates,
    );
    println!("{report}");
    Ok(())
}
