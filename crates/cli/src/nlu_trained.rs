//! `hark nlu train` and `hark nlu eval`: a parser learned from example sentences.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use clap::Args;
use hark_nlu::trained::data::{self, Dataset};
use hark_nlu::trained::eval::{self, Prediction};
use hark_nlu::trained::lexicon::{self, Lexicon};
use hark_nlu::trained::senses::{self, Senses};
use hark_nlu::trained::{from_grammar, Model, TrainOptions};
use hark_nlu::{builtin, entity, Grammar};

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Training data: hark YAML (`*.yaml`), Snips benchmark JSON (`*.json`), or a folder of
    /// them; repeat to merge several.
    #[arg(long = "data", value_name = "FILE_OR_DIR")]
    data: Vec<PathBuf>,
    /// Also learn from sentences sampled from these template grammars (folders or files).
    #[arg(long = "grammar", value_name = "PATH")]
    grammars: Vec<PathBuf>,
    /// Also learn from sentences sampled from hark's built-in grammar in this language.
    #[arg(long, value_name = "LANG")]
    builtin: Option<String>,
    /// Sentences sampled per intent from each grammar.
    #[arg(long, default_value_t = 50)]
    per_intent: usize,
    /// Where to write the model.
    #[arg(short, long, value_name = "MODEL")]
    output: PathBuf,
    /// The seed of everything random in training: the same data and seed give the same model.
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    seed: u64,
    #[command(flatten)]
    words: WordsArgs,
}

/// What a model learns of English words beyond its examples: an English word list (how words
/// are written) and WordNet (what they mean, coarsely).
#[derive(Debug, Args)]
pub struct WordsArgs {
    /// A word list, one word per line, capitalized where the word is a name (the model keeps
    /// it). Default: Debian's wamerican-large (/usr/share/dict/american-english-large) when it
    /// is installed.
    #[arg(long = "words", value_name = "FILE")]
    file: Option<PathBuf>,
    /// Train without a word list, even when one is installed.
    #[arg(long = "no-words", conflicts_with = "file")]
    none: bool,
    /// WordNet's database folder (data.noun, noun.exc...), whose supersenses the model learns
    /// as word clusters (it keeps them). Default: Debian's wordnet-base (/usr/share/wordnet)
    /// when it is installed.
    #[arg(long = "wordnet", value_name = "DIR")]
    wordnet: Option<PathBuf>,
    /// Train without WordNet, even when it is installed.
    #[arg(long = "no-wordnet", conflicts_with = "wordnet")]
    no_wordnet: bool,
}

impl WordsArgs {
    /// The lexicon, telling the user on stderr which list it is, or why there is none.
    pub(crate) fn lexicon(&self) -> Result<Arc<Lexicon>> {
        let source = Source {
            what: "word list",
            given: &self.file,
            refused: self.none.then_some("--no-words"),
            default: Path::new(lexicon::DEFAULT_WORD_LIST),
            installed: Path::new(lexicon::DEFAULT_WORD_LIST),
            package: "wamerican-large",
        };
        let Some(path) = source.path() else {
            return Ok(Arc::default());
        };
        let lexicon = Lexicon::load(&path)?;
        eprintln!(
            "hark: word list {} ({} words)",
            path.display(),
            lexicon.len()
        );
        Ok(Arc::new(lexicon))
    }

    /// WordNet's supersenses, telling the user on stderr where they come from, or why there
    /// are none.
    pub(crate) fn senses(&self) -> Result<Arc<Senses>> {
        let default = Path::new(senses::DEFAULT_WORDNET);
        let source = Source {
            what: "WordNet",
            given: &self.wordnet,
            refused: self.no_wordnet.then_some("--no-wordnet"),
            default,
            installed: &default.join("data.noun"),
            package: "wordnet-base",
        };
        let Some(dir) = source.path() else {
            return Ok(Arc::default());
        };
        let senses = Senses::load(&dir)?;
        eprintln!("hark: WordNet {} ({} words)", dir.display(), senses.len());
        Ok(Arc::new(senses))
    }
}

/// Where a model's knowledge of English comes from: the path given, else the Debian package's
/// when it is installed.
struct Source<'a> {
    what: &'a str,
    given: &'a Option<PathBuf>,
    /// The option that asked for none, if given.
    refused: Option<&'a str>,
    default: &'a Path,
    /// A file that is there when the package is installed.
    installed: &'a Path,
    package: &'a str,
}

