//! The HTTP API under `/v1/`, plus `/metrics`.
//!
//! [`app`] builds the router from a [`Server`], so tests can drive it with
//! real HTTP on a free port or call it directly. Every route except health,
//! metrics and the OpenAPI document needs `Authorization: Bearer <token>`;
//! the token decides the household, and every handler reads and writes only
//! that household's rows (the store filters by household in SQL, too).
//!
//! Tokens, households and devices are cached in memory for a few seconds, so
//! a conversation turn costs no database query; revoking a token through the
//! API takes effect at once on this node, and within the cache's lifetime on
//! the others.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, MatchedPath, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use hark_core::{Device, DeviceId, Household, Location, SessionId, TokenId};
use hark_store::{HouseholdUpdate, Scope, Store, TokenInfo};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ErrorCode};
use crate::Server;

mod audio;
mod changes;
mod listening;
// The music library (issue 7).
mod lists;
mod media;
mod ringing;
mod stream;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How long a token, household or device stays cached.
const CACHE_TTL: Duration = Duration::from_secs(5);

/// The router of the whole API.
pub fn app(server: Arc<Server>) -> Router {
    let api = Router::new()
        .route(
            "/v1/converse",
            post(converse).layer(axum::extract::DefaultBodyLimit::max(audio::MAX_AUDIO_BYTES)),
        )
        .route("/v1/household", get(household).patch(update_household))
        .route("/v1/devices", get(devices).post(add_device))
        .route("/v1/devices/{id}", delete(remove_device))
        .route("/v1/devices/{id}/player", get(crate::media::get_player))
        .route("/v1/tokens", get(tokens).post(create_token))
        .route("/v1/tokens/{id}", delete(revoke_token))
        .route("/v1/events", get(events))
        .route("/v1/stream", get(stream::stream))
        .route("/v1/timers", get(timers).post(start_timer))
        .route(
            "/v1/timers/{id}",
            delete(cancel_timer).patch(changes::change_timer),
        )
        .route("/v1/alarms", get(alarms).post(set_alarm))
        .route(
            "/v1/alarms/{id}",
            delete(cancel_alarm).patch(changes::move_alarm),
        )
        .route("/v1/reminders", get(reminders).post(add_reminder))
        .route(
            "/v1/reminders/{id}",
            delete(cancel_reminder).patch(changes::move_reminder),
        )
        .route("/v1/ringing", get(ringing::ringing))
        .route("/v1/ringing/{id}/stop", post(ringing::stop))
        .route("/v1/ringing/{id}/snooze", post(ringing::snooze))
        .route("/v1/missed", get(ringing::missed))
        // The music library (issue 7).
        .route("/v1/media/{id}", get(media::stream))
        .route(
            "/v1/playlists",
            get(media::playlists).post(media::create_playlist),
        )
        .route("/v1/playlists/{name}/tracks", post(media::add_track))
        .route("/v1/health", get(health))
        .route("/v1/openapi.json", get(openapi))
        .route("/metrics", get(metrics))
        .merge(lists::routes());
    api.fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(server.clone(), observe))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(server)
}

/// Counts every request by route and status, and every error by code.
async fn observe(State(server): State<Arc<Server>>, request: Request, next: Next) -> Response {
    // Only registered routes have a matched path, so the labels stay bounded
    // whatever clients send.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_string(), |path| path.as_str().to_string());
    let response = next.run(request).await;
    server.metrics.request(&route, response.status().as_u16());
    if let Some(ErrorCode(code)) = response.extensions().get::<ErrorCode>() {
        server.metrics.error(code);
    }
    response
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        "method_not_allowed",
        "this endpoint does not take that method",
    )
}

async fn not_found() -> ApiError {
    ApiError::new("not_found", "no such endpoint")
}

/// JSON bodies, with hark's error codes instead of axum's plain-text ones.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                "unsupported_media_type",
                "send Content-Type: application/json",
            )),
            Err(JsonRejection::BytesRejection(rejection))
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::new(
                    "body_too_large",
                    format!("the body is over {MAX_BODY_BYTES} bytes"),
                ))
            }
            Err(rejection) => Err(ApiError::new("invalid_json", rejection.body_text())),
        }
    }
}

/// The caller, as its token says.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token.
    pub token: TokenInfo,
    /// Its household.
    pub household: Household,
}

impl Caller {
    fn require_admin(&self) -> Result<(), ApiError> {
        match self.token.scope {
            Scope::Admin => Ok(()),
            Scope::Device(_) => Err(ApiError::new(
                "forbidden",
                "this needs an admin token, not a device token",
            )),
        }
    }
}

