//! `hark bench nlu-train`: the trained parser on the Snips 2017 benchmark's data, the way the
//! benchmark measures it: one model per intent, trained on a few sentences or on all of them,
//! scored by the mean slot F1 (each slot's F1 weighted by how often it occurs).
//!
//! **The split.** Each intent's `train_X_full.json` (about 2,000 sentences) is cut, in file
//! order, into a test part (the first [`TEST`] sentences: what is reported), a development part
//! (the last [`DEV`]: what the features and settings were tuned on, `--split dev`), and the pool
//! between them, from which each training set is drawn: `size` sentences at random (seeded by
//! the draw's number), or the whole pool for `full`. Nothing is ever tuned on the test part.
//!
//! For each intent the report also gives the time to train on every sentence of the file
//! (about 2,000), the model's size on disk, and the time to parse each test sentence.
//!
//! **All seven in one model**, as hark runs a skill's model: trained on 70 sentences of each
//! intent, it is scored on the seven test parts together (intent accuracy, mean slot F1), and
//! on sentences of no Snips intent: the SLURP corpus's requests of scenarios none of the seven
//! covers (alarms, calendar, email, lights, lists, news, transport...; `--slurp`), of which
//! the share the model claims is its false acceptance.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use clap::Args;
use hark_nlu::random::Rng;
use hark_nlu::trained::data::{self, Dataset, Example};
use hark_nlu::trained::eval;
use hark_nlu::trained::{Model, TrainOptions};
use serde_json::json;

use crate::nlu_trained::predict;

/// Sentences at the start of each full file that are only ever tested on.
const TEST: usize = 400;
/// Sentences at the end of each full file that tuning looked at.
const DEV: usize = 300;

/// The seven intents of the benchmark.
const INTENTS: [&str; 7] = [
    "AddToPlaylist",
    "BookRestaurant",
    "GetWeather",
    "PlayMusic",
    "RateBook",
    "SearchCreativeWork",
    "SearchScreeningEvent",
];

#[derive(Debug, Args)]
pub struct NluTrainBench {
    /// The folder with the benchmark's train_X_full.json files.
    #[arg(long, value_name = "DIR", default_value = "../shared/data/snips-2017")]
    data: PathBuf,
    /// Training set sizes per intent, `full` for the whole pool.
    #[arg(long, value_delimiter = ',', default_value = "10,20,50,70,full")]
    sizes: Vec<String>,
    /// Random training sets drawn per size (one for `full`).
    #[arg(long, default_value_t = 3)]
    draws: u64,
    /// Score on the test part (what is reported) or the development part (for tuning).
    #[arg(long, default_value = "test", value_parser = ["test", "dev"])]
    split: String,
    /// Only these intents.
    #[arg(long, value_delimiter = ',')]
    intents: Vec<String>,
    /// SLURP's devel.jsonl, for sentences of no Snips intent (skipped when absent).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "../shared/data/slurp/devel.jsonl"
    )]
    slurp: PathBuf,
    #[command(flatten)]
    words: crate::nlu_trained::WordsArgs,
}

/// SLURP scenarios that none of the seven intents covers (music, play, weather,
/// recommendation, takeaway and qa are left out: some of their requests are the Snips
/// intents').
const OTHER_SCENARIOS: [&str; 12] = [
    "alarm",
    "audio",
    "calendar",
    "cooking",
    "datetime",
    "email",
    "general",
    "iot",
    "lists",
    "news",
    "social",
    "transport",
];

/// The sentences of SLURP's file whose scenario is one of [`OTHER_SCENARIOS`].
fn other_sentences(path: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let value: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not JSON", path.display(), i + 1))?;
        let scenario = value["scenario"].as_str().unwrap_or_default();
        if OTHER_SCENARIOS.contains(&scenario) {
            if let Some(sentence) = value["sentence"].as_str() {
                out.push(sentence.to_owned());
            }
        }
    }
    Ok(out)
}

