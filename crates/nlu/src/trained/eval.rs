//! Scoring a parser against annotated sentences, the way the Snips benchmark counts.
//!
//! The Snips 2017 benchmark (Coucke et al. 2018, arXiv:1805.10190) reports, per intent, the
//! *mean slot F1*: each slot name's F1 weighted by how often the slot occurs in the gold data.
//! A predicted slot counts as found only when its name matches a gold slot's and its text equals
//! the gold text exactly, after trimming surrounding whitespace. The texts are compared, not the
//! byte offsets, so a parser that tokenizes differently is not punished for it.
//!
//! The decisions, where the benchmark leaves room:
//!
//! * **A sentence predicted as no intent** (`None`) is right only when its gold intent is
//!   [`NONE_INTENT`], the name datasets give sentences that express no intent.
//! * **Slots are scored whatever the intent**, so a sentence given the wrong intent still loses
//!   the slots it missed. The Snips metrics library (`snips-nlu-metrics`) skips the slots of a
//!   misclassified sentence altogether, which flatters slot F1 when intents are confused; with one
//!   model per intent, as the benchmark trains, the two agree.
//! * **Predictions and gold slots are paired one to one**: two identical predictions of one gold
//!   slot make one true positive and one false positive (the Snips library would count both as
//!   found).
//! * **Undefined ratios are 0**: precision is 0 with no true positive, and so is recall; F1 is 0
//!   when either is. A slot name neither predicted nor in the gold data has no entry at all; one
//!   only predicted has an entry with support 0, which weighs nothing in the mean.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::data::{Example, SlotSpan};

/// The intent of a sentence that expresses none: a prediction of no intent is right for it.
pub const NONE_INTENT: &str = "None";

/// What a parser made of one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prediction {
    /// The intent found, or `None` when the parser found none.
    pub intent: Option<String>,
    /// The slots found, as spans of the gold example's text (`entity` is not compared).
    pub slots: Vec<SlotSpan>,
}

/// How one slot name fared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SlotScore {
    /// True positives over all predictions of the slot.
    pub precision: f64,
    /// True positives over all gold occurrences of the slot.
    pub recall: f64,
    /// The harmonic mean of precision and recall.
    pub f1: f64,
    /// Gold occurrences of the slot.
    pub support: usize,
    /// Predictions that matched a gold occurrence.
    pub true_positives: usize,
    /// Predictions that matched none.
    pub false_positives: usize,
    /// Gold occurrences no prediction matched.
    pub false_negatives: usize,
}

/// The scores of a parser on a set of sentences, or their average over several runs.
///
/// Written as JSON by `hark nlu eval --json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Runs averaged: 1 for one evaluation (see [`Report::average`]).
    pub runs: usize,
    /// Sentences scored, over all runs.
    pub examples: usize,
    /// The fraction of sentences given the right intent.
    pub intent_accuracy: f64,
    /// Scores by slot name.
    pub slots: BTreeMap<String, SlotScore>,
    /// Each slot's F1 weighted by its support: the Snips benchmark's number. `None` when the
    /// sentences have no gold slot.
    pub mean_slot_f1: Option<f64>,
}

/// Counts predictions against gold sentences, one at a time.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    examples: usize,
    right_intents: usize,
    slots: BTreeMap<String, Counts>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
}

impl Scorer {
    /// Counts one sentence: its gold annotation and what the parser predicted.
    pub fn add(&mut self, gold: &Example, predicted: &Prediction) {
        self.examples += 1;
        let right = match &predicted.intent {
            Some(intent) => *intent == gold.intent,
            None => gold.intent == NONE_INTENT,
        };
        self.right_intents += usize::from(right);

        let value = |slot: &SlotSpan| {
            // A prediction's offsets may be anything; a span that is not in the text is a
            // value no gold slot has.
            gold.text.get(slot.start..slot.end).map(str::trim)
        };
        let mut unmatched: Vec<(&str, Option<&str>)> = gold
            .slots
            .iter()
            .map(|s| (s.slot.as_str(), value(s)))
            .collect();
        for slot in &predicted.slots {
            let counts = self.slots.entry(slot.slot.clone()).or_default();
            let matched = value(slot).and_then(|text| {
                unmatched
                    .iter()
                    .position(|&(name, want)| name == slot.slot && want == Some(text))
            });
            match matched {
                Some(i) => {
                    unmatched.swap_remove(i);
                    counts.true_positives += 1;
                }
                None => counts.false_positives += 1,
            }
        }
        for (name, _) in unmatched {
            self.slots
                .entry(name.to_string())
                .or_default()
                .false_negatives += 1;
        }
    }

