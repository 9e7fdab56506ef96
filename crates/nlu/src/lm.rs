//! A trigram language model of a grammar, in ARPA format, for a recognizer that decodes
//! against n-grams instead of a JSGF grammar.
//!
//! PocketSphinx inlines every JSGF rule reference into its own copy, so the whole built-in
//! grammar becomes a search graph of about 412,000 states that decodes at 3 to 5 times real
//! time (docs/grammar.md). An n-gram model of the same sentences is a few hundred kilobytes and
//! decodes in hundredths of real time; the voice notes measured it a little less accurate than
//! the grammar (94.7% against 96.8% on real coffee orders), and hark's matcher still decides what
//! the words mean. The key decisions:
//!
//! * **Sentences are sampled from the exported rule tree** ([`Jsgf::rules`], from
//!   [`PUBLIC_RULE`]), with a seeded generator so the same grammar always gives the same model.
//!   At each alternative the sampler takes, half of the time, the alternative it has taken least
//!   so far: rare branches (an intent with one template, the last list value) are visited as
//!   often as common ones, which pure random sampling of a large grammar would miss.
//! * **Interpolated Witten-Bell smoothing, written as back-off.** Each n-gram seen gets
//!   `(c(h, w) + T(h) p(w | h')) / (c(h) + T(h))`, where `T(h)` counts the distinct words seen
//!   after `h`, and the history's back-off weight is `T(h) / (c(h) + T(h))`, which makes every
//!   context's probabilities sum to 1 (a test checks it on the written text). Witten-Bell needs
//!   no count-of-counts, which sampled sentences (where every count is an artefact of the
//!   sample size) would make meaningless.
//! * **Every value of a list is in a sentence.** After the random sample, for each value of a
//!   list of values ([`Jsgf::value_lists`]) that no sentence took, one more sentence is drawn
//!   through it: from the public rule, choosing at each step among the alternatives that lead
//!   to the list (the least taken half of the time, as above), the rest sampled as usual. Names
//!   learnt at run time, such as a music library's 15,000 as `media_name` values, are otherwise
//!   half missed even by 100,000 sentences, and a name the model never saw whole is hard to hear
//!   (docs/benchmarks.md). The random sample comes first and stays the same, so a grammar whose
//!   lists it already covers (the built-in one) gets the same model, byte for byte.
//! * **The vocabulary is the grammar's** ([`Jsgf::vocabulary`]): a word of the grammar the
//!   sampler did not reach still gets a small unigram probability.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::rc::Rc;

use crate::grammar::Source;
use crate::jsgf::{Jsgf, Node, PUBLIC_RULE};
use crate::random::{least_taken, Rng};
use crate::Error;

/// The sentence start and end markers of the ARPA format.
pub const SENTENCE_START: &str = "<s>";
/// See [`SENTENCE_START`].
pub const SENTENCE_END: &str = "</s>";

/// How to build a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LmOptions {
    /// Sentences to sample. Default 50,000, as in the voice notes' measurement; hark-voice
    /// samples more for a large grammar (`hark_voice::WHOLE_GRAMMAR_SENTENCES`).
    pub sentences: usize,
    /// The sampler's seed: the same grammar, options and seed give the same text.
    pub seed: u64,
}

impl Default for LmOptions {
    fn default() -> Self {
        LmOptions {
            sentences: 50_000,
            seed: 0x6861_726b,
        }
    }
}

/// A model in ARPA format, and its sizes.
#[derive(Debug, Clone)]
pub struct Arpa {
    /// The ARPA text.
    pub text: String,
    /// Sentences the model counts: [`LmOptions::sentences`] drawn at random, and
    /// [`Arpa::covering`] more.
    pub sentences: usize,
    /// Sentences added after the random sample, one for each value of a slot list that it
    /// lacked, so that the recognizer can hear every value whole.
    pub covering: usize,
    /// Unigrams written (the vocabulary with `<s>` and `</s>`).
    pub unigrams: usize,
    /// Bigrams written.
    pub bigrams: usize,
    /// Trigrams written.
    pub trigrams: usize,
}

/// Builds a trigram model of the sentences of `jsgf`'s public rule, with every value of its
/// lists ([`Jsgf::value_lists`]) in at least one of them.
///
/// An [`Error::Invalid`] when the public rule has no sentence (every alternative void).
pub fn build(jsgf: &Jsgf, options: &LmOptions) -> Result<Arpa, Error> {
    let lists: Vec<&str> = jsgf.value_lists.iter().map(String::as_str).collect();
    build_from_rules(&jsgf.rules, PUBLIC_RULE, &jsgf.vocabulary, &lists, options)
}

