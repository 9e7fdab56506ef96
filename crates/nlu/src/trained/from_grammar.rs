//! Training examples sampled from a template grammar, so that a skill written only as templates
//! also gets a trained model.
//!
//! For each intent, sentences are expanded from its templates at random, with their slots
//! annotated as they are written: the walk goes over the parsed [`Expr`] tree itself, not over
//! the JSGF export that [`crate::lm`] samples, because that export keeps the words but forgets
//! which of them fill which slot. The key decisions:
//!
//! * **Coverage before frequency.** The templates of an intent are taken in turn (in a shuffled
//!   order), and at each alternative the sampler takes, half of the time, the choice it has taken
//!   least so far, as [`crate::lm`] does: rare branches get examples too. Duplicate sentences are
//!   dropped, so an intent with few distinct sentences gets fewer than asked.
//! * **Slot values.** A value list gives one of its values, as said (one expansion of its `in`
//!   template); a range gives a number in it, in digits or in words; a built-in entity list
//!   (`{duration}`, `{datetime}`, ...) gives a phrase of the kind people say ("five minutes",
//!   "tomorrow at 7", "every weekday"), each of which hark's entity parser reads (a test checks
//!   thousands); a wildcard gives a few plausible words, chosen by the list's or the slot's name
//!   (an item is "olive oil", a location "lyon"). A list no grammar file defines is filled at
//!   run time (a device's name, say): templates that need one are left out.
//! * **Entity names.** A slot from a grammar list is annotated with the list's name, and
//!   [`entities`] gives its values: a value list's values with their spoken forms, a range's
//!   numbers in digits and words, a wildcard's sampled phrases (an extensible entity). A slot
//!   from a built-in entity list is annotated with the entity's name
//!   ([`EntityKind::name`]), which is no entry of [`Dataset::entities`].
//! * **What is not annotated.** Slot values a template group sets without words (`slots:
//!   {all: true}`) are no span of the sentence, so the examples do not carry them; nor do
//!   examples know of `requires_context`.
//! * **Deterministic.** The same grammar, count and seed give the same examples; each intent's
//!   sentences depend only on the seed and that intent, so adding an intent to a grammar does
//!   not change the others'.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::entity::EntityKind;
use crate::grammar::{Grammar, RangeList, SlotList};
use crate::random::{least_taken, Rng};
use crate::template::Expr;

use super::data::{Dataset, Entity, Example, SlotSpan};

/// Up to `per_intent` distinct annotated sentences for each intent of `grammar`, intents in
/// name order.
pub fn examples(grammar: &Grammar, per_intent: usize, seed: u64) -> Vec<Example> {
    let mut out = Vec::new();
    for (intent, groups) in &grammar.intents {
        let mut sampler = Sampler::new(grammar, seed ^ super::features::hash(intent.as_str()));
        let mut templates: Vec<&Expr> = groups
            .iter()
            .flat_map(|g| g.sentences.iter().map(|(_, expr)| expr))
            .collect();
        templates.retain(|&t| sampler.viable(t));
        if templates.is_empty() || per_intent == 0 {
            continue;
        }
        sampler.rng.shuffle(&mut templates);
        let mut seen = HashSet::new();
        // Enough tries for a grammar whose sentences are many, few enough for one whose
        // sentences are all duplicates of each other.
        let tries = per_intent.saturating_mul(20).max(200);
        for attempt in 0..tries {
            if seen.len() == per_intent {
                break;
            }
            let mut sentence = Sentence::default();
            sampler.expr(templates[attempt % templates.len()], &mut sentence, 0);
            if !sentence.text.is_empty() && seen.insert(sentence.text.clone()) {
                out.push(Example {
                    intent: intent.clone(),
                    text: sentence.text,
                    slots: sentence.slots,
                });
            }
        }
    }
    out
}