    /// The scores of the sentences added so far.
    pub fn report(&self) -> Report {
        let slots: BTreeMap<String, SlotScore> = self
            .slots
            .iter()
            .map(|(name, counts)| (name.clone(), counts.score()))
            .collect();
        Report {
            runs: 1,
            examples: self.examples,
            intent_accuracy: ratio(self.right_intents, self.examples),
            mean_slot_f1: weighted_f1(&slots),
            slots,
        }
    }
}

impl Counts {
    fn score(self) -> SlotScore {
        let tp = self.true_positives;
        let precision = ratio(tp, tp + self.false_positives);
        let recall = ratio(tp, tp + self.false_negatives);
        let f1 = if precision == 0.0 || recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        SlotScore {
            precision,
            recall,
            f1,
            support: tp + self.false_negatives,
            true_positives: tp,
            false_positives: self.false_positives,
            false_negatives: self.false_negatives,
        }
    }
}

/// Scores gold sentences against predictions, pair by pair.
pub fn score<'a>(pairs: impl IntoIterator<Item = (&'a Example, &'a Prediction)>) -> Report {
    let mut scorer = Scorer::default();
    for (gold, predicted) in pairs {
        scorer.add(gold, predicted);
    }
    scorer.report()
}

/// [`score`] for each gold intent apart: the benchmark's figures are per intent.
pub fn score_by_intent<'a>(
    pairs: impl IntoIterator<Item = (&'a Example, &'a Prediction)>,
) -> BTreeMap<String, Report> {
    let mut scorers: BTreeMap<&str, Scorer> = BTreeMap::new();
    for (gold, predicted) in pairs {
        scorers
            .entry(gold.intent.as_str())
            .or_default()
            .add(gold, predicted);
    }
    scorers
        .into_iter()
        .map(|(intent, scorer)| (intent.to_string(), scorer.report()))
        .collect()
}

impl Report {
    /// The average of several runs (random draws of the training data, say).
    ///
    /// Rates are the means of the runs' rates: intent accuracy, each slot's precision, recall
    /// and F1 over the runs where the slot has an entry, and the mean slot F1 over the runs
    /// that have one. Counts are totals: examples, runs, and each slot's support and true and
    /// false positives and negatives. `None` for no report.
    pub fn average(reports: &[Report]) -> Option<Report> {
        if reports.is_empty() {
            return None;
        }
        let mut slots: BTreeMap<String, (SlotScore, usize)> = BTreeMap::new();
        for (name, score) in reports.iter().flat_map(|r| &r.slots) {
            let (sum, n) = slots.entry(name.clone()).or_default();
            sum.precision += score.precision;
            sum.recall += score.recall;
            sum.f1 += score.f1;
            sum.support += score.support;
            sum.true_positives += score.true_positives;
            sum.false_positives += score.false_positives;
            sum.false_negatives += score.false_negatives;
            *n += 1;
        }
        let slots = slots
            .into_iter()
            .map(|(name, (sum, n))| {
                let n = n as f64;
                let score = SlotScore {
                    precision: sum.precision / n,
                    recall: sum.recall / n,
                    f1: sum.f1 / n,
                    ..sum
                };
                (name, score)
            })
            .collect();
        Some(Report {
            runs: reports.iter().map(|r| r.runs).sum(),
            examples: reports.iter().map(|r| r.examples).sum(),
            intent_accuracy: mean(reports.iter().map(|r| r.intent_accuracy)).unwrap_or(0.0),
            slots,
            mean_slot_f1: mean(reports.iter().filter_map(|r| r.mean_slot_f1)),
        })
    }
}