impl FromRequestParts<Arc<Server>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        server: &Arc<Server>,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(ApiError::unauthorized)?;
        let secret = header
            .to_str()
            .ok()
            .and_then(|h| h.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token)
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 256)
            .ok_or_else(ApiError::unauthorized)?;
        server.caches.caller(&server.store, secret).await
    }
}

/// Short-lived caches that keep the database out of a conversation turn.
#[derive(Debug, Default)]
pub struct Caches {
    callers: Mutex<HashMap<String, (Caller, Instant)>>,
    devices: Mutex<HashMap<(String, String), (Device, Instant)>>,
}

/// Entries beyond this many make a cache start over, so random tokens sent
/// by a stranger cannot grow memory.
const MAX_CACHED: usize = 10_000;

impl Caches {
    async fn caller(&self, store: &Store, secret: &str) -> Result<Caller, ApiError> {
        if let Some((caller, at)) = lock(&self.callers).get(secret) {
            if at.elapsed() < CACHE_TTL {
                return Ok(caller.clone());
            }
        }
        let token = store
            .authenticate(secret)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let household = store
            .household(&token.household)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let caller = Caller { token, household };
        let mut callers = lock(&self.callers);
        if callers.len() >= MAX_CACHED {
            callers.clear();
        }
        callers.insert(secret.to_string(), (caller.clone(), Instant::now()));
        Ok(caller)
    }

    /// The device `key` (an id or a name) of the caller's household.
    async fn device(
        &self,
        store: &Store,
        household: &Household,
        key: &str,
    ) -> Result<Device, ApiError> {
        // Names compare with their spaces collapsed, as the store keeps them;
        // caching under that form keeps padded variants from filling memory.
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        if key.is_empty() || key.chars().count() > 100 {
            return Err(ApiError::new(
                "invalid_request",
                "a device is named by its id or a name of 1 to 100 characters",
            ));
        }
        let cache_key = (household.id.to_string(), key.clone());
        if let Some((device, at)) = lock(&self.devices).get(&cache_key) {
            if at.elapsed() < CACHE_TTL {
                return Ok(device.clone());
            }
        }
        let device = crate::find_device(store, &household.id, &key)
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    "unknown_device",
                    format!("this household has no device with the id or name '{key}'"),
                )
            })?;
        let mut devices = lock(&self.devices);
        if devices.len() >= MAX_CACHED {
            devices.clear();
        }
        devices.insert(cache_key, (device.clone(), Instant::now()));
        Ok(device)
    }

    fn forget_token(&self, id: &TokenId) {
        lock(&self.callers).retain(|_, (caller, _)| caller.token.id != *id);
    }

    fn forget_household(&self, household: &Household) {
        lock(&self.callers).retain(|_, (caller, _)| caller.household.id != household.id);
    }

    /// Forgets a removed device, and the tokens that spoke for it (the store
    /// removed them with it).
    fn forget_device(&self, household: &Household, id: &DeviceId) {
        lock(&self.devices)
            .retain(|(h, _), (device, _)| !(*h == household.id.as_str() && device.id == *id));
        lock(&self.callers)
            .retain(|_, (caller, _)| caller.token.scope != Scope::Device(id.clone()));
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConverseRequest {
    text: String,
    /// The device's id or name; optional with a device token.
    #[serde(default)]
    device: Option<String>,
    #[serde(default)]
    session: Option<String>,
}

/// `POST /v1/converse`: JSON text, or spoken WAV (`Content-Type: audio/wav`, see
/// `http/audio.rs`). Its body may be as large as a WAV may be; a JSON one still has the
/// API's 64 KiB limit.
async fn converse(
    State(server): State<Arc<Server>>,
    caller: Caller,
    query: Result<
        axum::extract::Query<audio::AudioQuery>,
        axum::extract::rejection::QueryRejection,
    >,
    headers: axum::http::HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            "body_too_large",
            format!("the body is over {} bytes", audio::MAX_AUDIO_BYTES),
        ),
        _ => ApiError::new("invalid_request", rejection.body_text()),
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if audio::is_wav(&content_type) {
        let axum::extract::Query(query) =
            query.map_err(|e| ApiError::new("invalid_request", e.body_text()))?;
        return audio::converse(&server, &caller, query, &headers, body).await;
    }
    if !content_type.starts_with("application/json") {
        return Err(ApiError::new(
            "unsupported_media_type",
            "send Content-Type: application/json, or audio/wav",
        ));
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(ApiError::new(
            "body_too_large",
            format!("the body is over {MAX_BODY_BYTES} bytes"),
        ));
    }
    let request: ConverseRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::new("invalid_json", format!("the request: {e}")))?;
    let device = speaking_device(&server, &caller, request.device.as_deref()).await?;
    let answer = answer(
        &server,
        &caller,
        &device,
        &request.text,
        request.session.as_deref(),
    )
    .await?;
    Ok(Json(answer).into_response())
}

