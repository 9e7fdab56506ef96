//! The scheduler's settings, field by field.

use std::time::Duration;

use jiff::SignedDuration;

/// How the scheduler behaves. [`Config::default`] is what hark ships with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// How late an item may still fire. An item found due later than this (hark was down, the
    /// machine slept) is recorded as missed instead. Default 10 minutes.
    pub grace: SignedDuration,
    /// The longest timer. Longer waits are alarms or reminders. Default 24 hours.
    pub max_timer: SignedDuration,
    /// How far ahead an alarm or reminder may be set. Default 366 days.
    pub max_ahead: SignedDuration,
    /// How long a snooze lasts when none is said. Default 9 minutes.
    pub snooze: SignedDuration,
    /// How long an occurrence rings when nobody stops it; then it counts as missed. Default
    /// 10 minutes.
    pub ring_limit: SignedDuration,
    /// The driver's longest sleep, so that another node's items and clock jumps are noticed.
    /// Default 30 seconds.
    pub max_sleep: Duration,
    /// How soon a refused delivery or a failed pass is tried again. Default 1 second.
    pub retry_delay: SignedDuration,
    /// How many items or firings one store call loads. Default 256.
    pub batch: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            grace: SignedDuration::from_mins(10),
            max_timer: SignedDuration::from_hours(24),
            max_ahead: SignedDuration::from_hours(366 * 24),
            snooze: SignedDuration::from_secs(hark_core::skill::DEFAULT_SNOOZE_SECS),
            ring_limit: SignedDuration::from_mins(10),
            max_sleep: Duration::from_secs(30),
            retry_delay: SignedDuration::from_secs(1),
            batch: 256,
        }
    }
}