/// The mean of some numbers, `None` for none: the benchmark's overall figure is the mean of
/// the intents' mean slot F1.
pub fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0usize), |(sum, n), v| (sum + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// `part / whole`, 0 when either is 0.
fn ratio(part: usize, whole: usize) -> f64 {
    if part == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Σ F1 × support / Σ support, over the slots.
fn weighted_f1(slots: &BTreeMap<String, SlotScore>) -> Option<f64> {
    let total: usize = slots.values().map(|s| s.support).sum();
    (total > 0).then(|| slots.values().map(|s| s.f1 * s.support as f64).sum::<f64>() / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, slot: &str, value: &str) -> SlotSpan {
        let start = text
            .find(value)
            .unwrap_or_else(|| panic!("{value:?} in {text:?}"));
        SlotSpan {
            slot: slot.to_string(),
            entity: slot.to_string(),
            start,
            end: start + value.len(),
        }
    }

    fn example(intent: &str, text: &str, slots: &[(&str, &str)]) -> Example {
        Example {
            intent: intent.to_string(),
            text: text.to_string(),
            slots: slots.iter().map(|(s, v)| span(text, s, v)).collect(),
        }
    }

    fn predict(gold: &Example, intent: Option<&str>, slots: &[(&str, &str)]) -> Prediction {
        Prediction {
            intent: intent.map(str::to_string),
            slots: slots.iter().map(|(s, v)| span(&gold.text, s, v)).collect(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Five sentences worked by hand.
    ///
    /// | sentence | gold | predicted |
    /// |---|---|---|
    /// | A | Book: restaurant "chez leon", party "two" | Book: restaurant "chez", party "two" |
    /// | B | Book: party "four", date "tomorrow" | Book: party "four", date "tomorrow", restaurant "table" |
    /// | C | Book: party "six", time "noon" | none: party "six people", time "noon" |
    /// | D | None | none |
    /// | E | Book: date "tomorrow" | Book: date "dinner", date "tomorrow" |
    ///
    /// Intents: A, B, D, E right, C wrong: 4/5 = 0.8.
    /// * restaurant: tp 0, fp 2 ("chez", "table"), fn 1 ("chez leon"): P 0, R 0, F1 0, support 1.
    /// * party: tp 2 ("two", "four"), fp 1 ("six people"), fn 1 ("six"): P 2/3, R 2/3,
    ///   F1 2/3, support 3.
    /// * date: tp 2, fp 1 ("dinner"), fn 0: P 2/3, R 1, F1 2·(2/3)/(5/3) = 0.8, support 2.
    /// * time: tp 1 (C's intent is wrong, its slot still counts): P 1, R 1, F1 1, support 1.
    ///
    /// Mean slot F1 = (0·1 + 2/3·3 + 0.8·2 + 1·1) / 7 = 4.6 / 7.
    #[test]
    fn hand_worked_precision_recall_and_weighted_f1() {
        let a = example(
            "Book",
            "book a table at chez leon for two",
            &[("restaurant", "chez leon"), ("party", "two")],
        );
        let b = example(
            "Book",
            "a table for four tomorrow",
            &[("party", "four"), ("date", "tomorrow")],
        );
        let c = example(
            "Book",
            "for six people at noon",
            &[("party", "six"), ("time", "noon")],
        );
        let d = example(NONE_INTENT, "hello there", &[]);
        let e = example("Book", "dinner tomorrow", &[("date", "tomorrow")]);
        let predictions = [
            predict(
                &a,
                Some("Book"),
                &[("restaurant", "chez"), ("party", "two")],
            ),
            predict(
                &b,
                Some("Book"),
                &[
                    ("party", "four"),
                    ("date", "tomorrow"),
                    ("restaurant", "table"),
                ],
            ),
            predict(&c, None, &[("party", "six people"), ("time", "noon")]),
            predict(&d, None, &[]),
            predict(
                &e,
                Some("Book"),
                &[("date", "dinner"), ("date", "tomorrow")],
            ),
        ];
        let gold = [a, b, c, d, e];
        let report = score(gold.iter().zip(&predictions));

        assert_eq!((report.runs, report.examples), (1, 5));
        assert!(close(report.intent_accuracy, 0.8));
        let expect = |name: &str, p: f64, r: f64, f1: f64, counts: [usize; 4]| {
            let s = &report.slots[name];
            assert!(
                close(s.precision, p) && close(s.recall, r) && close(s.f1, f1),
                "{name}: {s:?}"
            );
            assert_eq!(
                [
                    s.support,
                    s.true_positives,
                    s.false_positives,
                    s.false_negatives
                ],
                counts,
                "{name}"
            );
        };
        expect("restaurant", 0.0, 0.0, 0.0, [1, 0, 2, 1]);
        expect("party", 2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, [3, 2, 1, 1]);
        expect("date", 2.0 / 3.0, 1.0, 0.8, [2, 2, 1, 0]);
        expect("time", 1.0, 1.0, 1.0, [1, 1, 0, 0]);
        assert_eq!(report.slots.len(), 4);
        assert!(close(report.mean_slot_f1.unwrap(), 4.6 / 7.0));

        let by_intent = score_by_intent(gold.iter().zip(&predictions));
        assert_eq!(by_intent.len(), 2);
        assert_eq!(by_intent[NONE_INTENT].examples, 1);
        assert_eq!(by_intent[NONE_INTENT].mean_slot_f1, None);
        assert!(close(by_intent["Book"].intent_accuracy, 0.75));
        assert!(close(by_intent["Book"].mean_slot_f1.unwrap(), 4.6 / 7.0));
    }

    #[test]
    fn values_are_compared_as_trimmed_text_not_offsets() {
        // "five" twice: the prediction points at the first, the gold at the second.
        let gold = Example {
            intent: "Timer".to_string(),
            text: "five times five minutes".to_string(),
            slots: vec![SlotSpan {
                slot: "n".to_string(),
                entity: "number".to_string(),
                start: 11,
                end: 15,
            }],
        };
        let at = |start, end| SlotSpan {
            slot: "n".to_string(),
            entity: "other".to_string(),
            start,
            end,
        };
        let first = Prediction {
            intent: Some("Timer".to_string()),
            slots: vec![at(0, 4)],
        };
        assert_eq!(score([(&gold, &first)]).slots["n"].true_positives, 1);
        // Surrounding spaces do not matter, inner words do.
        let spaced = Prediction {
            slots: vec![at(10, 16)],
            ..first.clone()
        };
        assert_eq!(score([(&gold, &spaced)]).slots["n"].true_positives, 1);
        let longer = Prediction {
            slots: vec![at(11, 23)],
            ..first.clone()
        };
        let report = score([(&gold, &longer)]);
        assert_eq!(report.slots["n"].false_positives, 1);
        assert_eq!(report.slots["n"].false_negatives, 1);
        assert_eq!(report.mean_slot_f1, Some(0.0));
        // Offsets outside the text, or inside a character, are a wrong value, not a panic.
        let wild = Prediction {
            slots: vec![at(20, 99), at(4, 2)],
            ..first
        };
        assert_eq!(score([(&gold, &wild)]).slots["n"].false_positives, 2);
    }

    #[test]
    fn one_prediction_per_gold_slot() {
        let gold = example("Add", "add milk", &[("item", "milk")]);
        let twice = predict(&gold, Some("Add"), &[("item", "milk"), ("item", "milk")]);
        let s = score([(&gold, &twice)]).slots["item"];
        assert_eq!((s.true_positives, s.false_positives), (1, 1));
        assert!(close(s.precision, 0.5) && close(s.recall, 1.0));
    }

    #[test]
    fn no_intent_is_right_only_for_the_none_intent_and_empty_input_scores_nothing() {
        let other = example("Stop", "stop", &[]);
        let nothing = Prediction::default();
        assert_eq!(score([(&other, &nothing)]).intent_accuracy, 0.0);
        let none = example(NONE_INTENT, "blah", &[]);
        assert_eq!(score([(&none, &nothing)]).intent_accuracy, 1.0);
        let wrong = predict(&none, Some("Stop"), &[]);
        assert_eq!(score([(&none, &wrong)]).intent_accuracy, 0.0);

        let empty = score([]);
        assert_eq!(empty.examples, 0);
        assert_eq!(empty.intent_accuracy, 0.0);
        assert!(empty.slots.is_empty());
        assert_eq!(empty.mean_slot_f1, None);
    }

    #[test]
    fn averages_rates_and_totals_counts() {
        let gold = example(
            "Add",
            "add milk and eggs",
            &[("item", "milk"), ("other", "eggs")],
        );
        let good = predict(&gold, Some("Add"), &[("item", "milk"), ("other", "eggs")]);
        let half = predict(&gold, Some("Add"), &[("item", "milk")]);
        let bad = predict(&gold, None, &[]);
        let runs = [
            score([(&gold, &good)]),
            score([(&gold, &half), (&gold, &bad)]),
        ];
        // Run 1: accuracy 1, item F1 1, other F1 1, mean 1.
        // Run 2: accuracy 1/2; item tp 1 fn 1: P 1, R 1/2, F1 2/3; other fn 2: F1 0;
        // mean (2/3·2 + 0·2) / 4 = 1/3.
        assert!(close(runs[1].mean_slot_f1.unwrap(), 1.0 / 3.0));
        let avg = Report::average(&runs).unwrap();
        assert_eq!((avg.runs, avg.examples), (2, 3));
        assert!(close(avg.intent_accuracy, 0.75));
        assert!(close(avg.mean_slot_f1.unwrap(), 2.0 / 3.0));
        let item = avg.slots["item"];
        assert!(close(item.recall, 0.75) && close(item.f1, 5.0 / 6.0));
        assert_eq!((item.support, item.true_positives), (3, 2));
        assert_eq!(Report::average(&[]), None);
        assert_eq!(Report::average(&runs[..1]).unwrap(), runs[0]);
        assert_eq!(mean([1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(mean([]), None);
    }

    #[test]
    fn reports_serialize_as_the_cli_prints_them() {
        let gold = example("Add", "add milk", &[("item", "milk")]);
        let p = predict(&gold, Some("Add"), &[("item", "milk")]);
        let json = serde_json::to_value(score([(&gold, &p)])).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "runs": 1,
                "examples": 1,
                "intent_accuracy": 1.0,
                "slots": {"item": {
                    "precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1,
                    "true_positives": 1, "false_positives": 0, "false_negatives": 0
                }},
                "mean_slot_f1": 1.0
            })
        );
        let back: Report = serde_json::from_value(json).unwrap();
        assert_eq!(back.slots["item"].support, 1);
    }
}
