//! Timers, alarms and reminders ("scheduled items"), and the outbox of their firings.
//!
//! The store keeps the facts; hark-scheduler decides when things fire. Two tables:
//!
//! - `scheduled_items`: one row per timer, alarm or reminder. Its `due_at` is an absolute
//!   instant; a recurring alarm also keeps its rule and zone (read by the scheduler, opaque
//!   here). `version` grows by one with every change, so a caller that read version 7 can say
//!   "only if it is still version 7" ([`Store::update_item`]'s optimistic concurrency).
//! - `scheduled_firings`: the outbox. [`Store::mark_fired`] and [`Store::mark_missed`] change
//!   the item *and* insert the firing in one transaction, keyed `"<item>.<version>"`: an
//!   occurrence is recorded at most once, however often or from however many nodes the call is
//!   made. The firing stays undelivered until [`Store::ack_firing`], so a crash between
//!   recording and delivering loses nothing: the firing is still there to deliver.
//!
//! As everywhere in the store, every household-facing call filters by household in SQL. The
//! calls without a household ([`Store::due_items`], [`Store::next_due`], the firing calls) are
//! for the scheduler's run loop, which serves every household.

use std::fmt;

use hark_core::{DeviceId, HouseholdId};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::db::{Row, Step, Value};
use crate::store::{clean_text, millis, one, timestamp, to_millisecond};
use crate::{token, Result, Store, StoreError};

hark_core::name_type!(
    /// A timer, alarm or reminder: `tmr_...`, `alm_...` or `rem_...`.
    ItemId
);
hark_core::name_type!(
    /// One occurrence of an item firing (or being missed): `<item id>.<item version>`.
    FiringId
);

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Counts down a duration; can be paused.
    Timer,
    /// Rings at a time, once or by a weekly rule.
    Alarm,
    /// Speaks its text at a time.
    Reminder,
}

impl ItemKind {
    /// Its name in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Timer => "timer",
            ItemKind::Alarm => "alarm",
            ItemKind::Reminder => "reminder",
        }
    }

    fn parse(text: &str) -> Result<ItemKind> {
        Ok(match text {
            "timer" => ItemKind::Timer,
            "alarm" => ItemKind::Alarm,
            "reminder" => ItemKind::Reminder,
            other => return Err(bad_row("kind", other)),
        })
    }

    fn id_prefix(self) -> &'static str {
        match self {
            ItemKind::Timer => "tmr",
            ItemKind::Alarm => "alm",
            ItemKind::Reminder => "rem",
        }
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Waiting for `due_at` (a recurring alarm is always pending between occurrences).
    Pending,
    /// A timer stopped with `remaining` left.
    Paused,
    /// A one-off item that fired and rings on its device until it is stopped, snoozed or
    /// cancelled, or its ring limit passes (see `ringing.rs`).
    Ringing,
    /// A one-off item that rang and was stopped.
    Fired,
    /// A one-off item that came due while hark was down, beyond the grace (reported, not
    /// rung), or that rang until its limit with nobody to stop it.
    Missed,
    /// Cancelled before it fired.
    Cancelled,
}

impl ItemState {
    /// Its name in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Pending => "pending",
            ItemState::Paused => "paused",
            ItemState::Ringing => "ringing",
            ItemState::Fired => "fired",
            ItemState::Missed => "missed",
            ItemState::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> Result<ItemState> {
        Ok(match text {
            "pending" => ItemState::Pending,
            "paused" => ItemState::Paused,
            "ringing" => ItemState::Ringing,
            "fired" => ItemState::Fired,
            "missed" => ItemState::Missed,
            "cancelled" => ItemState::Cancelled,
            other => return Err(bad_row("state", other)),
        })
    }
}