/// [`build`] from rules and a start rule, for rules that did not come from
/// [`crate::jsgf::export`]: every alternative of each rule named in `cover` is in a sentence
/// (none added when `cover` is empty, or when the random sample already has them all).
pub fn build_from_rules(
    rules: &BTreeMap<String, Node>,
    start: &str,
    vocabulary: &BTreeSet<String>,
    cover: &[&str],
    options: &LmOptions,
) -> Result<Arpa, Error> {
    let sample = sample(rules, start, cover, options)?;
    Ok(Counts::new(vocabulary, &sample).arpa())
}

/// The sentences a model is built from.
struct Sample {
    /// The random sample, then the covering sentences.
    sentences: Vec<Vec<String>>,
    /// How many of them cover a value the random sample lacked.
    covering: usize,
}

/// [`LmOptions::sentences`] random sentences of rule `start`, then, for each alternative of a
/// rule in `cover` that none of them took, one sentence through it. The random sample does not
/// depend on `cover`, so a grammar whose lists it covers already gets the same model as with no
/// list to cover.
fn sample(
    rules: &BTreeMap<String, Node>,
    start: &str,
    cover: &[&str],
    options: &LmOptions,
) -> Result<Sample, Error> {
    let mut sampler = Sampler::new(rules, options.seed);
    if !sampler.viable_rule(start) {
        return Err(Error::Invalid {
            at: Source::default(),
            message: format!("the rule <{start}> has no sentence to build a language model from"),
        });
    }
    sampler.count_visits(cover);
    let mut sentences = Vec::with_capacity(options.sentences);
    for _ in 0..options.sentences {
        let mut words = Vec::new();
        sampler.rule(start, &mut words, 0);
        sentences.push(words);
    }
    let random = sentences.len();
    for list in cover {
        sampler.cover(start, list, &mut sentences);
    }
    Ok(Sample {
        covering: sentences.len() - random,
        sentences,
    })
}

/// Deeper than any grammar export writes: a guard against recursive rules.
const MAX_DEPTH: usize = 200;

struct Sampler<'a> {
    rules: &'a BTreeMap<String, Node>,
    rng: Rng,
    /// Times each alternative (or an optional part's absence, index 0, and presence, 1) was
    /// taken, by the node's address in `rules`: a rule's nodes are the same wherever it is used.
    taken: HashMap<*const Node, Vec<u32>>,
    viable: HashMap<&'a str, bool>,
    /// Times each rule to cover whose body is no choice (a list of one value) was expanded:
    /// such a rule has no counters in `taken` to tell whether its value was sampled.
    visits: HashMap<&'a str, u32>,
    /// Whether a rule has a sentence through the rule being covered ([`Sampler::cover`]).
    reaches: HashMap<&'a str, bool>,
    /// [`Sampler::indices`] by node address and rule gone through: a list of 15,000 names is
    /// checked once, not value by value at each visit.
    indices: HashMap<(*const Node, Option<&'a str>), Rc<[usize]>>,
}

impl<'a> Sampler<'a> {
    fn new(rules: &'a BTreeMap<String, Node>, seed: u64) -> Self {
        Sampler {
            rules,
            rng: Rng::new(seed),
            taken: HashMap::new(),
            viable: HashMap::new(),
            visits: HashMap::new(),
            reaches: HashMap::new(),
            indices: HashMap::new(),
        }
    }

    /// Starts counting the expansions of those of `rules` that [`Sampler::taken`] cannot tell
    /// about (see [`Sampler::visits`]).
    fn count_visits(&mut self, rules: &[&str]) {
        for name in rules {
            if let Some((key, body)) = self.rules.get_key_value(*name) {
                if choice(body).is_none() {
                    self.visits.insert(key.as_str(), 0);
                }
            }
        }
    }

    /// Whether some sentence so far took the alternative `value` of rule `name`.
    fn taken(&self, name: &str, value: usize) -> bool {
        let Some(body) = self.rules.get(name) else {
            return true;
        };
        match choice(body) {
            Some(choice) => self
                .taken
                .get(&(choice.node as *const Node))
                .is_some_and(|counts| counts[choice.first + value] > 0),
            None => self.visits.get(name).is_some_and(|&n| n > 0),
        }
    }

