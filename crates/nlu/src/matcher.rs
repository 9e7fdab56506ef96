//! Matching sentences against the compiled grammar.
//!
//! A [`Matcher`] owns the word automaton of every template (see
//! [`crate::compile`]) and the values of its lists. Parsing a sentence is a
//! search over pairs (state, word position), memoized, so each pair is
//! explored once however many templates share it. Slot edges consume spans:
//! a value list walks a word trie, a range or entity slot asks the number or
//! entity parser for each span that starts at the position (cached per
//! sentence), and a wildcard takes any one or more words.
//!
//! Among all complete matches the best is kept, ranked as Home Assistant's
//! hassil ranks them, so both give the same answer for the same grammar:
//! fewer wildcards first, then more literal text matched, then less text
//! inside wildcards, then the intent name. One hark extension ranks before
//! all of these: a data block's `metadata: {priority: N}` (default 0), which
//! hassil ignores. The ranking is additive along a
//! path, which is what lets the search keep only the best continuation of
//! each pair. The runner-up with a different intent is kept too, to say how
//! sure the answer is.

use std::collections::BTreeMap;
use std::ops::Add;

use hark_core::{Intent, IntentName, SlotName};
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use crate::compile::{
    self, Program, SlotEdge, SlotSource, StateId, TemplateSpec, WordId, UNKNOWN_WORD,
};
use crate::entity;
use crate::grammar::{Fractions, Grammar, ListValue, RangeList, SlotList};
use crate::template::Expr;
use crate::text::{tokenize, Token};
use crate::Error;

/// Sentences with more words than this are not commands; they match nothing.
pub const MAX_SENTENCE_WORDS: usize = 96;
/// Sentences longer than this many bytes match nothing, unread.
pub const MAX_SENTENCE_BYTES: usize = 4096;
/// The longest span a number slot accepts, in words.
const MAX_NUMBER_WORDS: usize = 8;

/// What a sentence is matched in the light of.
#[derive(Debug, Clone)]
pub struct ParseContext {
    /// The clock and time zone that relative times resolve against.
    pub entities: entity::Context,
    /// Facts about the request (the device's area, say), checked against the
    /// `requires_context` and `excludes_context` of the templates.
    pub intent_context: Map<String, Value>,
}

impl ParseContext {
    /// A context with no intent context.
    pub fn new(entities: entity::Context) -> Self {
        Self {
            entities,
            intent_context: Map::new(),
        }
    }
}

/// A recognized intent and how it was recognized.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The intent with its slots.
    pub intent: Intent,
    /// The template that matched, as written.
    pub template: String,
    /// The response key of the template's group, if any.
    pub response: Option<String>,
}

/// Sizes of a compiled matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Sentence templates.
    pub templates: usize,
    /// Intents.
    pub intents: usize,
    /// States of the word automaton.
    pub states: usize,
    /// Distinct words.
    pub words: usize,
}

/// A compiled grammar, ready to match sentences.
#[derive(Debug, Clone)]
pub struct Matcher {
    program: Program,
    intents: Vec<IntentName>,
    groups: Vec<Group>,
    lists: Vec<ValueList>,
    skip_phrases: Vec<Vec<String>>,
}

/// What the templates of one intent data block share.
#[derive(Debug, Clone)]
struct Group {
    intent: u32,
    /// `metadata: {priority: N}`: ranks before everything else (default 0).
    priority: i32,
    slots: Map<String, Value>,
    requires: Vec<(String, Requirement)>,
    excludes: Vec<(String, Value)>,
    response: Option<String>,
}

#[derive(Debug, Clone)]
struct Requirement {
    /// Accepted values (any value when `None`).
    values: Option<Value>,
    /// The slot the context value is copied to.
    copy_to: Option<String>,
}

/// A value list compiled into a word trie.
#[derive(Debug, Clone, Default)]
struct ValueList {
    nodes: Vec<TrieNode>,
    values: Vec<ListEntry>,
}

#[derive(Debug, Clone, Default)]
struct TrieNode {
    children: Vec<(WordId, u32)>,
    values: Vec<u32>,
}

#[derive(Debug, Clone)]
struct ListEntry {
    output: Value,
    context: Map<String, Value>,
}

impl Matcher {
    /// Compiles a grammar.
    pub fn new(grammar: &Grammar) -> Result<Self, Error> {
        let intents: Vec<IntentName> = grammar.intents.keys().map(IntentName::new).collect();
        let mut groups = Vec::new();
        let mut specs = Vec::new();
        for (intent_index, data_list) in grammar.intents.values().enumerate() {
            for data in data_list {
                let group = groups.len() as u32;
                let priority = data
                    .metadata
                    .as_ref()
                    .and_then(|m| m.get("priority"))
                    .and_then(Value::as_i64)
                    .map_or(0, |p| p.clamp(-1000, 1000) as i32);
                if data.requires_context.len() > 8 {
                    return Err(Error::Invalid {
                        at: data.source.clone(),
                        message: format!(
                            "an intent data block requires {} context keys; hark supports at most 8",
                            data.requires_context.len()
                        ),
                    });
                }
                groups.push(Group {
                    intent: intent_index as u32,
                    priority,
                    slots: data.slots.clone(),
                    requires: data
                        .requires_context
                        .iter()
                        .map(|(k, v)| (k.clone(), requirement(k, v)))
                        .collect(),
                    excludes: data
                        .excludes_context
                        .iter()
                        .map(|(k, v)| (k.clone(), unpack_value(v).clone()))
                        .collect(),
                    response: data.response.clone(),
                });
                for (text, expr) in &data.sentences {
                    specs.push(TemplateSpec {
                        expr,
                        text,
                        group,
                        source: &data.source,
                    });
                }
            }
        }
        let program = compile::compile(grammar, &specs)?;
        let mut matcher = Matcher {
            lists: vec![ValueList::default(); program.value_lists.len()],
            program,
            intents,
            groups,
            skip_phrases: Vec::new(),
        };
        for (name, list) in &grammar.lists {
            if let SlotList::Values(values) = list {
                matcher
                    .set_list(name, values)
                    .map_err(|message| Error::Invalid {
                        at: Default::default(),
                        message,
                    })?;
            }
        }
        matcher.skip_phrases = grammar
            .skip_words
            .iter()
            .map(|s| tokenize(s).into_iter().map(|t| t.text).collect::<Vec<_>>())
            .filter(|p| !p.is_empty())
            .collect();
        // Longest first, so "i would like to" goes before "i would like".
        matcher
            .skip_phrases
            .sort_by_key(|p| std::cmp::Reverse(p.len()));
        Ok(matcher)
    }