/// One intent's file, split.
struct Split {
    test: Vec<Example>,
    pool: Vec<Example>,
    all: Dataset,
}

fn split(dir: &Path, intent: &str, dev: bool) -> Result<Split> {
    let path = dir.join(format!("train_{intent}_full.json"));
    let all = data::load(&path).with_context(|| format!("reading {}", path.display()))?;
    let n = all.examples.len();
    if n < TEST + DEV + 70 {
        bail!(
            "{} has {n} sentences; the split needs more than {}",
            path.display(),
            TEST + DEV + 70
        );
    }
    let test_part = all.examples[..TEST].to_vec();
    let dev_part = all.examples[n - DEV..].to_vec();
    let pool = all.examples[TEST..n - DEV].to_vec();
    Ok(Split {
        test: if dev { dev_part } else { test_part },
        pool,
        all,
    })
}

/// `size` sentences of the pool, drawn by a seeded shuffle.
fn draw(pool: &[Example], size: Option<usize>, seed: u64) -> Dataset {
    let mut order: Vec<usize> = (0..pool.len()).collect();
    Rng::new(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x6861_726b).shuffle(&mut order);
    let take = size.unwrap_or(pool.len()).min(pool.len());
    Dataset {
        examples: order[..take].iter().map(|&i| pool[i].clone()).collect(),
        ..Dataset::default()
    }
}