impl fmt::Display for ItemState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A timer, alarm or reminder as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledItem {
    /// Its id.
    pub id: ItemId,
    /// The household it belongs to.
    pub household: HouseholdId,
    /// The device it rings on.
    pub device: DeviceId,
    /// Timer, alarm or reminder.
    pub kind: ItemKind,
    /// A name people use for it ("pasta" for the pasta timer).
    pub name: Option<String>,
    /// An alarm's label ("wake up").
    pub label: Option<String>,
    /// An alarm's sound, by name ("birdsong"); the device's default if `None`.
    pub sound: Option<String>,
    /// What a reminder says.
    pub text: Option<String>,
    /// Where it is in its life.
    pub state: ItemState,
    /// When it fires next (to the millisecond). For a paused timer, stale: see `remaining`.
    pub due_at: Timestamp,
    /// A timer's whole length, including time added or removed since.
    pub duration: Option<SignedDuration>,
    /// What was left of a timer when it was paused.
    pub remaining: Option<SignedDuration>,
    /// A recurring alarm's rule, as JSON (`{"weekdays": [...], "time": "HH:MM"}`).
    pub recurrence: Option<String>,
    /// The IANA zone a recurring alarm's rule is read in.
    pub time_zone: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Grows by one with every change: the token of optimistic concurrency.
    pub version: i64,
    /// How many occurrences fired or were missed.
    pub fire_count: i64,
}

/// An item to create. The store checks its shape (a timer has a duration, only an alarm has a
/// rule, and a rule has a zone) and cleans its texts; what makes sense (how long a timer may
/// run, whether a rule parses) is the scheduler's to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    /// The device it rings on; it must belong to the household.
    pub device: DeviceId,
    /// Timer, alarm or reminder.
    pub kind: ItemKind,
    /// See [`ScheduledItem::name`].
    pub name: Option<String>,
    /// See [`ScheduledItem::label`].
    pub label: Option<String>,
    /// See [`ScheduledItem::sound`].
    pub sound: Option<String>,
    /// See [`ScheduledItem::text`].
    pub text: Option<String>,
    /// When it first fires.
    pub due_at: Timestamp,
    /// A timer's length (required for timers, refused for the others).
    pub duration: Option<SignedDuration>,
    /// A recurring alarm's rule, as JSON.
    pub recurrence: Option<String>,
    /// The zone the rule is read in (required with a rule).
    pub time_zone: Option<String>,
}

/// A change to an item, made by [`Store::update_item`] in one statement that also checks the
/// item is in a state the change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemChange {
    /// A pending timer stops; what is left is kept.
    Pause,
    /// A paused timer goes on: due `now` plus what was left.
    Resume,
    /// A pending or paused timer gets time added (or removed, when negative); it must still
    /// end after now.
    Adjust(SignedDuration),
    /// A pending item moves to another instant.
    Reschedule(Timestamp),
    /// A one-off item that fired (or is ringing) fires again at this instant.
    Snooze(Timestamp),
    /// A pending, paused or ringing item is cancelled.
    Cancel,
}

impl ItemChange {
    fn verb(&self) -> &'static str {
        match self {
            ItemChange::Pause => "paused",
            ItemChange::Resume => "resumed",
            ItemChange::Adjust(_) => "given more or less time",
            ItemChange::Reschedule(_) => "moved",
            ItemChange::Snooze(_) => "snoozed",
            ItemChange::Cancel => "cancelled",
        }
    }
}

/// Whether an occurrence rang or was reported as missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiringOutcome {
    /// It fired (on time, or late by less than the scheduler's grace).
    Fired,
    /// It came due while hark could not fire it, too long ago to ring now.
    Missed,
}

impl FiringOutcome {
    fn as_str(self) -> &'static str {
        match self {
            FiringOutcome::Fired => "fired",
            FiringOutcome::Missed => "missed",
        }
    }
}

