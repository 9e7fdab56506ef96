//! hark-speech's integration tests, one binary: the engines against the real libraries, with
//! speech synthesized by espeak-ng and decoded by PocketSphinx.

mod recognize;
mod support;
mod synthesize;
