//! Ringing and the missed occurrences told later, kept on the firings (migration 0004).
//!
//! An occurrence recorded as fired rings on its device from then until one of: someone stops
//! it, snoozes it, or cancels its item ([`Store::end_ring`]), or its `ring_until` passes with
//! nobody there ([`Store::expire_rings`], the run loop's step): then it counts as missed, its
//! outcome becomes `missed`, and it is told at the next interaction on its device like one that
//! came due while hark was down ([`Store::missed_untold`], [`Store::mark_told`]).
//!
//! A one-off item mirrors its ring: `ringing` while it rings, then `fired` (stopped), `missed`
//! (unanswered), or whatever the snooze or cancel made it. The item is changed only if it is
//! still at the version its firing left it at, so ending an old ring never touches a newer one.

use hark_core::{DeviceId, HouseholdId};
use jiff::Timestamp;

use super::{firing, Firing, FiringId, ItemId, RingEnd};
use crate::db::{Step, Value};
use crate::store::{millis, one, timestamp, to_millisecond};
use crate::{Result, Store, StoreError};

impl Store {
    /// The occurrences ringing at `now` in the household, on one device if given, oldest
    /// first.
    pub async fn ringing(
        &self,
        household: &HouseholdId,
        device: Option<&DeviceId>,
        now: Timestamp,
    ) -> Result<Vec<Firing>> {
        self.query_firings(
            concat!(
                "SELECT ",
                firing_columns!(),
                " FROM scheduled_firings WHERE household_id = $1 ",
                "AND (CAST($2 AS TEXT) IS NULL OR device_id = $2) ",
                "AND ended_at IS NULL AND outcome = 'fired' AND ring_until > $3 ",
                "ORDER BY fired_at, id"
            ),
            vec![
                household.as_str().into(),
                device.map(DeviceId::as_str).into(),
                millis(to_millisecond(now)?),
            ],
        )
        .await
    }

    /// Ends the household's ringing occurrence `id` at `now`, for the reason `how`, and returns
    /// it as ended; `Ok(None)` if it is not ringing (it ended already, or was never rung).
    /// Ended as [`RingEnd::Unanswered`], it counts as missed. A one-off item still ringing from
    /// this occurrence becomes `fired` (or `missed`, unanswered), in the same transaction.
    pub async fn end_ring(
        &self,
        household: &HouseholdId,
        id: &FiringId,
        how: RingEnd,
        now: Timestamp,
    ) -> Result<Option<Firing>> {
        let (item, version) = firing_parts(id)?;
        let now = millis(to_millisecond(now)?);
        let item_state = match how {
            RingEnd::Unanswered => "missed",
            _ => "fired",
        };
        let steps = vec![
            Step {
                sql: "UPDATE scheduled_firings SET ended_at = $3, ended_by = $4, \
                      outcome = CASE WHEN $4 = 'unanswered' THEN 'missed' ELSE outcome END \
                      WHERE household_id = $1 AND id = $2 AND outcome = 'fired' \
                      AND ended_at IS NULL",
                params: vec![
                    household.as_str().into(),
                    id.as_str().into(),
                    now.clone(),
                    how.as_str().into(),
                ],
                required: true,
            },
            // The item, if it still rings from this occurrence: recording it left the item one
            // version past the one in the firing's id.
            Step {
                sql: "UPDATE scheduled_items SET state = $5, version = version + 1, \
                      updated_at = $3 \
                      WHERE household_id = $1 AND id = $2 AND version = $4 \
                      AND state = 'ringing'",
                params: vec![
                    household.as_str().into(),
                    item.as_str().into(),
                    now,
                    Value::Int(version.saturating_add(1)),
                    item_state.into(),
                ],
                required: false,
            },
        ];
        match self.inner.transaction(steps).await {
            Ok(true) => {}
            Ok(false) | Err(StoreError::Conflict(_)) => return Ok(None),
            Err(e) => return Err(e),
        }
        self.firing(household, id).await
    }

    /// Ends, as unanswered, the rings of every household whose limit is at or before `now`,
    /// earliest first, at most `limit` of them, and returns them as ended: the run loop's step.
    pub async fn expire_rings(&self, now: Timestamp, limit: u32) -> Result<Vec<Firing>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    firing_columns!(),
                    " FROM scheduled_firings WHERE ended_at IS NULL AND outcome = 'fired' ",
                    "AND ring_until <= $1 ORDER BY ring_until, id LIMIT $2"
                ),
                vec![millis(to_millisecond(now)?), Value::Int(limit.into())],
            )
            .await?;
        let mut ended = Vec::with_capacity(rows.len());
        for row in &rows {
            let due = firing(row)?;
            if let Some(firing) = self
                .end_ring(&due.household, &due.id, RingEnd::Unanswered, now)
                .await?
            {
                ended.push(firing);
            }
        }
        Ok(ended)
    }

    /// When the next ring of any household reaches its limit.
    pub async fn next_ring_end(&self) -> Result<Option<Timestamp>> {
        let rows = self
            .inner
            .query(
                "SELECT MIN(ring_until) FROM scheduled_firings \
                 WHERE ended_at IS NULL AND outcome = 'fired'",
                Vec::new(),
            )
            .await?;
        one(rows)?.opt_int(0)?.map(timestamp).transpose()
    }

    /// The device's missed occurrences not told yet, earliest due first, at most `limit`.
    pub async fn missed_untold(
        &self,
        household: &HouseholdId,
        device: &DeviceId,
        limit: u32,
    ) -> Result<Vec<Firing>> {
        self.query_firings(
            concat!(
                "SELECT ",
                firing_columns!(),
                " FROM scheduled_firings WHERE household_id = $1 AND device_id = $2 ",
                "AND outcome = 'missed' AND announced_at IS NULL ",
                "ORDER BY due_at, id LIMIT $3"
            ),
            vec![
                household.as_str().into(),
                device.as_str().into(),
                Value::Int(limit.into()),
            ],
        )
        .await
    }

    /// Records that these missed occurrences were told, at `now`; ones told already keep their
    /// first time. One transaction.
    pub async fn mark_told(
        &self,
        household: &HouseholdId,
        ids: &[FiringId],
        now: Timestamp,
    ) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let now = millis(to_millisecond(now)?);
        let steps = ids
            .iter()
            .map(|id| Step {
                sql: "UPDATE scheduled_firings SET announced_at = $3 \
                      WHERE household_id = $1 AND id = $2 AND outcome = 'missed' \
                      AND announced_at IS NULL",
                params: vec![household.as_str().into(), id.as_str().into(), now.clone()],
                required: false,
            })
            .collect();
        self.inner.transaction(steps).await?;
        Ok(())
    }

    /// The household's firing with this id.
    pub async fn firing(&self, household: &HouseholdId, id: &FiringId) -> Result<Option<Firing>> {
        Ok(self
            .query_firings(
                concat!(
                    "SELECT ",
                    firing_columns!(),
                    " FROM scheduled_firings WHERE household_id = $1 AND id = $2"
                ),
                vec![household.as_str().into(), id.as_str().into()],
            )
            .await?
            .into_iter()
            .next())
    }
}

/// A firing id's item and the item's version when it fired (`<item>.<version>`).
fn firing_parts(id: &FiringId) -> Result<(ItemId, i64)> {
    id.as_str()
        .rsplit_once('.')
        .and_then(|(item, version)| Some((ItemId::new(item), version.parse().ok()?)))
        .ok_or_else(|| StoreError::Invalid(format!("{id:?} is not a firing id")))
}