/// The entity types of `examples` that come from lists of `grammar`, with their values.
///
/// A value list is a closed entity: each value's output first (its JSON text when the output is
/// no string), then every way the list says it. A range is a closed entity of its numbers, each
/// in digits and in words; the range's multiplier is not applied, so a value is the number said.
/// A wildcard is an extensible entity whose values are the phrases the examples use. Built-in
/// entity kinds and names that are no list of `grammar` are left out.
pub fn entities(grammar: &Grammar, examples: &[Example]) -> BTreeMap<String, Entity> {
    let mut used: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for example in examples {
        for slot in &example.slots {
            if let Some(value) = example.text.get(slot.start..slot.end) {
                used.entry(slot.entity.as_str()).or_default().insert(value);
            }
        }
    }
    let mut out = BTreeMap::new();
    for (name, values) in used {
        let Some(list) = grammar.lists.get(name) else {
            continue;
        };
        let entity = match list {
            SlotList::Values(list) => Entity {
                values: list
                    .iter()
                    .map(|value| {
                        let output = match &value.output {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        let mut synonyms = vec![output];
                        for said in expansions(&value.input, MAX_SYNONYMS) {
                            if !synonyms.contains(&said) {
                                synonyms.push(said);
                            }
                        }
                        synonyms
                    })
                    .collect(),
                extensible: false,
            },
            SlotList::Range(range) => {
                let count = range_count(range);
                Entity {
                    values: (0..count.min(MAX_RANGE_VALUES))
                        .map(|i| {
                            let n = range.from + i as f64 * range.step;
                            let mut said = vec![digits(n)];
                            said.extend(number_words(n));
                            said
                        })
                        .collect(),
                    extensible: count > MAX_RANGE_VALUES,
                }
            }
            SlotList::Wildcard => Entity {
                values: values.into_iter().map(|v| vec![v.to_string()]).collect(),
                extensible: true,
            },
        };
        out.insert(name.to_string(), entity);
    }
    out
}

/// [`examples`] and their [`entities`] as one dataset.
pub fn dataset(grammar: &Grammar, per_intent: usize, seed: u64) -> Dataset {
    let examples = examples(grammar, per_intent, seed);
    let entities = entities(grammar, &examples);
    Dataset { examples, entities }
}

/// The most spoken forms listed for one value of a value list.
const MAX_SYNONYMS: usize = 32;
/// The most numbers listed for a range; a longer range is an extensible entity.
const MAX_RANGE_VALUES: usize = 10_000;
/// Deeper than any grammar nests rules: a guard for grammars that were never checked.
const MAX_DEPTH: usize = 200;

/// A sentence being written: single spaces between words, slots as spans of it.
#[derive(Debug, Default)]
struct Sentence {
    text: String,
    /// Whether a space is due before the next character written.
    space: bool,
    slots: Vec<SlotSpan>,
}

impl Sentence {
    /// Appends template text; runs of whitespace become one space, none at either end.
    fn push(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.text.is_empty() {
                    self.text.push(' ');
                }
                self.space = false;
                self.text.push(c);
            }
        }
    }

    /// Appends a slot's value (already single-spaced) and records its span.
    fn slot(&mut self, slot: &str, entity: &str, value: &str) {
        if self.space && !self.text.is_empty() && !value.is_empty() {
            self.text.push(' ');
            self.space = false;
        }
        let start = self.text.len();
        self.push(value);
        if self.text.len() > start {
            self.slots.push(SlotSpan {
                slot: slot.to_string(),
                entity: entity.to_string(),
                start,
                end: self.text.len(),
            });
        }
    }
}

/// A place where the sampler chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Choice<'g> {
    /// An alternative, by its node's address.
    Alt(*const Expr),
    /// The values of a list, by the list's name.
    List(&'g str),
}

struct Sampler<'g> {
    grammar: &'g Grammar,
    rng: Rng,
    /// Times each choice was taken: a rule's nodes are the same wherever it is used, and so
    /// are a list's values.
    taken: HashMap<Choice<'g>, Vec<u32>>,
    /// Whether a node has a sentence, by its address.
    viable: HashMap<*const Expr, bool>,
}