pub fn run(args: NluTrainBench) -> Result<()> {
    let intents: Vec<&str> = if args.intents.is_empty() {
        INTENTS.to_vec()
    } else {
        args.intents.iter().map(String::as_str).collect()
    };
    let sizes: Vec<Option<usize>> = args
        .sizes
        .iter()
        .map(|s| match s.as_str() {
            "full" => Ok(None),
            n => n
                .parse()
                .map(Some)
                .with_context(|| format!("--sizes: '{n}' is not a number or 'full'")),
        })
        .collect::<Result<_>>()?;
    let context = hark_nlu::entity::Context {
        now: "2026-11-25T08:00:00+01:00[Europe/Paris]".parse()?,
    };
    let options = TrainOptions {
        lexicon: args.words.lexicon()?,
        senses: args.words.senses()?,
        ..TrainOptions::default()
    };
    // F1 per size, per intent.
    let mut table: Vec<Vec<f64>> = vec![Vec::new(); sizes.len()];
    let mut rows = Vec::new();
    for intent in &intents {
        let split = split(&args.data, intent, args.split == "dev")?;
        for (column, size) in sizes.iter().enumerate() {
            let draws = if size.is_none() { 1 } else { args.draws.max(1) };
            let mut f1s = Vec::new();
            let mut accuracies = Vec::new();
            for d in 0..draws {
                let dataset = draw(&split.pool, *size, d);
                let (model, _) = Model::train(&dataset, &options)?;
                let predictions = predict(&model, &split.test, &context);
                let report = eval::score(split.test.iter().zip(&predictions));
                f1s.push(report.mean_slot_f1.unwrap_or(0.0));
                accuracies.push(report.intent_accuracy);
            }
            let f1 = eval::mean(f1s.iter().copied()).unwrap_or(0.0);
            table[column].push(f1);
            let line = json!({
                "intent": intent,
                "size": size.map_or("full".to_owned(), |s| s.to_string()),
                "draws": draws,
                "mean_slot_f1": f1,
                "mean_slot_f1_per_draw": f1s,
                "intent_accuracy": eval::mean(accuracies.iter().copied()),
                "split": args.split,
            });
            println!("{line}");
            eprintln!(
                "{intent} {}: mean slot F1 {f1:.3}",
                size.map_or("full".to_owned(), |s| s.to_string())
            );
        }
        // Training on the whole file, its size, and parsing speed.
        let started = Instant::now();
        let (model, stats) = Model::train(&split.all, &options)?;
        let train_s = started.elapsed().as_secs_f64();
        let bytes = model.to_bytes();
        let started = Instant::now();
        let reloaded = Model::from_bytes(&bytes, Path::new("(memory)"))?;
        let load_ms = started.elapsed().as_secs_f64() * 1e3;
        let mut micros: Vec<f64> = Vec::new();
        for _ in 0..3 {
            for example in &split.test {
                let started = Instant::now();
                std::hint::black_box(reloaded.parse(std::hint::black_box(&example.text), &context));
                micros.push(started.elapsed().as_secs_f64() * 1e6);
            }
        }
        micros.sort_by(f64::total_cmp);
        let at = |p: f64| micros[((micros.len() - 1) as f64 * p).round() as usize];
        let line = json!({
            "intent": intent,
            "train_all_sentences": stats.examples,
            "train_all_s": train_s,
            "model_bytes": bytes.len(),
            "load_ms": load_ms,
            "parse_p50_us": at(0.5),
            "parse_p99_us": at(0.99),
        });
        println!("{line}");
        rows.push((
            intent.to_string(),
            stats.examples,
            train_s,
            bytes.len(),
            load_ms,
            at(0.5),
            at(0.99),
        ));
    }

    // All seven in one model.
    let mut together = Dataset::default();
    let mut tests = Vec::new();
    for intent in &intents {
        let split = split(&args.data, intent, args.split == "dev")?;
        together
            .examples
            .extend(draw(&split.pool, Some(70), 0).examples);
        tests.extend(split.test);
    }
    let (model, _) = Model::train(&together, &options)?;
    let predictions = predict(&model, &tests, &context);
    let report = eval::score(tests.iter().zip(&predictions));
    let claimed = if args.slurp.is_file() {
        let others = other_sentences(&args.slurp)?;
        let claimed = others
            .iter()
            .filter(|s| model.parse(s, &context).is_some())
            .count();
        Some((claimed, others.len()))
    } else {
        None
    };
    println!(
        "{}",
        json!({
            "together": intents,
            "per_intent": 70,
            "intent_accuracy": report.intent_accuracy,
            "mean_slot_f1": report.mean_slot_f1,
            "other_sentences": claimed.map(|c| c.1),
            "other_claimed": claimed.map(|c| c.0),
        })
    );

    // The tables, for docs/benchmarks.md.
    let header: Vec<String> = args.sizes.clone();
    eprintln!("\n| intent | {} |", header.join(" | "));
    eprintln!("| --- |{}", " ---: |".repeat(header.len()));
    for (i, intent) in intents.iter().enumerate() {
        let cells: Vec<String> = table.iter().map(|c| format!("{:.3}", c[i])).collect();
        eprintln!("| {intent} | {} |", cells.join(" | "));
    }
    let overall: Vec<String> = table
        .iter()
        .map(|c| format!("**{:.3}**", eval::mean(c.iter().copied()).unwrap_or(0.0)))
        .collect();
    eprintln!("| mean | {} |", overall.join(" | "));
    eprintln!(
        "\nAll {} intents in one model (70 sentences each): intent accuracy {:.3}, mean slot F1 {:.3} on their test parts; {}",
        intents.len(),
        report.intent_accuracy,
        report.mean_slot_f1.unwrap_or(0.0),
        match claimed {
            Some((c, n)) => format!(
                "{c} of {n} SLURP requests of other scenarios claimed ({:.1}%)",
                100.0 * c as f64 / n.max(1) as f64
            ),
            None => "no SLURP file for other scenarios".to_owned(),
        }
    );
    eprintln!("\n| intent | sentences | training | model | load | parse p50 | parse p99 |");
    eprintln!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (intent, n, train_s, bytes, load_ms, p50, p99) in rows {
        eprintln!(
            "| {intent} | {n} | {train_s:.2} s | {:.2} MB | {load_ms:.1} ms | {p50:.0} µs | {p99:.0} µs |",
            bytes as f64 / 1e6
        );
    }
    Ok(())
}
