//! [`Scheduler`]'s public methods: check, write to the store, wake the loop. None of them fires
//! anything; that is the run loop's alone (`run_loop.rs`).

use std::sync::{Arc, Mutex};

use hark_core::{Clock, DeviceId, HouseholdId};
use hark_store::{
    Firing, FiringId, FiringOutcome, ItemChange, ItemId, ItemKind, ItemState, NewItem, RingEnd,
    ScheduledItem, Store,
};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;

use crate::run_loop::FailPoint;
use crate::{Config, FiredSink, Recurrence, Result, SchedulerError};

/// When an alarm rings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlarmTime {
    /// Once, at this instant.
    Once(Timestamp),
    /// By a weekly rule, read in the household's zone.
    Every(Recurrence),
}

/// Durable timers, alarms and reminders over a [`Store`], and the one run loop that fires them.
///
/// Cheap to clone; the clones share the loop's wake-up signal, so a change made through any
/// clone wakes the loop run by another.
#[derive(Clone)]
pub struct Scheduler {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sink: Arc<dyn FiredSink>,
    pub(crate) config: Config,
    pub(crate) wake: Notify,
    /// The armed failure point, and whether the loop stopped at one.
    pub(crate) fail: Mutex<(Option<FailPoint>, bool)>,
}

impl Scheduler {
    /// A scheduler over `store`, reading time from `clock`, delivering to `sink`. Nothing runs
    /// until [`Scheduler::tick`] or [`Scheduler::run`] is called; the first pass recovers what
    /// came due while no loop ran.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        sink: Arc<dyn FiredSink>,
        config: Config,
    ) -> Scheduler {
        Scheduler {
            inner: Arc::new(Inner {
                store,
                clock,
                sink,
                config,
                wake: Notify::new(),
                fail: Mutex::new((None, false)),
            }),
        }
    }

    /// Its settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The store it works on.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Wakes the run loop: it makes a pass now (or as soon as the current one ends).
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    async fn create(&self, household: &HouseholdId, new: NewItem) -> Result<ScheduledItem> {
        let item = self
            .inner
            .store
            .create_item(household, new, self.now())
            .await?;
        self.wake();
        Ok(item)
    }

    /// Starts a timer of `duration` on `device`, optionally named ("pasta"). A timer runs for
    /// at least one second and at most [`Config::max_timer`].
    pub async fn start_timer(
        &self,
        household: &HouseholdId,
        device: &DeviceId,
        duration: SignedDuration,
        name: Option<&str>,
    ) -> Result<ScheduledItem> {
        self.check_timer(duration)?;
        let now = self.now();
        let due_at = now
            .checked_add(duration)
            .map_err(|e| SchedulerError::Invalid(format!("that timer would end too late: {e}")))?;
        self.create(
            household,
            NewItem {
                device: device.clone(),
                kind: ItemKind::Timer,
                name: name.map(str::to_owned),
                label: None,
                sound: None,
                text: None,
                due_at,
                duration: Some(duration),
                recurrence: None,
                time_zone: None,
            },
        )
        .await
    }

    fn check_timer(&self, duration: SignedDuration) -> Result<()> {
        if duration < SignedDuration::from_secs(1) {
            return Err(SchedulerError::Invalid(
                "a timer must run for at least one second".into(),
            ));
        }
        let max = self.inner.config.max_timer;
        if duration > max {
            return Err(SchedulerError::Invalid(format!(
                "a timer can run for at most {}; for longer, set an alarm or a reminder",
                hours(max)
            )));
        }
        Ok(())
    }

    /// Sets an alarm on `device`, once or by a weekly rule read in the household's zone, with
    /// an optional label. A one-off alarm must be in the future, within
    /// [`Config::max_ahead`].
    pub async fn set_alarm(
        &self,
        household: &HouseholdId,
        device: &DeviceId,
        when: AlarmTime,
        label: Option<&str>,
    ) -> Result<ScheduledItem> {
        self.set_alarm_with_sound(household, device, when, label, None)
            .await
    }

    /// As [`Scheduler::set_alarm`], ringing with `sound`, one of
    /// [`hark_core::skill::ALARM_SOUNDS`] (the device's default if `None`).
    pub async fn set_alarm_with_sound(
        &self,
        household: &HouseholdId,
        device: &DeviceId,
        when: AlarmTime,
        label: Option<&str>,
        sound: Option<&str>,
    ) -> Result<ScheduledItem> {
        let sound = sound.map(str::trim).map(str::to_lowercase);
        if let Some(sound) = &sound {
            if !hark_core::skill::ALARM_SOUNDS.contains(&sound.as_str()) {
                return Err(SchedulerError::Invalid(format!(
                    "there is no alarm sound called {sound:?}; there are {}",
                    hark_core::skill::ALARM_SOUNDS.join(", ")
                )));
            }
        }
        let now = self.now();
        let (due_at, recurrence, time_zone) = match when {
            AlarmTime::Once(at) => (self.check_ahead(at, now)?, None, None),
            AlarmTime::Every(rule) => {
                let zone_name = self
                    .inner
                    .store
                    .household(household)
                    .await?
                    .ok_or(SchedulerError::NotFound)?
                    .time_zone;
                let zone = zone(&zone_name)?;
                let first = rule.next_after(now, &zone)?;
                (first, Some(rule.to_json().to_string()), Some(zone_name))
            }
        };
        self.create(
            household,
            NewItem {
                device: device.clone(),
                kind: ItemKind::Alarm,
                name: None,
                label: label.map(str::to_owned),
                sound,
                text: None,
                due_at,
                duration: None,
                recurrence,
                time_zone,
            },
        )
        .await
    }

    /// Sets a reminder on `device` that says `text` at `at`, which must be in the future, within
    /// [`Config::max_ahead`].
    pub async fn add_reminder(
        &self,
        household: &HouseholdId,
        device: &DeviceId,
        at: Timestamp,
        text: &str,
    ) -> Result<ScheduledItem> {
        if text.trim().is_empty() {
            return Err(SchedulerError::Invalid(
                "a reminder needs something to remind of".into(),
            ));
        }
        let due_at = self.check_ahead(at, self.now())?;
        self.create(
            household,
            NewItem {
                device: device.clone(),
                kind: ItemKind::Reminder,
                name: None,
                label: None,
                sound: None,
                text: Some(text.to_owned()),
                due_at,
                duration: None,
                recurrence: None,
                time_zone: None,
            },
        )
        .await
    }

    fn check_ahead(&self, at: Timestamp, now: Timestamp) -> Result<Timestamp> {
        if at <= now {
            return Err(SchedulerError::Invalid(
                "that time has already passed".into(),
            ));
        }
        if at.duration_since(now) > self.inner.config.max_ahead {
            return Err(SchedulerError::Invalid(format!(
                "that is too far ahead: at most {} days",
                self.inner.config.max_ahead.as_hours() / 24
            )));
        }
        Ok(at)
    }

    async fn change(
        &self,
        household: &HouseholdId,
        id: &ItemId,
        expected_version: Option<i64>,
        change: ItemChange,
    ) -> Result<ScheduledItem> {
        let item = self
            .inner
            .store
            .update_item(household, id, expected_version, change, self.now())
            .await?;
        self.wake();
        Ok(item)
    }

    /// Pauses a running timer; what is left is kept.
    pub async fn pause(&self, household: &HouseholdId, id: &ItemId) -> Result<ScheduledItem> {
        self.change(household, id, None, ItemChange::Pause).await
    }

    /// Resumes a paused timer.
    pub async fn resume(&self, household: &HouseholdId, id: &ItemId) -> Result<ScheduledItem> {
        self.change(household, id, None, ItemChange::Resume).await
    }

    /// Adds time to a running or paused timer (or removes it, when `by` is negative); the
    /// timer's whole length stays within [`Config::max_timer`] and it must still end after now.
    pub async fn adjust(
        &self,
        household: &HouseholdId,
        id: &ItemId,
        by: SignedDuration,
    ) -> Result<ScheduledItem> {
        let item = self
            .item(household, id)
            .await?
            .ok_or(SchedulerError::NotFound)?;
        if let Some(duration) = item.duration {
            if duration + by > self.inner.config.max_timer {
                return Err(SchedulerError::Invalid(format!(
                    "a timer can run for at most {}",
                    hours(self.inner.config.max_timer)
                )));
            }
        }
        self.change(household, id, Some(item.version), ItemChange::Adjust(by))
            .await
    }

    /// Moves a pending alarm or reminder to another instant (the next occurrence only, for a
    /// recurring alarm).
    pub async fn reschedule(
        &self,
        household: &HouseholdId,
        id: &ItemId,
        at: Timestamp,
    ) -> Result<ScheduledItem> {
        let at = self.check_ahead(at, self.now())?;
        self.change(household, id, None, ItemChange::Reschedule(at))
            .await
    }

    /// Snoozes an item that fired: it fires again `by` from now ([`Config::snooze`] if `None`).
    /// A one-off item becomes pending again; a recurring alarm, which has already moved on to
    /// its next occurrence, gets a one-off copy (returned) and is itself unchanged. If it is
    /// ringing, the ring ends (after the snooze is stored, so a crash between the two leaves
    /// the snooze and, at worst, a ring that runs to its limit).
    pub async fn snooze(
        &self,
        household: &HouseholdId,
        id: &ItemId,
        by: Option<SignedDuration>,
    ) -> Result<ScheduledItem> {
        let snoozed = self.snooze_item(household, id, by).await?;
        self.end_rings_of(household, id, RingEnd::Snoozed).await?;
        Ok(snoozed)
    }

    async fn snooze_item(
        &self,
        household: &HouseholdId,
        id: &ItemId,
        by: Option<SignedDuration>,
    ) -> Result<ScheduledItem> {
        let by = by.unwrap_or(self.inner.config.snooze);
        if by < SignedDuration::from_secs(1) || by > SignedDuration::from_hours(24) {
            return Err(SchedulerError::Invalid(
                "a snooze lasts between one second and one day".into(),
            ));
        }
        let now = self.now();
        let until = now
            .checked_add(by)
            .map_err(|e| SchedulerError::Invalid(e.to_string()))?;
        let item = self
            .item(household, id)
            .await?
            .ok_or(SchedulerError::NotFound)?;
        if item.recurrence.is_none() {
            return self
                .change(household, id, Some(item.version), ItemChange::Snooze(until))
                .await;
        }
        if item.fire_count == 0 {
            return Err(SchedulerError::Invalid(
                "that alarm has not rung yet, so it cannot be snoozed".into(),
            ));
        }
        self.create(
            household,
            NewItem {
                device: item.device,
                kind: ItemKind::Alarm,
                name: item.name,
                label: item.label,
                sound: item.sound,
                text: None,
                due_at: until,
                duration: None,
                recurrence: None,
                time_zone: None,
            },
        )
        .await
    }

    /// Cancels a pending, paused or ringing item. It is kept, as cancelled, and never fires;
    /// if it was ringing, the ring ends.
    pub async fn cancel(&self, household: &HouseholdId, id: &ItemId) -> Result<ScheduledItem> {
        let cancelled = self.change(household, id, None, ItemChange::Cancel).await?;
        self.end_rings_of(household, id, RingEnd::Cancelled).await?;
        Ok(cancelled)
    }

    /// What rings now in the household, on one device if given, oldest first.
    pub async fn ringing(
        &self,
        household: &HouseholdId,
        device: Option<&DeviceId>,
    ) -> Result<Vec<Firing>> {
        Ok(self
            .inner
            .store
            .ringing(household, device, self.now())
            .await?)
    }

    /// Stops the ringing occurrence `id`, and returns it as ended: a one-off item becomes
    /// fired. [`SchedulerError::NotFound`] if nothing of the household rings under that id.
    pub async fn stop(&self, household: &HouseholdId, id: &FiringId) -> Result<Firing> {
        self.end_ring(household, id, RingEnd::Stopped)
            .await?
            .ok_or(SchedulerError::NotFound)
    }

    /// Snoozes the ringing occurrence `id`: its item rings again `by` from now (see
    /// [`Scheduler::snooze`]), and the ring ends. Returns the item that will ring.
    pub async fn snooze_ringing(
        &self,
        household: &HouseholdId,
        id: &FiringId,
        by: Option<SignedDuration>,
    ) -> Result<ScheduledItem> {
        let firing = self
            .ring(household, id)
            .await?
            .ok_or(SchedulerError::NotFound)?;
        let snoozed = self.snooze_item(household, &firing.item, by).await?;
        self.end_ring(household, id, RingEnd::Snoozed).await?;
        Ok(snoozed)
    }

    /// The household's occurrence `id`, if it rings now.
    pub async fn ring(&self, household: &HouseholdId, id: &FiringId) -> Result<Option<Firing>> {
        let firing = self.inner.store.firing(household, id).await?;
        Ok(firing.filter(|f| f.rings_at(self.now())))
    }

    async fn end_ring(
        &self,
        household: &HouseholdId,
        id: &FiringId,
        how: RingEnd,
    ) -> Result<Option<Firing>> {
        let ended = self
            .inner
            .store
            .end_ring(household, id, how, self.now())
            .await?;
        if let Some(firing) = &ended {
            self.inner.sink.ring_ended(firing);
            self.wake();
        }
        Ok(ended)
    }

    async fn end_rings_of(
        &self,
        household: &HouseholdId,
        item: &ItemId,
        how: RingEnd,
    ) -> Result<()> {
        for firing in self.ringing(household, None).await? {
            if firing.item == *item {
                self.end_ring(household, &firing.id, how).await?;
            }
        }
        Ok(())
    }

    /// The household's item with this id.
    pub async fn item(
        &self,
        household: &HouseholdId,
        id: &ItemId,
    ) -> Result<Option<ScheduledItem>> {
        Ok(self.inner.store.item(household, id).await?)
    }

    /// The household's items, oldest first, of one kind and in one state if given.
    pub async fn items(
        &self,
        household: &HouseholdId,
        kind: Option<ItemKind>,
        state: Option<ItemState>,
    ) -> Result<Vec<ScheduledItem>> {
        Ok(self.inner.store.items(household, kind, state).await?)
    }

    /// The household's latest missed occurrences, latest first, at most `limit`.
    pub async fn missed(&self, household: &HouseholdId, limit: u32) -> Result<Vec<Firing>> {
        Ok(self
            .inner
            .store
            .firings(household, Some(FiringOutcome::Missed), limit)
            .await?)
    }
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("store", &self.inner.store)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// A stored zone name as a zone; a name the zone database lost is an error, not UTC, since
/// an alarm at the wrong hour is worse than one reported as unreadable.
pub(crate) fn zone(name: &str) -> Result<TimeZone> {
    TimeZone::get(name)
        .map_err(|e| SchedulerError::Invalid(format!("unknown time zone {name:?}: {e}")))
}

fn hours(duration: SignedDuration) -> String {
    let hours = duration.as_hours();
    if hours == 1 {
        "1 hour".into()
    } else {
        format!("{hours} hours")
    }
}
