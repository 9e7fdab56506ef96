//! Speech recognition with CMU PocketSphinx, constrained by a JSGF grammar or an n-gram model.
//!
//! hark tells the recognizer what can be said: the grammar compiled from the enabled skills'
//! templates arrives here as JSGF text ([`Recognizer::set_grammar`]) or as an ARPA trigram model
//! of its sentences ([`Recognizer::set_language_model`]), and an utterance (16 kHz mono, silence
//! already trimmed by the endpointer) is decoded against it ([`Recognizer::recognize`]). The
//! measurements in the voice notes are why: an unconstrained model was useless for commands. A
//! JSGF grammar beat an n-gram model of the same sentences (96.8% against 94.7%), but
//! PocketSphinx expands a large JSGF grammar into a search graph too big to decode in real time,
//! and an n-gram model of the same sentences stays small.
//!
//! Decisions:
//!
//! - **One decoder, behind a `Mutex`.** A PocketSphinx decoder is not thread-safe (see
//!   `ffi.rs`), so [`Recognizer`] owns one and serializes calls on it; it is `Send + Sync` and can
//!   sit in an `Arc`. A server that decodes several utterances at once creates one recognizer per
//!   worker (each holds its own copy of the acoustic model, about 20 MB for en-us).
//! - **No sentence is `None`, not an error.** When the search ends in a state that is not a
//!   complete sentence ("final result does not match the grammar"), the answer is `Ok(None)`, as
//!   for an empty buffer: the caller says it did not understand. Errors are for a decoder that
//!   cannot work (no grammar, a library failure).
//! - **Unknown words are pronounced, not dropped.** Before a grammar is compiled, every word of
//!   it is looked up in the dictionary; a missing one gets a pronunciation from espeak-ng
//!   ([`crate::pronounce`]) and is added to the decoder. The words added are returned, for the
//!   log.
//! - **A grammar change is atomic.** The new grammar (or model) is compiled into a new search and
//!   made active only when it compiled; a grammar with a syntax error leaves the old one in use.
//! - **The library is silent.** sphinxbase logs hundreds of lines to stderr; it is switched off
//!   once per process, and failures come back as [`Error`]s.

mod ffi;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::Error;
use ffi::Decoder;

/// The acoustic model of Debian's and Ubuntu's `pocketsphinx-en-us` package.
pub const DEBIAN_EN_US_MODEL: &str = "/usr/share/pocketsphinx/model/en-us/en-us";

/// The pronunciation dictionary of Debian's and Ubuntu's `pocketsphinx-en-us` package.
pub const DEBIAN_EN_US_DICTIONARY: &str = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";

/// The sample rate the decoder expects, in Hz.
pub const SAMPLE_RATE: u32 = 16_000;

/// PocketSphinx options hark sets unless [`RecognizerConfig::options`] says otherwise.
///
/// `-fsgusefiller no`: no silence or noise "words" between the grammar's words. hark decodes
/// utterances whose leading and trailing silence the endpointer has cut, and with fillers the
/// search often ended in a filler state that is not a complete sentence (no result) or took a
/// shorter sentence plus noise. On the synthesized test set (4 espeak-ng voices, 3 rates, 8
/// commands, trimmed where 10 ms rise above 1%) exact sentences went from 81 to 93 of 96 (from
/// 74 to 92 with a coarser trim); wider beams, batch CMN, PocketSphinx's own VAD off or feeding
/// the audio in blocks changed one to three either way. This is measured on synthesized speech only: pauses inside
/// real utterances are what fillers are for, so `hark bench voice` on recordings should confirm
/// it (set `("-fsgusefiller", "yes")` in [`RecognizerConfig::options`] to compare).
///
/// `-cmn batch`: cepstral mean normalization over each utterance, not carried from one to the
/// next (`live`, the library's default). hark always decodes whole utterances, so nothing is
/// lost, and each result depends only on its own audio: with `live`, one second of digital
/// silence made the next command unrecognizable, and results depended on which utterances the
/// recognizer had heard before (on which thread got the lock first, in a server).
pub const DEFAULT_OPTIONS: &[(&str, &str)] = &[("-fsgusefiller", "no"), ("-cmn", "batch")];

