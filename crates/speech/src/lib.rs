//! hark's speech engines: recognition with CMU PocketSphinx and synthesis with espeak-ng, both
//! in process through FFI to the system libraries.
//!
//! - [`sphinx::Recognizer`] decodes an utterance (16 kHz mono `i16`) against a JSGF grammar
//!   and returns the sentence and its score, or `None` when no sentence of the grammar fits.
//! - [`espeak::Synthesizer`] speaks text with a voice and a rate, whole or in chunks as they are
//!   produced.
//! - [`pronounce`] gives words missing from PocketSphinx's dictionary a pronunciation from
//!   espeak-ng's letter-to-sound rules, so the recognizer can hear any word a grammar uses.
//!
//! Decisions:
//!
//! - **All unsafe code is in two modules**, `sphinx/ffi.rs` and `espeak/ffi.rs`, each a safe
//!   owner of one library's handles; the crate otherwise denies `unsafe_code` (the workspace's
//!   `forbid` cannot be lifted per module, so this crate repeats the workspace lints with `deny`).
//!   The C declarations are written by hand from Debian's headers, with no bindgen; `build.rs`
//!   finds the libraries with pkg-config and names the Debian packages when they are missing.
//! - **The libraries' threading rules show in the types.** A PocketSphinx decoder may move
//!   between threads but not be used from two at once: a [`sphinx::Recognizer`] owns one behind a
//!   `Mutex`. espeak-ng has one global state per process: every synthesis takes a process-wide
//!   lock, and a [`espeak::Synthesizer`] is only the voice and rate it sets under that lock.
//! - **Audio formats stay at the edge of each engine.** The recognizer takes hark's 16 kHz; the
//!   synthesizer returns espeak-ng's own rate (22050 Hz) with the rate attached, and resampling
//!   is hark-audio's job.
//! - **hark's grammar is compiled to JSGF elsewhere.** This crate takes JSGF text.

#![deny(missing_docs)]

pub mod espeak;
pub mod pronounce;
pub mod sphinx;

use std::path::PathBuf;

pub use espeak::{Audio, Synthesizer, Voice};
pub use sphinx::{Pronunciation, Recognizer, RecognizerConfig, Transcript, Utterance};

/// What can go wrong in the speech engines.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The acoustic model folder is missing or has no `mdef`.
    #[error("no PocketSphinx acoustic model in {} (Debian: apt-get install pocketsphinx-en-us)", .0.display())]
    Model(PathBuf),
    /// The pronunciation dictionary is missing.
    #[error("no pronunciation dictionary at {} (Debian: apt-get install pocketsphinx-en-us)", .0.display())]
    Dictionary(PathBuf),
    /// PocketSphinx refused its configuration: a model it cannot read, or an option in
    /// `RecognizerConfig::options` it does not know or accept.
    #[error("PocketSphinx refused its configuration (the acoustic model in {}, or an unknown or invalid option)", .0.display())]
    Init(PathBuf),
    /// A dictionary entry was refused (a phone the acoustic model does not have).
    #[error("PocketSphinx refused the pronunciation {phones:?} of {word:?} (phones must be ARPAbet phones of the acoustic model)")]
    Word {
        /// The word.
        word: String,
        /// Its phones.
        phones: String,
    },
    /// A JSGF grammar was refused.
    #[error("the JSGF grammar was refused: {0}")]
    Grammar(String),
    /// An n-gram language model was refused.
    #[error("the language model was refused: {0}")]
    LanguageModel(String),
    /// The grammar uses words missing from the dictionary, and pronouncing them is switched off.
    #[error("the grammar uses words missing from the dictionary: {}", .0.join(", "))]
    UnknownWords(Vec<String>),
    /// espeak-ng found no phonemes for a word.
    #[error("espeak-ng has no pronunciation for {0:?}")]
    Pronunciation(String),
    /// `recognize` was called before `set_grammar`.
    #[error("no grammar is set: call Recognizer::set_grammar before decoding")]
    NoGrammar,
    /// A PocketSphinx call failed; names the call.
    #[error("PocketSphinx failed in {0}")]
    Decoder(&'static str),
    /// espeak-ng could not initialize (its data is missing).
    #[error("espeak-ng could not initialize (Debian: apt-get install espeak-ng)")]
    EspeakInit,
    /// espeak-ng has no such voice.
    #[error("espeak-ng has no voice {0:?}")]
    Voice(String),
    /// A speaking rate outside what espeak-ng accepts.
    #[error("a rate of {0} words per minute is outside espeak-ng's 80 to 450")]
    Rate(u32),
    /// Text that cannot be synthesized.
    #[error("the text cannot be synthesized: {0}")]
    Text(&'static str),
    /// espeak-ng reported an error while synthesizing.
    #[error("espeak-ng failed to synthesize")]
    Synthesis,
}
