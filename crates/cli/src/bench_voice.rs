//! `hark bench voice-set` and `hark bench voice`: the voice pipeline measured on a folder of
//! spoken commands, as a device streams them.
//!
//! **The set** is a folder of WAV files and a `manifest.jsonl` beside them, one JSON object a
//! line:
//!
//! ```text
//! {"file": "03-en-us-175.wav", "text": "set a timer for five minutes",
//!  "intent": {"name": "HassStartTimer", "slots": {"seconds": 300}}}
//! ```
//!
//! `file` is relative to the folder. `text` is what is said, for the word error rate; `intent`
//! is what it means, for the acceptance rate (the name and every slot, nothing more, nothing
//! less; strings compare case-insensitively). Either may be left out (or `null`): a file without
//! `text` counts only for acceptance, one without `intent` only for the word error rate. Other
//! fields are ignored. Relative times ("at six pm", "in ten minutes") resolve at a fixed
//! instant, [`NOW`], both when `voice-set` writes the expected intents and when `voice` parses
//! what it heard. `voice-set` synthesizes such a set with espeak-ng from [`COMMANDS`]; a folder
//! of real recordings with a hand-written manifest works the same.
//!
//! **The run**, for each condition (noise level × noise suppression) and each file: the file's
//! 16 kHz samples with one second of background before and after (a device streams background
//! around the words), mixed with the noise at the condition's SNR ("clean" is a microphone's
//! own hiss 40 dB down: exact digital zeros trouble the recognizer's features), pushed through
//! [`hark_voice::Voice::listen`] in 20 ms pieces as the server's WebSocket does. From what was
//! heard: the word error rate against `text`, and the intent hark's matcher parses against
//! `intent`. The real-time factor is the time spent in the listener's `push` and `finish`
//! calls over the stream's length. The latency is what a speaker waits once the endpointer has
//! noticed the end of speech: the listener's [`hark_voice::Timings::after_end`], then the turn
//! through a real server (`POST /v1/converse` with the words, to the server this command starts
//! in-process, as `hark bench converse` does), then the answer's speech until its first chunk
//! of samples. The endpointer's own wait for silence (700 ms) comes before and is not counted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Args;
use hark_audio::denoise::NoiseSuppression;
use hark_audio::{mix, wav};
use hark_nlu::{builtin, entity, Matcher, ParseContext};
use hark_voice::{Config as VoiceConfig, Event, Heard, Speaker, Voice};
use jiff::Zoned;
use serde_json::{json, Value};

use crate::settings::Settings;

/// The instant relative times resolve at, when the set is made and when it is heard, so that
/// "at six pm" means the same slot value in both.
pub const NOW: &str = "2026-11-25T08:00:00+01:00[Europe/Paris]";

/// Everyday commands across the built-in skills, numbers spelled as said.
pub const COMMANDS: &[&str] = &[
    "set a timer for five minutes",
    "set a pasta timer for eight minutes",
    "start a ten minute timer",
    "how much time is left on the timer",
    "add two minutes to the timer",
    "pause the timer",
    "cancel the timer",
    "cancel all timers",
    "wake me up at seven thirty",
    "set an alarm for six am tomorrow",
    "what alarms do i have",
    "cancel my alarm",
    "snooze for ten minutes",
    "stop the alarm",
    "remind me to call mum at six pm",
    "remind me in twenty minutes to check the oven",
    "what reminders do i have",
    "what time is it",
    "what is the date today",
    "stop",
    "what can you do",
    "never mind",
];