impl Source<'_> {
    /// The path to read, or none (telling the user why on stderr).
    fn path(&self) -> Option<PathBuf> {
        if let Some(option) = self.refused {
            eprintln!("hark: no {} ({option})", self.what);
            return None;
        }
        if let Some(path) = self.given {
            return Some(path.clone());
        }
        if !self.installed.exists() {
            eprintln!(
                "hark: no {} ({} is not installed: install Debian's {} for better slots)",
                self.what,
                self.default.display(),
                self.package
            );
            return None;
        }
        Some(self.default.to_owned())
    }
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The model, from `hark nlu train`.
    #[arg(long, value_name = "MODEL")]
    model: PathBuf,
    /// Annotated sentences to score it on (same formats as `train --data`).
    #[arg(long = "data", value_name = "FILE_OR_DIR", required = true)]
    data: Vec<PathBuf>,
    /// One JSON object: intent accuracy, per-slot precision, recall, F1 and support, and the
    /// frequency-weighted mean slot F1 (overall and per intent).
    #[arg(long)]
    json: bool,
}

pub fn train(args: TrainArgs) -> Result<()> {
    let mut dataset = Dataset::default();
    if !args.data.is_empty() {
        dataset = data::load_all(&args.data)?;
    }
    let mut grammars = Vec::new();
    if let Some(lang) = &args.builtin {
        grammars.push(builtin::grammar(lang)?);
    }
    if !args.grammars.is_empty() {
        grammars.push(Grammar::load(&args.grammars)?);
    }
    for grammar in &grammars {
        dataset.merge(from_grammar::dataset(grammar, args.per_intent, args.seed));
    }
    if dataset.examples.is_empty() {
        bail!("no training sentences: give --data, --grammar or --builtin");
    }
    let options = TrainOptions {
        seed: args.seed,
        lexicon: args.words.lexicon()?,
        senses: args.words.senses()?,
        ..TrainOptions::default()
    };
    let (model, stats) = Model::train(&dataset, &options)?;
    model.save(&args.output)?;
    let bytes = std::fs::metadata(&args.output)
        .with_context(|| format!("reading back {}", args.output.display()))?
        .len();
    eprintln!(
        "hark: {} from {} sentences (and {} of no intent) in {:.2} s: {} features, {} iterations; {} ({:.1} MB)",
        plural(model.intents().len(), "intent"),
        stats.examples,
        stats.negatives,
        stats.elapsed.as_secs_f64(),
        stats.features,
        stats.iterations,
        args.output.display(),
        bytes as f64 / 1e6,
    );
    Ok(())
}

/// What `model` makes of each example's text.
pub(crate) fn predict(
    model: &Model,
    examples: &[data::Example],
    context: &entity::Context,
) -> Vec<Prediction> {
    examples
        .iter()
        .map(|example| match model.parse(&example.text, context) {
            Some(parsed) => Prediction {
                intent: Some(parsed.intent),
                slots: parsed.slots.into_iter().map(|s| s.span).collect(),
            },
            None => Prediction::default(),
        })
        .collect()
}

pub fn evaluate(args: EvalArgs) -> Result<()> {
    let started = Instant::now();
    let model = Model::load(&args.model)?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let dataset = data::load_all(&args.data)?;
    if dataset.examples.is_empty() {
        bail!("no sentences to score the model on");
    }
    let context = entity::Context {
        now: jiff::Zoned::now(),
    };
    let predictions = predict(&model, &dataset.examples, &context);
    let pairs = || dataset.examples.iter().zip(&predictions);
    let overall = eval::score(pairs());
    let by_intent = eval::score_by_intent(pairs());
    if args.json {
        let report = serde_json::json!({
            "model": args.model,
            "load_ms": (load_ms * 10.0).round() / 10.0,
            "overall": overall,
            "intents": by_intent,
        });
        println!("{report}");
        return Ok(());
    }
    println!(
        "{} sentences: intent accuracy {:.3}, mean slot F1 {} (model loaded in {load_ms:.1} ms)",
        overall.examples,
        overall.intent_accuracy,
        f1(overall.mean_slot_f1),
    );
    println!("slot\tprecision\trecall\tF1\tsupport");
    for (name, score) in &overall.slots {
        println!(
            "{name}\t{:.3}\t{:.3}\t{:.3}\t{}",
            score.precision, score.recall, score.f1, score.support
        );
    }
    for (intent, report) in &by_intent {
        println!(
            "{intent}: {} sentences, intent accuracy {:.3}, mean slot F1 {}",
            report.examples,
            report.intent_accuracy,
            f1(report.mean_slot_f1)
        );
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

fn f1(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |v| format!("{v:.3}"))
}
