//! hark's built-in skills, each with what it says beside it.
//!
//! A skill turns one recognized intent into an outcome (see
//! [`hark_core::skill`]): it is handed the time in the turn, does no I/O and
//! returns effects for the runtime to apply. Each skill is one module, with
//! its response files under `<skill>/responses/<language>.yaml`:
//!
//! | module | skill | intents |
//! | --- | --- | --- |
//! | [`clock`] | the time and the date | `HassGetCurrentTime`, `HassGetCurrentDate` |
//!
//! The key decision: what a skill says lives in [`responses`] files, checked
//! against the keys and placeholders the skill fills when it is built, so a
//! translation is a file, not code, and a broken one fails the tests. The
//! pieces that are rules rather than sentences (how a time or a date is
//! said) are code, in [`spoken`].

#![deny(missing_docs)]

pub mod clock;
mod error;
pub mod responses;
pub mod slots;
pub mod spoken;
#[cfg(test)]
mod testing;

pub use error::Error;