/// The manifest's format, in both commands' help.
const MANIFEST_HELP: &str = "\
The set: WAV files (any common format, read as 16 kHz mono) and DIR/manifest.jsonl, one JSON \
object a line:
  {\"file\": \"00-en-us-175.wav\", \"text\": \"set a timer for five minutes\",
   \"intent\": {\"name\": \"HassStartTimer\", \"slots\": {\"seconds\": 300}}}
`file` is relative to DIR. `text` (what is said, for the word error rate) and `intent` (what it \
means, for acceptance: the name and exactly these slots) may each be left out or null; other \
fields are ignored. Relative times resolve at 2026-11-25T08:00:00+01:00[Europe/Paris]. \
See docs/benchmarks.md.";

/// The samples a device sends at a time: 20 ms at 16 kHz.
const PIECE: usize = 320;

/// One second at 16 kHz: the background before and after the words.
const SECOND: usize = 16_000;

/// How far below the speech "clean" puts the microphone's hiss, in dB.
const CLEAN_SNR_DB: f32 = 40.0;

/// The longest file read.
const MAX_SECONDS: u64 = 30;

/// `hark bench voice-set`: speaks a test set with espeak-ng.
///
/// Writes DIR/NN-VOICE-RATE.wav for each command, voice and rate, and DIR/manifest.jsonl, one
/// JSON object a line: {"file": "00-en-us-175.wav", "text": "set a timer for five minutes",
/// "intent": {"name": "HassStartTimer", "slots": {"seconds": 300}}, "voice": "en-us", "rate":
/// 175}. The intent is what hark's grammar parses from the text (relative times at
/// 2026-11-25T08:00:00+01:00[Europe/Paris]); a sentence it does not parse is refused. `hark
/// bench voice` reads any folder with such a manifest: `text` or `intent` may be left out.
#[derive(Debug, Args)]
#[command(after_help = MANIFEST_HELP)]
pub struct VoiceSetArgs {
    /// The folder to write (created if missing).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// espeak-ng voices.
    #[arg(long, value_delimiter = ',', default_value = "en-us,en,en-us+f3")]
    voices: Vec<String>,
    /// Speaking rates, words per minute.
    #[arg(long, value_delimiter = ',', default_value = "140,175,210")]
    rates: Vec<u32>,
    /// Say these sentences instead of the built-in commands (repeat for several).
    #[arg(long = "text", value_name = "SENTENCE")]
    texts: Vec<String>,
}

/// `hark bench voice`: acceptance, word error rate, real-time factor and latency on a set.
///
/// DIR holds WAV files and manifest.jsonl, one JSON object a line: {"file": "x.wav", "text":
/// "what is said", "intent": {"name": "HassStartTimer", "slots": {"seconds": 300}}}; `file` is
/// relative to DIR, `text` (for the word error rate) and `intent` (for acceptance: the name and
/// every slot right) may be left out. `hark bench voice-set` writes one.
#[derive(Debug, Args)]
#[command(after_help = MANIFEST_HELP)]
pub struct VoiceBenchArgs {
    /// The folder with manifest.jsonl.
    dir: PathBuf,
    /// Noise levels: `clean` (hiss 40 dB down) or an SNR in dB, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "clean,24,12,6")]
    snr: Vec<String>,
    /// Noise suppression (RNNoise): `on`, `off`, or both.
    #[arg(long, value_delimiter = ',', default_value = "on,off")]
    denoise: Vec<String>,
    /// The noise: `pink` (seeded) or a WAV file, looped.
    #[arg(long, default_value = "pink")]
    noise: String,
    /// JSON lines on stdout (one per file and one per condition); the table goes to stderr.
    #[arg(long)]
    jsonl: bool,
}

/// The matcher over the built-in English grammar, and the context at [`NOW`].
fn understanding() -> Result<(hark_nlu::Grammar, Matcher, ParseContext)> {
    let grammar = builtin::grammar("en")?;
    let matcher = Matcher::new(&grammar)?;
    let now: Zoned = NOW.parse().context("the fixed instant")?;
    Ok((grammar, matcher, ParseContext::new(entity::Context { now })))
}

/// The intent of `text` as the manifest writes it: `{"name", "slots"}`, or `None`.
fn parse(matcher: &Matcher, context: &ParseContext, text: &str) -> Option<Value> {
    matcher.parse(text, context).map(|found| {
        json!({
            "name": found.intent.name,
            "slots": found.intent.slots,
        })
    })
}

pub fn voice_set(args: VoiceSetArgs) -> Result<()> {
    let (_, matcher, context) = understanding()?;
    let texts: Vec<&str> = if args.texts.is_empty() {
        COMMANDS.to_vec()
    } else {
        args.texts.iter().map(String::as_str).collect()
    };
    // Every sentence first, so that a bad one is refused before anything is written.
    let mut intents = Vec::new();
    for text in &texts {
        match parse(&matcher, &context, text) {
            Some(intent) => intents.push(intent),
            None => bail!("hark's grammar does not parse {text:?}: it cannot be a test command"),
        }
    }
    if args.voices.is_empty() || args.rates.is_empty() {
        bail!("give at least one voice and one rate");
    }
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("creating {}", args.output.display()))?;
    let mut manifest = String::new();
    for voice in &args.voices {
        for &rate in &args.rates {
            let speaker = Speaker::new(voice, rate)
                .with_context(|| format!("espeak-ng voice {voice:?} at {rate} wpm"))?;
            let tag: String = voice
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            for (i, (text, intent)) in texts.iter().zip(&intents).enumerate() {
                let file = format!("{i:02}-{tag}-{rate}.wav");
                let wav = speaker
                    .speak(text)
                    .with_context(|| format!("speaking {text:?}"))?;
                std::fs::write(args.output.join(&file), wav)
                    .with_context(|| format!("writing {file}"))?;
                let line = json!({
                    "file": file,
                    "text": text,
                    "intent": intent,
                    "voice": voice,
                    "rate": rate,
                });
                writeln!(manifest, "{line}").expect("writing to a string");
            }
        }
    }
    let path = args.output.join("manifest.jsonl");
    std::fs::write(&path, manifest).with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "{} files ({} sentences × {} voices × {} rates) and {}",
        texts.len() * args.voices.len() * args.rates.len(),
        texts.len(),
        args.voices.len(),
        args.rates.len(),
        path.display()
    );
    Ok(())
}