/// One turn of `text` said to `device`, as the API answers it; logged, timed and counted.
async fn answer(
    server: &Server,
    caller: &Caller,
    device: &Device,
    text: &str,
    session: Option<&str>,
) -> Result<Value, ApiError> {
    let started = Instant::now();
    let session = match session {
        Some(s) if s.is_empty() || s.chars().count() > 128 => {
            return Err(ApiError::new(
                "invalid_request",
                "a session id has 1 to 128 characters",
            ))
        }
        Some(s) => Some(SessionId::new(s)),
        None => None,
    };
    let span = tracing::info_span!(
        "utterance",
        household = %caller.household.id,
        device = %device.id,
        intent = tracing::field::Empty,
        parse_us = tracing::field::Empty,
        skill_us = tracing::field::Empty,
    );
    let reply = {
        use tracing::Instrument;
        server
            .turn(&caller.household, device, text, session.as_ref())
            .instrument(span.clone())
            .await
    };
    let total = started.elapsed().as_secs_f64();
    server.metrics.stage("parse", reply.timings.parse);
    server.metrics.stage("skill", reply.timings.skill);
    server.metrics.stage("total", total);
    server.metrics.utterance(reply.intent.is_some());
    span.record(
        "intent",
        reply.intent.as_ref().map_or("none", |i| i.name.as_str()),
    );
    span.record("parse_us", (reply.timings.parse * 1e6) as u64);
    span.record("skill_us", (reply.timings.skill * 1e6) as u64);
    tracing::info!(parent: &span, total_us = (total * 1e6) as u64, "answered");
    Ok(reply.to_json())
}

async fn household(caller: Caller) -> Json<Household> {
    Json(caller.household)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HouseholdPatch {
    name: Option<String>,
    time_zone: Option<String>,
    /// `null` removes the location.
    #[serde(default, deserialize_with = "present")]
    location: Option<Option<Location>>,
    /// `metric` or `imperial`.
    units: Option<hark_core::weather::Units>,
}

/// Tells a field that is absent (`None`) from one that is `null` (`Some(None)`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Location>>, D::Error> {
    Option::<Location>::deserialize(d).map(Some)
}

async fn update_household(
    State(server): State<Arc<Server>>,
    caller: Caller,
    ApiJson(patch): ApiJson<HouseholdPatch>,
) -> Result<Json<Household>, ApiError> {
    caller.require_admin()?;
    if let Some(Some(location)) = &patch.location {
        let valid = (-90.0..=90.0).contains(&location.latitude)
            && (-180.0..=180.0).contains(&location.longitude);
        if !valid {
            return Err(ApiError::new(
                "invalid_request",
                "latitude is -90..90 and longitude -180..180",
            ));
        }
    }
    if let Some(name) = &patch.name {
        checked_name(name, "a household name")?;
    }
    let update = HouseholdUpdate {
        name: patch.name,
        time_zone: patch.time_zone,
        location: patch.location,
        units: patch.units,
    };
    let household = server
        .store
        .update_household(&caller.household.id, update)
        .await?;
    server.caches.forget_household(&household);
    Ok(Json(household))
}

