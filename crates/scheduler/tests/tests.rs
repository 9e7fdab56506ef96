//! hark-scheduler's integration tests, one binary. Every test in `both!` runs twice: on SQLite
//! in a fresh temporary folder and on PostgreSQL in a fresh schema (see `support.rs`). Time is
//! a manual clock moved by the test, and the loop is driven pass by pass with
//! `Scheduler::tick`: no test sleeps to wait for a timer.

#[macro_use]
mod support;

mod alarms;
mod crashes;
mod driver;
mod input;
mod ringing;
mod sigkill;
mod timers;
