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
//! "request_id"?: "..."}`; and, on a server with voice, speech: `{"type": "listen",
//! "session"?, "request_id"?}`, binary frames of 16 kHz mono 16-bit little-endian PCM, and
//! `{"type": "audio_end"}` (see [`super::listening`] for the events and the spoken answer).
//! Without voice, audio gets an `unsupported_media_type` error.
//!
//! The device is the token's own, or the one named by `?device=` for an admin token, as on
//! `/v1/events`. A message over 64 KiB closes the connection (axum's limit, set below).

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use hark_core::Device;
use hark_voice::Event;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::audio::no_voice;
use super::listening::{self, Report, Turn};
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
    /// A listening turn starts; its audio follows as binary frames.
    Listen {
        #[serde(default)]
        session: Option<String>,
        #[serde(default)]
        request_id: Option<Value>,
    },
    /// The device stopped sending audio.
    AudioEnd,
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
    let (reports, mut heard) = mpsc::unbounded_channel();
    let mut turn: Option<Turn> = None;
    loop {
        let outgoing = tokio::select! {
            event = events.recv() => match event {
                Some(event) => event,
                // The server dropped this listener (too many, or shutting down).
                None => return,
            },
            Some(report) = heard.recv() => match report {
                Report::Event { event: Event::Heard { heard, timings }, .. } => {
                    let (Some(voice), Some(done)) = (server.voice(), turn.take()) else {
                        continue;
                    };
                    let spoken = listening::answer(
                        &server, &caller, &device, voice, done, (heard, timings), &mut socket,
                    );
                    if spoken.await.is_err() {
                        return;
                    }
                    continue;
                }
                Report::Event { event, at } => {
                    if let (Event::SpeechStopped { .. }, Some(turn)) = (&event, &mut turn) {
                        turn.ended = Some(at);
                    }
                    match listening::event_message(&event) {
                        Some(message) => message,
                        None => continue,
                    }
                }
                Report::Failed(reason) => {
                    tracing::error!(error = %reason, "the voice pipeline failed");
                    let request_id = turn.take().and_then(|t| t.request_id);
                    error(request_id, ApiError::new("internal", "internal error"))
                }
            },
            message = socket.recv() => match message {
                Some(Ok(Message::Text(text))) => {
                    match request(&server, &caller, &device, text.as_str(), &mut turn, &reports).await {
                        Some(reply) => reply,
                        None => continue,
                    }
                }
                Some(Ok(Message::Binary(bytes))) => {
                    match audio(&server, &bytes, &mut turn, &reports) {
                        Ok(None) => continue,
                        Ok(Some(event)) => event,
                        Err(e) => error(turn.as_ref().and_then(|t| t.request_id.clone()), e),
                    }
                }
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

/// A binary frame: audio for the listening turn, which it starts if none is open (the
/// `listening` event is then what to send).
fn audio(
    server: &Server,
    bytes: &[u8],
    turn: &mut Option<Turn>,
    reports: &mpsc::UnboundedSender<Report>,
) -> Result<Option<Value>, ApiError> {
    let Some(voice) = server.voice() else {
        return Err(no_voice());
    };
    let samples = listening::samples(bytes)?;
    let mut started = None;
    let turn = turn.get_or_insert_with(|| {
        started = Some(json!({"type": "listening"}));
        Turn::start(voice, reports.clone(), None, None)
    });
    turn.push(samples);
    Ok(started)
}

/// The answer to one text frame, if it has one.
async fn request(
    server: &Server,
    caller: &Caller,
    device: &Device,
    text: &str,
    turn: &mut Option<Turn>,
    reports: &mpsc::UnboundedSender<Report>,
) -> Option<Value> {
    let request: Request = match serde_json::from_str(text) {
        Ok(request) => request,
        Err(e) => return Some(error(None, ApiError::new("invalid_json", e.to_string()))),
    };
    match request {
        Request::Converse {
            text,
            session,
            request_id,
        } => Some(
            match answer(server, caller, device, &text, session.as_deref()).await {
                Ok(mut answer) => {
                    answer["type"] = json!("answer");
                    if let Some(id) = request_id {
                        answer["request_id"] = id;
                    }
                    answer
                }
                Err(e) => error(request_id, e),
            },
        ),
        Request::Listen {
            session,
            request_id,
        } => {
            let Some(voice) = server.voice() else {
                return Some(error(request_id, no_voice()));
            };
            if turn.is_some() {
                let busy = ApiError::new(
                    "conflict",
                    "already listening: end the audio ({\"type\": \"audio_end\"}) or wait for the answer",
                );
                return Some(error(request_id, busy));
            }
            let mut listening = json!({"type": "listening"});
            if let Some(id) = &request_id {
                listening["request_id"] = id.clone();
            }
            *turn = Some(Turn::start(voice, reports.clone(), session, request_id));
            Some(listening)
        }
        Request::AudioEnd => {
            match turn {
                Some(turn) => turn.end_audio(),
                None => {
                    let idle = ApiError::new(
                        "invalid_request",
                        "audio_end, but nothing is being listened to",
                    );
                    return Some(error(None, idle));
                }
            }
            None
        }
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
