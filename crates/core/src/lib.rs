//! hark's domain types and the seams between its parts.
//!
//! This crate does no I/O. It holds the vocabulary every other crate shares
//! (ids, households and devices, recognized intents, slot values) and the
//! seams that let a part be swapped or driven by a test: the [`Clock`] and the
//! [`skill::Skill`] trait. Newtypes keep an
//! intent name from being passed where a slot name is expected.

#![deny(missing_docs)]

mod clock;
mod household;
mod intent;
pub mod lists;
pub mod media;
mod names;
pub mod skill;
pub mod weather;

pub use clock::{Clock, ManualClock, OffsetClock, SystemClock};
pub use household::{Device, Household, Location};
pub use intent::{Intent, IntentName, SlotName, SlotValue, Stage};
pub use names::{DeviceId, HouseholdId, SessionId, TokenId};