/// How to build a [`Recognizer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecognizerConfig {
    /// The acoustic model folder (holding `mdef`, `means`, ...).
    pub model: PathBuf,
    /// The pronunciation dictionary file.
    pub dictionary: PathBuf,
    /// Words to add to the dictionary: the word and its ARPAbet phones ("Z AO R B L AE K S"). A
    /// word the dictionary has already gets this as an alternative pronunciation.
    pub extra_words: Vec<(String, String)>,
    /// Whether grammar words missing from the dictionary get a pronunciation from espeak-ng
    /// (true by default). When false, such a grammar is refused with [`Error::UnknownWords`].
    pub pronounce_unknown_words: bool,
    /// Further PocketSphinx options, as on its command line (`("-cmn", "live")`); they override
    /// hark's defaults (see [`DEFAULT_OPTIONS`]). An unknown option makes [`Recognizer::new`]
    /// fail.
    pub options: Vec<(String, String)>,
}

impl RecognizerConfig {
    /// A configuration with the given model and dictionary and no extra words.
    pub fn new(model: impl Into<PathBuf>, dictionary: impl Into<PathBuf>) -> RecognizerConfig {
        RecognizerConfig {
            model: model.into(),
            dictionary: dictionary.into(),
            extra_words: Vec::new(),
            pronounce_unknown_words: true,
            options: Vec::new(),
        }
    }

    /// American English from Debian's `pocketsphinx-en-us` package.
    pub fn debian_en_us() -> RecognizerConfig {
        RecognizerConfig::new(DEBIAN_EN_US_MODEL, DEBIAN_EN_US_DICTIONARY)
    }

    /// Adds a word with its ARPAbet phones.
    pub fn word(mut self, word: impl Into<String>, phones: impl Into<String>) -> RecognizerConfig {
        self.extra_words.push((word.into(), phones.into()));
        self
    }
}

/// What was recognized in an utterance.
///
/// There is no calibrated confidence yet: PocketSphinx's lattice posterior came out as 1.0 for
/// every result of the grammar search in the tests, so it is not passed on. The path score is; per
/// frame it is the raw material for rejecting a poor match (to be tuned on recordings).
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    /// The words of the best complete sentence of the grammar, separated by single spaces.
    pub text: String,
    /// The best path's score (acoustic and grammar) in the decoder's internal log units:
    /// negative, nearer 0 is a closer match.
    pub score: i32,
    /// The 10 ms frames decoded.
    pub frames: u32,
}

impl Transcript {
    /// [`Transcript::score`] per frame, comparable between utterances of different lengths.
    pub fn score_per_frame(&self) -> f64 {
        f64::from(self.score) / f64::from(self.frames.max(1))
    }
}

/// A word added to the decoder's dictionary with a pronunciation hark made up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pronunciation {
    /// The word as the grammar has it.
    pub word: String,
    /// Its ARPAbet phones.
    pub phones: String,
}

struct State {
    decoder: Decoder,
    /// The active search's name, once a grammar is set.
    search: Option<String>,
    /// Counts grammars set, to name each new search apart from the active one.
    generation: u64,
    pronounce_unknown_words: bool,
}

/// A PocketSphinx decoder and its grammar. `Send + Sync`; calls are serialized.
pub struct Recognizer {
    state: Mutex<State>,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer").finish_non_exhaustive()
    }
}

