//! hark-store's integration tests, one binary. Every test in `both!` runs twice: against
//! SQLite in a fresh temporary folder, and against PostgreSQL in a fresh schema (see
//! `support.rs`); PostgreSQL must be running, or the PostgreSQL half fails saying how to start
//! it.

#[macro_use]
mod support;

mod devices;
mod durability;
mod households;
mod isolation;
mod lists;
mod players;
mod scheduled;
mod tokens;