/// One occurrence of an item that fired or was missed: a row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Firing {
    /// `<item id>.<item version when it fired>`: the same occurrence always has the same id,
    /// so a receiver can drop a second delivery of it.
    pub id: FiringId,
    /// The item.
    pub item: ItemId,
    /// Its household.
    pub household: HouseholdId,
    /// The device to ring.
    pub device: DeviceId,
    /// The item's kind.
    pub kind: ItemKind,
    /// The item's name when it fired.
    pub name: Option<String>,
    /// The item's label when it fired.
    pub label: Option<String>,
    /// The alarm's sound when it fired.
    pub sound: Option<String>,
    /// The reminder's text.
    pub text: Option<String>,
    /// Rang, or missed.
    pub outcome: FiringOutcome,
    /// When the occurrence was due.
    pub due_at: Timestamp,
    /// When it was recorded.
    pub fired_at: Timestamp,
    /// When the sink acknowledged it; `None` while it still has to be delivered.
    pub delivered_at: Option<Timestamp>,
    /// When a fired occurrence stops ringing by itself; `None` for a missed one.
    pub ring_until: Option<Timestamp>,
    /// When it stopped ringing; `None` while it rings. A missed one that never rang is over
    /// when it is recorded.
    pub ended_at: Option<Timestamp>,
    /// Why it stopped ringing.
    pub ended_by: Option<RingEnd>,
    /// When a missed occurrence was told on its device; `None` until then.
    pub announced_at: Option<Timestamp>,
}

impl Firing {
    /// Whether it is ringing at `now`: it fired, nobody ended it, and its limit has not passed
    /// (the run loop ends a ring at its limit, but may not have got there yet).
    pub fn rings_at(&self, now: Timestamp) -> bool {
        self.outcome == FiringOutcome::Fired
            && self.ended_at.is_none()
            && self.ring_until.is_some_and(|until| now < until)
    }
}

/// Why an occurrence stopped ringing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingEnd {
    /// Someone stopped it ("stop", or the API).
    Stopped,
    /// Someone snoozed it; it rings again later.
    Snoozed,
    /// Its item was cancelled while it rang.
    Cancelled,
    /// Its ring limit passed with nobody to stop it: it counts as missed.
    Unanswered,
}

impl RingEnd {
    /// Its name in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            RingEnd::Stopped => "stopped",
            RingEnd::Snoozed => "snoozed",
            RingEnd::Cancelled => "cancelled",
            RingEnd::Unanswered => "unanswered",
        }
    }

    fn parse(text: &str) -> Result<RingEnd> {
        Ok(match text {
            "stopped" => RingEnd::Stopped,
            "snoozed" => RingEnd::Snoozed,
            "cancelled" => RingEnd::Cancelled,
            "unanswered" => RingEnd::Unanswered,
            other => return Err(bad_row("ended_by", other)),
        })
    }
}

macro_rules! item_columns {
    () => {
        "id, household_id, device_id, kind, name, label, body, state, due_at, duration_ms, \
         remaining_ms, recurrence, time_zone, created_at, updated_at, version, fire_count, sound"
    };
}

macro_rules! firing_columns {
    () => {
        "id, item_id, household_id, device_id, kind, name, label, body, outcome, due_at, \
         fired_at, delivered_at, ring_until, ended_at, ended_by, announced_at, sound"
    };
}

/// The condition every household-facing update starts with: this household's item, at the
/// expected version if one is given.
macro_rules! update_where {
    () => {
        " WHERE household_id = $1 AND id = $2 AND (CAST($3 AS BIGINT) IS NULL OR version = $3)"
    };
}

macro_rules! update_set {
    () => {
        "UPDATE scheduled_items SET version = version + 1, updated_at = $4, "
    };
}

/// A reminder's text: at most this many characters (names and labels keep the store's usual
/// limit of 100).
const MAX_TEXT_CHARS: usize = 500;

impl Store {
    /// Creates a timer, alarm or reminder, pending, at version 1.
    /// [`StoreError::NotFound`] if the household has no such device;
    /// [`StoreError::Invalid`] if the item's shape is wrong.
    pub async fn create_item(
        &self,
        household: &HouseholdId,
        new: NewItem,
        now: Timestamp,
    ) -> Result<ScheduledItem> {
        let (item, params) = new_item_row(household, new, now)?;
        self.inner.execute(INSERT_ITEM, params).await?;
        Ok(item)
    }

