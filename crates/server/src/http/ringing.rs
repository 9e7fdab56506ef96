//! What rings now, and what was missed: `/v1/ringing` and `/v1/missed`.
//!
//! A device token sees and ends only its own device's rings; an admin token
//! sees the household's, or one device's with `?device=`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use hark_core::DeviceId;
use hark_scheduler::{Firing, FiringId, ScheduledItem};
use hark_store::Scope;
use serde::Deserialize;

use super::{scheduler_error, Caller, DeviceQuery};
use crate::error::ApiError;
use crate::Server;

/// The most missed occurrences one call lists.
const MISSED_LIMIT: u32 = 100;

/// The one device the caller may see: a device token's own, or the one an
/// admin asked for; `None` for the whole household.
async fn seen_device(
    server: &Server,
    caller: &Caller,
    query: &DeviceQuery,
) -> Result<Option<DeviceId>, ApiError> {
    match (&caller.token.scope, query.device.as_deref()) {
        (Scope::Admin, None) => Ok(None),
        (_, asked) => Ok(Some(
            super::speaking_device(server, caller, asked).await?.id,
        )),
    }
}

/// `GET /v1/ringing`: what rings now, oldest first.
pub(super) async fn ringing(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Query(query): Query<DeviceQuery>,
) -> Result<Json<Vec<Firing>>, ApiError> {
    let device = seen_device(&server, &caller, &query).await?;
    let rings = server
        .scheduler
        .ringing(&caller.household.id, device.as_ref())
        .await
        .map_err(scheduler_error)?;
    Ok(Json(rings))
}

/// `GET /v1/missed`: missed occurrences, latest first: what came due while
/// hark was down, and what rang to its limit with nobody there.
pub(super) async fn missed(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Query(query): Query<DeviceQuery>,
) -> Result<Json<Vec<Firing>>, ApiError> {
    let device = seen_device(&server, &caller, &query).await?;
    let mut missed = server
        .scheduler
        .missed(&caller.household.id, MISSED_LIMIT)
        .await
        .map_err(scheduler_error)?;
    if let Some(device) = device {
        missed.retain(|firing| firing.device == device);
    }
    Ok(Json(missed))
}

/// The household's ringing occurrence `id`, if the caller may end it.
async fn ring_of(server: &Server, caller: &Caller, id: &FiringId) -> Result<Firing, ApiError> {
    let not_ringing =
        || ApiError::new("not_found", "nothing of this household rings under that id");
    let firing = server
        .scheduler
        .ring(&caller.household.id, id)
        .await
        .map_err(scheduler_error)?
        .ok_or_else(not_ringing)?;
    match &caller.token.scope {
        Scope::Device(own) if *own != firing.device => Err(ApiError::new(
            "forbidden",
            "a device token ends only its own device's rings",
        )),
        _ => Ok(firing),
    }
}

/// `POST /v1/ringing/{id}/stop`: stops it; returns it as ended.
pub(super) async fn stop(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Firing>, ApiError> {
    let id = FiringId::new(id);
    ring_of(&server, &caller, &id).await?;
    let stopped = server
        .scheduler
        .stop(&caller.household.id, &id)
        .await
        .map_err(scheduler_error)?;
    Ok(Json(stopped))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Snooze {
    /// For how long; the scheduler's default (9 minutes) if absent.
    #[serde(default)]
    seconds: Option<i64>,
}

/// `POST /v1/ringing/{id}/snooze`: it rings again later; returns the item
/// that will ring.
pub(super) async fn snooze(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<ScheduledItem>, ApiError> {
    // The body is optional: empty means the default length.
    let snooze: Snooze = if body.iter().all(u8::is_ascii_whitespace) {
        Snooze::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::new("invalid_json", format!("the snooze: {e}")))?
    };
    let id = FiringId::new(id);
    ring_of(&server, &caller, &id).await?;
    let by = snooze.seconds.map(jiff::SignedDuration::from_secs);
    let item = server
        .scheduler
        .snooze_ringing(&caller.household.id, &id, by)
        .await
        .map_err(scheduler_error)?;
    Ok(Json(item))
}
