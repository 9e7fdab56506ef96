//! Compiling templates into one word automaton.
//!
//! Templates are written over characters (`hour[s]`, `day[ ]light`,
//! `{volume}[%| percent]`) but sentences are matched over words. Compiling
//! happens in two steps:
//!
//! 1. Every template becomes a fragment of a character-level automaton whose
//!    edges are a piece of text without spaces, a space, a slot, or nothing.
//!    Rules are inlined where they are used and permutations expanded.
//! 2. That automaton is turned into a word automaton: from each word boundary,
//!    the pieces of text glued together up to the next space or slot are
//!    joined and run through the same tokenizer as sentences
//!    ([`crate::text::tokenize`]), giving word edges. Empty moves disappear.
//!
//! All templates hang off one start state, so the first word of a sentence
//! selects, by a binary search, only the templates that can begin with it, and
//! each later word follows only the edges labelled with it. Slots (lists,
//! numbers, wildcards, entities) are edges that consume a span of words.

use std::collections::hash_map::Entry;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::entity::EntityKind;
use crate::grammar::{Grammar, SlotList, Source};
use crate::template::{Expr, ListRef};
use crate::text::tokenize;
use crate::Error;

/// The most items a permutation may have (their orders are all expanded).
const MAX_PERMUTATION: usize = 6;
/// The largest character-level automaton compiled; rules that expand into
/// each other many times over can describe astronomically many states, and
/// such a grammar is refused instead of exhausting memory. Home Assistant's
/// whole English grammar needs about 27,000.
const MAX_CHAR_STATES: usize = 1_000_000;
/// The most steps joining glued text may take, for the same reason:
/// `(a|b)(a|b)(a|b)...` without spaces spells 2^n distinct words.
const MAX_GLUE_STEPS: usize = 1_000_000;
/// The longest word glued together from pieces; longer ones are mistakes and
/// would make each step of the gluing copy a huge string.
const MAX_GLUED_CHARS: usize = 1024;

/// A word's number in the vocabulary.
pub(crate) type WordId = u32;
/// A state's number.
pub(crate) type StateId = u32;

/// The word a sentence token gets when no template or list contains it.
pub(crate) const UNKNOWN_WORD: WordId = WordId::MAX;

/// Where a slot edge takes its value from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum SlotSource {
    /// A value list, by index.
    Values(u32),
    /// A number range, by index.
    Range(u32),
    /// Any words.
    Wildcard,
    /// An entity parser.
    Entity(EntityKind),
}

/// An edge that fills a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SlotEdge {
    /// The slot's name, by index.
    pub slot: u32,
    /// Where its value comes from.
    pub source: SlotSource,
    /// The intent data group of the template the edge belongs to.
    pub group: u32,
}

/// A state of the word automaton.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    /// Word edges, sorted by word.
    pub words: Vec<(WordId, StateId)>,
    /// Slot edges.
    pub slots: Vec<(SlotEdge, StateId)>,
    /// Templates that may end here.
    pub accepts: Vec<u32>,
}

/// The compiled automaton and the tables its edges refer to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Program {
    /// Word to word id.
    pub vocabulary: FxHashMap<String, WordId>,
    /// The states; state 0 is the start.
    pub states: Vec<State>,
    /// For each template: its group.
    pub template_group: Vec<u32>,
    /// For each template: its text as written.
    pub template_text: Vec<String>,
    /// Slot names by index.
    pub slot_names: Vec<String>,
    /// Value list names by index (lists the grammar defines or that are filled
    /// at run time).
    pub value_lists: Vec<String>,
    /// Ranges by index.
    pub ranges: Vec<crate::grammar::RangeList>,
}

impl Program {
    /// The id of `word`, adding it to the vocabulary if needed.
    pub fn intern(&mut self, word: &str) -> WordId {
        if let Some(&id) = self.vocabulary.get(word) {
            return id;
        }
        let id = self.vocabulary.len() as WordId;
        self.vocabulary.insert(word.to_string(), id);
        id
    }

    /// The id of `word`, or [`UNKNOWN_WORD`].
    pub fn word_id(&self, word: &str) -> WordId {
        self.vocabulary.get(word).copied().unwrap_or(UNKNOWN_WORD)
    }