impl<'g> Sampler<'g> {
    fn new(grammar: &'g Grammar, seed: u64) -> Self {
        Sampler {
            grammar,
            rng: Rng::new(seed),
            taken: HashMap::new(),
            viable: HashMap::new(),
        }
    }

    /// Whether `expr` has at least one sentence: every list it needs has a value.
    fn viable(&mut self, expr: &'g Expr) -> bool {
        let key = expr as *const Expr;
        if let Some(&v) = self.viable.get(&key) {
            return v;
        }
        // Until known, a node on its own path has no sentence: a rule that refers to itself
        // is no way out.
        self.viable.insert(key, false);
        let v = match expr {
            Expr::Text(_) => true,
            Expr::Seq(items) | Expr::Perm(items) => items.iter().all(|i| self.viable(i)),
            Expr::Alt(items) => items.iter().any(|i| self.viable(i)),
            Expr::List(r) => match self.grammar.lists.get(&r.list) {
                Some(SlotList::Values(values)) => !values.is_empty(),
                Some(SlotList::Range(range)) => range_count(range) > 0,
                Some(SlotList::Wildcard) => true,
                None => EntityKind::from_name(&r.list).is_some(),
            },
            Expr::Rule(name) => match self.grammar.rules.get(name) {
                Some(body) => self.viable(body),
                None => false,
            },
        };
        self.viable.insert(key, v);
        v
    }

    /// Half of the time the least taken of `choices` (the first of them after a random start),
    /// otherwise any; `size` is how many choices the node has in all.
    fn choose(&mut self, node: Choice<'g>, size: usize, choices: &[usize]) -> usize {
        let random = choices[self.rng.below(choices.len())];
        let explore = self.rng.below(2) == 0;
        let offset = self.rng.below(choices.len());
        let taken = self.taken.entry(node).or_insert_with(|| vec![0; size]);
        let pick = if explore {
            least_taken(taken, choices, offset)
        } else {
            random
        };
        taken[pick] += 1;
        pick
    }

    /// Writes one expansion of a viable `expr`.
    fn expr(&mut self, expr: &'g Expr, out: &mut Sentence, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match expr {
            Expr::Text(text) => out.push(text),
            Expr::Seq(items) => {
                for item in items {
                    self.expr(item, out, depth + 1);
                }
            }
            Expr::Alt(items) => {
                let choices: Vec<usize> = (0..items.len())
                    .filter(|&i| self.viable(&items[i]))
                    .collect();
                if !choices.is_empty() {
                    let pick = self.choose(Choice::Alt(expr), items.len(), &choices);
                    self.expr(&items[pick], out, depth + 1);
                }
            }
            Expr::Perm(items) => {
                let mut order: Vec<&Expr> = items.iter().collect();
                self.rng.shuffle(&mut order);
                for item in order {
                    out.space = true;
                    self.expr(item, out, depth + 1);
                    out.space = true;
                }
            }
            Expr::List(r) => {
                // The entity is the list's name, which is also a built-in entity's name.
                let value = self.value(&r.list, &r.slot, depth);
                out.slot(&r.slot, &r.list, &value);
            }
            Expr::Rule(name) => {
                if let Some(body) = self.grammar.rules.get(name) {
                    self.expr(body, out, depth + 1);
                }
            }
        }
    }

    /// A value of the list `list`, as said, for the slot `slot`.
    fn value(&mut self, list: &'g str, slot: &str, depth: usize) -> String {
        match self.grammar.lists.get(list) {
            Some(SlotList::Values(values)) => {
                let all: Vec<usize> = (0..values.len()).collect();
                let pick = self.choose(Choice::List(list), values.len(), &all);
                let mut said = Sentence::default();
                self.expr(&values[pick].input, &mut said, depth + 1);
                said.text
            }
            Some(SlotList::Range(range)) => {
                let count = range_count(range).min(1 << 20);
                let n = range.from + self.rng.below(count) as f64 * range.step;
                match number_words(n) {
                    Some(words) if self.rng.below(2) == 0 => words,
                    _ => digits(n),
                }
            }
            Some(SlotList::Wildcard) => {
                let pool = wildcard_pool(list, slot);
                pool[self.rng.below(pool.len())].to_string()
            }
            None => match EntityKind::from_name(list) {
                Some(kind) => phrase::entity(kind, &mut self.rng),
                None => String::new(),
            },
        }
    }
}