/// One line of the manifest, its audio read (or why not).
struct Item {
    file: String,
    text: Option<String>,
    intent: Option<Value>,
    audio: Result<Vec<i16>, String>,
}

/// Reads `DIR/manifest.jsonl`: a line that is not a JSON object with a `file`, or names a file
/// that is not there, is refused with its line number. A file that is there but not audio is
/// kept, with its error, to be counted.
fn read_manifest(dir: &Path) -> Result<Vec<Item>> {
    let path = dir.join("manifest.jsonl");
    let manifest =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut items = Vec::new();
    for (i, line) in manifest.lines().enumerate() {
        let at = || format!("{}:{}", path.display(), i + 1);
        if line.trim().is_empty() {
            continue;
        }
        let value: Value =
            serde_json::from_str(line).with_context(|| format!("{}: not a JSON object", at()))?;
        let Some(file) = value.get("file").and_then(Value::as_str) else {
            bail!(
                "{}: no \"file\" (a WAV file's name, relative to the folder)",
                at()
            );
        };
        let text = match value.get("text") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => bail!("{}: \"text\" is not a string", at()),
        };
        let intent = match value.get("intent") {
            None | Some(Value::Null) => None,
            Some(intent) if intent.get("name").is_some_and(Value::is_string) => {
                Some(intent.clone())
            }
            Some(_) => bail!("{}: \"intent\" has no \"name\"", at()),
        };
        let wav_path = dir.join(file);
        let bytes = std::fs::read(&wav_path)
            .with_context(|| format!("{}: cannot read {}", at(), wav_path.display()))?;
        let audio = wav::read(&bytes, wav::Limits::seconds(MAX_SECONDS))
            .map(|decoded| decoded.samples)
            .map_err(|e| format!("{}: {e}", e.code()));
        items.push(Item {
            file: file.to_string(),
            text,
            intent,
            audio,
        });
    }
    if items.is_empty() {
        bail!("{} lists no files", path.display());
    }
    Ok(items)
}

/// A noise level: the microphone's hiss, or noise at an SNR.
#[derive(Debug, Clone, Copy)]
enum Level {
    Clean,
    Snr(f32),
}

impl Level {
    fn parse(text: &str) -> Result<Level> {
        if text == "clean" {
            return Ok(Level::Clean);
        }
        let db: f32 = text
            .trim_end_matches("dB")
            .parse()
            .map_err(|_| anyhow!("--snr {text:?} is neither `clean` nor a number of dB"))?;
        if !db.is_finite() {
            bail!("--snr {text:?} is not a finite number");
        }
        Ok(Level::Snr(db))
    }