    /// The index of the value list called `name`, adding it if needed.
    pub fn value_list(&mut self, name: &str) -> u32 {
        match self.value_lists.iter().position(|n| n == name) {
            Some(i) => i as u32,
            None => {
                self.value_lists.push(name.to_string());
                (self.value_lists.len() - 1) as u32
            }
        }
    }

    fn slot_name(&mut self, name: &str) -> u32 {
        match self.slot_names.iter().position(|n| n == name) {
            Some(i) => i as u32,
            None => {
                self.slot_names.push(name.to_string());
                (self.slot_names.len() - 1) as u32
            }
        }
    }
}

/// One sentence template to compile.
pub(crate) struct TemplateSpec<'a> {
    /// Its parsed form.
    pub expr: &'a Expr,
    /// Its text, for messages and explanations.
    pub text: &'a str,
    /// The group it belongs to.
    pub group: u32,
    /// Where it was written.
    pub source: &'a Source,
}

/// Compiles templates of `grammar` into a program.
pub(crate) fn compile(grammar: &Grammar, templates: &[TemplateSpec<'_>]) -> Result<Program, Error> {
    let mut program = Program::default();
    for (name, list) in &grammar.lists {
        if matches!(list, SlotList::Values(_)) {
            program.value_list(name);
        }
    }
    let mut chars = CharAutomaton::default();
    let start = chars.add_state();
    for (index, spec) in templates.iter().enumerate() {
        let mut builder = Builder {
            grammar,
            program: &mut program,
            chars: &mut chars,
            group: spec.group,
        };
        let end = builder
            .build(spec.expr, start, 0)
            .map_err(|message| Error::Invalid {
                at: spec.source.clone(),
                message: format!("in template \"{}\": {message}", spec.text),
            })?;
        let accept = chars.add_state();
        chars.edges[end as usize].push((Piece::Nothing, accept));
        chars.accepts.push((accept, index as u32));
        program.template_group.push(spec.group);
        program.template_text.push(spec.text.to_string());
    }
    program.states = to_words(&chars, start, &mut program).ok_or_else(|| Error::Invalid {
        at: Default::default(),
        message: format!(
            "the grammar's text glued without spaces spells more than {MAX_GLUE_STEPS} words, or a word longer \
             than {MAX_GLUED_CHARS} characters; put spaces between alternatives"
        ),
    })?;
    Ok(program)
}

/// An edge label of the character-level automaton.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Piece {
    /// Moves without reading.
    Nothing,
    /// Whitespace: a word boundary.
    Space,
    /// Text without whitespace, as written (tokenized later).
    Text(String),
    /// A slot (always also a word boundary).
    Slot(SlotEdge),
}

#[derive(Debug, Default)]
struct CharAutomaton {
    edges: Vec<Vec<(Piece, StateId)>>,
    accepts: Vec<(StateId, u32)>,
}

impl CharAutomaton {
    fn add_state(&mut self) -> StateId {
        self.edges.push(Vec::new());
        (self.edges.len() - 1) as StateId
    }

    fn too_large(&self) -> bool {
        self.edges.len() > MAX_CHAR_STATES
    }

    fn add_edge(&mut self, from: StateId, piece: Piece) -> StateId {
        let to = self.add_state();
        self.edges[from as usize].push((piece, to));
        to
    }
}

struct Builder<'a> {
    grammar: &'a Grammar,
    program: &'a mut Program,
    chars: &'a mut CharAutomaton,
    group: u32,
}