impl Recognizer {
    /// Loads the acoustic model and dictionary. Decoding needs a grammar
    /// ([`Recognizer::set_grammar`]) first.
    pub fn new(config: RecognizerConfig) -> Result<Recognizer, Error> {
        if !config.model.join("mdef").is_file() {
            return Err(Error::Model(config.model));
        }
        if !config.dictionary.is_file() {
            return Err(Error::Dictionary(config.dictionary));
        }
        let (Some(model), Some(dictionary)) = (config.model.to_str(), config.dictionary.to_str())
        else {
            return Err(Error::Model(config.model));
        };
        let mut args = vec![("-hmm", model), ("-dict", dictionary)];
        for (option, value) in DEFAULT_OPTIONS {
            if !config.options.iter().any(|(o, _)| o == option) {
                args.push((option, value));
            }
        }
        args.extend(config.options.iter().map(|(o, v)| (o.as_str(), v.as_str())));
        let mut decoder = Decoder::new(&args).ok_or_else(|| Error::Init(config.model.clone()))?;
        for (word, phones) in &config.extra_words {
            add_word(&mut decoder, word, phones, false)?;
        }
        Ok(Recognizer {
            state: Mutex::new(State {
                decoder,
                search: None,
                generation: 0,
                pronounce_unknown_words: config.pronounce_unknown_words,
            }),
        })
    }

    /// Makes `jsgf` (a JSGF V1.0 grammar as text; its public rules are what can be said) the
    /// grammar utterances are decoded against, replacing the previous one. Returns the words
    /// that were missing from the dictionary and got a pronunciation from espeak-ng.
    ///
    /// A grammar that does not compile is an [`Error::Grammar`], and the previous grammar stays.
    pub fn set_grammar(&self, jsgf: &str) -> Result<Vec<Pronunciation>, Error> {
        check_jsgf(jsgf)?;
        self.activate(grammar_words(jsgf), |decoder, name| {
            if decoder.set_jsgf(name, jsgf) {
                Ok(())
            } else {
                Err(Error::Grammar(
                    "PocketSphinx could not compile it (a syntax error, or a rule it cannot expand)"
                        .to_owned(),
                ))
            }
        })
    }