    /// Creates many items in one transaction, each as [`Store::create_item`] would: all of
    /// them or, on the first error, none. For filling a database fast (benchmarks, imports);
    /// one commit instead of one per item.
    pub async fn create_items(
        &self,
        household: &HouseholdId,
        new: Vec<NewItem>,
        now: Timestamp,
    ) -> Result<Vec<ScheduledItem>> {
        let mut items = Vec::with_capacity(new.len());
        let mut steps = Vec::with_capacity(new.len());
        for new in new {
            let (item, params) = new_item_row(household, new, now)?;
            items.push(item);
            steps.push(Step {
                sql: INSERT_ITEM,
                params,
                required: true,
            });
        }
        if !self.inner.transaction(steps).await? {
            return Err(StoreError::Database("an item insert changed no row".into()));
        }
        Ok(items)
    }

    /// The household's item with this id, if there is one.
    pub async fn item(
        &self,
        household: &HouseholdId,
        id: &ItemId,
    ) -> Result<Option<ScheduledItem>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    item_columns!(),
                    " FROM scheduled_items WHERE household_id = $1 AND id = $2"
                ),
                vec![household.as_str().into(), id.as_str().into()],
            )
            .await?;
        rows.first().map(item).transpose()
    }

    /// The household's items, oldest first, of one kind and in one state if given.
    pub async fn items(
        &self,
        household: &HouseholdId,
        kind: Option<ItemKind>,
        state: Option<ItemState>,
    ) -> Result<Vec<ScheduledItem>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    item_columns!(),
                    " FROM scheduled_items WHERE household_id = $1 ",
                    "AND (CAST($2 AS TEXT) IS NULL OR kind = $2) ",
                    "AND (CAST($3 AS TEXT) IS NULL OR state = $3) ",
                    "ORDER BY created_at, id"
                ),
                vec![
                    household.as_str().into(),
                    kind.map(ItemKind::as_str).into(),
                    state.map(ItemState::as_str).into(),
                ],
            )
            .await?;
        rows.iter().map(item).collect()
    }

    /// Changes an item of this household and returns it as stored, one version higher.
    ///
    /// With `expected_version`, the change applies only if the item is still at that version
    /// ([`StoreError::Conflict`] otherwise). Either way the change applies only in the states
    /// it makes sense in ([`StoreError::Invalid`] otherwise, saying why), checked by the same
    /// statement that writes it. [`StoreError::NotFound`] if the household has no such item.
    pub async fn update_item(
        &self,
        household: &HouseholdId,
        id: &ItemId,
        expected_version: Option<i64>,
        change: ItemChange,
        now: Timestamp,
    ) -> Result<ScheduledItem> {
        let mut params: Vec<Value> = vec![
            household.as_str().into(),
            id.as_str().into(),
            expected_version.into(),
            millis(to_millisecond(now)?),
        ];
        let sql: &'static str = match change {
            ItemChange::Pause => concat!(
                update_set!(),
                "state = 'paused', ",
                "remaining_ms = CASE WHEN due_at > $4 THEN due_at - $4 ELSE 0 END",
                update_where!(),
                " AND kind = 'timer' AND state = 'pending' RETURNING ",
                item_columns!()
            ),
            ItemChange::Resume => concat!(
                update_set!(),
                "state = 'pending', due_at = $4 + remaining_ms, remaining_ms = NULL",
                update_where!(),
                " AND state = 'paused' RETURNING ",
                item_columns!()
            ),
            ItemChange::Adjust(by) => {
                params.push(Value::Int(duration_millis(by)));
                concat!(
                    update_set!(),
                    "due_at = CASE WHEN state = 'pending' THEN due_at + $5 ELSE due_at END, ",
                    "remaining_ms = CASE WHEN state = 'paused' THEN remaining_ms + $5 ",
                    "ELSE remaining_ms END, ",
                    "duration_ms = duration_ms + $5",
                    update_where!(),
                    " AND kind = 'timer' AND ((state = 'pending' AND due_at + $5 > $4) ",
                    "OR (state = 'paused' AND remaining_ms + $5 > 0)) RETURNING ",
                    item_columns!()
                )
            }
            ItemChange::Reschedule(due) => {
                params.push(millis(to_millisecond(due)?));
                concat!(
                    update_set!(),
                    "due_at = $5",
                    update_where!(),
                    " AND state = 'pending' RETURNING ",
                    item_columns!()
                )
            }
            ItemChange::Snooze(due) => {
                params.push(millis(to_millisecond(due)?));
                concat!(
                    update_set!(),
                    "state = 'pending', due_at = $5",
                    update_where!(),
                    " AND state IN ('fired', 'ringing') AND recurrence IS NULL RETURNING ",
                    item_columns!()
                )
            }
            ItemChange::Cancel => concat!(
                update_set!(),
                "state = 'cancelled', remaining_ms = NULL",
                update_where!(),
                " AND state IN ('pending', 'paused', 'ringing') RETURNING ",
                item_columns!()
            ),
        };
        let rows = self.inner.query(sql, params).await?;
        if let Some(row) = rows.first() {
            return item(row);
        }
        // Nothing changed: say why.
        let Some(current) = self.item(household, id).await? else {
            return Err(StoreError::NotFound);
        };
        match expected_version {
            Some(expected) if expected != current.version => Err(StoreError::Conflict(format!(
                "the {} changed since it was read (version {expected}, now {})",
                current.kind, current.version
            ))),
            _ => Err(StoreError::Invalid(match change {
                ItemChange::Adjust(_)
                    if current.kind == ItemKind::Timer
                        && matches!(current.state, ItemState::Pending | ItemState::Paused) =>
                {
                    "that would end the timer before now".to_owned()
                }
                ItemChange::Snooze(_) if current.recurrence.is_some() => {
                    "a recurring alarm is snoozed by a one-off copy, not moved".to_owned()
                }
                _ => format!(
                    "a {} {} cannot be {}",
                    current.state,
                    current.kind,
                    change.verb()
                ),
            })),
        }
    }

    /// Pending items due at or before `before`, of every household, earliest first, at most
    /// `limit`: the run loop's work list.
    pub async fn due_items(&self, before: Timestamp, limit: u32) -> Result<Vec<ScheduledItem>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    item_columns!(),
                    " FROM scheduled_items WHERE state = 'pending' AND due_at <= $1 ",
                    "ORDER BY due_at, id LIMIT $2"
                ),
                vec![millis(before), Value::Int(limit.into())],
            )
            .await?;
        rows.iter().map(item).collect()
    }

    /// When the earliest pending item of any household is due.
    pub async fn next_due(&self) -> Result<Option<Timestamp>> {
        let rows = self
            .inner
            .query(
                "SELECT MIN(due_at) FROM scheduled_items WHERE state = 'pending'",
                Vec::new(),
            )
            .await?;
        one(rows)?.opt_int(0)?.map(timestamp).transpose()
    }

    /// Records that the pending item `id`, at `expected_version`, fired at `now` and rings until
    /// `ring_until`, and returns the firing to deliver. A one-off item becomes
    /// [`ItemState::Ringing`]; a recurring one stays pending, due at `next_due` (its occurrence
    /// rings on the firing alone). Item and firing are written in one transaction.
    ///
    /// `Ok(None)` if the item is no longer pending at that version (it was cancelled, changed,
    /// or this very occurrence was already recorded, by this node before a crash or by
    /// another): calling it twice never fires an occurrence twice.
    pub async fn mark_fired(
        &self,
        id: &ItemId,
        expected_version: i64,
        next_due: Option<Timestamp>,
        now: Timestamp,
        ring_until: Timestamp,
    ) -> Result<Option<Firing>> {
        let settled = Settled::Fired { ring_until };
        self.settle(id, expected_version, next_due, now, settled)
            .await
    }

    /// As [`Store::mark_fired`], but the occurrence is recorded as missed (it came due too long
    /// ago to ring): a one-off item becomes [`ItemState::Missed`], a recurring one moves on to
    /// `next_due`, and the firing, outcome missed, is there to report.
    pub async fn mark_missed(
        &self,
        id: &ItemId,
        expected_version: i64,
        next_due: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Option<Firing>> {
        self.settle(id, expected_version, next_due, now, Settled::Missed)
            .await
    }

    async fn settle(
        &self,
        id: &ItemId,
        expected_version: i64,
        next_due: Option<Timestamp>,
        now: Timestamp,
        settled: Settled,
    ) -> Result<Option<Firing>> {
        let firing_id = FiringId::new(format!("{id}.{expected_version}"));
        let now = millis(to_millisecond(now)?);
        let next_due = next_due.map(to_millisecond).transpose()?.map(millis);
        let (outcome, final_state, ring_until) = match settled {
            Settled::Fired { ring_until } => (
                FiringOutcome::Fired,
                ItemState::Ringing,
                Some(to_millisecond(ring_until)?),
            ),
            Settled::Missed => (FiringOutcome::Missed, ItemState::Missed, None),
        };
        let steps = vec![
            // The firing first, copied from the item as it is: only if it is still pending at
            // the version the caller read.
            Step {
                sql: concat!(
                    "INSERT INTO scheduled_firings (",
                    firing_columns!(),
                    ") SELECT CAST($3 AS TEXT), id, household_id, device_id, kind, name, label, \
                     body, CAST($4 AS TEXT), due_at, CAST($5 AS BIGINT), NULL, \
                     CAST($6 AS BIGINT), CAST($7 AS BIGINT), NULL, NULL, sound \
                     FROM scheduled_items WHERE id = $1 AND version = $2 AND state = 'pending'"
                ),
                params: vec![
                    id.as_str().into(),
                    Value::Int(expected_version),
                    firing_id.as_str().into(),
                    outcome.as_str().into(),
                    now.clone(),
                    ring_until.map(millis).into(),
                    // A missed occurrence never rings: it is over when recorded.
                    match outcome {
                        FiringOutcome::Missed => now.clone(),
                        FiringOutcome::Fired => Value::Null,
                    },
                ],
                required: true,
            },
            // Then the item, under the same condition (on PostgreSQL the row lock makes a
            // concurrent second call find the new version and change nothing; the firing's
            // primary key would refuse its insert anyway).
            Step {
                sql: "UPDATE scheduled_items SET version = version + 1, \
                      fire_count = fire_count + 1, updated_at = CAST($3 AS BIGINT), \
                      due_at = COALESCE(CAST($4 AS BIGINT), due_at), \
                      state = CASE WHEN CAST($4 AS BIGINT) IS NULL THEN CAST($5 AS TEXT) \
                      ELSE 'pending' END \
                      WHERE id = $1 AND version = $2 AND state = 'pending'",
                params: vec![
                    id.as_str().into(),
                    Value::Int(expected_version),
                    now,
                    next_due.into(),
                    final_state.as_str().into(),
                ],
                required: true,
            },
        ];
        match self.inner.transaction(steps).await {
            Ok(true) => {}
            Ok(false) | Err(StoreError::Conflict(_)) => return Ok(None),
            Err(e) => return Err(e),
        }
        Ok(self
            .query_firings(
                concat!(
                    "SELECT ",
                    firing_columns!(),
                    " FROM scheduled_firings WHERE id = $1"
                ),
                vec![firing_id.as_str().into()],
            )
            .await?
            .into_iter()
            .next())
    }

    /// Firings of every household that no sink has acknowledged yet, in the order they were
    /// recorded, at most `limit`; only those after `after` in that order if given, so that a
    /// caller can page past the ones a sink refused (a device that is offline must not hold up
    /// the others).
    pub async fn undelivered_firings(
        &self,
        after: Option<&Firing>,
        limit: u32,
    ) -> Result<Vec<Firing>> {
        let cursor = match after {
            Some(f) => vec![millis(f.fired_at), millis(f.due_at), f.id.as_str().into()],
            None => vec![Value::Null, Value::Null, Value::Null],
        };
        let mut params = cursor;
        params.push(Value::Int(limit.into()));
        self.query_firings(
            concat!(
                "SELECT ",
                firing_columns!(),
                " FROM scheduled_firings WHERE delivered_at IS NULL ",
                "AND (CAST($1 AS BIGINT) IS NULL OR fired_at > $1 ",
                "OR (fired_at = $1 AND due_at > $2) ",
                "OR (fired_at = $1 AND due_at = $2 AND id > CAST($3 AS TEXT))) ",
                "ORDER BY fired_at, due_at, id LIMIT $4"
            ),
            params,
        )
        .await
    }

    /// Records that a firing was delivered; false if there is no such firing or it was
    /// already acknowledged (the first time is kept).
    pub async fn ack_firing(&self, id: &FiringId, now: Timestamp) -> Result<bool> {
        let changed = self
            .inner
            .execute(
                "UPDATE scheduled_firings SET delivered_at = $2 \
                 WHERE id = $1 AND delivered_at IS NULL",
                vec![id.as_str().into(), millis(to_millisecond(now)?)],
            )
            .await?;
        Ok(changed > 0)
    }

    /// The household's firings, latest first, at most `limit`, only of one outcome if given
    /// (the missed ones are what hark reports at the next interaction).
    pub async fn firings(
        &self,
        household: &HouseholdId,
        outcome: Option<FiringOutcome>,
        limit: u32,
    ) -> Result<Vec<Firing>> {
        self.query_firings(
            concat!(
                "SELECT ",
                firing_columns!(),
                " FROM scheduled_firings WHERE household_id = $1 ",
                "AND (CAST($2 AS TEXT) IS NULL OR outcome = $2) ",
                "ORDER BY fired_at DESC, id DESC LIMIT $3"
            ),
            vec![
                household.as_str().into(),
                outcome.map(FiringOutcome::as_str).into(),
                Value::Int(limit.into()),
            ],
        )
        .await
    }
}