impl Builder<'_> {
    /// Adds `expr` starting at `from`; returns the state where it ends.
    fn build(&mut self, expr: &Expr, from: StateId, depth: usize) -> Result<StateId, String> {
        if depth > 256 {
            return Err("rules nest deeper than 256".to_string());
        }
        if self.chars.too_large() {
            return Err(format!(
                "the grammar expands to more than {MAX_CHAR_STATES} states; do rules refer to each other many times over?"
            ));
        }
        Ok(match expr {
            Expr::Text(text) => {
                let mut at = from;
                let mut rest = text.as_str();
                while !rest.is_empty() {
                    let space_len = rest.len() - rest.trim_start().len();
                    if space_len > 0 {
                        at = self.chars.add_edge(at, Piece::Space);
                        rest = &rest[space_len..];
                        continue;
                    }
                    let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    at = self
                        .chars
                        .add_edge(at, Piece::Text(rest[..word_len].to_string()));
                    rest = &rest[word_len..];
                }
                at
            }
            Expr::Seq(items) => {
                let mut at = from;
                for item in items {
                    at = self.build(item, at, depth + 1)?;
                }
                at
            }
            Expr::Alt(options) => {
                let end = self.chars.add_state();
                for option in options {
                    let option_end = self.build(option, from, depth + 1)?;
                    self.chars.edges[option_end as usize].push((Piece::Nothing, end));
                }
                end
            }
            Expr::Perm(items) => {
                if items.len() > MAX_PERMUTATION {
                    return Err(format!(
                        "a permutation of {} items is too large (at most {MAX_PERMUTATION})",
                        items.len()
                    ));
                }
                let end = self.chars.add_state();
                for order in permutations(items.len()) {
                    let mut at = from;
                    for (k, &i) in order.iter().enumerate() {
                        if k > 0 {
                            at = self.chars.add_edge(at, Piece::Space);
                        }
                        at = self.build(&items[i], at, depth + 1)?;
                    }
                    self.chars.edges[at as usize].push((Piece::Nothing, end));
                }
                end
            }
            Expr::List(list_ref) => {
                let edge = self.slot_edge(list_ref);
                self.chars.add_edge(from, Piece::Slot(edge))
            }
            Expr::Rule(name) => {
                let body = self
                    .grammar
                    .rules
                    .get(name)
                    .ok_or_else(|| format!("unknown rule <{name}>"))?;
                self.build(body, from, depth + 1)?
            }
        })
    }

    fn slot_edge(&mut self, list_ref: &ListRef) -> SlotEdge {
        let source = match self.grammar.lists.get(&list_ref.list) {
            Some(SlotList::Wildcard) => SlotSource::Wildcard,
            Some(SlotList::Range(range)) => {
                let index = match self.program.ranges.iter().position(|r| r == range) {
                    Some(i) => i,
                    None => {
                        self.program.ranges.push(range.clone());
                        self.program.ranges.len() - 1
                    }
                };
                SlotSource::Range(index as u32)
            }
            Some(SlotList::Values(_)) => {
                SlotSource::Values(self.program.value_list(&list_ref.list))
            }
            None => match EntityKind::from_name(&list_ref.list) {
                Some(kind) => SlotSource::Entity(kind),
                // Filled at run time (device, area and media names).
                None => SlotSource::Values(self.program.value_list(&list_ref.list)),
            },
        };
        SlotEdge {
            slot: self.program.slot_name(&list_ref.slot),
            source,
            group: self.group,
        }
    }
}

/// Every order of `0..n`.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for rest in permutations(n - 1) {
        for i in 0..=rest.len() {
            let mut order = rest.clone();
            order.insert(i, n - 1);
            out.push(order);
        }
    }
    out
}

/// Turns the character-level automaton into the word automaton.
fn to_words(chars: &CharAutomaton, start: StateId, program: &mut Program) -> Option<Vec<State>> {
    let mut accepts_at: FxHashMap<StateId, Vec<u32>> = FxHashMap::default();
    for &(state, template) in &chars.accepts {
        accepts_at.entry(state).or_default().push(template);
    }
    let mut converter = Converter {
        chars,
        accepts_at,
        program,
        states: vec![State::default()],
        boundary: FxHashMap::default(),
        queue: vec![start],
        steps: 0,
    };
    converter.boundary.insert(start, 0);
    while let Some(origin) = converter.queue.pop() {
        converter.explore(origin)?;
    }
    let mut states = converter.states;
    for state in &mut states {
        state.words.sort_unstable();
        state.words.dedup();
        state.slots.sort_unstable();
        state.slots.dedup();
        state.accepts.sort_unstable();
        state.accepts.dedup();
    }
    Some(states)
}

struct Converter<'a> {
    chars: &'a CharAutomaton,
    accepts_at: FxHashMap<StateId, Vec<u32>>,
    program: &'a mut Program,
    states: Vec<State>,
    /// Character states at a word boundary, and their word state.
    boundary: FxHashMap<StateId, StateId>,
    queue: Vec<StateId>,
    steps: usize,
}

