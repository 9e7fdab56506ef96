//! The run loop: one pass ([`Scheduler::tick`]) and the driver that repeats it
//! ([`Scheduler::run`]). The crate's top documentation says what a pass does and when the
//! driver wakes; this file is the code of exactly that.

use std::future::Future;
use std::time::Duration;

use hark_store::{Firing, FiringId, ScheduledItem};
use jiff::Timestamp;

use crate::scheduler::zone;
use crate::{Recurrence, Result, Scheduler, SchedulerError};

/// A named point between two steps of a pass, where a test can make the loop stop as if the
/// process had died there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailPoint {
    /// Due items were loaded; none of them is marked yet.
    LoadedDue,
    /// One item was marked fired (or missed) and its firing recorded; nothing delivered yet.
    MarkedFired,
    /// The sink accepted a firing; its acknowledgement is not written yet.
    Delivered,
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tick {
    /// The occurrences this pass recorded (fired or missed), in order.
    pub recorded: Vec<Firing>,
    /// The firings the sink accepted and the store acknowledged, in order; they may include
    /// firings recorded by an earlier pass or an earlier process.
    pub delivered: Vec<FiringId>,
    /// The rings this pass ended at their limit, unanswered (now counted as missed).
    pub unanswered: Vec<FiringId>,
    /// Whether the sink refused a firing (it stays in the outbox).
    pub refused: bool,
    /// When the loop next has work: the earliest pending item's due time, ring reaching its
    /// limit, or retry of a refused delivery; `None` if there is none.
    pub next_wake: Option<Timestamp>,
}

impl Scheduler {
    /// One pass of the run loop at the clock's current instant: records what is due, delivers
    /// what is recorded, and says when to come back. The first pass after a start is the
    /// recovery. Safe to call from several tasks or nodes at once (each occurrence is recorded
    /// once), but one loop per database is the intended use.
    pub async fn tick(&self) -> Result<Tick> {
        self.check_crashed()?;
        let now = self.inner.clock.now();
        let store = &self.inner.store;
        let batch = self.inner.config.batch;
        let mut tick = Tick::default();

        // Rings nobody stopped end at their limit, and count as missed; first, so that a
        // device hears an old ring end before a new one starts.
        loop {
            let ended = store.expire_rings(now, batch).await?;
            for firing in &ended {
                self.inner.sink.ring_ended(firing);
            }
            tick.unanswered.extend(ended.iter().map(|f| f.id.clone()));
            if ended.len() < batch as usize {
                break;
            }
        }

        loop {
            let due = store.due_items(now, batch).await?;
            self.fail_point(crate::FailPoint::LoadedDue)?;
            for item in &due {
                if let Some(firing) = self.record(item, now).await? {
                    tick.recorded.push(firing);
                }
                self.fail_point(crate::FailPoint::MarkedFired)?;
            }
            // What this batch recorded rings before the next batch is recorded: with
            // thousands due at once, the first ones must not wait for the last.
            self.deliver(now, &mut tick).await?;
            // A full batch may hide more due items. Each item loaded was recorded, or changed
            // by someone else (a newer version, which the next load judges afresh), so this
            // ends.
            if due.len() < batch as usize {
                break;
            }
        }

        tick.next_wake = earliest(store.next_due().await?, store.next_ring_end().await?);
        if tick.refused {
            let retry = now
                .saturating_add(self.inner.config.retry_delay)
                .unwrap_or(now);
            tick.next_wake = earliest(tick.next_wake, Some(retry));
        }
        Ok(tick)
    }

    /// Offers every undelivered firing to the sink, oldest first, and acknowledges each one
    /// it takes. One it refuses (its device is offline) stays for a later pass and holds up
    /// no other: the pages move past it.
    async fn deliver(&self, now: Timestamp, tick: &mut Tick) -> Result<()> {
        let store = &self.inner.store;
        let batch = self.inner.config.batch;
        let mut after: Option<Firing> = None;
        loop {
            let firings = store.undelivered_firings(after.as_ref(), batch).await?;
            for firing in &firings {
                if self.inner.sink.deliver(firing).await.is_err() {
                    tick.refused = true;
                    continue;
                }
                self.fail_point(crate::FailPoint::Delivered)?;
                store.ack_firing(&firing.id, now).await?;
                tick.delivered.push(firing.id.clone());
            }
            if firings.len() < batch as usize {
                return Ok(());
            }
            after = firings.last().cloned();
        }
    }