impl Store {
    /// Runs `sql`, a query of `scheduled_firings` that selects `firing_columns!()`, and reads
    /// its rows.
    pub(crate) async fn query_firings(
        &self,
        sql: &'static str,
        params: Vec<Value>,
    ) -> Result<Vec<Firing>> {
        let rows = self.inner.query(sql, params).await?;
        rows.iter().map(firing).collect()
    }
}

/// How [`Store::settle`] records an occurrence.
#[derive(Debug, Clone, Copy)]
enum Settled {
    Fired { ring_until: Timestamp },
    Missed,
}

/// The insert of one new item, with the parameters [`new_item_row`] makes.
const INSERT_ITEM: &str = concat!(
    "INSERT INTO scheduled_items (",
    item_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
);

/// Checks and cleans a new item, and makes its row: the item as it will be stored, and the
/// parameters of [`INSERT_ITEM`].
fn new_item_row(
    household: &HouseholdId,
    new: NewItem,
    now: Timestamp,
) -> Result<(ScheduledItem, Vec<Value>)> {
    let clean = |what: &str, text: Option<String>| -> Result<Option<String>> {
        text.map(|text| clean_text(what, &text))
            .transpose()
            .map(|text| text.filter(|t| !t.is_empty()))
    };
    match (new.kind, &new.duration, &new.recurrence) {
        (ItemKind::Timer, None, _) => {
            return Err(StoreError::Invalid("a timer needs a duration".into()))
        }
        (ItemKind::Alarm | ItemKind::Reminder, Some(_), _) => {
            return Err(StoreError::Invalid(format!(
                "only a timer has a duration, not a {}",
                new.kind
            )))
        }
        (ItemKind::Timer | ItemKind::Reminder, _, Some(_)) => {
            return Err(StoreError::Invalid(format!(
                "only an alarm repeats, not a {}",
                new.kind
            )))
        }
        _ => {}
    }
    if new.recurrence.is_some() && new.time_zone.is_none() {
        return Err(StoreError::Invalid(
            "a recurring alarm needs the time zone its rule is read in".into(),
        ));
    }
    let text = match new.text {
        Some(text) if text.chars().count() > MAX_TEXT_CHARS => {
            return Err(StoreError::Invalid(format!(
                "a reminder's text must be at most {MAX_TEXT_CHARS} characters"
            )))
        }
        Some(text) if text.chars().any(|c| c.is_control() && !c.is_whitespace()) => {
            return Err(StoreError::Invalid(
                "a reminder's text must not contain control characters".into(),
            ))
        }
        Some(text) => Some(text.split_whitespace().collect::<Vec<_>>().join(" ")),
        None => None,
    }
    .filter(|t| !t.is_empty());
    let now = to_millisecond(now)?;
    let item = ScheduledItem {
        id: ItemId::new(format!(
            "{}_{}",
            new.kind.id_prefix(),
            token::random_base32(12)?
        )),
        household: household.clone(),
        device: new.device,
        kind: new.kind,
        name: clean("a name", new.name)?,
        label: clean("a label", new.label)?,
        sound: clean("a sound", new.sound)?,
        text,
        state: ItemState::Pending,
        due_at: to_millisecond(new.due_at)?,
        duration: new.duration.map(to_whole_millis),
        remaining: None,
        recurrence: new.recurrence,
        time_zone: new.time_zone,
        created_at: now,
        updated_at: now,
        version: 1,
        fire_count: 0,
    };
    let params = vec![
        item.id.as_str().into(),
        household.as_str().into(),
        item.device.as_str().into(),
        item.kind.as_str().into(),
        item.name.clone().into(),
        item.label.clone().into(),
        item.text.clone().into(),
        item.state.as_str().into(),
        millis(item.due_at),
        item.duration.map(duration_millis).into(),
        Value::Null,
        item.recurrence.clone().into(),
        item.time_zone.clone().into(),
        millis(item.created_at),
        millis(item.updated_at),
        Value::Int(item.version),
        Value::Int(item.fire_count),
        item.sound.clone().into(),
    ];
    Ok((item, params))
}

