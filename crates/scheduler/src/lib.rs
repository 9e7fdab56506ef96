//! hark's timers, alarms and reminders: one run loop fires them, and nothing is lost on a
//! crash.
//!
//! The shape is meilisearch's index-scheduler: **one run loop owns firing**. The public methods
//! of [`Scheduler`] only check a request, write it to the store (committed before they return),
//! and wake the loop; they never fire anything. The loop is [`Scheduler::tick`], one pass, and
//! [`Scheduler::run`], the production driver that calls it and then sleeps.
//!
//! # One pass of the loop ([`Scheduler::tick`])
//!
//! 1. Read `now` from the injected [`hark_core::Clock`].
//! 2. End the rings whose [`Config::ring_limit`] has passed with nobody to stop them: each
//!    counts as missed from then on (see *Ringing* below), and the sink hears of it. First, so
//!    that a device hears an old ring end before a new one starts.
//! 3. Load the pending items due at or before `now`, of every household, earliest first, in
//!    batches (failure point [`FailPoint::LoadedDue`]).
//! 4. For each, record its occurrence with [`hark_store::Store::mark_fired`] (late by less than
//!    [`Config::grace`]) or [`hark_store::Store::mark_missed`] (late by the grace or more: it
//!    came due while hark was down). A recurring alarm moves on to its next occurrence in the
//!    same transaction. The firing row written with it is the outbox (failure point
//!    [`FailPoint::MarkedFired`], after each one).
//! 5. After each batch, deliver every unacknowledged firing to the [`FiredSink`], oldest first,
//!    and acknowledge each one the sink accepted (failure point [`FailPoint::Delivered`],
//!    between the sink's answer and the acknowledgement), so that with thousands due at once
//!    the first ring does not wait for the last to be recorded. A firing the sink refuses (its
//!    device is offline) is offered again on a later pass, and holds up no other device's:
//!    delivery pages past it.
//! 6. Report when the loop next has work: the earliest pending item's due time or ring limit,
//!    or [`Config::retry_delay`] from now if the sink refused something.
//!
//! # Ringing
//!
//! An occurrence that fired rings on its device until the first of: [`Scheduler::stop`]
//! ("stop" said to that device), [`Scheduler::snooze_ringing`] or [`Scheduler::snooze`] (it
//! rings again later, under a new firing id), [`Scheduler::cancel`] of its item, or its ring
//! limit (default 10 minutes), after which it counts as missed, like an occurrence that came
//! due while hark was down, and is told at the next interaction on that device. Each end is
//! stored once (a second stop finds nothing ringing) and then told to the sink
//! ([`FiredSink::ring_ended`]) so the device falls silent; a device that misses that message
//! stops by itself at the `ring_until` its firing carried. A one-off item is `ringing` while
//! its occurrence rings; a recurring alarm is already pending for its next occurrence, so its
//! ring shows on the firing alone ([`Scheduler::ringing`]).
//!
//! Recovery on start is nothing special: it is the first pass. Whatever came due while hark was
//! down fires at once if less than the grace late, and is otherwise recorded as missed and
//! delivered as such (so the device can say "you missed your 7:00 alarm"), kept in the store
//! with state `missed`, never silently dropped. Firings recorded but not delivered before a
//! crash are still in the outbox and are delivered by the first pass.
//!
//! # When the loop wakes ([`Scheduler::run`])
//!
//! After each pass the driver sleeps until the first of:
//!
//! - the instant the pass reported (the earliest pending item coming due, or a sink retry),
//!   measured against the injected clock when the sleep starts;
//! - a public method of any clone of this [`Scheduler`] changing an item ([`Scheduler::wake`]);
//!   a wake while a pass runs is kept, so the next sleep ends at once;
//! - [`Config::max_sleep`] after the pass, so that items written by another node (which cannot
//!   wake this one) and jumps of the system clock are noticed;
//! - the shutdown future resolving, which ends `run`.
//!
//! A pass that fails (the database is down) is retried after [`Config::retry_delay`].
//!
//! Tests do not use the driver: they move a [`hark_core::ManualClock`] and call
//! [`Scheduler::tick`], so no test ever sleeps to wait for a timer.
//!
//! # What is guaranteed
//!
//! - **Stored before acknowledged.** Every public method has committed its change when it
//!   returns.
//! - **An occurrence is recorded exactly once.** `mark_fired` is conditional on the item's
//!   version and writes the firing under the key `<item>.<version>`, in one transaction with the
//!   item: a pass repeated after a crash, or two nodes racing, record it once.
//! - **Delivery is at least once, with a stable id.** The durable mark comes first, so a crash
//!   never loses a firing; a crash after the sink took a firing but before its acknowledgement
//!   was committed delivers it again after the restart, with the same [`hark_store::FiringId`].
//!   A sink that must not ring twice stores that id with the event (the server's per-device
//!   event queue is to do so) and drops a repeat: exactly-once ringing is then the sink's insert of a
//!   unique key, not a promise this crate could keep alone. Several nodes running loops over one
//!   PostgreSQL record each occurrence once, but may each deliver it: run one loop, or rely on
//!   the same id.
//!
//! # Failure points
//!
//! With the `failpoints` feature (the crate's tests turn it on), `Scheduler::fail_at` arms a
//! named point; the pass that reaches it stops there with [`SchedulerError::Crashed`], as if
//! the process died, and the scheduler stays stopped. A test then starts a fresh scheduler on
//! the same database and checks that nothing was lost and nothing recorded twice.

#![deny(missing_docs)]

mod config;
mod error;
mod recurrence;
mod run_loop;
mod scheduler;
mod sink;

pub use config::Config;
pub use error::{Result, SchedulerError};
pub use recurrence::Recurrence;
pub use run_loop::{FailPoint, Tick};
pub use scheduler::{AlarmTime, Scheduler};
pub use sink::{BoxFuture, DeliveryError, FiredSink};

pub use hark_store::{
    Firing, FiringId, FiringOutcome, ItemId, ItemKind, ItemState, RingEnd, ScheduledItem,
};