    /// Records one due item's occurrence: fired if late by less than the grace, missed
    /// otherwise; a recurring alarm moves on to its next occurrence. `None` if the item changed
    /// under us (cancelled, paused, or recorded by another pass).
    async fn record(&self, item: &ScheduledItem, now: Timestamp) -> Result<Option<Firing>> {
        let store = &self.inner.store;
        let on_time = now.duration_since(item.due_at) < self.inner.config.grace;
        let next = match next_occurrence(item, now) {
            Ok(next) => next,
            // A rule that cannot be read any more (its zone left the zone database): report
            // this occurrence as missed and stop the alarm, rather than ring at a wrong hour
            // or retry forever.
            Err(_) => {
                return Ok(store.mark_missed(&item.id, item.version, None, now).await?);
            }
        };
        let firing = if on_time {
            let ring_until = now
                .saturating_add(self.inner.config.ring_limit)
                .unwrap_or(now);
            store
                .mark_fired(&item.id, item.version, next, now, ring_until)
                .await?
        } else {
            store.mark_missed(&item.id, item.version, next, now).await?
        };
        Ok(firing)
    }

    /// The production driver: passes, and sleeps between them as the crate documentation
    /// says, until `shutdown` resolves. Time is read only through the injected clock; tokio's
    /// timer only measures the sleep the clock asked for. Returns early only when a failure
    /// point stopped the loop.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) -> Result<()> {
        tokio::pin!(shutdown);
        let config = &self.inner.config;
        loop {
            let sleep = match self.tick().await {
                Ok(tick) => match tick.next_wake {
                    Some(at) => {
                        let wait = at.duration_since(self.inner.clock.now());
                        Duration::try_from(wait).unwrap_or(Duration::ZERO)
                    }
                    None => config.max_sleep,
                },
                Err(e @ SchedulerError::Crashed(_)) => return Err(e),
                Err(_) => Duration::try_from(config.retry_delay).unwrap_or(Duration::ZERO),
            }
            .min(config.max_sleep);
            tokio::select! {
                () = &mut shutdown => return Ok(()),
                () = self.inner.wake.notified() => {}
                () = tokio::time::sleep(sleep) => {}
            }
        }
    }

    /// Arms a failure point: the next pass that reaches it stops there with
    /// [`SchedulerError::Crashed`], and so does every later call of [`Scheduler::tick`].
    #[cfg(feature = "failpoints")]
    pub fn fail_at(&self, point: crate::FailPoint) {
        self.lock_fail().0 = Some(point);
    }

    fn fail_point(&self, point: crate::FailPoint) -> Result<()> {
        let mut fail = self.lock_fail();
        if fail.0 == Some(point) {
            fail.1 = true;
            return Err(SchedulerError::Crashed(point));
        }
        Ok(())
    }

    fn check_crashed(&self) -> Result<()> {
        match *self.lock_fail() {
            (Some(point), true) => Err(SchedulerError::Crashed(point)),
            _ => Ok(()),
        }
    }

    fn lock_fail(&self) -> std::sync::MutexGuard<'_, (Option<crate::FailPoint>, bool)> {
        self.inner
            .fail
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Where a recurring alarm goes after this occurrence: its first occurrence after now (the
/// item is due, so now is at or after the one being recorded; a late pass skips the ones that
/// passed meanwhile, which are reported as this one missed). `None` for a one-off.
fn next_occurrence(item: &ScheduledItem, now: Timestamp) -> Result<Option<Timestamp>> {
    let (Some(rule), Some(zone_name)) = (&item.recurrence, &item.time_zone) else {
        return Ok(None);
    };
    let value: serde_json::Value = serde_json::from_str(rule)
        .map_err(|e| SchedulerError::Invalid(format!("stored alarm rule: {e}")))?;
    let rule = Recurrence::from_json(&value)?;
    Ok(Some(rule.next_after(now, &zone(zone_name)?)?))
}