    /// Makes `arpa` (an n-gram language model in ARPA text format, such as
    /// `hark_nlu::lm::build` writes) what utterances are decoded against, replacing the previous
    /// grammar or model. Returns the words of its vocabulary that were missing from the
    /// dictionary and got a pronunciation from espeak-ng.
    ///
    /// PocketSphinx 0.8 reads a model only from a file, so the text goes through a temporary
    /// file, removed once it is loaded. A model that does not load is an
    /// [`Error::LanguageModel`], and the previous grammar or model stays.
    pub fn set_language_model(&self, arpa: &str) -> Result<Vec<Pronunciation>, Error> {
        let words = arpa_words(arpa)?;
        self.activate(words, |decoder, name| {
            // Unique in the process (recognizers of one process share its id), so that two
            // recognizers loading at once do not read each other's file.
            static FILES: AtomicU64 = AtomicU64::new(0);
            let path = std::env::temp_dir().join(format!(
                "hark-lm-{}-{}.arpa",
                std::process::id(),
                FILES.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::write(&path, arpa).map_err(|e| {
                Error::LanguageModel(format!("cannot write {}: {e}", path.display()))
            })?;
            let loaded = path.to_str().is_some_and(|p| decoder.set_lm_file(name, p));
            let _ = std::fs::remove_file(&path);
            if loaded {
                Ok(())
            } else {
                Err(Error::LanguageModel(
                    "PocketSphinx could not read it as an ARPA model".to_owned(),
                ))
            }
        })
    }

    /// Pronounces the unknown ones of `words`, adds a search with `add` under a new name and
    /// makes it the active one, freeing the previous one.
    fn activate(
        &self,
        words: Vec<String>,
        add: impl FnOnce(&mut Decoder, &str) -> Result<(), Error>,
    ) -> Result<Vec<Pronunciation>, Error> {
        let mut state = self.lock();
        let mut added = Vec::new();
        let mut unknown = Vec::new();
        for word in words {
            if state.decoder.lookup(&word).is_none() {
                unknown.push(word);
            }
        }
        if !unknown.is_empty() && !state.pronounce_unknown_words {
            return Err(Error::UnknownWords(unknown));
        }
        for word in unknown {
            let phones = crate::pronounce::pronounce(&word)?;
            add_word(&mut state.decoder, &word, &phones, false)?;
            added.push(Pronunciation { word, phones });
        }
        state.generation += 1;
        let name = format!("hark-{}", state.generation);
        add(&mut state.decoder, &name)?;
        if !state.decoder.set_search(&name) {
            state.decoder.unset_search(&name);
            return Err(Error::Decoder("ps_set_search"));
        }
        if let Some(old) = state.search.replace(name) {
            state.decoder.unset_search(&old);
        }
        Ok(added)
    }

    /// Decodes one utterance (16 kHz mono samples, leading and trailing silence trimmed) against
    /// the grammar. `Ok(None)` when no complete sentence of the grammar was found, or the buffer
    /// is empty.
    pub fn recognize(&self, samples: &[i16]) -> Result<Option<Transcript>, Error> {
        let mut state = self.lock();
        if state.search.is_none() {
            return Err(Error::NoGrammar);
        }
        if samples.is_empty() {
            return Ok(None);
        }
        let hypothesis = state.decoder.decode(samples).map_err(Error::Decoder)?;
        Ok(hypothesis.map(|h| Transcript {
            text: h.text.split_whitespace().collect::<Vec<_>>().join(" "),
            score: h.score,
            frames: h.frames,
        }))
    }

    /// Like [`Recognizer::recognize`], but up to `n` different sentences, best first: the
    /// alternatives let a caller pick the best one that its grammar accepts when decoding
    /// against an n-gram model, which may prefer a sentence outside it. Only the first is
    /// given when the search has no list of alternatives (a JSGF grammar may have none).
    pub fn recognize_n_best(&self, samples: &[i16], n: usize) -> Result<Vec<Transcript>, Error> {
        let mut state = self.lock();
        if state.search.is_none() {
            return Err(Error::NoGrammar);
        }
        if samples.is_empty() || n == 0 {
            return Ok(Vec::new());
        }
        let best = state.decoder.decode(samples).map_err(Error::Decoder)?;
        Ok(n_best(&mut state.decoder, best, n))
    }

    /// The best sentence that `accepts` takes among the `n` best, or the best of all when
    /// none is: [`Recognizer::recognize_n_best`] for a caller that wants one sentence of its
    /// grammar. The alternatives are only searched when the best is refused, which saves most
    /// of the time after decoding.
    pub fn recognize_first_of(
        &self,
        samples: &[i16],
        n: usize,
        accepts: &dyn Fn(&str) -> bool,
    ) -> Result<Option<Transcript>, Error> {
        let mut state = self.lock();
        if state.search.is_none() {
            return Err(Error::NoGrammar);
        }
        if samples.is_empty() {
            return Ok(None);
        }
        let best = state.decoder.decode(samples).map_err(Error::Decoder)?;
        Ok(first_of(&mut state.decoder, best, n, accepts))
    }

    /// Starts decoding an utterance whose audio is still arriving: the decoder searches each
    /// piece as it is [pushed](Utterance::push), so that little is left to do when the speech
    /// ends. The decoder is this utterance's until it is finished or dropped; other calls wait.
    pub fn utterance(&self) -> Result<Utterance<'_>, Error> {
        Utterance::start(self.lock())
    }

    /// Like [`Recognizer::utterance`], but `Ok(None)` at once when the decoder is busy.
    pub fn try_utterance(&self) -> Result<Option<Utterance<'_>>, Error> {
        let state = match self.state.try_lock() {
            Ok(state) => state,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(None),
        };
        Utterance::start(state).map(Some)
    }