    fn label(self) -> String {
        match self {
            Level::Clean => "clean".into(),
            Level::Snr(db) => format!("{db} dB"),
        }
    }
}

fn parse_denoise(text: &str) -> Result<NoiseSuppression> {
    match text {
        "on" | "rnnoise" => Ok(NoiseSuppression::Rnnoise),
        "off" => Ok(NoiseSuppression::Off),
        _ => bail!("--denoise {text:?} is neither `on` nor `off`"),
    }
}

/// The background to mix: pink noise made per file, or a recording looped.
enum Noise {
    Pink,
    File(Vec<i16>),
}

impl Noise {
    fn parse(text: &str) -> Result<Noise> {
        if text == "pink" {
            return Ok(Noise::Pink);
        }
        let bytes = std::fs::read(text).with_context(|| format!("reading the noise {text}"))?;
        let samples = wav::read(&bytes, wav::Limits::default())
            .with_context(|| format!("reading the noise {text}"))?
            .samples;
        if samples.iter().all(|&s| s == 0) {
            bail!("the noise {text} is silent");
        }
        Ok(Noise::File(samples))
    }

    /// `len` samples of it for file number `index` (a seed of its own for pink noise, so that
    /// files differ and runs repeat).
    fn take(&self, index: usize, len: usize) -> Vec<i16> {
        match self {
            Noise::Pink => mix::noise(mix::Color::Pink, 7 + index as u64, len, -30.0),
            Noise::File(samples) => {
                let start = (index * 7_919) % samples.len();
                samples
                    .iter()
                    .cycle()
                    .skip(start)
                    .take(len)
                    .copied()
                    .collect()
            }
        }
    }
}

/// What one file gave in one condition.
#[derive(Debug, Default)]
struct Outcome {
    error: Option<String>,
    heard: Option<String>,
    nothing: bool,
    not_understood: bool,
    accepted: Option<bool>,
    /// Word edits and reference words, when the manifest has the text.
    edits: Option<(usize, usize)>,
    rtf: f64,
    decode_rtf: f64,
    after_end: Duration,
    converse: Option<Duration>,
    first_chunk: Option<Duration>,
    answer: Option<String>,
}

impl Outcome {
    /// From the end of speech noticed to the answer's first samples, when there was an answer
    /// to speak.
    fn latency(&self) -> Option<Duration> {
        Some(self.after_end + self.converse? + self.first_chunk?)
    }
}

/// The server this command talks to and how.
struct Turns {
    agent: ureq::Agent,
    url: String,
    authorization: String,
    device: String,
}

impl Turns {
    /// The answer's speech to `text`, through `POST /v1/converse`.
    fn converse(&self, text: &str) -> Result<String> {
        let body = json!({"text": text, "device": self.device}).to_string();
        let mut response = self
            .agent
            .post(&self.url)
            .header("Authorization", &self.authorization)
            .header("Content-Type", "application/json")
            .send(body.as_str())
            .context("POST /v1/converse")?;
        let status = response.status().as_u16();
        let answer = response.body_mut().read_to_string()?;
        if status != 200 {
            bail!("POST /v1/converse answered {status}: {answer}");
        }
        let answer: Value = serde_json::from_str(&answer)?;
        Ok(answer["speech"].as_str().unwrap_or_default().to_string())
    }
}