    /// Appends to `sentences` one sentence from `start` through each alternative of rule
    /// `list` that no sentence took yet, its other choices made as in the random sample.
    fn cover(&mut self, start: &str, list: &str, sentences: &mut Vec<Vec<String>>) {
        self.reaches.clear();
        let (Some(body), Some((list, list_body))) =
            (self.rules.get(start), self.rules.get_key_value(list))
        else {
            return;
        };
        if !self.reaches_rule(start, list) {
            return;
        }
        let values: &[Node] = match choice(list_body) {
            Some(choice) => choice.values,
            None => std::slice::from_ref(list_body),
        };
        for (value, node) in values.iter().enumerate() {
            // Checked in turn: a sentence added for one value may hold another.
            if !self.taken(list, value) && self.viable_node(node) {
                let mut words = Vec::new();
                self.through(body, list, value, &mut words, 1);
                sentences.push(words);
            }
        }
    }

    /// Whether rule `name` has a sentence through rule `target` (the one being covered).
    fn reaches_rule(&mut self, name: &str, target: &str) -> bool {
        let Some((key, node)) = self.rules.get_key_value(name) else {
            return false;
        };
        if let Some(r) = self.reaches.get(key.as_str()) {
            return *r;
        }
        self.reaches.insert(key.as_str(), false);
        let r = self.reaches_node(node, target);
        self.reaches.insert(key.as_str(), r);
        r
    }

    fn reaches_node(&mut self, node: &'a Node, target: &str) -> bool {
        match node {
            Node::Word(_) | Node::Void => false,
            Node::Seq(items) => {
                items.iter().all(|n| self.viable_node(n))
                    && items.iter().any(|n| self.reaches_node(n, target))
            }
            Node::Alt(items) => items.iter().any(|n| self.reaches_node(n, target)),
            Node::Opt(inner) | Node::Repeat(inner) => self.reaches_node(inner, target),
            Node::Rule(name) if name == target => self.viable_rule(name),
            Node::Rule(name) => self.reaches_rule(name, target),
        }
    }

    /// The indices of `items`, the parts or alternatives of `node`, that have a sentence, or,
    /// with `through`, a sentence through that rule.
    fn indices(
        &mut self,
        node: &'a Node,
        items: &'a [Node],
        through: Option<&'a str>,
    ) -> Rc<[usize]> {
        let key = (node as *const Node, through);
        if let Some(found) = self.indices.get(&key) {
            return Rc::clone(found);
        }
        let found: Rc<[usize]> = (0..items.len())
            .filter(|&i| match through {
                None => self.viable_node(&items[i]),
                Some(target) => self.reaches_node(&items[i], target),
            })
            .collect();
        self.indices.insert(key, Rc::clone(&found));
        found
    }

    /// Appends one expansion of `node` that goes through rule `target` and takes its
    /// alternative `value` there; everything else is sampled as [`Sampler::node`] does.
    fn through(
        &mut self,
        node: &'a Node,
        target: &'a str,
        value: usize,
        out: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match node {
            Node::Rule(name) => {
                let Some(body) = self.rules.get(name) else {
                    return;
                };
                if name == target {
                    self.visit(name);
                    self.value(body, value, out, depth + 1);
                } else {
                    self.through(body, target, value, out, depth + 1);
                }
            }
            Node::Seq(items) => {
                let carriers = self.indices(node, items, Some(target));
                if carriers.is_empty() {
                    return;
                }
                let carrier = carriers[self.rng.below(carriers.len())];
                for (i, item) in items.iter().enumerate() {
                    if i == carrier {
                        self.through(item, target, value, out, depth);
                    } else {
                        self.node(item, out, depth);
                    }
                }
            }
            Node::Alt(items) => {
                let carriers = self.indices(node, items, Some(target));
                if !carriers.is_empty() {
                    let pick = self.choose(node, items.len(), &carriers);
                    self.through(&items[pick], target, value, out, depth);
                }
            }
            Node::Opt(inner) | Node::Repeat(inner) => {
                self.through(inner, target, value, out, depth)
            }
            Node::Word(_) | Node::Void => {}
        }
    }

    /// Appends alternative `value` of a rule's `body`, counted as taken.
    fn value(&mut self, body: &'a Node, value: usize, out: &mut Vec<String>, depth: usize) {
        match choice(body) {
            Some(choice) => {
                self.taken
                    .entry(choice.node as *const Node)
                    .or_insert_with(|| vec![0; choice.counters])[choice.first + value] += 1;
                self.node(&choice.values[value], out, depth);
            }
            None => self.node(body, out, depth),
        }
    }

    /// Counts an expansion of rule `name`, if it is one [`Sampler::visits`] counts.
    fn visit(&mut self, name: &str) {
        if let Some(n) = self.visits.get_mut(name) {
            *n += 1;
        }
    }