    /// The pronunciation of `word` in the decoder's dictionary (including words added), if any.
    pub fn pronunciation(&self, word: &str) -> Option<String> {
        self.lock().decoder.lookup(word)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the decoder inconsistent: every decoder
        // call completes or fails as a whole, and an utterance is always ended.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Up to `n` different sentences of the utterance the decoder just ended, `best` first.
fn n_best(decoder: &mut Decoder, best: Option<ffi::Hypothesis>, n: usize) -> Vec<Transcript> {
    let Some(best) = best.filter(|_| n > 0).map(Transcript::from) else {
        return Vec::new();
    };
    let frames = best.frames;
    let mut out = vec![best];
    decoder.n_best(n.saturating_mul(4), |text, score| {
        let text = words(text);
        if !text.is_empty() && !out.iter().any(|t| t.text == text) {
            out.push(Transcript {
                text,
                score,
                frames,
            });
        }
        out.len() < n
    });
    out
}

/// The first of the utterance's `n` best different sentences that `accepts` takes, or the best
/// when none is. The alternatives are only searched when the best is refused.
fn first_of(
    decoder: &mut Decoder,
    best: Option<ffi::Hypothesis>,
    n: usize,
    accepts: &dyn Fn(&str) -> bool,
) -> Option<Transcript> {
    let best = Transcript::from(best?);
    if n <= 1 || accepts(&best.text) {
        return Some(best);
    }
    let mut seen = vec![best.text.clone()];
    let mut found = None;
    decoder.n_best(n.saturating_mul(4), |text, score| {
        let text = words(text);
        if text.is_empty() || seen.contains(&text) {
            return true;
        }
        if accepts(&text) {
            found = Some(Transcript {
                text,
                score,
                frames: best.frames,
            });
            return false;
        }
        seen.push(text);
        seen.len() < n
    });
    Some(found.unwrap_or(best))
}

impl From<ffi::Hypothesis> for Transcript {
    fn from(hypothesis: ffi::Hypothesis) -> Transcript {
        Transcript {
            text: words(&hypothesis.text),
            score: hypothesis.score,
            frames: hypothesis.frames,
        }
    }
}

/// An utterance being decoded as it arrives ([`Recognizer::utterance`]). It holds the decoder:
/// finish it, or drop it to abandon the utterance.
pub struct Utterance<'r> {
    state: MutexGuard<'r, State>,
    /// Whether the decoder's utterance has ended (finished, or failed).
    ended: bool,
}

impl std::fmt::Debug for Utterance<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Utterance")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<'r> Utterance<'r> {
    fn start(mut state: MutexGuard<'r, State>) -> Result<Utterance<'r>, Error> {
        if state.search.is_none() {
            return Err(Error::NoGrammar);
        }
        state.decoder.start().map_err(Error::Decoder)?;
        Ok(Utterance {
            state,
            ended: false,
        })
    }

    /// Searches the next piece of the utterance (16 kHz mono).
    pub fn push(&mut self, samples: &[i16]) -> Result<(), Error> {
        if self.ended {
            return Err(Error::Decoder("the utterance has ended"));
        }
        if samples.is_empty() {
            return Ok(());
        }
        self.state
            .decoder
            .process(samples, false)
            .inspect_err(|_| self.ended = true)
            .map_err(Error::Decoder)
    }

    /// Ends the utterance: up to `n` different sentences, best first, as
    /// [`Recognizer::recognize_n_best`] gives them. Empty when no sentence was found.
    pub fn finish_n_best(mut self, n: usize) -> Result<Vec<Transcript>, Error> {
        let best = self.end()?;
        Ok(n_best(&mut self.state.decoder, best, n))
    }

    /// Ends the utterance: the sentence [`Recognizer::recognize_first_of`] would give.
    pub fn finish_first_of(
        mut self,
        n: usize,
        accepts: &dyn Fn(&str) -> bool,
    ) -> Result<Option<Transcript>, Error> {
        let best = self.end()?;
        Ok(first_of(&mut self.state.decoder, best, n, accepts))
    }

    fn end(&mut self) -> Result<Option<ffi::Hypothesis>, Error> {
        if self.ended {
            return Err(Error::Decoder("the utterance has ended"));
        }
        self.ended = true;
        self.state.decoder.end().map_err(Error::Decoder)
    }
}

impl Drop for Utterance<'_> {
    fn drop(&mut self) {
        if !self.ended {
            // Abandoned: the decoder must be ready for the next utterance.
            let _ = self.state.decoder.end();
        }
    }
}