async fn devices(
    State(server): State<Arc<Server>>,
    caller: Caller,
) -> Result<Json<Vec<Device>>, ApiError> {
    Ok(Json(server.store.devices(&caller.household.id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewDevice {
    name: String,
}

async fn add_device(
    State(server): State<Arc<Server>>,
    caller: Caller,
    ApiJson(new): ApiJson<NewDevice>,
) -> Result<(StatusCode, Json<Device>), ApiError> {
    caller.require_admin()?;
    let name = checked_name(&new.name, "a device name")?;
    let device = server
        .store
        .add_device(&caller.household.id, name, server.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(device)))
}

async fn remove_device(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_admin()?;
    let id = DeviceId::new(id);
    if !server
        .store
        .remove_device(&caller.household.id, &id)
        .await?
    {
        return Err(ApiError::new(
            "unknown_device",
            "this household has no such device",
        ));
    }
    server.caches.forget_device(&caller.household, &id);
    Ok(StatusCode::NO_CONTENT)
}

async fn tokens(
    State(server): State<Arc<Server>>,
    caller: Caller,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    caller.require_admin()?;
    Ok(Json(server.store.tokens(&caller.household.id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    label: String,
    /// A device id or name: the token then speaks only for that device.
    #[serde(default)]
    device: Option<String>,
}

async fn create_token(
    State(server): State<Arc<Server>>,
    caller: Caller,
    ApiJson(new): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require_admin()?;
    let label = checked_name(&new.label, "a token label")?;
    let scope = match &new.device {
        None => Scope::Admin,
        Some(key) => Scope::Device(
            server
                .caches
                .device(&server.store, &caller.household, key)
                .await?
                .id,
        ),
    };
    let (info, secret) = server
        .store
        .create_token(&caller.household.id, label, scope, server.clock.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": secret, "info": info})),
    ))
}

async fn revoke_token(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_admin()?;
    let id = TokenId::new(id);
    if !server
        .store
        .revoke_token(&caller.household.id, &id, server.clock.now())
        .await?
    {
        return Err(ApiError::new(
            "not_found",
            "this household has no such token",
        ));
    }
    server.caches.forget_token(&id);
    Ok(StatusCode::NO_CONTENT)
}

/// A trimmed name of 1 to 100 characters without control characters.
fn checked_name<'a>(name: &'a str, what: &str) -> Result<&'a str, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::new(
            "invalid_request",
            format!("{what} has 1 to 100 characters, none of them control characters"),
        ));
    }
    Ok(name)
}

async fn health(State(server): State<Arc<Server>>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "database": server.store.backend_name(),
    }))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI)
}

async fn metrics(State(server): State<Arc<Server>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        server.metrics.render(),
    )
}

/// The device a request speaks for: a device token's own, or the one an
/// admin token names.
async fn speaking_device(
    server: &Server,
    caller: &Caller,
    asked: Option<&str>,
) -> Result<Device, ApiError> {
    match (&caller.token.scope, asked) {
        (Scope::Device(own), None) => {
            server
                .caches
                .device(&server.store, &caller.household, own.as_str())
                .await
        }
        (Scope::Device(own), Some(asked)) => {
            let device = server
                .caches
                .device(&server.store, &caller.household, asked)
                .await?;
            if device.id != *own {
                return Err(ApiError::new(
                    "forbidden",
                    "a device token speaks only for its own device",
                ));
            }
            Ok(device)
        }
        (Scope::Admin, Some(asked)) => {
            server
                .caches
                .device(&server.store, &caller.household, asked)
                .await
        }
        (Scope::Admin, None) => Err(ApiError::new(
            "invalid_request",
            "say which device: \"device\": id or name",
        )),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceQuery {
    device: Option<String>,
}

/// `GET /v1/events`: the device's events as server-sent events, each with the
/// firing's id as its SSE `id`. A new connection first gets what rings on the
/// device now (again, if it had it: a device drops ids it has rung), so that
/// a device that restarts, or an event lost with a server that died between
/// handing it over and writing it out, still rings; then its player's state.
/// Firings that waited while the device was offline arrive within a second or so.
async fn events(
    State(server): State<Arc<Server>>,
    caller: Caller,
    axum::extract::Query(query): axum::extract::Query<DeviceQuery>,
) -> Result<Response, ApiError> {
    let device = speaking_device(&server, &caller, query.device.as_deref()).await?;
    let (first, receiver) = subscribe(&server, &caller, &device).await?;
    let replay = futures_util::stream::iter(
        first
            .into_iter()
            .map(|event| Ok(sse_event(event)))
            .collect::<Vec<_>>(),
    );
    let live = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let event = receiver.recv().await?;
        Some((
            Ok::<_, std::convert::Infallible>(sse_event(event)),
            receiver,
        ))
    });
    let stream = futures_util::StreamExt::chain(replay, live);
    Ok(axum::response::sse::Sse::new(stream)
        .keep_alive(axum::response::sse::KeepAlive::default())
        .into_response())
}