    /// Sets the values of a list, replacing what it had: device and area
    /// names, a music library. Templates that refer to a list no grammar file
    /// defines match nothing there until it is filled.
    pub fn set_list(&mut self, name: &str, values: &[ListValue]) -> Result<(), String> {
        let index = self.program.value_list(name) as usize;
        if index >= self.lists.len() {
            self.lists.resize(index + 1, ValueList::default());
        }
        let mut list = ValueList {
            nodes: vec![TrieNode::default()],
            values: Vec::new(),
        };
        for value in values {
            let phrases = expand(&value.input)
                .map_err(|e| format!("list '{name}', value \"{}\": {e}", value.input_text))?;
            let entry = list.values.len() as u32;
            list.values.push(ListEntry {
                output: value.output.clone(),
                context: value.context.clone(),
            });
            for phrase in phrases {
                let words: Vec<String> = tokenize(&phrase).into_iter().map(|t| t.text).collect();
                if words.is_empty() {
                    // An empty value would match anywhere without words.
                    continue;
                }
                let mut node = 0usize;
                for word in &words {
                    let id = self.program.intern(word);
                    node = match list.nodes[node].children.iter().find(|(w, _)| *w == id) {
                        Some(&(_, child)) => child as usize,
                        None => {
                            list.nodes.push(TrieNode::default());
                            let child = list.nodes.len() - 1;
                            list.nodes[node].children.push((id, child as u32));
                            child
                        }
                    };
                }
                if !list.nodes[node].values.contains(&entry) {
                    list.nodes[node].values.push(entry);
                }
            }
        }
        for node in &mut list.nodes {
            node.children.sort_unstable();
        }
        self.lists[index] = list;
        Ok(())
    }

    /// Sizes of the compiled grammar.
    pub fn stats(&self) -> Stats {
        Stats {
            templates: self.program.template_group.len(),
            intents: self.intents.len(),
            states: self.program.states.len(),
            words: self.program.vocabulary.len(),
        }
    }

    /// The best intent for `text`, or `None` when no template matches it.
    pub fn parse(&self, text: &str, context: &ParseContext) -> Option<Match> {
        if text.len() > MAX_SENTENCE_BYTES {
            return None;
        }
        let tokens = tokenize(text);
        if tokens.is_empty() || tokens.len() > MAX_SENTENCE_WORDS {
            return None;
        }
        let kept = self.without_skip_words(&tokens);
        SCRATCH.with(|cell| {
            // A parse never re-enters itself on one thread, but if it ever
            // did, fresh buffers are still correct.
            let mut fresh = Scratch::default();
            let mut borrowed = cell.try_borrow_mut();
            let scratch = match borrowed.as_deref_mut() {
                Ok(scratch) => scratch,
                Err(_) => &mut fresh,
            };
            let mut best = self.search(text, &tokens, context, scratch);
            if kept.len() != tokens.len() && !kept.is_empty() {
                if let Some(other) = self.search(text, &kept, context, scratch) {
                    if best.as_ref().is_none_or(|b| other.rank() < b.rank()) {
                        best = Some(other);
                    }
                }
            }
            best.map(|found| found.into_match(self, context))
        })
    }