    /// Whether the rule has at least one sentence (a reference to itself counts as none).
    fn viable_rule(&mut self, name: &str) -> bool {
        let Some((key, node)) = self.rules.get_key_value(name) else {
            return false;
        };
        if let Some(v) = self.viable.get(key.as_str()) {
            return *v;
        }
        self.viable.insert(key.as_str(), false);
        let v = self.viable_node(node);
        self.viable.insert(key.as_str(), v);
        v
    }

    fn viable_node(&mut self, node: &'a Node) -> bool {
        match node {
            Node::Word(_) | Node::Opt(_) => true,
            Node::Seq(items) => items.iter().all(|n| self.viable_node(n)),
            Node::Alt(items) => items.iter().any(|n| self.viable_node(n)),
            Node::Rule(name) => self.viable_rule(name),
            Node::Repeat(inner) => self.viable_node(inner),
            Node::Void => false,
        }
    }

    /// Half of the time the least taken choice (the first of them after a random start),
    /// otherwise any, among `choices` (indices into the node's counters of `size`).
    fn choose(&mut self, node: &Node, size: usize, choices: &[usize]) -> usize {
        let random = choices[self.rng.below(choices.len())];
        let explore = self.rng.coin(0.5);
        let offset = self.rng.below(choices.len());
        let taken = self
            .taken
            .entry(node as *const Node)
            .or_insert_with(|| vec![0; size]);
        let pick = if explore {
            least_taken(taken, choices, offset)
        } else {
            random
        };
        taken[pick] += 1;
        pick
    }

    fn rule(&mut self, name: &str, out: &mut Vec<String>, depth: usize) {
        if depth > MAX_DEPTH || !self.viable_rule(name) {
            return;
        }
        if let Some(node) = self.rules.get(name) {
            self.visit(name);
            self.node(node, out, depth + 1);
        }
    }

    /// Appends one expansion of a viable node to `out`.
    fn node(&mut self, node: &'a Node, out: &mut Vec<String>, depth: usize) {
        match node {
            Node::Word(w) => out.extend(w.split_whitespace().map(str::to_owned)),
            Node::Seq(items) => {
                for item in items {
                    self.node(item, out, depth);
                }
            }
            Node::Alt(items) => {
                let choices = self.indices(node, items, None);
                if !choices.is_empty() {
                    let pick = self.choose(node, items.len(), &choices);
                    self.node(&items[pick], out, depth);
                }
            }
            Node::Opt(inner) => {
                if self.viable_node(inner) && self.choose(node, 2, &[0, 1]) == 1 {
                    self.node(inner, out, depth);
                }
            }
            Node::Rule(name) => self.rule(name, out, depth),
            Node::Repeat(inner) => {
                self.node(inner, out, depth);
                // Mostly once, sometimes up to four times.
                for _ in 0..3 {
                    if !self.rng.coin(0.3) {
                        break;
                    }
                    self.node(inner, out, depth);
                }
            }
            Node::Void => {}
        }
    }
}

/// Where the sampler counts the choices among a rule's alternatives ([`Sampler::taken`]).
struct Choice<'n> {
    /// The node whose counters they are.
    node: &'n Node,
    /// How many counters it has.
    counters: usize,
    /// The counter of the first alternative: an optional part counts its absence first.
    first: usize,
    /// The alternatives.
    values: &'n [Node],
}

/// The choice among a rule body's alternatives: the body's, or, for an optional body (a list
/// with an empty value), its inner part's; `None` for a body of one alternative.
fn choice(body: &Node) -> Option<Choice<'_>> {
    match body {
        Node::Alt(values) => Some(Choice {
            node: body,
            counters: values.len(),
            first: 0,
            values,
        }),
        Node::Opt(inner) if matches!(**inner, Node::Alt(_)) => choice(inner),
        Node::Opt(inner) => Some(Choice {
            node: body,
            counters: 2,
            first: 1,
            values: std::slice::from_ref(&**inner),
        }),
        _ => None,
    }
}

/// Word ids are positions in `words`, which is sorted, so n-grams sorted by id are sorted as
/// the ARPA readers expect.
struct Counts {
    words: Vec<String>,
    start: u32,
    unigrams: Vec<u64>,
    bigrams: BTreeMap<(u32, u32), u64>,
    trigrams: BTreeMap<(u32, u32, u32), u64>,
    sentences: usize,
    covering: usize,
}