/// A new connection of `device` to its events: what to send first, and the live events from
/// then on. First goes what rings on the device now, then its player's state (its `media` and
/// `volume` events, see [`media::player_replay`]): media and volume events are not kept for a
/// device that is away, so a device that restarts learns here what to play and how loud.
/// Listening starts before any of it is read, so that nothing falls between; a firing in both
/// arrives twice, with one id, and a player change in both arrives again after its replay,
/// which is then simply out of date.
async fn subscribe(
    server: &Server,
    caller: &Caller,
    device: &Device,
) -> Result<(Vec<Value>, tokio::sync::mpsc::Receiver<Value>), ApiError> {
    let receiver = server.events.listen(&device.id).ok_or_else(|| {
        ApiError::new(
            "invalid_request",
            "this device has too many event connections open",
        )
    })?;
    let ringing = server
        .scheduler
        .ringing(&caller.household.id, Some(&device.id))
        .await
        .map_err(scheduler_error)?;
    let player = media::player_replay(server, &caller.household.id, device).await?;
    // Anything that waited for this device is offered again now.
    server.scheduler.wake();
    let first = ringing
        .iter()
        .map(crate::events::firing_event)
        .chain(player)
        .collect();
    Ok((first, receiver))
}

/// A device event as SSE: its `type` as the event name, its firing id as the
/// SSE id, the JSON as data.
fn sse_event(event: Value) -> axum::response::sse::Event {
    let kind = event["type"].as_str().unwrap_or("message");
    let mut sse = axum::response::sse::Event::default().event(kind);
    if let Some(id) = event["id"].as_str() {
        sse = sse.id(id);
    }
    sse.data(event.to_string())
}

fn scheduler_error(error: hark_scheduler::SchedulerError) -> ApiError {
    use hark_scheduler::SchedulerError;
    match error {
        SchedulerError::Invalid(message) => ApiError::new("invalid_request", message),
        SchedulerError::NotFound => ApiError::new("not_found", "this household has no such timer"),
        SchedulerError::Conflict(message) => ApiError::new("conflict", message),
        other => {
            tracing::error!(error = %other, "scheduler error");
            ApiError::new("internal", "internal error")
        }
    }
}

/// The household's items of one kind.
async fn list_items(
    server: &Server,
    caller: &Caller,
    kind: hark_scheduler::ItemKind,
) -> Result<Json<Vec<hark_scheduler::ScheduledItem>>, ApiError> {
    let items = server
        .scheduler
        .items(&caller.household.id, Some(kind), None)
        .await
        .map_err(scheduler_error)?;
    Ok(Json(items))
}

/// The household's item `id`, if it is of this kind.
async fn item_of_kind(
    server: &Server,
    caller: &Caller,
    kind: hark_scheduler::ItemKind,
    id: &hark_scheduler::ItemId,
) -> Result<hark_scheduler::ScheduledItem, ApiError> {
    server
        .scheduler
        .item(&caller.household.id, id)
        .await
        .map_err(scheduler_error)?
        .filter(|item| item.kind == kind)
        .ok_or_else(|| {
            ApiError::new(
                "not_found",
                format!("this household has no such {}", kind_name(kind)),
            )
        })
}

/// Cancels the household's item `id` of one kind.
async fn cancel_item(
    server: &Server,
    caller: &Caller,
    kind: hark_scheduler::ItemKind,
    id: String,
) -> Result<Json<hark_scheduler::ScheduledItem>, ApiError> {
    let id = hark_scheduler::ItemId::new(id);
    item_of_kind(server, caller, kind, &id).await?;
    Ok(Json(
        server
            .scheduler
            .cancel(&caller.household.id, &id)
            .await
            .map_err(scheduler_error)?,
    ))
}

fn kind_name(kind: hark_scheduler::ItemKind) -> &'static str {
    match kind {
        hark_scheduler::ItemKind::Timer => "timer",
        hark_scheduler::ItemKind::Alarm => "alarm",
        hark_scheduler::ItemKind::Reminder => "reminder",
    }
}

async fn timers(
    State(server): State<Arc<Server>>,
    caller: Caller,
) -> Result<Json<Vec<hark_scheduler::ScheduledItem>>, ApiError> {
    list_items(&server, &caller, hark_scheduler::ItemKind::Timer).await
}

async fn alarms(
    State(server): State<Arc<Server>>,
    caller: Caller,
) -> Result<Json<Vec<hark_scheduler::ScheduledItem>>, ApiError> {
    list_items(&server, &caller, hark_scheduler::ItemKind::Alarm).await
}

async fn reminders(
    State(server): State<Arc<Server>>,
    caller: Caller,
) -> Result<Json<Vec<hark_scheduler::ScheduledItem>>, ApiError> {
    list_items(&server, &caller, hark_scheduler::ItemKind::Reminder).await
}

