//! `GET /v1/stream`: a device's WebSocket, one connection for both directions.
//!
//! From the server, text frames of JSON:
//!
//! - the device's events, exactly as `/v1/events` sends them (`fired`, `ring_ended`), what
//!   rings on the device now first;
//! - `{"type": "answer", ...}`: the answer to a `converse` request, the same object
//!   `POST /v1/converse` returns, with the request's `request_id` if it had one;
//! - `{"type": "error", "error": {"code", "message"}, "request_id"?}` for a request that could
//!   not be answered; the connection stays open.
//!
//! From the device, text frames: `{"type": "converse", "text": "...", "session"?: "...",
//! "request_id"?: "..."}`. Binary frames (PCM audio) are for the voice pipeline, which is not
//! built yet: they get an `unsupported_media_type` error.
//!
//! The device is the token's own, or the one named by `?device=` for an admin token, as on
//! `/v1/events`. A message over 64 KiB closes the connection (axum's limit, set below).

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use hark_core::Device;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::{answer, speaking_device, subscribe, Caller, DeviceQuery, MAX_BODY_BYTES};
use crate::error::ApiError;
use crate::Server;

/// A request from the device.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Request {
    Converse {
        text: String,
        #[serde(default)]
        session: Option<String>,
        #[serde(default)]
        request_id: Option<Value>,
    },
}

/// Upgrades to the WebSocket once the token and the device are checked, so that a refusal
/// is a plain HTTP error with its code.
pub(super) async fn stream(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Query(query): Query<DeviceQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let device = speaking_device(&server, &caller, query.device.as_deref()).await?;
    let (ringing, events) = subscribe(&server, &caller, &device).await?;
    Ok(upgrade
        .max_message_size(MAX_BODY_BYTES)
        .on_upgrade(move |socket| run(server, caller, device, socket, ringing, events)))
}

async fn run(
    server: Arc<Server>,
    caller: Caller,
    device: Device,
    mut socket: WebSocket,
    ringing: Vec<Value>,
    mut events: mpsc::Receiver<Value>,
) {
    for event in ringing {
        if send(&mut socket, &event).await.is_err() {
            return;
        }
    }
    loop {
        let outgoing = tokio::select! {
            event = events.recv() => match event {
                Some(event) => event,
                // The server dropped this listener (too many, or shutting down).
                None => return,
            },
            message = socket.recv() => match message {
                Some(Ok(Message::Text(text))) => {
                    respond(&server, &caller, &device, text.as_str()).await
                }
                Some(Ok(Message::Binary(_))) => error(
                    None,
                    ApiError::new(
                        "unsupported_media_type",
                        "audio over the stream needs the voice pipeline, which this server does not have yet",
                    ),
                ),
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                // Pings are answered by axum; pongs need nothing.
                Some(Ok(_)) => continue,
            },
        };
        if send(&mut socket, &outgoing).await.is_err() {
            return;
        }
    }
}

/// The answer to one text frame.
async fn respond(server: &Server, caller: &Caller, device: &Device, text: &str) -> Value {
    let request: Request = match serde_json::from_str(text) {
        Ok(request) => request,
        Err(e) => return error(None, ApiError::new("invalid_json", e.to_string())),
    };
    match request {
        Request::Converse {
            text,
            session,
            request_id,
        } => match answer(server, caller, device, &text, session.as_deref()).await {
            Ok(mut answer) => {
                answer["type"] = json!("answer");
                if let Some(id) = request_id {
                    answer["request_id"] = id;
                }
                answer
            }
            Err(e) => error(request_id, e),
        },
    }
}

fn error(request_id: Option<Value>, error: ApiError) -> Value {
    let mut event = json!({"type": "error", "error": error.body()});
    if let Some(id) = request_id {
        event["request_id"] = id;
    }
    event
}

async fn send(socket: &mut WebSocket, event: &Value) -> Result<(), axum::Error> {
    socket.send(Message::Text(event.to_string().into())).await
}