impl Converter<'_> {
    /// The word state for a character state at a boundary.
    fn boundary_state(&mut self, char_state: StateId) -> StateId {
        match self.boundary.entry(char_state) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                self.states.push(State::default());
                let id = (self.states.len() - 1) as StateId;
                e.insert(id);
                self.queue.push(char_state);
                id
            }
        }
    }

    fn new_state(&mut self) -> StateId {
        self.states.push(State::default());
        (self.states.len() - 1) as StateId
    }

    /// Adds word edges for `words` from `from`, ending in `to` (a fresh state
    /// when `to` is `None`); returns the end state. `words` is never empty.
    fn word_chain(&mut self, from: StateId, words: &[String], to: Option<StateId>) -> StateId {
        let mut at = from;
        for (i, word) in words.iter().enumerate() {
            let next = match to {
                Some(to) if i + 1 == words.len() => to,
                _ => self.new_state(),
            };
            let id = self.program.intern(word);
            self.states[at as usize].words.push((id, next));
            at = next;
        }
        at
    }

    /// Follows every path from the boundary `origin` up to the next
    /// boundaries, turning glued text into word edges.
    fn explore(&mut self, origin: StateId) -> Option<()> {
        let from = self.boundary[&origin];
        let mut stack = vec![(origin, String::new())];
        let mut seen: FxHashSet<(StateId, String)> = FxHashSet::default();
        while let Some((state, glued)) = stack.pop() {
            if !seen.insert((state, glued.clone())) {
                continue;
            }
            self.steps += 1;
            if self.steps > MAX_GLUE_STEPS || glued.len() > MAX_GLUED_CHARS {
                return None;
            }
            let words: Vec<String> = tokenize(&glued).into_iter().map(|t| t.text).collect();
            if let Some(templates) = self.accepts_at.get(&state).cloned() {
                let end = if words.is_empty() {
                    from
                } else {
                    self.word_chain(from, &words, None)
                };
                self.states[end as usize].accepts.extend(templates);
            }
            for (piece, to) in &self.chars.edges[state as usize] {
                match piece {
                    Piece::Nothing => stack.push((*to, glued.clone())),
                    Piece::Text(text) => stack.push((*to, format!("{glued}{text}"))),
                    Piece::Space if words.is_empty() => stack.push((*to, String::new())),
                    Piece::Space => {
                        let target = self.boundary_state(*to);
                        self.word_chain(from, &words, Some(target));
                    }
                    Piece::Slot(edge) => {
                        let slot_from = if words.is_empty() {
                            from
                        } else {
                            self.word_chain(from, &words, None)
                        };
                        let target = self.boundary_state(*to);
                        self.states[slot_from as usize].slots.push((*edge, target));
                    }
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::parse;

    /// Every word sequence the program accepts, slots shown as `{slot}`.
    fn language(program: &Program) -> Vec<String> {
        let names: FxHashMap<WordId, &str> = program
            .vocabulary
            .iter()
            .map(|(w, &id)| (id, w.as_str()))
            .collect();
        let mut out = Vec::new();
        let mut stack = vec![(0 as StateId, Vec::<String>::new())];
        while let Some((state, path)) = stack.pop() {
            let s = &program.states[state as usize];
            if !s.accepts.is_empty() {
                out.push(path.join(" "));
            }
            for (w, to) in &s.words {
                let mut p = path.clone();
                p.push(names[w].to_string());
                stack.push((*to, p));
            }
            for (e, to) in &s.slots {
                let mut p = path.clone();
                p.push(format!("{{{}}}", program.slot_names[e.slot as usize]));
                stack.push((*to, p));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn compile_one(grammar: &Grammar, template: &str) -> Program {
        let expr = parse(template).unwrap();
        compile(
            grammar,
            &[TemplateSpec {
                expr: &expr,
                text: template,
                group: 0,
                source: &Source::default(),
            }],
        )
        .unwrap()
    }

    fn lang(template: &str) -> Vec<String> {
        language(&compile_one(&Grammar::default(), template))
    }

    #[test]
    fn glued_optional_suffixes_make_whole_words() {
        assert_eq!(lang("hour[s]"), ["hour", "hours"]);
        assert_eq!(lang("day[ ]light"), ["day light", "daylight"]);
        assert_eq!(lang("switch[es] off"), ["switch off", "switches off"]);
    }

    #[test]
    fn optional_words_leave_no_double_spaces() {
        assert_eq!(lang("set [a] timer"), ["set a timer", "set timer"]);
        assert_eq!(
            lang("[please] stop [it] [now]"),
            [
                "please stop",
                "please stop it",
                "please stop it now",
                "please stop now",
                "stop",
                "stop it",
                "stop it now",
                "stop now"
            ]
        );
    }

    #[test]
    fn text_is_normalized_like_sentences() {
        assert_eq!(lang("What's the Time?"), ["what is the time"]);
        assert_eq!(lang("{n}( |-)minute"), ["{n} minute"]);
        assert_eq!(lang("{n}[%| percent]"), ["{n}", "{n} %", "{n} percent"]);
    }

    #[test]
    fn permutations_expand_every_order_with_spaces() {
        assert_eq!(
            lang("(a;b c;d)"),
            ["a b c d", "a d b c", "b c a d", "b c d a", "d a b c", "d b c a"]
        );
    }

    #[test]
    fn rules_are_inlined() {
        let mut grammar = Grammar::default();
        grammar
            .rules
            .insert("the".to_string(), parse("(the|my)").unwrap());
        assert_eq!(
            language(&compile_one(&grammar, "turn on <the> light[s]")),
            [
                "turn on my light",
                "turn on my lights",
                "turn on the light",
                "turn on the lights"
            ]
        );
    }

    #[test]
    fn lists_resolve_to_their_source() {
        let mut grammar = Grammar::default();
        grammar.lists.insert("item".to_string(), SlotList::Wildcard);
        let program = compile_one(
            &grammar,
            "add {item} at {time} for {duration:seconds} in {area}",
        );
        let sources: Vec<SlotSource> = program
            .states
            .iter()
            .flat_map(|s| s.slots.iter().map(|(e, _)| e.source))
            .collect();
        assert!(sources.contains(&SlotSource::Wildcard));
        assert!(sources.contains(&SlotSource::Entity(EntityKind::Time)));
        assert!(sources.contains(&SlotSource::Entity(EntityKind::Duration)));
        assert!(sources.contains(&SlotSource::Values(0)), "{sources:?}");
        assert_eq!(program.value_lists, ["area"]);
        assert!(program.slot_names.contains(&"seconds".to_string()));
    }

    #[test]
    fn all_templates_share_one_start_state() {
        let a = parse("set a timer").unwrap();
        let b = parse("set an alarm").unwrap();
        let program = compile(
            &Grammar::default(),
            &[
                TemplateSpec {
                    expr: &a,
                    text: "set a timer",
                    group: 0,
                    source: &Source::default(),
                },
                TemplateSpec {
                    expr: &b,
                    text: "set an alarm",
                    group: 1,
                    source: &Source::default(),
                },
            ],
        )
        .unwrap();
        let set = program.word_id("set");
        assert_eq!(
            program.states[0]
                .words
                .iter()
                .filter(|(w, _)| *w == set)
                .count(),
            2
        );
        assert_eq!(program.template_group, [0, 1]);
    }

    #[test]
    fn exponential_grammars_are_refused_not_expanded() {
        let mut grammar = Grammar::default();
        grammar.rules.insert("r0".to_string(), parse("x").unwrap());
        for i in 1..40 {
            grammar.rules.insert(
                format!("r{i}"),
                parse(&format!("<r{}> <r{}>", i - 1, i - 1)).unwrap(),
            );
        }
        let expr = parse("<r39>").unwrap();
        let err = compile(
            &grammar,
            &[TemplateSpec {
                expr: &expr,
                text: "x",
                group: 0,
                source: &Source::default(),
            }],
        )
        .unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        let glued = "(a|b)".repeat(30);
        let expr = parse(&glued).unwrap();
        let err = compile(
            &Grammar::default(),
            &[TemplateSpec {
                expr: &expr,
                text: "x",
                group: 0,
                source: &Source::default(),
            }],
        )
        .unwrap_err();
        assert!(err.to_string().contains("glued"), "{err}");
        let word = "x".repeat(MAX_GLUED_CHARS + 1);
        let expr = parse(&word).unwrap();
        let err = compile(
            &Grammar::default(),
            &[TemplateSpec {
                expr: &expr,
                text: "x",
                group: 0,
                source: &Source::default(),
            }],
        )
        .unwrap_err();
        assert!(err.to_string().contains("longer"), "{err}");
    }

    #[test]
    fn oversized_permutations_are_refused() {
        let expr = parse("(a;b;c;d;e;f;g)").unwrap();
        let err = compile(
            &Grammar::default(),
            &[TemplateSpec {
                expr: &expr,
                text: "x",
                group: 0,
                source: &Source::default(),
            }],
        )
        .unwrap_err();
        assert!(err.to_string().contains("too large"), "{err}");
    }
}