    fn without_skip_words(&self, tokens: &[Token]) -> Vec<Token> {
        let mut kept = Vec::with_capacity(tokens.len());
        let mut i = 0;
        'outer: while i < tokens.len() {
            for phrase in &self.skip_phrases {
                let end = i + phrase.len();
                if end <= tokens.len()
                    && tokens[i..end].iter().zip(phrase).all(|(t, p)| t.text == *p)
                {
                    i = end;
                    continue 'outer;
                }
            }
            kept.push(tokens[i].clone());
            i += 1;
        }
        kept
    }

    fn search<'t>(
        &self,
        text: &'t str,
        tokens: &'t [Token],
        context: &ParseContext,
        scratch: &mut Scratch,
    ) -> Option<Found<'t>> {
        scratch.reset(self, tokens);
        let mut search = Search {
            matcher: self,
            tokens,
            context,
            scratch,
        };
        let result = search.best(0, 0, 0);
        let best = result.best?;
        // Walk the best path again to collect its slots.
        let mut slots = Vec::new();
        let (mut state, mut pos, mut mask) = (0 as StateId, 0usize, 0u8);
        let template = loop {
            let entry = search.scratch.memo[&(state, pos as u16, mask)];
            let step = entry.best.expect("a best path continues").step;
            match step {
                Step::Accept(template) => break template,
                Step::Word(next) => {
                    state = next;
                    pos += 1;
                }
                Step::Slot { edge, hit } => {
                    let (slot_edge, next) =
                        self.program.states[state as usize].slots[edge as usize];
                    let h = &search.scratch.hits[hit as usize];
                    slots.push((slot_edge, pos, h.end as usize, h.value.clone()));
                    mask |= search.provided(&slot_edge, h);
                    state = next;
                    pos = h.end as usize;
                }
            }
        };
        Some(Found {
            cost: best.cost,
            template,
            runner_up: result.runner_up,
            text,
            tokens,
            slots,
        })
    }

    fn group_allows(&self, group: &Group, context: &Map<String, Value>, mask: u8) -> bool {
        for (i, (key, requirement)) in group.requires.iter().enumerate() {
            match context.get(key) {
                Some(actual) => {
                    if !requirement.accepts(unpack_value(actual)) {
                        return false;
                    }
                }
                None if mask & (1 << i) != 0 => {}
                None => return false,
            }
        }
        group
            .excludes
            .iter()
            .all(|(key, excluded)| match context.get(key) {
                Some(actual) => !value_in(unpack_value(actual), excluded),
                None => true,
            })
    }
}

impl Requirement {
    fn accepts(&self, actual: &Value) -> bool {
        match &self.values {
            None => !actual.is_null(),
            Some(allowed) => value_in(actual, allowed),
        }
    }
}

/// `{value: x, slot: true}` or a plain value or list of values.
fn requirement(key: &str, raw: &Value) -> Requirement {
    match raw {
        Value::Object(map) => Requirement {
            values: map.get("value").filter(|v| !v.is_null()).cloned(),
            copy_to: match map.get("slot") {
                Some(Value::String(slot)) => Some(slot.clone()),
                Some(Value::Bool(true)) => Some(key.to_string()),
                _ => None,
            },
        },
        Value::Null => Requirement {
            values: None,
            copy_to: None,
        },
        other => Requirement {
            values: Some(other.clone()),
            copy_to: None,
        },
    }
}

fn unpack_value(value: &Value) -> &Value {
    match value {
        Value::Object(map) => map.get("value").unwrap_or(&Value::Null),
        other => other,
    }
}

/// Whether `actual` equals `allowed`, or is one of `allowed` when it is a list.
fn value_in(actual: &Value, allowed: &Value) -> bool {
    match allowed {
        Value::Array(options) => options.contains(actual),
        single => single == actual,
    }
}

/// Every phrase a list value's template can be, spelled out.
fn expand(expr: &Expr) -> Result<Vec<String>, String> {
    const MAX_PHRASES: usize = 4096;
    fn go(expr: &Expr, out: &mut Vec<String>) -> Result<(), String> {
        match expr {
            Expr::Text(t) => out.iter_mut().for_each(|s| s.push_str(t)),
            Expr::Seq(items) => {
                for item in items {
                    go(item, out)?;
                }
            }
            Expr::Alt(options) => {
                if out.len().saturating_mul(options.len()) > MAX_PHRASES {
                    return Err(format!("expands to more than {MAX_PHRASES} phrases"));
                }
                let mut all = Vec::new();
                for option in options {
                    let mut part = out.clone();
                    go(option, &mut part)?;
                    all.extend(part);
                }
                *out = all;
            }
            Expr::Perm(items) => {
                if items.len() > 6 {
                    return Err(format!(
                        "a permutation of {} items is too large (at most 6)",
                        items.len()
                    ));
                }
                let orders: Vec<Expr> = permutations_of(items);
                go(&Expr::Alt(orders), out)?;
            }
            Expr::List(_) | Expr::Rule(_) => {
                return Err("a list value cannot contain lists or rules".into())
            }
        }
        if out.len() > MAX_PHRASES {
            return Err(format!("expands to more than {MAX_PHRASES} phrases"));
        }
        Ok(())
    }
    let mut out = vec![String::new()];
    go(expr, &mut out)?;
    Ok(out)
}

fn permutations_of(items: &[Expr]) -> Vec<Expr> {
    if items.len() <= 1 {
        return vec![Expr::Seq(items.to_vec())];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for tail in permutations_of(&rest) {
            out.push(Expr::Seq(vec![first.clone(), Expr::Text(" ".into()), tail]));
        }
    }
    out
}

/// How good a path is; smaller is better. Adding two costs adds each part,
/// which keeps the order, so the best path is made of best sub-paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
struct Cost {
    /// The template group's priority, negated (higher priority is better).
    priority: i32,
    wildcards: u32,
    /// Literal characters matched, negated (more is better).
    literal: i32,
    wildcard_chars: u32,
}