pub fn voice(settings: &Settings, args: VoiceBenchArgs) -> Result<()> {
    let levels = args
        .snr
        .iter()
        .map(|s| Level::parse(s))
        .collect::<Result<Vec<_>>>()?;
    let denoises = args
        .denoise
        .iter()
        .map(|s| parse_denoise(s))
        .collect::<Result<Vec<_>>>()?;
    let noise = Noise::parse(&args.noise)?;
    let items = read_manifest(&args.dir)?;
    let (grammar, matcher, context) = understanding()?;

    let config = hark_server::Config {
        voice: false,
        ..settings.config()?
    };
    let (address, token, device, _server) = crate::bench::start_server(&config, Some(1))?;
    let turns = Turns {
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into(),
        url: format!("http://{address}/v1/converse"),
        authorization: format!("Bearer {token}"),
        device,
    };
    let hearing = Hearing {
        turns,
        matcher,
        context,
        noise,
    };

    let mut summaries = Vec::new();
    for &denoise in &denoises {
        let started = Instant::now();
        let voice = Voice::new(
            &grammar,
            VoiceConfig {
                denoise,
                ..VoiceConfig::default()
            },
        )?;
        eprintln!(
            "voice with noise suppression {}: built in {:.1} s",
            on_off(denoise),
            started.elapsed().as_secs_f64()
        );
        for &level in &levels {
            let mut outcomes = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let outcome = match &item.audio {
                    Err(error) => Outcome {
                        error: Some(error.clone()),
                        ..Outcome::default()
                    },
                    Ok(speech) => hearing
                        .run(&voice, level, index, item, speech)
                        .unwrap_or_else(|e| Outcome {
                            error: Some(format!("{e:#}")),
                            ..Outcome::default()
                        }),
                };
                if let Some(error) = &outcome.error {
                    eprintln!("hark: {}: {error}", item.file);
                }
                if args.jsonl {
                    println!("{}", file_line(item, &outcome, level, denoise));
                }
                outcomes.push(outcome);
            }
            let summary = summarize(&outcomes, level, denoise);
            eprintln!(
                "{} / noise suppression {}: {} of {} accepted",
                level.label(),
                on_off(denoise),
                summary["accepted"],
                summary["with_intent"]
            );
            if args.jsonl {
                println!("{summary}");
            }
            summaries.push(summary);
        }
    }
    let table = table(&summaries);
    if args.jsonl {
        eprint!("{table}");
    } else {
        print!("{table}");
    }
    Ok(())
}

/// What every file is heard and judged with, whatever the condition.
struct Hearing {
    turns: Turns,
    matcher: Matcher,
    context: ParseContext,
    noise: Noise,
}

impl Hearing {
    /// File number `index` (its `speech`) through `voice` at `level`.
    fn run(
        &self,
        voice: &Voice,
        level: Level,
        index: usize,
        item: &Item,
        speech: &[i16],
    ) -> Result<Outcome> {
        let Hearing {
            turns,
            matcher,
            context,
            noise,
        } = self;
        if speech.is_empty() {
            bail!("the file has no samples");
        }
        let mut stream = vec![0; SECOND];
        stream.extend_from_slice(speech);
        stream.extend(std::iter::repeat_n(0, SECOND));
        let background = noise.take(index, stream.len());
        let snr = match level {
            Level::Clean => CLEAN_SNR_DB,
            Level::Snr(db) => db,
        };
        let stream = mix::mix_at_snr(&stream, &background, snr)?.samples;

        let mut listener = voice.listen();
        let mut spent = Duration::ZERO;
        let mut events = Vec::new();
        for piece in stream.chunks(PIECE) {
            let started = Instant::now();
            events.extend(listener.push(piece)?);
            spent += started.elapsed();
        }
        let started = Instant::now();
        events.extend(listener.finish()?);
        spent += started.elapsed();
        let Some((heard, timings)) = events.into_iter().find_map(|event| match event {
            Event::Heard { heard, timings } => Some((heard, timings)),
            _ => None,
        }) else {
            bail!("the listener finished without hearing");
        };
        let audio = stream.len() as f64 / 16_000.0;
        let mut outcome = Outcome {
            rtf: spent.as_secs_f64() / audio,
            decode_rtf: timings.decode.as_secs_f64() / audio,
            after_end: timings.after_end,
            ..Outcome::default()
        };
        let words = match &heard {
            Heard::Text(text) => text.clone(),
            Heard::Nothing => {
                outcome.nothing = true;
                String::new()
            }
            Heard::NotUnderstood => {
                outcome.not_understood = true;
                String::new()
            }
        };
        if let Some(text) = &item.text {
            outcome.edits = Some((word_edits(text, &words), normalize(text).len()));
        }
        if let Some(expected) = &item.intent {
            let got = parse(matcher, context, &words);
            outcome.accepted = Some(got.is_some_and(|got| same_intent(expected, &got)));
        }
        if !words.is_empty() {
            let started = Instant::now();
            let answer = turns.converse(&words)?;
            outcome.converse = Some(started.elapsed());
            if !answer.is_empty() {
                let started = Instant::now();
                let mut first = None;
                voice.speak_chunks(&answer, |_| {
                    first.get_or_insert_with(|| started.elapsed());
                })?;
                outcome.first_chunk = first;
            }
            outcome.answer = Some(answer);
            outcome.heard = Some(words);
        }
        Ok(outcome)
    }
}