/// The words of a hypothesis, single-spaced, without the sentence markers and fillers
/// (`<s>`, `<sil>`, `[NOISE]`, `++breath++`) and with alternative pronunciations as their word
/// (`the(2)` is `the`).
fn words(hypothesis: &str) -> String {
    hypothesis
        .split_whitespace()
        .filter(|w| !w.starts_with(['<', '[', '+']))
        .map(|w| match w.split_once('(') {
            Some((word, n)) if n.ends_with(')') && !word.is_empty() => word,
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds `word`, as an alternative pronunciation (`word(2)`, ...) when the dictionary has it.
fn add_word(decoder: &mut Decoder, word: &str, phones: &str, update: bool) -> Result<(), Error> {
    let mut entry = word.to_owned();
    let mut n = 2;
    while decoder.lookup(&entry).is_some() {
        entry = format!("{word}({n})");
        n += 1;
    }
    if decoder.add_word(&entry, phones, update) {
        Ok(())
    } else {
        Err(Error::Word {
            word: word.to_owned(),
            phones: phones.to_owned(),
        })
    }
}

/// The words of an ARPA model's unigrams, without the sentence markers and `<unk>`. An
/// [`Error::LanguageModel`] when the text has no unigrams.
fn arpa_words(arpa: &str) -> Result<Vec<String>, Error> {
    if arpa.contains('\0') {
        return Err(Error::LanguageModel(
            "it contains a NUL character".to_owned(),
        ));
    }
    if !arpa.trim_start().starts_with("\\data\\") {
        return Err(Error::LanguageModel(
            "it does not start with `\\data\\`".to_owned(),
        ));
    }
    let section = arpa
        .split_once("\\1-grams:")
        .map(|(_, rest)| rest.split("\n\\").next().unwrap_or(""))
        .ok_or_else(|| Error::LanguageModel("it has no `\\1-grams:` section".to_owned()))?;
    Ok(section
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        .filter(|w| !["<s>", "</s>", "<unk>", "<UNK>"].contains(w))
        .map(str::to_owned)
        .collect())
}

/// Catches the common mistakes with a precise message, before PocketSphinx (whose own messages
/// are silenced) sees the grammar.
fn check_jsgf(jsgf: &str) -> Result<(), Error> {
    if jsgf.contains('\0') {
        return Err(Error::Grammar("it contains a NUL character".to_owned()));
    }
    let text = strip_comments(jsgf);
    if !text.trim_start().starts_with("#JSGF") {
        return Err(Error::Grammar(
            "it does not start with a header such as `#JSGF V1.0;`".to_owned(),
        ));
    }
    if !text
        .split(';')
        .any(|s| s.trim_start().starts_with("public"))
    {
        return Err(Error::Grammar("it has no public rule".to_owned()));
    }
    let (defined, referenced) = rule_names(&text);
    if let Some(missing) = referenced.iter().find(|r| {
        !defined.contains(r) && !["NULL", "VOID"].contains(&r.as_str()) && !r.contains('.')
    }) {
        return Err(Error::Grammar(format!(
            "the rule <{missing}> is used but not defined"
        )));
    }
    for (open, close) in [('(', ')'), ('[', ']'), ('<', '>'), ('{', '}')] {
        let mut depth = 0i32;
        for c in text.chars() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
            }
            if depth < 0 {
                break;
            }
        }
        if depth != 0 {
            return Err(Error::Grammar(format!(
                "its `{open}` and `{close}` do not pair up"
            )));
        }
    }
    Ok(())
}

/// The text without `//` and `/* */` comments. Weights (`/2/`) have single slashes and stay.
fn strip_comments(jsgf: &str) -> String {
    let mut out = String::with_capacity(jsgf.len());
    let mut rest = jsgf;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
            out.push(' ');
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The rules a grammar defines, and those its rule bodies use (names without `<>`).
fn rule_names(text: &str) -> (Vec<String>, Vec<String>) {
    let mut defined = Vec::new();
    let mut referenced = Vec::new();
    for statement in text.split(';') {
        let Some((head, body)) = statement.split_once('=') else {
            continue;
        };
        let names = |s: &str| -> Vec<String> {
            s.split('<')
                .skip(1)
                .filter_map(|r| r.split_once('>').map(|(name, _)| name.trim().to_owned()))
                .collect()
        };
        defined.extend(names(head));
        referenced.extend(names(body));
    }
    (defined, referenced)
}

/// The words (terminals) of a JSGF grammar, each once, in order of appearance.
fn grammar_words(jsgf: &str) -> Vec<String> {
    let text = strip_comments(jsgf);
    let mut words: Vec<String> = Vec::new();
    for statement in text.split(';') {
        let statement = statement.trim();
        let Some((head, body)) = statement.split_once('=') else {
            continue; // header, `grammar name`, `import <...>`
        };
        if !head.trim_end().ends_with('>') {
            continue;
        }
        let mut plain = String::with_capacity(body.len());
        let mut skip_until = None;
        for c in body.chars() {
            match skip_until {
                Some(end) if c == end => skip_until = None,
                Some(_) => {}
                None => match c {
                    '<' => skip_until = Some('>'),
                    '{' => skip_until = Some('}'),
                    '/' => skip_until = Some('/'),
                    '|' | '(' | ')' | '[' | ']' | '*' | '+' | '"' => plain.push(' '),
                    c => plain.push(c),
                },
            }
        }
        for word in plain.split_whitespace() {
            if !words.iter().any(|w| w == word) {
                words.push(word.to_owned());
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAMMAR: &str = "#JSGF V1.0;\n\
        grammar test; // a comment\n\
        /* another\n one */\n\
        public <command> = (what time is it | set a timer for <number> minutes) {tag};\n\
        <number> = one | /2/ two | zorblax;\n";

    #[test]
    fn finds_the_grammar_words() {
        assert_eq!(
            grammar_words(GRAMMAR),
            [
                "what", "time", "is", "it", "set", "a", "timer", "for", "minutes", "one", "two",
                "zorblax"
            ]
        );
    }

    #[test]
    fn hypotheses_are_words_without_markers_fillers_or_variant_numbers() {
        assert_eq!(
            words("<s> cancel  the(2) <sil> [NOISE] timer ++breath++ </s>"),
            "cancel the timer"
        );
    }

    #[test]
    fn finds_the_words_of_a_language_model() {
        let arpa = "\\data\\\nngram 1=4\nngram 2=1\n\n\\1-grams:\n-99\t<s>\t-0.3\n-0.5\t</s>\n\
            -0.5\tstop\t-0.2\n-0.6\tzorblax\n\n\\2-grams:\n-0.1\tstop </s>\n\n\\end\\\n";
        assert_eq!(arpa_words(arpa).unwrap(), ["stop", "zorblax"]);
        assert!(matches!(
            arpa_words("ngram 1=2"),
            Err(Error::LanguageModel(_))
        ));
        assert!(matches!(
            arpa_words("\\data\\\nngram 1=2\n"),
            Err(Error::LanguageModel(m)) if m.contains("1-grams")
        ));
    }

    #[test]
    fn checks_the_grammar_shape() {
        assert!(check_jsgf(GRAMMAR).is_ok());
        let missing_paren = GRAMMAR.replace("{tag}", "{tag");
        assert!(matches!(check_jsgf(&missing_paren), Err(Error::Grammar(m)) if m.contains('{')));
        assert!(matches!(
            check_jsgf("grammar x; public <a> = b;"),
            Err(Error::Grammar(_))
        ));
        assert!(
            matches!(check_jsgf("#JSGF V1.0; grammar x; <a> = b;"), Err(Error::Grammar(m)) if m.contains("public"))
        );
    }
}