/// How many numbers a range holds.
fn range_count(range: &RangeList) -> usize {
    let steps = ((range.to - range.from) / range.step + 1e-9).floor();
    if steps.is_finite() && steps >= 0.0 {
        (steps as usize).saturating_add(1)
    } else {
        0
    }
}

/// A number in digits: "5", "2.5".
fn digits(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A whole number below a million in English words ("two hundred and five"), "minus" before a
/// negative one; `None` for any other number, and for one of more words than the matcher reads
/// as a range's number.
fn number_words(n: f64) -> Option<String> {
    /// `matcher::MAX_NUMBER_WORDS`.
    const MAX_WORDS: usize = 8;
    if n.fract() != 0.0 || n.abs() >= 1e6 {
        return None;
    }
    let words = phrase::words(n.abs() as u64);
    let words = if n < 0.0 {
        format!("minus {words}")
    } else {
        words
    };
    (words.split(' ').count() <= MAX_WORDS).then_some(words)
}

/// Every way `expr` can be said (a list value's `in`), up to `cap` of them, single-spaced.
/// A permutation is said in its written order only.
fn expansions(expr: &Expr, cap: usize) -> Vec<String> {
    fn go(expr: &Expr, cap: usize) -> Vec<String> {
        match expr {
            Expr::Text(text) => vec![text.clone()],
            Expr::Seq(items) | Expr::Perm(items) => {
                let glue = if matches!(expr, Expr::Perm(_)) {
                    " "
                } else {
                    ""
                };
                let mut out = vec![String::new()];
                for item in items {
                    let tails = go(item, cap);
                    let mut next = Vec::new();
                    'product: for head in &out {
                        for tail in &tails {
                            if next.len() == cap {
                                break 'product;
                            }
                            next.push(format!("{head}{glue}{tail}"));
                        }
                    }
                    out = next;
                }
                out
            }
            Expr::Alt(items) => items.iter().flat_map(|i| go(i, cap)).take(cap).collect(),
            // List values hold neither lists nor rules (the grammar refuses them).
            Expr::List(_) | Expr::Rule(_) => Vec::new(),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for said in go(expr, cap) {
        let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
        if !said.is_empty() && !out.contains(&said) {
            out.push(said);
        }
    }
    out
}

/// Plausible words for a wildcard, chosen by the first of the list's name and the slot's name
/// that says what it holds. Few values start with "the", which templates often write as an
/// optional word before a wildcard: the matcher takes it out of the slot where it can.
fn wildcard_pool(list: &str, slot: &str) -> &'static [&'static str] {
    const POOLS: &[(&[&str], &[&str])] = &[
        (
            &["item", "product", "thing"],
            &[
                "milk",
                "eggs",
                "bread",
                "olive oil",
                "paper towels",
                "coffee",
                "bananas",
                "dish soap",
                "tomatoes",
                "cheddar cheese",
            ],
        ),
        (
            &["task", "todo", "reminder", "message"],
            &[
                "call mum",
                "take the bins out",
                "water the plants",
                "book the dentist",
                "pick up the kids",
                "check the oven",
                "pay the electricity bill",
                "feed the cat",
            ],
        ),
        (
            &["location", "city", "place", "town", "where"],
            &[
                "lyon",
                "paris",
                "new york",
                "london",
                "tokyo",
                "berlin",
                "san francisco",
                "cape town",
            ],
        ),
        (
            &["artist", "band", "singer", "composer"],
            &[
                "the rolling stones",
                "adele",
                "queen",
                "miles davis",
                "taylor swift",
                "daft punk",
                "nina simone",
            ],
        ),
        (
            &[
                "query", "song", "album", "title", "media", "music", "track", "playlist",
            ],
            &[
                "abbey road",
                "jazz",
                "thriller",
                "bohemian rhapsody",
                "road trip",
                "classical",
                "lofi beats",
                "morning news",
            ],
        ),
        (
            &["device", "speaker", "room", "area", "zone"],
            &[
                "kitchen",
                "bedroom",
                "living room",
                "office",
                "bathroom",
                "garage",
            ],
        ),
        (
            &["list"],
            &[
                "christmas",
                "camping",
                "birthday party",
                "hardware store",
                "packing",
            ],
        ),
        (
            &["name", "label", "timer", "alarm"],
            &[
                "pasta", "eggs", "pizza", "laundry", "gym", "tea", "rice", "homework",
            ],
        ),
    ];
    const ANYTHING: &[&str] = &["garden", "blue", "pasta", "red box", "work"];
    [list, slot]
        .iter()
        .find_map(|name| {
            POOLS
                .iter()
                .find(|(keys, _)| keys.iter().any(|k| name.contains(k)))
                .map(|(_, pool)| *pool)
        })
        .unwrap_or(ANYTHING)
}

/// Phrases of the built-in entity kinds, as people say them.
///
/// Every shape here is one hark's entity parser reads; the tests below draw thousands and parse
/// each. Phrases never start with a connector ("at 7", "on monday"), which templates write
/// themselves, so that the slot's span is the same as the matcher's.
mod phrase {
    use crate::entity::EntityKind;
    use crate::random::Rng;

    const WEEKDAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    const MONTHS: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];

    /// One phrase of `kind`.
    pub(super) fn entity(kind: EntityKind, rng: &mut Rng) -> String {
        match kind {
            EntityKind::Number => number(rng.between(1, 100), rng),
            EntityKind::Ordinal => ordinal(rng.between(1, 31), rng),
            EntityKind::Duration => duration(rng),
            EntityKind::Time => time(rng),
            EntityKind::Date => date(rng),
            EntityKind::DateTime => datetime(rng),
            EntityKind::Recurrence => recurrence(rng),
        }
    }

    /// `n` in words: "twenty five", "one hundred and five", "two thousand three hundred".
    pub(super) fn words(n: u64) -> String {
        use crate::jsgf::{ONES as SMALL, TENS};
        match n {
            0..=19 => SMALL[n as usize].to_string(),
            20..=99 => match n % 10 {
                0 => TENS[(n / 10) as usize].to_string(),
                unit => format!("{} {}", TENS[(n / 10) as usize], SMALL[unit as usize]),
            },
            100..=999 => match n % 100 {
                0 => format!("{} hundred", SMALL[(n / 100) as usize]),
                rest => format!("{} hundred and {}", SMALL[(n / 100) as usize], words(rest)),
            },
            _ => {
                let (thousands, rest) = (n / 1000, n % 1000);
                match rest {
                    0 => format!("{} thousand", words(thousands)),
                    1..=99 => format!("{} thousand and {}", words(thousands), words(rest)),
                    _ => format!("{} thousand {}", words(thousands), words(rest)),
                }
            }
        }
    }

    /// `n` in digits or in words, at random.
    fn number(n: u64, rng: &mut Rng) -> String {
        if rng.below(2) == 0 {
            n.to_string()
        } else {
            words(n)
        }
    }

    /// `n` (1 to 31) as an ordinal: "3rd" or "third", "21st" or "twenty first".
    fn ordinal(n: u64, rng: &mut Rng) -> String {
        const WORDS: [&str; 20] = [
            "",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
        ];
        if rng.below(2) == 0 {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            return format!("{n}{suffix}");
        }
        match n {
            1..=19 => WORDS[n as usize].to_string(),
            20 => "twentieth".to_string(),
            21..=29 => format!("twenty {}", WORDS[(n - 20) as usize]),
            30 => "thirtieth".to_string(),
            _ => format!("thirty {}", WORDS[(n - 30) as usize]),
        }
    }

    /// A length of time: "five minutes", "an hour and a half", "2 hours and 15 minutes".
    fn duration(rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=4 => {
                let (unit, max) = [("second", 90), ("minute", 90), ("hour", 12)][rng.below(3)];
                quantity(rng.between(1, max), unit, rng)
            }
            5 => rng
                .pick(&[
                    "a minute",
                    "an hour",
                    "half an hour",
                    "an hour and a half",
                    "a minute and a half",
                    "quarter of an hour",
                    "a couple of minutes",
                    "a day",
                ])
                .to_string(),
            6 => {
                let unit = rng.pick(&["minutes", "hours"]);
                format!("{} and a half {unit}", number(rng.between(1, 9), rng))
            }
            7 => {
                let hours = quantity(rng.between(1, 3), "hour", rng);
                let minutes = quantity(rng.between(2, 59), "minute", rng);
                format!("{hours} and {minutes}")
            }
            8 => {
                let minutes = quantity(rng.between(1, 20), "minute", rng);
                let seconds = quantity(rng.between(2, 59), "second", rng);
                format!("{minutes} and {seconds}")
            }
            _ => format!("{} minutes", number(rng.between(2, 60), rng)),
        }
    }

    /// "an hour", "1 hour", "one hour", "25 minutes", "twenty five minutes".
    fn quantity(n: u64, unit: &str, rng: &mut Rng) -> String {
        if n == 1 {
            let article = if unit.starts_with('h') { "an" } else { "a" };
            let one = rng.pick(&[article, "1", "one"]);
            return format!("{one} {unit}");
        }
        format!("{} {unit}s", number(n, rng))
    }

    /// A time of day: "7:30", "half past seven", "six pm", "noon".
    fn time(rng: &mut Rng) -> String {
        let hour = rng.between(1, 12);
        let h = number(hour, rng);
        match rng.below(8) {
            0 => clock(rng),
            1 => format!("{h} {}", rng.pick(&["am", "pm"])),
            2 => format!("{} {}", words(hour), words(minutes(rng))),
            3 => {
                let before = rng.pick(&["half past", "quarter past", "quarter to", "ten past"]);
                format!("{before} {h}")
            }
            4 => format!(
                "{} {} {h}",
                rng.pick(&["five", "ten", "twenty", "twenty five"]),
                rng.pick(&["past", "to"])
            ),
            5 => rng.pick(&["noon", "midnight", "midday"]).to_string(),
            6 => format!("{} o'clock", words(hour)),
            _ => {
                let (part, from, to) = [
                    ("in the morning", 5, 11),
                    ("in the afternoon", 1, 5),
                    ("in the evening", 5, 11),
                ][rng.below(3)];
                format!("{} {part}", number(rng.between(from, to), rng))
            }
        }
    }

    /// "7:30", "6:45 pm", "10:15".
    fn clock(rng: &mut Rng) -> String {
        let hour = rng.between(1, 12);
        let minute = minutes(rng);
        match rng.below(3) {
            0 => format!("{hour}:{minute:02} {}", rng.pick(&["am", "pm"])),
            _ => format!("{hour}:{minute:02}"),
        }
    }

    /// A time that follows "at": "7", "7:30", "seven", "6 pm".
    fn at_time(rng: &mut Rng) -> String {
        let hour = rng.between(1, 12);
        match rng.below(4) {
            0 => hour.to_string(),
            1 => words(hour),
            2 => clock(rng),
            _ => format!("{hour} {}", rng.pick(&["am", "pm"])),
        }
    }

    /// A day: "tomorrow", "next friday", "december 3rd", "the 5th", "in 3 days".
    fn date(rng: &mut Rng) -> String {
        match rng.below(6) {
            0 => rng
                .pick(&[
                    "today",
                    "tomorrow",
                    "the day after tomorrow",
                    "this weekend",
                    "next weekend",
                    "next week",
                    "christmas",
                ])
                .to_string(),
            1 => rng.pick(WEEKDAYS).to_string(),
            2 => format!("{} {}", rng.pick(&["next", "this"]), rng.pick(WEEKDAYS)),
            3 => format!("the {}", ordinal(rng.between(1, 28), rng)),
            4 => {
                let month = rng.pick(MONTHS);
                let day = ordinal(rng.between(1, 28), rng);
                match rng.below(3) {
                    0 => format!("{month} {day}"),
                    1 => format!("{day} of {month}"),
                    _ => format!("{month} the {day}"),
                }
            }
            _ => match rng.below(3) {
                0 => "in a week".to_string(),
                _ => format!("in {} days", number(rng.between(2, 10), rng)),
            },
        }
    }

    /// An instant: a time, "in 20 minutes", "tomorrow at 7", "tomorrow morning".
    fn datetime(rng: &mut Rng) -> String {
        match rng.below(6) {
            0 | 1 => time(rng),
            2 => format!("in {}", duration(rng)),
            3 => {
                let day = match rng.below(3) {
                    0 => rng.pick(&["today", "tomorrow"]).to_string(),
                    1 => rng.pick(WEEKDAYS).to_string(),
                    _ => format!("next {}", rng.pick(WEEKDAYS)),
                };
                format!("{day} at {}", at_time(rng))
            }
            4 => rng
                .pick(&[
                    "tomorrow morning",
                    "tomorrow afternoon",
                    "tomorrow evening",
                    "tonight",
                    "this evening",
                    "this afternoon",
                ])
                .to_string(),
            _ => format!("{} from now", duration(rng)),
        }
    }

    /// A repeating rule: "every weekday", "every day at 7", "mondays and wednesdays".
    fn recurrence(rng: &mut Rng) -> String {
        let rule = match rng.below(6) {
            0 => rng
                .pick(&[
                    "every day",
                    "daily",
                    "every weekday",
                    "weekdays",
                    "every weekend",
                ])
                .to_string(),
            1 => format!("every {}", rng.pick(WEEKDAYS)),
            2 => format!("{}s", rng.pick(WEEKDAYS)),
            3 => {
                let first = rng.below(WEEKDAYS.len());
                let second = (first + 1 + rng.below(WEEKDAYS.len() - 1)) % WEEKDAYS.len();
                format!("every {} and {}", WEEKDAYS[first], WEEKDAYS[second])
            }
            // A part of the day or a step takes no time after it.
            4 => {
                return rng
                    .pick(&[
                        "every morning",
                        "every night",
                        "every evening",
                        "every other day",
                        "every weekday morning",
                    ])
                    .to_string()
            }
            _ => rng
                .pick(&["mondays and wednesdays", "tuesdays and thursdays"])
                .to_string(),
        };
        match rng.below(2) {
            0 => format!("{rule} at {}", at_time(rng)),
            _ => rule,
        }
    }

    /// Minutes people say after an hour.
    fn minutes(rng: &mut Rng) -> u64 {
        [15, 20, 30, 45, 10, 40, 50, 25][rng.below(8)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::{self, Context};
    use crate::template;

    fn grammar(yaml: &str) -> Grammar {
        let mut g = Grammar::default();
        g.add_source(std::path::Path::new("test.yaml"), yaml)
            .unwrap();
        g
    }

    #[test]
    fn every_entity_phrase_parses_as_its_kind() {
        let ctx = Context {
            now: "2026-11-25T08:00:00+01:00[Europe/Paris]".parse().unwrap(),
        };
        let mut rng = Rng::new(7);
        for kind in EntityKind::ALL {
            let mut failed = BTreeSet::new();
            for _ in 0..3000 {
                let said = phrase::entity(kind, &mut rng);
                let words = crate::text::words(&said);
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                if entity::parse(kind, &words, &ctx).is_none() {
                    failed.insert(said);
                }
            }
            assert!(failed.is_empty(), "{}: {failed:?}", kind.name());
        }
    }

    #[test]
    fn numbers_in_words_read_back() {
        for n in (0..2000).chain([10_000, 21_005, 100_000]) {
            let said = phrase::words(n);
            let words: Vec<&str> = said.split(' ').collect();
            assert_eq!(entity::parse_number(&words), Some(n as f64), "{said}");
        }
        assert_eq!(number_words(-5.0).as_deref(), Some("minus five"));
        assert_eq!(number_words(2.5), None);
        // Nine words: a range's number is at most eight.
        assert_eq!(number_words(777_777.0), None);
        assert_eq!(digits(2.5), "2.5");
        assert_eq!(digits(-3.0), "-3");
    }

    #[test]
    fn slots_are_spans_of_single_spaced_text() {
        let g = grammar(
            r#"
intents:
  Order:
    data:
      - sentences:
          - "[please] order  {count}   {food}[ now]"
lists:
  count: {range: {from: 2, to: 3}}
  food:
    values:
      - in: "(pasta|spaghetti)"
        out: pasta
      - "pizza"
"#,
        );
        let examples = examples(&g, 100, 1);
        // "please" or not, 2 counts said 2 ways, 3 foods, "now" or not.
        assert_eq!(examples.len(), 48);
        for e in &examples {
            assert!(!e.text.contains("  ") && e.text.trim() == e.text, "{e:?}");
            let values: Vec<&str> = e.slots.iter().map(|s| s.value(&e.text)).collect();
            assert_eq!(e.slots[0].entity, "count");
            assert!(["2", "3", "two", "three"].contains(&values[0]), "{e:?}");
            assert!(
                ["pasta", "spaghetti", "pizza"].contains(&values[1]),
                "{e:?}"
            );
        }
        let entities = entities(&g, &examples);
        assert_eq!(
            entities["food"],
            Entity {
                values: vec![
                    vec!["pasta".to_string(), "spaghetti".to_string()],
                    vec!["pizza".to_string()]
                ],
                extensible: false
            }
        );
        assert_eq!(entities["count"].values, [["2", "two"], ["3", "three"]]);
    }

    #[test]
    fn permutations_wildcards_entities_and_runtime_lists() {
        let g = grammar(
            r#"
intents:
  Remind:
    data:
      - sentences:
          - "remind me (to {task};{datetime:when})"
          - "tell {nobody_defined} something"
  Unknown:
    data:
      - sentences:
          - "ask {device}"
lists:
  task: {wildcard: true}
"#,
        );
        let examples = examples(&g, 30, 5);
        assert!(
            examples.iter().all(|e| e.intent == "Remind"),
            "{examples:?}"
        );
        assert_eq!(examples.len(), 30);
        let mut orders = BTreeSet::new();
        for e in &examples {
            let names: Vec<&str> = e.slots.iter().map(|s| s.slot.as_str()).collect();
            orders.insert(names.clone());
            let task = e.slots.iter().find(|s| s.slot == "task").unwrap();
            assert_eq!(task.entity, "task");
            assert!(wildcard_pool("task", "task").contains(&task.value(&e.text)));
            let when = e.slots.iter().find(|s| s.slot == "when").unwrap();
            assert_eq!(when.entity, "datetime");
        }
        assert_eq!(orders.len(), 2, "both orders of the permutation");
        let entities = entities(&g, &examples);
        assert!(entities["task"].extensible);
        assert!(!entities.contains_key("datetime"));
    }

    #[test]
    fn the_same_seed_gives_the_same_examples() {
        let g = crate::builtin::grammar("en").unwrap();
        let a = examples(&g, 20, 42);
        assert_eq!(a, examples(&g, 20, 42));
        assert_ne!(a, examples(&g, 20, 43));
        // An intent's sentences do not depend on the others.
        let mut alone = g.clone();
        alone.intents.retain(|name, _| name == "HassStartTimer");
        let timers: Vec<Example> = a
            .iter()
            .filter(|e| e.intent == "HassStartTimer")
            .cloned()
            .collect();
        assert_eq!(examples(&alone, 20, 42), timers);
    }

    #[test]
    fn expansions_of_list_values() {
        let e = template::parse("auto[matic] (mode|setting)").unwrap();
        assert_eq!(
            expansions(&e, 10),
            [
                "automatic mode",
                "automatic setting",
                "auto mode",
                "auto setting"
            ]
        );
        assert_eq!(expansions(&e, 3).len(), 3);
    }
}