/// Whether `got` has the name and exactly the slots of `expected` (strings compared without
/// case, as the matcher's free-text slots keep what was said).
fn same_intent(expected: &Value, got: &Value) -> bool {
    let slots = |v: &Value| match v.get("slots") {
        Some(Value::Object(slots)) => lowercase(&Value::Object(slots.clone())),
        _ => json!({}),
    };
    expected.get("name") == got.get("name") && slots(expected) == slots(got)
}

fn lowercase(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.to_lowercase()),
        Value::Array(items) => Value::Array(items.iter().map(lowercase).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), lowercase(v))).collect())
        }
        other => other.clone(),
    }
}

/// Words, lower case, punctuation other than apostrophes taken for spaces.
fn normalize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// Word-level Levenshtein distance: substitutions, insertions and deletions that make `heard`
/// the `reference`.
fn word_edits(reference: &str, heard: &str) -> usize {
    let reference = normalize(reference);
    let heard = normalize(heard);
    let mut previous: Vec<usize> = (0..=heard.len()).collect();
    let mut current = vec![0; heard.len() + 1];
    for (i, r) in reference.iter().enumerate() {
        current[0] = i + 1;
        for (j, h) in heard.iter().enumerate() {
            let substitution = previous[j] + usize::from(r != h);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[heard.len()]
}

fn on_off(denoise: NoiseSuppression) -> &'static str {
    match denoise {
        NoiseSuppression::Rnnoise => "on",
        NoiseSuppression::Off => "off",
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

fn file_line(item: &Item, outcome: &Outcome, level: Level, denoise: NoiseSuppression) -> Value {
    json!({
        "kind": "file",
        "file": item.file,
        "snr": level.label(),
        "denoise": on_off(denoise),
        "error": outcome.error,
        "text": item.text,
        "heard": outcome.heard,
        "nothing_heard": outcome.nothing,
        "not_understood": outcome.not_understood,
        "accepted": outcome.accepted,
        "word_edits": outcome.edits.map(|(edits, _)| edits),
        "real_time_factor": outcome.rtf,
        "decode_real_time_factor": outcome.decode_rtf,
        "after_end_ms": ms(outcome.after_end),
        "converse_ms": outcome.converse.map(ms),
        "first_chunk_ms": outcome.first_chunk.map(ms),
        "latency_ms": outcome.latency().map(ms),
        "answer": outcome.answer,
    })
}

/// The value at `p` (0 to 1) of sorted `values`, nearest rank; NaN if none.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values
}

fn round(value: f64, places: i32) -> Value {
    if !value.is_finite() {
        return Value::Null;
    }
    let scale = 10f64.powi(places);
    json!((value * scale).round() / scale)
}

fn summarize(outcomes: &[Outcome], level: Level, denoise: NoiseSuppression) -> Value {
    let ran: Vec<&Outcome> = outcomes.iter().filter(|o| o.error.is_none()).collect();
    let with_intent = ran.iter().filter(|o| o.accepted.is_some()).count();
    let accepted = ran.iter().filter(|o| o.accepted == Some(true)).count();
    let (edits, words) = ran
        .iter()
        .filter_map(|o| o.edits)
        .fold((0, 0), |(e, w), (edits, words)| (e + edits, w + words));
    let rtf = sorted(ran.iter().map(|o| o.rtf));
    let rtf_mean = rtf.iter().sum::<f64>() / rtf.len().max(1) as f64;
    let decode_rtf = ran.iter().map(|o| o.decode_rtf).sum::<f64>() / ran.len().max(1) as f64;
    let latency = sorted(ran.iter().filter_map(|o| o.latency()).map(ms));
    let part = |f: fn(&Outcome) -> Option<Duration>| {
        let values = sorted(ran.iter().filter_map(|o| f(o)).map(ms));
        round(percentile(&values, 0.5), 1)
    };
    json!({
        "kind": "condition",
        "snr": level.label(),
        "denoise": on_off(denoise),
        "files": outcomes.len(),
        "errors": outcomes.len() - ran.len(),
        "nothing_heard": ran.iter().filter(|o| o.nothing).count(),
        "not_understood": ran.iter().filter(|o| o.not_understood).count(),
        "with_intent": with_intent,
        "accepted": accepted,
        "accepted_percent": round(100.0 * accepted as f64 / with_intent.max(1) as f64, 1),
        "reference_words": words,
        "word_edits": edits,
        "wer_percent": round(100.0 * edits as f64 / words.max(1) as f64, 1),
        "rtf_mean": round(rtf_mean, 4),
        "rtf_p50": round(percentile(&rtf, 0.5), 4),
        "rtf_p99": round(percentile(&rtf, 0.99), 4),
        "decode_rtf_mean": round(decode_rtf, 4),
        "answered": latency.len(),
        "latency_p50_ms": round(percentile(&latency, 0.5), 1),
        "latency_p99_ms": round(percentile(&latency, 0.99), 1),
        "after_end_p50_ms": part(|o| Some(o.after_end)),
        "converse_p50_ms": part(|o| o.converse),
        "first_chunk_p50_ms": part(|o| o.first_chunk),
    })
}

fn table(summaries: &[Value]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| noise | RNNoise | files | accepted | WER | RTF mean | RTF p99 | latency p50 | latency p99 | nothing heard | not understood | errors |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let show = |v: &Value, suffix: &str| match v.as_f64() {
        Some(x) => format!("{x}{suffix}"),
        None => "-".into(),
    };
    for s in summaries {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}/{} ({}) | {} | {} | {} | {} | {} | {} | {} | {} |",
            s["snr"].as_str().unwrap_or_default(),
            s["denoise"].as_str().unwrap_or_default(),
            s["files"],
            s["accepted"],
            s["with_intent"],
            show(&s["accepted_percent"], "%"),
            show(&s["wer_percent"], "%"),
            show(&s["rtf_mean"], ""),
            show(&s["rtf_p99"], ""),
            show(&s["latency_p50_ms"], " ms"),
            show(&s["latency_p99_ms"], " ms"),
            s["nothing_heard"],
            s["not_understood"],
            s["errors"],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_edits_count_substitutions_insertions_and_deletions() {
        assert_eq!(word_edits("set a timer", "set a timer"), 0);
        assert_eq!(word_edits("set a timer", "set the timer"), 1);
        assert_eq!(word_edits("set a timer", "set a timer now"), 1);
        assert_eq!(word_edits("set a timer", "timer"), 2);
        assert_eq!(word_edits("set a timer", ""), 3);
        assert_eq!(word_edits("What's the TIME?", "what's the time"), 0);
    }

    #[test]
    fn intents_compare_by_name_and_every_slot() {
        let expected = json!({"name": "HarkSetReminder", "slots": {"task": "call Mum"}});
        let same = json!({"name": "HarkSetReminder", "slots": {"task": "call mum"}, "raw": {}});
        let more = json!({"name": "HarkSetReminder", "slots": {"task": "call mum", "all": true}});
        let other = json!({"name": "HarkSetAlarm", "slots": {"task": "call mum"}});
        assert!(same_intent(&expected, &same));
        assert!(!same_intent(&expected, &more));
        assert!(!same_intent(&expected, &other));
        assert!(same_intent(
            &json!({"name": "HarkStop"}),
            &json!({"name": "HarkStop", "slots": {}})
        ));
    }

    #[test]
    fn the_built_in_commands_all_parse() {
        let (_, matcher, context) = understanding().unwrap();
        for text in COMMANDS {
            assert!(parse(&matcher, &context, text).is_some(), "{text:?}");
        }
    }
}