impl Counts {
    fn new(vocabulary: &BTreeSet<String>, sample: &Sample) -> Counts {
        let sentences = &sample.sentences;
        let mut all: BTreeSet<&str> = vocabulary.iter().map(String::as_str).collect();
        all.extend(sentences.iter().flatten().map(String::as_str));
        all.insert(SENTENCE_START);
        all.insert(SENTENCE_END);
        let words: Vec<String> = all.into_iter().map(str::to_owned).collect();
        let ids: HashMap<&str, u32> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_str(), i as u32))
            .collect();
        let start = ids[SENTENCE_START];
        let end = ids[SENTENCE_END];
        let mut counts = Counts {
            unigrams: vec![0; words.len()],
            bigrams: BTreeMap::new(),
            trigrams: BTreeMap::new(),
            start,
            words: Vec::new(),
            sentences: sentences.len(),
            covering: sample.covering,
        };
        for sentence in sentences {
            let mut s = vec![start];
            s.extend(sentence.iter().map(|w| ids[w.as_str()]));
            s.push(end);
            for (i, &w) in s.iter().enumerate().skip(1) {
                counts.unigrams[w as usize] += 1;
                *counts.bigrams.entry((s[i - 1], w)).or_default() += 1;
                if i >= 2 {
                    *counts.trigrams.entry((s[i - 2], s[i - 1], w)).or_default() += 1;
                }
            }
        }
        counts.words = words;
        counts
    }

    fn arpa(&self) -> Arpa {
        let n = self.words.len();
        // Unigrams: Witten-Bell against the uniform distribution over every word but <s>.
        let total: u64 = self.unigrams.iter().sum();
        let seen = self.unigrams.iter().filter(|&&c| c > 0).count() as f64;
        let uniform = 1.0 / (n - 1) as f64;
        let p1: Vec<f64> = (0..n)
            .map(|w| {
                if w as u32 == self.start {
                    0.0
                } else {
                    (self.unigrams[w] as f64 + seen * uniform) / (total as f64 + seen)
                }
            })
            .collect();
        // Histories: count and distinct followers.
        let mut h1: HashMap<u32, (u64, u64)> = HashMap::new();
        for (&(v, _), &c) in &self.bigrams {
            let e = h1.entry(v).or_default();
            e.0 += c;
            e.1 += 1;
        }
        let mut h2: HashMap<(u32, u32), (u64, u64)> = HashMap::new();
        for (&(u, v, _), &c) in &self.trigrams {
            let e = h2.entry((u, v)).or_default();
            e.0 += c;
            e.1 += 1;
        }
        let backoff = |(c, t): (u64, u64)| t as f64 / (c + t) as f64;
        let p2: BTreeMap<(u32, u32), f64> = self
            .bigrams
            .iter()
            .map(|(&(v, w), &c)| {
                let (hc, ht) = h1[&v];
                let p = (c as f64 + ht as f64 * p1[w as usize]) / (hc + ht) as f64;
                ((v, w), p)
            })
            .collect();

        let mut text = String::new();
        let _ = writeln!(text, "\\data\\");
        let _ = writeln!(text, "ngram 1={n}");
        let _ = writeln!(text, "ngram 2={}", self.bigrams.len());
        let _ = writeln!(text, "ngram 3={}", self.trigrams.len());
        let _ = writeln!(text, "\n\\1-grams:");
        for (w, word) in self.words.iter().enumerate() {
            let p = if p1[w] > 0.0 { p1[w].log10() } else { -99.0 };
            let _ = match h1.get(&(w as u32)) {
                Some(&h) => writeln!(text, "{p:.6}\t{word}\t{:.6}", backoff(h).log10()),
                None => writeln!(text, "{p:.6}\t{word}"),
            };
        }
        let _ = writeln!(text, "\n\\2-grams:");
        for (&(v, w), &p) in &p2 {
            let (a, b) = (&self.words[v as usize], &self.words[w as usize]);
            let _ = match h2.get(&(v, w)) {
                Some(&h) => writeln!(text, "{:.6}\t{a} {b}\t{:.6}", p.log10(), backoff(h).log10()),
                None => writeln!(text, "{:.6}\t{a} {b}", p.log10()),
            };
        }
        let _ = writeln!(text, "\n\\3-grams:");
        for (&(u, v, w), &c) in &self.trigrams {
            let (hc, ht) = h2[&(u, v)];
            let p = (c as f64 + ht as f64 * p2[&(v, w)]) / (hc + ht) as f64;
            let _ = writeln!(
                text,
                "{:.6}\t{} {} {}",
                p.log10(),
                self.words[u as usize],
                self.words[v as usize],
                self.words[w as usize]
            );
        }
        let _ = writeln!(text, "\n\\end\\");
        Arpa {
            text,
            sentences: self.sentences,
            covering: self.covering,
            unigrams: n,
            bigrams: self.bigrams.len(),
            trigrams: self.trigrams.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsgf;

    /// An ARPA model read back: log10 probabilities and back-off weights by n-gram.
    struct Model {
        words: Vec<String>,
        prob: HashMap<Vec<String>, f64>,
        bow: HashMap<Vec<String>, f64>,
        counts: Vec<usize>,
    }

    fn read(text: &str) -> Model {
        let mut model = Model {
            words: Vec::new(),
            prob: HashMap::new(),
            bow: HashMap::new(),
            counts: Vec::new(),
        };
        let mut order = 0;
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("ngram ") {
                let (_, count) = n.split_once('=').unwrap();
                model.counts.push(count.parse().unwrap());
            } else if line.ends_with("-grams:") {
                order = line[1..2].parse().unwrap();
            } else if order > 0 && !line.trim().is_empty() && !line.starts_with('\\') {
                let fields: Vec<&str> = line.split('\t').collect();
                let ngram: Vec<String> = fields[1].split(' ').map(str::to_owned).collect();
                assert_eq!(ngram.len(), order, "{line}");
                if order == 1 {
                    model.words.push(ngram[0].clone());
                }
                model.prob.insert(ngram.clone(), fields[0].parse().unwrap());
                if let Some(b) = fields.get(2) {
                    model.bow.insert(ngram, b.parse().unwrap());
                }
            }
        }
        model
    }

    impl Model {
        /// P(w | history) by back-off, as a decoder computes it.
        fn p(&self, history: &[String], w: &str) -> f64 {
            let mut ngram = history.to_vec();
            ngram.push(w.to_owned());
            if let Some(p) = self.prob.get(&ngram) {
                return 10f64.powf(*p);
            }
            let bow = self.bow.get(history).copied().unwrap_or(0.0);
            10f64.powf(bow) * self.p(&history[1..], w)
        }

        /// The largest |1 - sum of P(w | h)| over the unigram context and every history of
        /// the model (every `step`-th one).
        fn worst_normalization(&self, step: usize) -> f64 {
            let mut histories: Vec<Vec<String>> = vec![Vec::new()];
            let mut written: Vec<&Vec<String>> = self.bow.keys().collect();
            written.sort();
            histories.extend(written.into_iter().step_by(step).cloned());
            histories
                .iter()
                .map(|h| {
                    let sum: f64 = self
                        .words
                        .iter()
                        .filter(|w| *w != SENTENCE_START)
                        .map(|w| self.p(h, w))
                        .sum();
                    (1.0 - sum).abs()
                })
                .fold(0.0, f64::max)
        }
    }

    const SMALL: &str = "#JSGF V1.0;\ngrammar t;\n\
        public <command> = [please] (set a timer for <n> minutes | what time is it | stop [it]);\n\
        <n> = one | two | three | <VOID>;\n";

    fn small() -> (BTreeMap<String, Node>, BTreeSet<String>) {
        let (_, rules) = jsgf::parse(SMALL).unwrap();
        let vocabulary = "please set a timer for one two three minutes what time is it stop never"
            .split(' ')
            .map(str::to_owned)
            .collect();
        (rules, vocabulary)
    }

    #[test]
    fn every_context_sums_to_one() {
        let (rules, vocabulary) = small();
        let options = LmOptions {
            sentences: 500,
            ..LmOptions::default()
        };
        let arpa = build_from_rules(&rules, "command", &vocabulary, &[], &options).unwrap();
        let model = read(&arpa.text);
        assert_eq!(
            model.counts,
            [arpa.unigrams, arpa.bigrams, arpa.trigrams],
            "the header counts what is written"
        );
        assert_eq!(arpa.unigrams, 17, "the vocabulary, <s> and </s>");
        assert!(model.worst_normalization(1) < 1e-4);
        // A word of the vocabulary no sentence has is possible, but unlikely.
        let never = model.p(&["what".into(), "time".into()], "never");
        assert!(never > 0.0 && never < 0.01, "{never}");
        assert!(model.p(&["what".into(), "time".into()], "is") > 0.9);
        assert_eq!(model.prob[&vec![SENTENCE_START.to_owned()]], -99.0);
        assert!(arpa.text.starts_with("\\data\\\n") && arpa.text.ends_with("\\end\\\n"));
    }

    #[test]
    fn the_same_seed_gives_the_same_model_and_void_is_never_sampled() {
        let (rules, vocabulary) = small();
        let options = LmOptions {
            sentences: 200,
            ..LmOptions::default()
        };
        let a = build_from_rules(&rules, "command", &vocabulary, &[], &options).unwrap();
        let b = build_from_rules(&rules, "command", &vocabulary, &[], &options).unwrap();
        assert_eq!(a.text, b.text);
        assert!(!a.text.contains("VOID"));
        let other = LmOptions { seed: 7, ..options };
        let c = build_from_rules(&rules, "command", &vocabulary, &[], &other).unwrap();
        assert_ne!(a.text, c.text);
    }

    #[test]
    fn a_grammar_without_sentences_is_refused() {
        let (_, rules) =
            jsgf::parse("#JSGF V1.0;\ngrammar t;\npublic <command> = <VOID>;\n").unwrap();
        let error = build_from_rules(
            &rules,
            "command",
            &BTreeSet::new(),
            &[],
            &LmOptions::default(),
        );
        assert!(matches!(error, Err(Error::Invalid { .. })));
    }

    #[test]
    fn the_builtin_grammar_is_covered_and_normalized() {
        let grammar = crate::builtin::grammar("en").unwrap();
        let exported = jsgf::export(&grammar, &jsgf::Options::default()).unwrap();
        let arpa = build(&exported, &LmOptions::default()).unwrap();
        eprintln!(
            "{} sentences: {} unigrams, {} bigrams, {} trigrams, {} bytes",
            arpa.sentences,
            arpa.unigrams,
            arpa.bigrams,
            arpa.trigrams,
            arpa.text.len()
        );
        let model = read(&arpa.text);
        // Words the sampler reached have a bigram after <s> or after some word.
        let reached: BTreeSet<&str> = model
            .prob
            .keys()
            .filter(|k| k.len() == 2)
            .map(|k| k[1].as_str())
            .collect();
        let missed: Vec<&String> = exported
            .vocabulary
            .iter()
            .filter(|w| !reached.contains(w.as_str()))
            .collect();
        assert!(missed.is_empty(), "never sampled: {missed:?}");
        assert!(model.worst_normalization(97) < 1e-4);
    }

    /// A grammar whose list `<names>` has far more values than a small sample takes, a list
    /// with an empty value (`<sound>`) and one of a single value (`<tone>`).
    fn lists(names: usize) -> BTreeMap<String, Node> {
        let values: Vec<String> = (0..names).map(|i| format!("a{i} b{i}")).collect();
        let text = format!(
            "#JSGF V1.0;\ngrammar t;\n\
             public <command> = [please] (play <names> [by <names>] | wake me [with <sound>] \
             [and <tone>] | stop);\n<names> = {};\n<sound> = [bells | birds];\n<tone> = beep;\n",
            values.join(" | ")
        );
        jsgf::parse(&text).unwrap().1
    }

    /// Whether some sentence holds `value`'s words in a row.
    fn holds(sentences: &[Vec<String>], value: &[&str]) -> bool {
        sentences
            .iter()
            .any(|s| s.windows(value.len()).any(|w| w == value))
    }

    #[test]
    fn every_value_of_a_list_is_in_a_sentence_of_the_grammar() {
        let rules = lists(2_000);
        let options = LmOptions {
            sentences: 300,
            ..LmOptions::default()
        };
        let name = |i: usize| [format!("a{i}"), format!("b{i}")];
        let plain = sample(&rules, "command", &[], &options).unwrap();
        let missed = (0..2_000)
            .filter(|&i| !holds(&plain.sentences, &name(i).each_ref().map(String::as_str)))
            .count();
        assert!(
            missed > 1_000,
            "the random sample alone lacks most names: {missed}"
        );
        assert_eq!(plain.covering, 0);

        let covered = sample(&rules, "command", &["names", "sound", "tone"], &options).unwrap();
        assert_eq!(
            covered.sentences[..300],
            plain.sentences[..],
            "the random sample is the same"
        );
        assert!(
            covered.covering > 0 && covered.covering <= missed,
            "one sentence at most for each name missed ({missed}): {}",
            covered.covering
        );
        assert_eq!(covered.sentences.len(), 300 + covered.covering);
        for i in 0..2_000 {
            let name = name(i);
            assert!(
                holds(&covered.sentences, &name.each_ref().map(String::as_str)),
                "{name:?}"
            );
        }
        for sentence in &covered.sentences[300..] {
            let words: Vec<&str> = sentence.iter().map(String::as_str).collect();
            assert!(jsgf::accepts(&rules, "command", &words), "{words:?}");
        }
    }

    #[test]
    fn with_no_random_sentence_every_kind_of_list_is_still_covered() {
        let rules = lists(3);
        let options = LmOptions {
            sentences: 0,
            ..LmOptions::default()
        };
        let covered = sample(&rules, "command", &["names", "sound", "tone"], &options).unwrap();
        for value in [["a0", "b0"], ["a1", "b1"], ["a2", "b2"]] {
            assert!(holds(&covered.sentences, &value), "{value:?}");
        }
        for value in ["bells", "birds", "beep"] {
            assert!(holds(&covered.sentences, &[value]), "{value}");
        }
        // A value that cannot be said, a list that has none, one the start never reaches and
        // one that does not exist add nothing.
        let (_, rules) = jsgf::parse(
            "#JSGF V1.0;\ngrammar t;\npublic <command> = stop | <n> | <void>;\n\
             <n> = <VOID> | three;\n<void> = <VOID>;\n<alone> = one | two;\n",
        )
        .unwrap();
        let cover = ["n", "void", "alone", "missing"];
        let sampled = sample(&rules, "command", &cover, &options).unwrap();
        assert_eq!(sampled.sentences, [["three"]]);
        assert_eq!(sampled.covering, 1);
    }

    /// The model of `exported`'s random sample alone, no list covered.
    fn plain(exported: &Jsgf, options: &LmOptions) -> Arpa {
        build_from_rules(
            &exported.rules,
            PUBLIC_RULE,
            &exported.vocabulary,
            &[],
            options,
        )
        .unwrap()
    }

    /// With no list value that the random sample lacks, the model is the one the plain sampler
    /// builds, byte for byte, so that a recognizer tuned on it hears the same: here the
    /// built-in grammar at the size hark-voice samples for the whole grammar
    /// (`WHOLE_GRAMMAR_SENTENCES`).
    #[test]
    fn the_builtin_grammar_gets_the_plain_samplers_model() {
        let grammar = crate::builtin::grammar("en").unwrap();
        let exported = jsgf::export(&grammar, &jsgf::Options::default()).unwrap();
        assert!(exported.value_lists.contains("l_weather_gear"));
        let options = LmOptions {
            sentences: 100_000,
            ..LmOptions::default()
        };
        let arpa = build(&exported, &options).unwrap();
        assert_eq!(arpa.covering, 0);
        let plain = plain(&exported, &options);
        assert!(arpa.text == plain.text, "the models differ");
    }

    /// Issue 7: a library's names as `media_name` values. A sample of the grammar's size took
    /// about half of 15,000 names whole; every name's word pairs must be in the model.
    #[test]
    fn every_media_name_is_in_the_model_whole() {
        const COLOURS: [&str; 8] = [
            "blue", "golden", "silent", "velvet", "crimson", "hollow", "frozen", "silver",
        ];
        const THINGS: [&str; 8] = [
            "river", "garden", "mirror", "ocean", "lantern", "harbor", "shadow", "meadow",
        ];
        let names: Vec<String> = (0..3_000)
            .map(|i| format!("{} {} {i}", COLOURS[i % 8], THINGS[i / 8 % 8]))
            .collect();
        let mut grammar = crate::builtin::grammar("en").unwrap();
        grammar.set_dynamic_values("media_name", names.clone());
        let exported = jsgf::export(&grammar, &jsgf::Options::default()).unwrap();
        assert!(exported.value_lists.contains("l_media_name"));
        let options = LmOptions::default();
        let pairs = |text: &str| -> BTreeSet<(String, String)> {
            read(text)
                .prob
                .into_keys()
                .filter(|k| k.len() == 2)
                .map(|k| (k[0].clone(), k[1].clone()))
                .collect()
        };
        let whole = |pairs: &BTreeSet<(String, String)>, name: &str| {
            let words = jsgf::spoken_words(name).unwrap();
            words
                .windows(2)
                .all(|w| pairs.contains(&(w[0].clone(), w[1].clone())))
        };
        let plain = pairs(&plain(&exported, &options).text);
        let lacking = names.iter().filter(|n| !whole(&plain, n)).count();
        assert!(
            lacking > 100,
            "the random sample alone lacks names: {lacking}"
        );
        eprintln!("{lacking} of 3,000 names lacked a word pair");

        let arpa = build(&exported, &options).unwrap();
        assert!(arpa.covering > 0 && arpa.sentences == options.sentences + arpa.covering);
        eprintln!("{} sentences added", arpa.covering);
        let covered = pairs(&arpa.text);
        let lacking: Vec<&String> = names.iter().filter(|n| !whole(&covered, n)).collect();
        assert!(
            lacking.is_empty(),
            "{} lack a word pair: {lacking:?}",
            lacking.len()
        );
        assert!(read(&arpa.text).worst_normalization(97) < 1e-4);
    }
}