impl Add for Cost {
    type Output = Cost;
    fn add(self, o: Cost) -> Cost {
        Cost {
            priority: self.priority + o.priority,
            wildcards: self.wildcards + o.wildcards,
            literal: self.literal + o.literal,
            wildcard_chars: self.wildcard_chars + o.wildcard_chars,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Accept(u32),
    Word(StateId),
    Slot { edge: u32, hit: u32 },
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    cost: Cost,
    intent: u32,
    template: u32,
    step: Step,
}

impl Candidate {
    fn rank(&self) -> (Cost, u32, u32) {
        (self.cost, self.intent, self.template)
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Outcome {
    best: Option<Candidate>,
    /// The best path to another intent than `best`'s: (cost, intent).
    runner_up: Option<(Cost, u32)>,
}

impl Outcome {
    fn offer(&mut self, candidate: Candidate) {
        match self.best {
            None => self.best = Some(candidate),
            Some(best) => {
                if candidate.rank() < best.rank() {
                    self.best = Some(candidate);
                    if self.runner_up.is_some_and(|(_, i)| i == candidate.intent) {
                        self.runner_up = None;
                    }
                    self.offer_runner_up(best.cost, best.intent);
                } else if best.intent != candidate.intent {
                    self.offer_runner_up(candidate.cost, candidate.intent);
                }
            }
        }
    }

    fn offer_runner_up(&mut self, cost: Cost, intent: u32) {
        if self.best.is_some_and(|b| b.intent == intent) {
            return;
        }
        if self.runner_up.is_none_or(|r| (cost, intent) < r) {
            self.runner_up = Some((cost, intent));
        }
    }

    /// Offers the outcome of a continuation reached through an edge.
    fn offer_through(&mut self, edge_cost: Cost, next: &Outcome, step: Step) {
        if let Some(b) = next.best {
            self.offer(Candidate {
                cost: edge_cost + b.cost,
                intent: b.intent,
                template: b.template,
                step,
            });
        }
        if let Some((cost, intent)) = next.runner_up {
            self.offer_runner_up(edge_cost + cost, intent);
        }
    }
}

/// A span a slot source accepts at some position.
#[derive(Debug, Clone)]
struct Hit {
    end: u16,
    value: HitValue,
}

#[derive(Debug, Clone)]
enum HitValue {
    Entry { list: u32, entry: u32 },
    Number(f64),
    Entity(Value),
    Wildcard,
}

type SpanKey = (SlotSource, u16);

/// The buffers one search needs, kept per thread and reused, so that a parse
/// allocates almost nothing once the buffers have grown.
#[derive(Default)]
struct Scratch {
    /// The best continuations of (state, position, context mask).
    memo: FxHashMap<(StateId, u16, u8), Outcome>,
    /// For each slot source and start: the range of `hits` it produced.
    spans: FxHashMap<SpanKey, (u32, u32)>,
    hits: Vec<Hit>,
    /// Whether each group's context conditions hold, once checked.
    group_ok: Vec<Option<bool>>,
    /// The word id of each token.
    ids: Vec<WordId>,
    /// Characters in the tokens before each position (for the ranking).
    chars_before: Vec<u32>,
}

impl Scratch {
    fn reset(&mut self, matcher: &Matcher, tokens: &[Token]) {
        self.memo.clear();
        self.spans.clear();
        self.hits.clear();
        self.group_ok.clear();
        self.group_ok.resize(matcher.groups.len(), None);
        self.ids.clear();
        self.ids
            .extend(tokens.iter().map(|t| matcher.program.word_id(&t.text)));
        self.chars_before.clear();
        let mut total = 0;
        self.chars_before.push(0);
        for token in tokens {
            total += token.text.chars().count() as u32;
            self.chars_before.push(total);
        }
    }

    /// Characters of the tokens in `start..end`, with one space between each.
    fn chars(&self, start: usize, end: usize) -> u32 {
        self.chars_before[end] - self.chars_before[start] + (end - start).saturating_sub(1) as u32
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

struct Search<'a> {
    matcher: &'a Matcher,
    tokens: &'a [Token],
    context: &'a ParseContext,
    scratch: &'a mut Scratch,
}

impl Search<'_> {
    fn best(&mut self, state: StateId, pos: usize, mask: u8) -> Outcome {
        let key = (state, pos as u16, mask);
        if let Some(found) = self.scratch.memo.get(&key) {
            return *found;
        }
        let program = &self.matcher.program;
        let node = &program.states[state as usize];
        let mut outcome = Outcome::default();
        if pos == self.tokens.len() {
            for &template in &node.accepts {
                let group = program.template_group[template as usize];
                if self.accepts(group, mask) {
                    let group = &self.matcher.groups[group as usize];
                    let intent = group.intent;
                    outcome.offer(Candidate {
                        cost: Cost {
                            priority: -group.priority,
                            ..Cost::default()
                        },
                        intent,
                        template,
                        step: Step::Accept(template),
                    });
                }
            }
        } else {
            let word = self.scratch.ids[pos];
            if word != UNKNOWN_WORD && !node.words.is_empty() {
                let first = node.words.partition_point(|&(w, _)| w < word);
                let literal = Cost {
                    literal: -(self.scratch.chars(pos, pos + 1) as i32),
                    ..Cost::default()
                };
                for &(w, next) in &node.words[first..] {
                    if w != word {
                        break;
                    }
                    let after = self.best(next, pos + 1, mask);
                    outcome.offer_through(literal, &after, Step::Word(next));
                }
            }
            for (edge_index, &(edge, next)) in node.slots.iter().enumerate() {
                let (from, to) = self.hits_at(edge.source, pos);
                for hit in from..to {
                    let h = &self.scratch.hits[hit as usize];
                    if !self.value_allowed(&edge, h) {
                        continue;
                    }
                    let end = h.end as usize;
                    let cost = if matches!(h.value, HitValue::Wildcard) {
                        Cost {
                            wildcards: 1,
                            wildcard_chars: self.scratch.chars(pos, end),
                            ..Cost::default()
                        }
                    } else {
                        Cost::default()
                    };
                    let provided = self.provided(&edge, h);
                    let after = self.best(next, end, mask | provided);
                    outcome.offer_through(
                        cost,
                        &after,
                        Step::Slot {
                            edge: edge_index as u32,
                            hit,
                        },
                    );
                }
            }
        }
        self.scratch.memo.insert(key, outcome);
        outcome
    }

    fn accepts(&mut self, group: u32, mask: u8) -> bool {
        let g = &self.matcher.groups[group as usize];
        if g.requires.is_empty() && g.excludes.is_empty() {
            return true;
        }
        if mask == 0 {
            if let Some(ok) = self.scratch.group_ok[group as usize] {
                return ok;
            }
        }
        let ok = self
            .matcher
            .group_allows(g, &self.context.intent_context, mask);
        if mask == 0 {
            self.scratch.group_ok[group as usize] = Some(ok);
        }
        ok
    }

    /// Whether a list value may fill a slot of this edge's group: its own
    /// context must not contradict what the group requires or excludes.
    fn value_allowed(&self, edge: &SlotEdge, hit: &Hit) -> bool {
        let HitValue::Entry { list, entry } = hit.value else {
            return true;
        };
        let value = &self.matcher.lists[list as usize].values[entry as usize];
        if value.context.is_empty() {
            return true;
        }
        let group = &self.matcher.groups[edge.group as usize];
        group
            .requires
            .iter()
            .all(|(key, r)| match (value.context.get(key), &r.values) {
                (Some(actual), Some(allowed)) => value_in(unpack_value(actual), allowed),
                _ => true,
            })
            && group
                .excludes
                .iter()
                .all(|(key, excluded)| match value.context.get(key) {
                    Some(actual) => !value_in(unpack_value(actual), excluded),
                    None => true,
                })
    }

    /// The required context keys (as bits) a list value provides.
    fn provided(&self, edge: &SlotEdge, hit: &Hit) -> u8 {
        let HitValue::Entry { list, entry } = hit.value else {
            return 0;
        };
        let value = &self.matcher.lists[list as usize].values[entry as usize];
        if value.context.is_empty() {
            return 0;
        }
        let group = &self.matcher.groups[edge.group as usize];
        let mut mask = 0u8;
        for (i, (key, _)) in group.requires.iter().enumerate() {
            if value.context.contains_key(key) {
                mask |= 1 << i;
            }
        }
        mask
    }

    /// The spans `source` accepts starting at `pos`, as a range of `hits`.
    fn hits_at(&mut self, source: SlotSource, pos: usize) -> (u32, u32) {
        let key = (source, pos as u16);
        if let Some(&range) = self.scratch.spans.get(&key) {
            return range;
        }
        let start = self.scratch.hits.len() as u32;
        let n = self.tokens.len();
        match source {
            SlotSource::Wildcard => {
                for end in pos + 1..=n {
                    self.scratch.hits.push(Hit {
                        end: end as u16,
                        value: HitValue::Wildcard,
                    });
                }
            }
            SlotSource::Values(list) => {
                let trie = &self.matcher.lists[list as usize];
                let mut node = 0usize;
                if !trie.nodes.is_empty() {
                    for end in pos + 1..=n {
                        let word = self.scratch.ids[end - 1];
                        let children = &trie.nodes[node].children;
                        match children.binary_search_by_key(&word, |&(w, _)| w) {
                            Ok(i) => node = children[i].1 as usize,
                            Err(_) => break,
                        }
                        for &entry in &trie.nodes[node].values {
                            self.scratch.hits.push(Hit {
                                end: end as u16,
                                value: HitValue::Entry { list, entry },
                            });
                        }
                    }
                }
            }
            SlotSource::Range(range) => {
                let range = &self.matcher.program.ranges[range as usize];
                let mut words: Vec<&str> = Vec::with_capacity(MAX_NUMBER_WORDS);
                for end in pos + 1..=n.min(pos + MAX_NUMBER_WORDS) {
                    words.push(&self.tokens[end - 1].text);
                    if let Some(value) = number(&words).and_then(|v| in_range(v, range)) {
                        self.scratch.hits.push(Hit {
                            end: end as u16,
                            value: HitValue::Number(value),
                        });
                    }
                }
            }
            SlotSource::Entity(kind) => {
                let mut words: Vec<&str> = Vec::with_capacity(entity::MAX_WORDS);
                for end in pos + 1..=n.min(pos + entity::MAX_WORDS) {
                    words.push(&self.tokens[end - 1].text);
                    if let Some(value) = entity::parse(kind, &words, &self.context.entities) {
                        self.scratch.hits.push(Hit {
                            end: end as u16,
                            value: HitValue::Entity(value),
                        });
                    }
                }
            }
        }
        let range = (start, self.scratch.hits.len() as u32);
        self.scratch.spans.insert(key, range);
        range
    }
}

/// A number spoken as digits ("25", "2.5", "-5") or words.
fn number(words: &[&str]) -> Option<f64> {
    if let [single] = words {
        let (sign, digits) = match single.strip_prefix('-') {
            Some(rest) => (-1.0, rest),
            None => (1.0, *single),
        };
        let numeric = digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.bytes().any(|b| b.is_ascii_digit());
        if numeric {
            return digits
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(|v| sign * v);
        }
    }
    entity::parse_number(words)
}

/// The slot value for `spoken`, if the range accepts it.
fn in_range(spoken: f64, range: &RangeList) -> Option<f64> {
    if spoken < range.from || spoken > range.to {
        return None;
    }
    let whole = spoken.fract() == 0.0;
    let fraction_ok = match range.fractions {
        Fractions::None => whole,
        Fractions::Halves => (spoken * 2.0).fract() == 0.0,
        Fractions::Tenths => ((spoken * 10.0).round() - spoken * 10.0).abs() < 1e-9,
    };
    if !fraction_ok {
        return None;
    }
    if whole && range.step > 1.0 {
        let steps = (spoken - range.from) / range.step;
        if (steps - steps.round()).abs() > 1e-9 {
            return None;
        }
    }
    Some(spoken * range.multiplier)
}

/// The best path found for one reading of the sentence.
struct Found<'t> {
    cost: Cost,
    template: u32,
    runner_up: Option<(Cost, u32)>,
    text: &'t str,
    tokens: &'t [Token],
    slots: Vec<(SlotEdge, usize, usize, HitValue)>,
}

impl Found<'_> {
    fn rank(&self) -> (Cost, u32) {
        (self.cost, self.template)
    }

    fn into_match(self, matcher: &Matcher, context: &ParseContext) -> Match {
        let program = &matcher.program;
        let group = &matcher.groups[program.template_group[self.template as usize] as usize];
        let mut slots = BTreeMap::new();
        let mut raw = BTreeMap::new();
        for (name, value) in &group.slots {
            slots.insert(SlotName::new(name), value.clone());
        }
        let mut value_context = Map::new();
        let mut wildcard_words = 0;
        for (edge, start, end, value) in &self.slots {
            let name = SlotName::new(&program.slot_names[edge.slot as usize]);
            let span = self.tokens[*start].span.start..self.tokens[*end - 1].span.end;
            let spoken = self.text[span].to_string();
            let value = match value {
                HitValue::Entry { list, entry } => {
                    let entry = &matcher.lists[*list as usize].values[*entry as usize];
                    value_context.extend(entry.context.clone());
                    entry.output.clone()
                }
                HitValue::Number(n) => json_number(*n),
                HitValue::Entity(v) => v.clone(),
                HitValue::Wildcard => {
                    wildcard_words += end - start;
                    Value::String(spoken.clone())
                }
            };
            slots.insert(name.clone(), value);
            raw.insert(name, spoken);
        }
        for (key, requirement) in &group.requires {
            let Some(slot) = &requirement.copy_to else {
                continue;
            };
            // A matched value's context is more specific than the request's.
            let found = value_context
                .get(key)
                .or_else(|| context.intent_context.get(key));
            if let Some(value) = found {
                slots.insert(SlotName::new(slot), unpack_value(value).clone());
            }
        }
        let confidence = confidence(self.cost, self.runner_up, wildcard_words, self.tokens.len());
        Match {
            intent: Intent {
                name: matcher.intents[group.intent as usize].clone(),
                slots,
                raw,
                confidence,
                stage: hark_core::Stage::Templates,
            },
            template: program.template_text[self.template as usize].clone(),
            response: group.response.clone(),
        }
    }
}

/// How sure a match is: 1 for a sentence every word of which a template
/// spells out, less the more of it a wildcard had to swallow, and halved
/// when another intent matched equally well.
fn confidence(
    cost: Cost,
    runner_up: Option<(Cost, u32)>,
    wildcard_words: usize,
    words: usize,
) -> f64 {
    let mut c = 1.0 - 0.5 * (wildcard_words as f64 / words.max(1) as f64);
    match runner_up {
        // Another intent matched exactly as well: the name decided.
        Some((other, _)) if other == cost => c *= 0.5,
        // Another intent matched nearly as well.
        Some((other, _)) if other.wildcards == cost.wildcards => c *= 0.9,
        _ => {}
    }
    (c * 1000.0).round() / 1000.0
}

/// A number as JSON: an integer when it is whole.
pub(crate) fn json_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    const GRAMMAR: &str = r#"
language: en
intents:
  HassStartTimer:
    data:
      - sentences:
          - "<set> [a] timer for {minutes} minute[s]"
          - "<set> [a|an] {timer_name:name} timer for {minutes} minute[s]"
          - "{minutes}( |-)minute timer"
  HassShoppingListAddItem:
    data:
      - sentences:
          - "add {item} to [my|the] [shopping] list"
  HassListAddItem:
    data:
      - sentences:
          - "add {item} to [my|the] {name} [list]"
        requires_context:
          domain: todo
  HassTurnOn:
    data:
      - sentences:
          - "turn on [the] {name}"
        excludes_context:
          domain: [todo]
      - sentences:
          - "turn on [the] lights"
        requires_context:
          area:
            slot: true
  HassLightSet:
    data:
      - sentences:
          - "set [the] {name} [brightness] to {brightness}[%| percent]"
        slots:
          domain: light
  HassSetVolume:
    data:
      - sentences:
          - "[set] volume [to] {volume}"
  HarkYes:
    data:
      - sentences: ["(yes|yeah|sure)"]
  HarkConfirm:
    data:
      - sentences: ["sure"]
  HassMediaSearchAndPlay:
    data:
      - sentences: ["play {item}"]
      - sentences: ["play {item} by {timer_name:artist}"]
        metadata: {priority: 1}
  HassFanSetSpeed:
    data:
      - sentences: ["set [the] fan to {fan_mode}"]
lists:
  minutes: {range: {from: 1, to: 100}}
  brightness: {range: {from: 0, to: 100}}
  volume: {range: {from: 0, to: 100, step: 10}}
  item: {wildcard: true}
  timer_name: {wildcard: true}
  fan_mode:
    values:
      - in: "auto[matic]"
        out: auto
      - in: "(max|maximum|full)[ speed]"
        out: 100
expansion_rules:
  set: "(set|start|create)"
skip_words: ["please", "can you"]
"#;

    fn matcher() -> Matcher {
        let mut grammar = Grammar::default();
        grammar.add_source(Path::new("test.yaml"), GRAMMAR).unwrap();
        let mut matcher = Matcher::new(&grammar).unwrap();
        let names = [
            ("kitchen light", json!({"domain": "light"})),
            ("ceiling fan", json!({"domain": "fan"})),
            ("shopping", json!({"domain": "todo"})),
            ("groceries", json!({"domain": "todo"})),
        ];
        let values: Vec<ListValue> = names
            .iter()
            .map(|(name, context)| ListValue {
                input: Expr::Text(name.to_string()),
                input_text: name.to_string(),
                output: json!(name),
                context: context.as_object().unwrap().clone(),
            })
            .collect();
        matcher.set_list("name", &values).unwrap();
        matcher
    }

    fn ctx() -> ParseContext {
        let now = "2026-11-25T08:00:00+01:00[Europe/Paris]".parse().unwrap();
        ParseContext::new(entity::Context { now })
    }

    fn parse(m: &Matcher, text: &str) -> Option<Intent> {
        m.parse(text, &ctx()).map(|found| found.intent)
    }

    fn summary(m: &Matcher, text: &str) -> Value {
        match parse(m, text) {
            None => Value::Null,
            Some(i) => json!({"intent": i.name.as_str(), "slots": i.slots, "raw": i.raw}),
        }
    }

    #[test]
    fn literal_templates_with_rules_optionals_and_ranges() {
        let m = matcher();
        assert_eq!(
            summary(&m, "Start a timer for 5 minutes."),
            json!({"intent": "HassStartTimer", "slots": {"minutes": 5}, "raw": {"minutes": "5"}})
        );
        assert_eq!(
            summary(&m, "create timer for 1 minute")["slots"],
            json!({"minutes": 1})
        );
        assert_eq!(
            summary(&m, "a 10-minute timer"),
            Value::Null,
            "the template has no article"
        );
        assert_eq!(
            summary(&m, "10-minute timer")["slots"],
            json!({"minutes": 10})
        );
        assert_eq!(
            summary(&m, "set a timer for 101 minutes"),
            Value::Null,
            "out of range"
        );
        assert_eq!(
            summary(&m, "set a timer for 0 minutes"),
            Value::Null,
            "out of range"
        );
        assert_eq!(
            summary(&m, "set a timer for 2.5 minutes"),
            Value::Null,
            "no fractions"
        );
    }

    #[test]
    fn range_steps_and_glued_percent_signs() {
        let m = matcher();
        assert_eq!(summary(&m, "volume 30")["slots"], json!({"volume": 30}));
        assert_eq!(
            summary(&m, "volume 35"),
            Value::Null,
            "not a multiple of the step"
        );
        assert_eq!(
            summary(&m, "set the kitchen light to 50%")["slots"],
            json!({"name": "kitchen light", "brightness": 50, "domain": "light"})
        );
        assert_eq!(
            summary(&m, "set kitchen light brightness to 50 percent")["slots"]["brightness"],
            json!(50)
        );
    }

    #[test]
    fn negative_numbers_keep_their_sign() {
        let mut grammar = Grammar::default();
        grammar
            .add_source(Path::new("n.yaml"), "intents:\n  Offset:\n    data:\n      - sentences: [\"offset {n}\"]\nlists:\n  n: {range: {from: -10, to: 10}}\n")
            .unwrap();
        let m = Matcher::new(&grammar).unwrap();
        assert_eq!(summary(&m, "offset -5")["slots"], json!({"n": -5}));
        assert_eq!(summary(&m, "offset 5")["slots"], json!({"n": 5}));
        assert_eq!(summary(&m, "offset -11"), Value::Null);
    }

    #[test]
    fn value_lists_map_what_is_said_to_values() {
        let m = matcher();
        assert_eq!(
            summary(&m, "set the fan to automatic")["slots"],
            json!({"fan_mode": "auto"})
        );
        assert_eq!(
            summary(&m, "set fan to max speed")["slots"],
            json!({"fan_mode": 100})
        );
        assert_eq!(
            summary(&m, "set fan to max speed")["raw"],
            json!({"fan_mode": "max speed"})
        );
        assert_eq!(summary(&m, "set fan to medium"), Value::Null);
    }

    #[test]
    fn wildcards_take_free_text_as_spoken() {
        let m = matcher();
        assert_eq!(
            summary(&m, "Add Eggs and Milk to my shopping list"),
            json!({"intent": "HassShoppingListAddItem", "slots": {"item": "Eggs and Milk"}, "raw": {"item": "Eggs and Milk"}})
        );
        assert_eq!(
            summary(&m, "set a pasta timer for 8 minutes")["slots"],
            json!({"name": "pasta", "minutes": 8})
        );
    }

    #[test]
    fn a_list_slot_beats_a_wildcard_and_literal_text_beats_both() {
        let m = matcher();
        // "groceries" is a todo list name: the list-name template has one
        // wildcard like the shopping one but matches more literal text? No:
        // both have one wildcard; the shopping-list template needs "shopping"
        // literally, which this sentence lacks.
        assert_eq!(
            summary(&m, "add milk to my groceries list")["intent"],
            "HassListAddItem"
        );
        assert_eq!(
            summary(&m, "add milk to my groceries list")["slots"],
            json!({"item": "milk", "name": "groceries"})
        );
        // Both templates match; the shopping-list one matches "shopping" and
        // "list" as literal words while the other takes "shopping" as a name.
        assert_eq!(
            summary(&m, "add milk to my shopping list")["intent"],
            "HassShoppingListAddItem"
        );
    }

    #[test]
    fn priority_in_metadata_ranks_first() {
        let m = matcher();
        // Without priority, the one-wildcard template would win.
        assert_eq!(
            summary(&m, "play Abbey Road by the Beatles")["slots"],
            json!({"item": "Abbey Road", "artist": "the Beatles"})
        );
        assert_eq!(
            summary(&m, "play Abbey Road")["slots"],
            json!({"item": "Abbey Road"})
        );
    }

    #[test]
    fn context_requirements_filter_templates_and_values() {
        let m = matcher();
        // The todo list "shopping" is excluded from turning on by its context.
        assert_eq!(
            summary(&m, "turn on the kitchen light")["slots"],
            json!({"name": "kitchen light"})
        );
        assert_eq!(summary(&m, "turn on groceries"), Value::Null);
        // "the lights" needs an area from the request's context, copied to a slot.
        assert_eq!(summary(&m, "turn on the lights"), Value::Null);
        let mut c = ctx();
        c.intent_context.insert("area".into(), json!("kitchen"));
        let found = m.parse("turn on the lights", &c).unwrap().intent;
        assert_eq!(found.slots[&SlotName::new("area")], json!("kitchen"));
        // A list value from another domain cannot fill a todo-list slot.
        assert_eq!(
            summary(&m, "add milk to the kitchen light list")["intent"],
            Value::Null
        );
    }

    #[test]
    fn requires_context_from_the_request_excludes_other_values() {
        let m = matcher();
        let mut c = ctx();
        c.intent_context.insert("domain".into(), json!("light"));
        assert!(m.parse("add milk to groceries", &c).is_none());
    }

    #[test]
    fn skip_words_are_ignored() {
        let m = matcher();
        assert_eq!(
            summary(&m, "please set a timer for 3 minutes")["slots"],
            json!({"minutes": 3})
        );
        assert_eq!(
            summary(&m, "can you set a timer for 3 minutes please")["slots"],
            json!({"minutes": 3})
        );
    }

    #[test]
    fn runtime_lists_can_be_replaced() {
        let mut m = matcher();
        assert_eq!(summary(&m, "turn on the porch lamp"), Value::Null);
        let porch = ListValue {
            input: crate::template::parse("porch (lamp|light)").unwrap(),
            input_text: "porch (lamp|light)".into(),
            output: json!("light.porch"),
            context: Map::new(),
        };
        m.set_list("name", &[porch]).unwrap();
        assert_eq!(
            summary(&m, "turn on the porch lamp")["slots"],
            json!({"name": "light.porch"})
        );
        assert_eq!(
            summary(&m, "turn on the kitchen light"),
            Value::Null,
            "replaced, not added"
        );
    }

    #[test]
    fn confidence_drops_with_wildcards_and_ties() {
        let m = matcher();
        let sure = parse(&m, "set a timer for 5 minutes").unwrap();
        assert_eq!(sure.confidence, 1.0);
        let wild = parse(
            &m,
            "add a very long list of things to buy to my shopping list",
        )
        .unwrap();
        assert!(
            wild.confidence < 0.8 && wild.confidence > 0.5,
            "{}",
            wild.confidence
        );
        // "sure" is both HarkConfirm and HarkYes: the name decides, unsure.
        let tie = parse(&m, "sure").unwrap();
        assert_eq!(tie.name.as_str(), "HarkConfirm");
        assert_eq!(tie.confidence, 0.5);
    }

    #[test]
    fn garbage_and_huge_input_give_no_intent() {
        let m = matcher();
        for text in [
            "",
            "   ",
            "?!?",
            "set a timer for",
            "timer",
            "zzz qqq",
            "\u{0}\u{1}\u{fffd}",
        ] {
            assert_eq!(summary(&m, text), Value::Null, "{text:?}");
        }
        let long = "add milk ".repeat(12_000) + "to my shopping list";
        assert!(long.len() > 100_000);
        assert_eq!(summary(&m, &long), Value::Null);
        let many_words = "add ".to_string() + &"x ".repeat(MAX_SENTENCE_WORDS) + "to my list";
        assert_eq!(summary(&m, &many_words), Value::Null);
        let just_enough = "add ".to_string() + &"x ".repeat(MAX_SENTENCE_WORDS - 5) + "to my list";
        assert_eq!(
            summary(&m, &just_enough)["intent"],
            "HassShoppingListAddItem"
        );
    }

    #[test]
    fn stats_describe_the_automaton() {
        let s = matcher().stats();
        assert_eq!(s.intents, 10);
        assert_eq!(s.templates, 14);
        assert!(s.states > 20 && s.words > 20, "{s:?}");
    }
}