async fn cancel_alarm(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<hark_scheduler::ScheduledItem>, ApiError> {
    cancel_item(&server, &caller, hark_scheduler::ItemKind::Alarm, id).await
}

async fn cancel_reminder(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<hark_scheduler::ScheduledItem>, ApiError> {
    cancel_item(&server, &caller, hark_scheduler::ItemKind::Reminder, id).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAlarm {
    /// When, once: an RFC 3339 instant.
    #[serde(default)]
    at: Option<String>,
    /// Or a weekly rule: `{"weekdays": ["monday", ...], "time": "07:00"}`.
    #[serde(default)]
    every: Option<Value>,
    #[serde(default)]
    label: Option<String>,
    /// One of hark-core's `ALARM_SOUNDS`.
    #[serde(default)]
    sound: Option<String>,
    #[serde(default)]
    device: Option<String>,
}

async fn set_alarm(
    State(server): State<Arc<Server>>,
    caller: Caller,
    ApiJson(new): ApiJson<NewAlarm>,
) -> Result<(StatusCode, Json<hark_scheduler::ScheduledItem>), ApiError> {
    let device = speaking_device(&server, &caller, new.device.as_deref()).await?;
    let when = match (new.at.as_deref(), &new.every) {
        (Some(at), None) => hark_scheduler::AlarmTime::Once(instant(at)?),
        (None, Some(rule)) => hark_scheduler::AlarmTime::Every(
            hark_scheduler::Recurrence::from_json(rule).map_err(scheduler_error)?,
        ),
        _ => {
            return Err(ApiError::new(
                "invalid_request",
                "give either \"at\" (an instant) or \"every\" (a weekly rule)",
            ))
        }
    };
    let label = match new.label.as_deref() {
        Some(label) => Some(checked_name(label, "an alarm's label")?),
        None => None,
    };
    let item = server
        .scheduler
        .set_alarm_with_sound(
            &caller.household.id,
            &device.id,
            when,
            label,
            new.sound.as_deref(),
        )
        .await
        .map_err(scheduler_error)?;
    Ok((StatusCode::CREATED, Json(item)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewReminder {
    /// When: an RFC 3339 instant.
    at: String,
    /// What to say then.
    text: String,
    #[serde(default)]
    device: Option<String>,
}

async fn add_reminder(
    State(server): State<Arc<Server>>,
    caller: Caller,
    ApiJson(new): ApiJson<NewReminder>,
) -> Result<(StatusCode, Json<hark_scheduler::ScheduledItem>), ApiError> {
    let device = speaking_device(&server, &caller, new.device.as_deref()).await?;
    let at = instant(&new.at)?;
    let item = server
        .scheduler
        .add_reminder(&caller.household.id, &device.id, at, &new.text)
        .await
        .map_err(scheduler_error)?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// An RFC 3339 instant ("2026-11-26T07:00:00+01:00"), or a zoned one with `[Zone]`.
fn instant(text: &str) -> Result<jiff::Timestamp, ApiError> {
    text.parse::<jiff::Timestamp>()
        .or_else(|_| text.parse::<jiff::Zoned>().map(|z| z.timestamp()))
        .map_err(|_| {
            ApiError::new(
                "invalid_request",
                format!("'{text}' is not an RFC 3339 date-time"),
            )
        })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTimer {
    /// Its length.
    seconds: u64,
    /// A name people use for it ("pasta").
    #[serde(default)]
    name: Option<String>,
    /// The device it rings on (id or name); a device token's own by default.
    #[serde(default)]
    device: Option<String>,
}

async fn start_timer(
    State(server): State<Arc<Server>>,
    caller: Caller,
    ApiJson(new): ApiJson<NewTimer>,
) -> Result<(StatusCode, Json<hark_scheduler::ScheduledItem>), ApiError> {
    let device = speaking_device(&server, &caller, new.device.as_deref()).await?;
    let name = match new.name.as_deref() {
        Some(name) => Some(checked_name(name, "a timer's name")?),
        None => None,
    };
    let seconds = i64::try_from(new.seconds)
        .map_err(|_| ApiError::new("invalid_request", "that timer is too long"))?;
    let item = server
        .scheduler
        .start_timer(
            &caller.household.id,
            &device.id,
            jiff::SignedDuration::from_secs(seconds),
            name,
        )
        .await
        .map_err(scheduler_error)?;
    Ok((StatusCode::CREATED, Json(item)))
}

async fn cancel_timer(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<hark_scheduler::ScheduledItem>, ApiError> {
    cancel_item(&server, &caller, hark_scheduler::ItemKind::Timer, id).await
}
