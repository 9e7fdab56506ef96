//! Changing a timer, alarm or reminder: `PATCH /v1/timers/{id}`,
//! `/v1/alarms/{id}`, `/v1/reminders/{id}`.
//!
//! A timer is paused, resumed, or given more or less time; an alarm or a
//! reminder is moved to another instant (a weekly alarm: its next occurrence
//! only). Each change is stored before the answer, and one that does not fit
//! the item's state ("a fired timer cannot be paused or resumed") is refused
//! before anything is changed.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use hark_scheduler::{ItemId, ItemKind, ItemState, ScheduledItem};
use jiff::SignedDuration;
use serde::Deserialize;

use super::{instant, item_of_kind, scheduler_error, ApiJson, Caller};
use crate::error::ApiError;
use crate::Server;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TimerChange {
    /// Pause (`true`) or resume (`false`).
    #[serde(default)]
    paused: Option<bool>,
    /// Seconds to add (negative: to remove).
    #[serde(default)]
    add_seconds: Option<i64>,
}

/// `PATCH /v1/timers/{id}`: `{"paused": true}`, `{"add_seconds": 60}`, or
/// both (the time is changed first).
pub(super) async fn change_timer(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<TimerChange>,
) -> Result<Json<ScheduledItem>, ApiError> {
    let id = ItemId::new(id);
    let mut item = item_of_kind(&server, &caller, ItemKind::Timer, &id).await?;
    if change.paused.is_none() && change.add_seconds.is_none() {
        return Err(ApiError::new(
            "invalid_request",
            "say what to change: \"paused\" or \"add_seconds\"",
        ));
    }
    // Checked before anything changes, so a pause that cannot apply does not
    // leave the added time behind.
    if change.paused.is_some() && !matches!(item.state, ItemState::Pending | ItemState::Paused) {
        return Err(ApiError::new(
            "invalid_request",
            format!("a {} timer cannot be paused or resumed", item.state),
        ));
    }
    let household = &caller.household.id;
    let scheduler = &server.scheduler;
    if let Some(seconds) = change.add_seconds {
        item = scheduler
            .adjust(household, &id, SignedDuration::from_secs(seconds))
            .await
            .map_err(scheduler_error)?;
    }
    match change.paused {
        Some(true) if item.state != ItemState::Paused => {
            item = scheduler
                .pause(household, &id)
                .await
                .map_err(scheduler_error)?;
        }
        Some(false) if item.state == ItemState::Paused => {
            item = scheduler
                .resume(household, &id)
                .await
                .map_err(scheduler_error)?;
        }
        _ => {}
    }
    Ok(Json(item))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Move {
    /// The new instant, RFC 3339.
    at: String,
}

async fn move_item(
    server: &Server,
    caller: &Caller,
    kind: ItemKind,
    id: String,
    to: Move,
) -> Result<Json<ScheduledItem>, ApiError> {
    let id = ItemId::new(id);
    item_of_kind(server, caller, kind, &id).await?;
    let at = instant(&to.at)?;
    let item = server
        .scheduler
        .reschedule(&caller.household.id, &id, at)
        .await
        .map_err(scheduler_error)?;
    Ok(Json(item))
}

/// `PATCH /v1/alarms/{id}`: `{"at": "2026-11-26T07:30:00+01:00"}`.
pub(super) async fn move_alarm(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(to): ApiJson<Move>,
) -> Result<Json<ScheduledItem>, ApiError> {
    move_item(&server, &caller, ItemKind::Alarm, id, to).await
}

/// `PATCH /v1/reminders/{id}`: `{"at": ...}`.
pub(super) async fn move_reminder(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(to): ApiJson<Move>,
) -> Result<Json<ScheduledItem>, ApiError> {
    move_item(&server, &caller, ItemKind::Reminder, id, to).await
}
