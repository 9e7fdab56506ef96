//! Injected time.
//!
//! Logic never reads the wall clock directly: it asks a [`Clock`]. Production
//! code uses [`SystemClock`]; tests use [`ManualClock`] and move time by hand, so
//! no test ever sleeps to wait for something to happen. [`OffsetClock`] is the
//! system's clock shifted by a fixed amount: it lets a whole process (a crash
//! test's server, a rehearsal of next Monday's alarms) live at another instant
//! while time still flows at its real pace.

use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

/// A source of the current instant.
pub trait Clock: Send + Sync {
    /// The current instant (UTC).
    fn now(&self) -> Timestamp;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// The operating system's clock shifted by a fixed offset: it reads
/// `offset` later (earlier, for a negative offset) than [`SystemClock`], and
/// runs at the same pace.
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock {
    offset: SignedDuration,
}

impl OffsetClock {
    /// The system's clock moved by `offset`.
    pub fn new(offset: SignedDuration) -> Self {
        Self { offset }
    }

    /// How far this clock is from the system's.
    pub fn offset(&self) -> SignedDuration {
        self.offset
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> Timestamp {
        // Only an offset of thousands of years reaches the end of time; stop there.
        Timestamp::now()
            .saturating_add(self.offset)
            .expect("a signed duration never fails here")
    }
}

/// A clock that only moves when told to; for tests and replays.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Timestamp>,
}

impl ManualClock {
    /// A clock standing at `now`.
    pub fn new(now: Timestamp) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    /// Sets the clock to `now` (which may be earlier than before).
    pub fn set(&self, now: Timestamp) {
        *self.lock() = now;
    }

    /// Moves the clock forward (or back, for a negative duration).
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.lock();
        *now = now
            .saturating_add(by)
            .expect("a signed duration never fails here");
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Timestamp> {
        // A poisoned lock only means another test thread panicked; the
        // timestamp inside is still a valid value.
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start: Timestamp = "2026-03-29T00:30:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(SignedDuration::from_secs(90));
        assert_eq!(
            clock.now(),
            "2026-03-29T00:31:30Z".parse::<Timestamp>().unwrap()
        );
        clock.set(start);
        assert_eq!(clock.now(), start);
    }

    #[test]
    fn offset_clock_is_the_system_clock_moved() {
        let offset = SignedDuration::from_hours(-30 * 24);
        let clock = OffsetClock::new(offset);
        let before = Timestamp::now();
        let shifted = clock.now();
        let after = Timestamp::now();
        assert!(before + offset <= shifted && shifted <= after + offset);
        assert_eq!(clock.offset(), offset);
        let far = OffsetClock::new(SignedDuration::MAX);
        assert_eq!(far.now(), Timestamp::MAX);
    }
}
