//! hark's domain types and the seams between its parts.
//!
//! This crate does no I/O. It holds the vocabulary every other crate shares
//! (intent and slot names, recognized intents, slot values) and the traits that
//! let a part be swapped or driven by a test (the [`Clock`]). Newtypes keep an
//! intent name from being passed where a slot name is expected.

#![deny(missing_docs)]

mod clock;
mod intent;

pub use clock::{Clock, ManualClock, SystemClock};
pub use intent::{Intent, IntentName, SlotName, SlotValue};