fn item(row: &Row) -> Result<ScheduledItem> {
    Ok(ScheduledItem {
        id: ItemId::new(row.text(0)?),
        household: HouseholdId::new(row.text(1)?),
        device: DeviceId::new(row.text(2)?),
        kind: ItemKind::parse(&row.text(3)?)?,
        name: row.opt_text(4)?,
        label: row.opt_text(5)?,
        text: row.opt_text(6)?,
        state: ItemState::parse(&row.text(7)?)?,
        due_at: timestamp(row.int(8)?)?,
        duration: row.opt_int(9)?.map(SignedDuration::from_millis),
        remaining: row.opt_int(10)?.map(SignedDuration::from_millis),
        recurrence: row.opt_text(11)?,
        time_zone: row.opt_text(12)?,
        created_at: timestamp(row.int(13)?)?,
        updated_at: timestamp(row.int(14)?)?,
        version: row.int(15)?,
        fire_count: row.int(16)?,
        sound: row.opt_text(17)?,
    })
}

fn firing(row: &Row) -> Result<Firing> {
    Ok(Firing {
        id: FiringId::new(row.text(0)?),
        item: ItemId::new(row.text(1)?),
        household: HouseholdId::new(row.text(2)?),
        device: DeviceId::new(row.text(3)?),
        kind: ItemKind::parse(&row.text(4)?)?,
        name: row.opt_text(5)?,
        label: row.opt_text(6)?,
        text: row.opt_text(7)?,
        outcome: match row.text(8)?.as_str() {
            "fired" => FiringOutcome::Fired,
            "missed" => FiringOutcome::Missed,
            other => return Err(bad_row("outcome", other)),
        },
        due_at: timestamp(row.int(9)?)?,
        fired_at: timestamp(row.int(10)?)?,
        delivered_at: row.opt_int(11)?.map(timestamp).transpose()?,
        ring_until: row.opt_int(12)?.map(timestamp).transpose()?,
        ended_at: row.opt_int(13)?.map(timestamp).transpose()?,
        ended_by: row
            .opt_text(14)?
            .as_deref()
            .map(RingEnd::parse)
            .transpose()?,
        announced_at: row.opt_int(15)?.map(timestamp).transpose()?,
        sound: row.opt_text(16)?,
    })
}

fn bad_row(column: &str, value: &str) -> StoreError {
    StoreError::Database(format!("a stored item has an unknown {column} {value:?}"))
}

/// Durations are stored in whole milliseconds, like times.
fn duration_millis(duration: SignedDuration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(if duration.is_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

fn to_whole_millis(duration: SignedDuration) -> SignedDuration {
    SignedDuration::from_millis(duration_millis(duration))
}

mod ringing;
