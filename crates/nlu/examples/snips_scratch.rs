use hark_nlu::trained::data::{Dataset, Example, SlotSpan};
use hark_nlu::trained::{Model, TrainOptions};
use std::collections::BTreeMap;

fn load(intent: &str, full: bool) -> Vec<Example> {
    let p = format!(
        "/work/shared/data/snips-2017/train_{intent}{}.json",
        if full { "_full" } else { "" }
    );
    let raw = std::fs::read(&p).unwrap();
    let text =
        String::from_utf8(raw.clone()).unwrap_or_else(|_| raw.iter().map(|&b| b as char).collect());
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for e in v[intent].as_array().unwrap() {
        let mut text = String::new();
        let mut slots = Vec::new();
        for c in e["data"].as_array().unwrap() {
            let t = c["text"].as_str().unwrap();
            if let Some(ent) = c.get("entity").and_then(|x| x.as_str()) {
                let lead = t.len() - t.trim_start().len();
                let start = text.len() + lead;
                let end = start + t.trim().len();
                if end > start {
                    slots.push(SlotSpan {
                        slot: c
                            .get("slot_name")
                            .and_then(|x| x.as_str())
                            .unwrap_or(ent)
                            .into(),
                        entity: ent.into(),
                        start,
                        end,
                    });
                }
            }
            text.push_str(t);
        }
        out.push(Example {
            intent: intent.into(),
            text,
            slots,
        });
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args[1].parse().unwrap();
    let l2: f64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(0.5);
    let intents = [
        "AddToPlaylist",
        "BookRestaurant",
        "GetWeather",
        "PlayMusic",
        "RateBook",
        "SearchCreativeWork",
        "SearchScreeningEvent",
    ];
    let ctx = hark_nlu::entity::Context {
        now: "2026-11-25T08:00:00+01:00[Europe/Paris]".parse().unwrap(),
    };
    let mut total = 0.0;
    for intent in intents {
        let all = load(intent, true);
        // dev split: last 300 of full as test, train from the rest (scratch)
        let (train_pool, test) = all.split_at(all.len() - 300);
        let mut f1s = 0.0;
        for draw in 0..3u64 {
            let mut pool: Vec<&Example> = train_pool.iter().collect();
            let mut r = draw * 7919 + 17;
            for i in (1..pool.len()).rev() {
                r = r
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                pool.swap(i, (r >> 33) as usize % (i + 1));
            }
            let take = if n == 0 { pool.len() } else { n };
            let ds = Dataset {
                examples: pool[..take].iter().map(|e| (*e).clone()).collect(),
                entities: Default::default(),
            };
            let t = std::time::Instant::now();
            let (model, stats) = Model::train(
                &ds,
                &TrainOptions {
                    slot_l2: l2,
                    ..TrainOptions::default()
                },
            )
            .unwrap();
            let tt = t.elapsed();
            let mut per: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
            let mut intent_right = 0;
            for e in test {
                let p = model.parse(&e.text, &ctx);
                let mut pred: Vec<(String, String)> = Vec::new();
                if let Some(p) = &p {
                    if p.intent == intent {
                        intent_right += 1;
                        pred = p
                            .slots
                            .iter()
                            .map(|s| (s.span.slot.clone(), s.raw.trim().to_string()))
                            .collect();
                    }
                }
                let gold: Vec<(String, String)> = e
                    .slots
                    .iter()
                    .map(|s| (s.slot.clone(), s.value(&e.text).trim().to_string()))
                    .collect();
                for g in &gold {
                    per.entry(g.0.clone()).or_default().2 += 1.0;
                }
                let mut used = vec![false; gold.len()];
                for p in &pred {
                    let hit = gold
                        .iter()
                        .enumerate()
                        .position(|(i, g)| !used[i] && g == p);
                    match hit {
                        Some(i) => {
                            used[i] = true;
                            per.entry(p.0.clone()).or_default().0 += 1.0;
                        }
                        None => {
                            per.entry(p.0.clone()).or_default().1 += 1.0;
                        }
                    }
                }
            }
            let support: f64 = per.values().map(|v| v.2).sum();
            let mut f1w = 0.0;
            for (name, (tp, fp, gold)) in per.iter() {
                if draw == 0 && std::env::var("SLOTS").is_ok() {
                    eprint!("{name}");
                }
                let prec = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
                let rec = if *gold > 0.0 { tp / gold } else { 0.0 };
                let f1 = if prec + rec > 0.0 {
                    2.0 * prec * rec / (prec + rec)
                } else {
                    0.0
                };
                f1w += f1 * gold / support;
                if draw == 0 && std::env::var("SLOTS").is_ok() {
                    eprintln!("   P={prec:.2} R={rec:.2} F1={f1:.2} n={gold}");
                }
            }
            f1s += f1w;
            let mut times: Vec<f64> = test
                .iter()
                .map(|e| {
                    let t = std::time::Instant::now();
                    std::hint::black_box(model.parse(&e.text, &ctx));
                    t.elapsed().as_secs_f64() * 1e6
                })
                .collect();
            times.sort_by(|a, b| a.total_cmp(b));
            if draw == 0 {
                eprintln!(
                    "parse us p50 {:.0} p99 {:.0}",
                    times[times.len() / 2],
                    times[times.len() * 99 / 100]
                );
            }
            if draw == 0 {
                eprintln!("{intent}: n={take} f1={f1w:.3} intent_acc={:.3} train={:.2}s iters={} feats={} bytes={}", intent_right as f64 / test.len() as f64, tt.as_secs_f64(), stats.iterations, stats.features, model.to_bytes().len());
            }
        }
        total += f1s / 3.0;
        println!("{intent} {:.3}", f1s / 3.0);
    }
    println!("mean {:.3}", total / 7.0);
}
