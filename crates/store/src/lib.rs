//! hark's durable store: households, their devices, the API tokens that act for them, and
//! their timers, alarms and reminders (see `schedule.rs`).
//!
//! One API, [`Store`], over two engines:
//!
//! - **SQLite** (the default): one file in the data folder, nothing to run beside hark. One
//!   connection, its statements run on tokio's blocking pool (see `sqlite.rs`).
//! - **PostgreSQL**: one database that several hark nodes share. A small pool of connections
//!   (see `postgres.rs`).
//!
//! [`Store::open`] picks the engine from a URL or path, and brings the schema up to date from
//! one set of numbered migrations written in SQL both engines accept (see `migrate.rs`); a
//! database whose schema is newer than the code is refused.
//!
//! Decisions that hold for both engines:
//!
//! - **Durable before it returns.** Every method is one statement, committed on its own: with
//!   SQLite in write-ahead-log mode and `synchronous=FULL`, with PostgreSQL by its normal commit.
//!   The exceptions, [`Store::mark_fired`], [`Store::mark_missed`] and [`Store::end_ring`],
//!   change an item and its firing in one transaction, committed the same way.
//! - **One household at a time.** Every read and write of a household's devices and tokens
//!   filters by the household id in SQL; an id of household A asked with household B is not
//!   found. A device-scoped token references (household, device), so it can only name a device
//!   of its own household.
//! - **Random ids.** `hh_...` and `dev_...` ids are random base32, never sequential.
//! - **Tokens** are `hark_<id>_<secret>`, shown once; only a SHA-256 hash of the text is kept,
//!   compared in constant time. Nothing here logs or returns a secret in an error.
//! - **A dropped call may still land.** A statement that has started runs to its end even if
//!   the future awaiting it is dropped (SQLite's runs on a blocking thread; PostgreSQL's is on
//!   the server); a caller that gives up on a write must not assume it did not happen.
//! - **Time is injected**: each write takes `now`. Times are stored as milliseconds since the
//!   Unix epoch, and returned records carry that precision.

#![deny(missing_docs)]

mod db;
mod error;
mod lists;
mod migrate;
// The music library (issue 7).
mod music;
// Each device's player (issue 7).
mod players;
mod postgres;
mod schedule;
mod sqlite;
mod store;
mod token;
mod types;

pub use error::{Result, StoreError};
pub use lists::{AddOutcome, AddedItem, List, ListItem, ListItemId, MAX_ITEMS_PER_ADD};
pub use migrate::SCHEMA_VERSION;
// The music library (issue 7).
pub use music::{PlaylistRow, StoredFile, TrackRow, TRACK_BATCH};
// Each device's player (issue 7).
pub use players::Player;
pub use postgres::POOL_SIZE as POSTGRES_POOL_SIZE;
pub use schedule::{
    Firing, FiringId, FiringOutcome, ItemChange, ItemId, ItemKind, ItemState, NewItem, RingEnd,
    ScheduledItem,
};
pub use store::Store;
pub use types::{Founded, HouseholdUpdate, NewHousehold, Scope, TokenInfo};
