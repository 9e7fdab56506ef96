//! `GET /v1/stream`: a device's WebSocket, one connection for both directions.
//!
//! From the server, text frames of JSON:
//!
//! - the device's events, exactly as `/v1/events` sends them (`fired`, `ring_ended`, `media`,
//!   `volume`), first what rings on the device now and its player's state (see
//!   [`super::subscribe`]);
//! - `{"type": "answer", ...}`: the answer to a `converse` request, the same object
//!   `POST /v1/converse` returns, with the request's `request_id` if it had one;
//! - `{"type": "media_data", "track", "offset", "length", "size", "end", "content_type",
//!   "request_id"?}`: the answer to a `media_read`, followed at once by one binary frame of
//!   exactly `length` bytes of the track's file from `offset`; `size` is the file's length and
//!   `end` says this chunk is its last (it reaches `size`, or the file turned out shorter);
//! - `{"type": "error", "error": {"code", "message"}, "request_id"?}` for a request that could
//!   not be answered; the connection stays open.
//!
//! From the device, text frames: `{"type": "converse", "text": "...", "session"?: "...",
//! "request_id"?: "..."}`; `{"type": "media_read", "track": ID, "offset": N, "length"?: L,
//! "request_id"?}` (below); and, on a server with voice, speech: `{"type": "listen",
//! "session"?, "request_id"?}`, binary frames of 16 kHz mono 16-bit little-endian PCM, and
//! `{"type": "audio_end"}` (see [`super::listening`] for the events and the spoken answer).
//! Without voice, audio gets an `unsupported_media_type` error.
//!
//! **Audio after a turn.** Binary frames start a turn when none is open. But a device sends its
//! microphone until it reads `speech_stopped`, and those last frames reach the server while
//! the answer is spoken: binary frames already waiting once the answer has been sent are
//! dropped as the end of that turn. A device that starts a new turn while an answer plays
//! sends `listen` first; what follows it is kept.
//!
//! **Music is pulled, one chunk per `media_read`**, so a device asks for the next chunk when it
//! has room for it (backpressure without a protocol of its own), and answers, events and speech
//! go between two chunks instead of waiting behind a whole track. A chunk is at most
//! [`MAX_MEDIA_READ`] bytes (64 KiB, also the default `length`): the server's own limit on
//! what it reads is 64 KiB, and a device may well keep the same one. The track is looked up
//! by the caller's household at every read, as `GET /v1/media/{id}` does (the same
//! [`TrackFile`]): another household's track, or none, is `not_found`; an `offset` at or past
//! the end is `range_not_satisfiable` (the message says the size); a `length` of 0 or over the
//! limit is `invalid_request`; a frame that is not a request (a field missing or negative) is
//! `invalid_json`, with the `request_id` when the JSON had one.
//!
//! **Which binary frame is what**: each binary frame from the server belongs to the last
//! `audio_start` or `media_data` text frame before it. The server never puts anything between
//! a `media_data` header and its binary frame, nor anything but the spoken answer's audio
//! between `audio_start` and `audio_stop`: both are written by the connection's one loop, and a
//! spoken answer holds it until `audio_stop`, so a `media_read` sent meanwhile is answered
//! right after. While the device's microphone is still being listened to, `media_read` and
//! `converse` are answered as usual.
//!
//! The device is the token's own, or the one named by `?device=` for an admin token, as on
//! `/v1/events`. A message from the device over 64 KiB closes the connection (axum's limit,
//! set below; it applies only to what the server receives).

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use futures_util::FutureExt as _;
use hark_core::Device;
use hark_voice::Event;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::audio::no_voice;
use super::listening::{self, Report, Turn};
use super::media::TrackFile;
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
    /// Bytes of a track's file.
    MediaRead {
        track: String,
        offset: u64,
        #[serde(default)]
        length: Option<u64>,
        #[serde(default)]
        request_id: Option<Value>,
    },
}

/// The most bytes one `media_read` answers with, and what it answers with by default: the
/// most the server itself takes in one message.
const MAX_MEDIA_READ: u64 = MAX_BODY_BYTES as u64;

/// What the loop sends for one step: a text frame, and after a `media_data` header the
/// binary frame it announces, at once.
struct Outgoing {
    message: Value,
    bytes: Option<Vec<u8>>,
}

impl From<Value> for Outgoing {
    fn from(message: Value) -> Self {
        Outgoing {
            message,
            bytes: None,
        }
    }
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
    let (first, events) = subscribe(&server, &caller, &device).await?;
    Ok(upgrade
        .max_message_size(MAX_BODY_BYTES)
        .on_upgrade(move |socket| run(server, caller, device, socket, first, events)))
}

async fn run(
    server: Arc<Server>,
    caller: Caller,
    device: Device,
    mut socket: WebSocket,
    first: Vec<Value>,
    mut events: mpsc::Receiver<Value>,
) {
    for event in first {
        if send(&mut socket, &event).await.is_err() {
            return;
        }
    }
    let (reports, mut heard) = mpsc::unbounded_channel();
    let mut turn: Option<Turn> = None;
    // A frame read while dropping a finished turn's audio, to handle next.
    let mut pending: Option<Message> = None;
    loop {
        let outgoing = tokio::select! {
            event = events.recv() => match event {
                Some(event) => event.into(),
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
                    match drop_stale_audio(&mut socket) {
                        Ok(next) => pending = next,
                        Err(()) => return,
                    }
                    continue;
                }
                Report::Event { event, at } => {
                    if let (Event::SpeechStopped { .. }, Some(turn)) = (&event, &mut turn) {
                        turn.ended = Some(at);
                    }
                    match listening::event_message(&event) {
                        Some(message) => message.into(),
                        None => continue,
                    }
                }
                Report::Failed(reason) => {
                    tracing::error!(error = %reason, "the voice pipeline failed");
                    let request_id = turn.take().and_then(|t| t.request_id);
                    error(request_id, ApiError::new("internal", "internal error")).into()
                }
            },
            message = receive(&mut socket, &mut pending) => match message {
                Some(Ok(Message::Text(text))) => {
                    match request(&server, &caller, &device, text.as_str(), &mut turn, &reports).await {
                        Some(reply) => reply,
                        None => continue,
                    }
                }
                Some(Ok(Message::Binary(bytes))) => {
                    match audio(&server, &bytes, &mut turn, &reports) {
                        Ok(None) => continue,
                        Ok(Some(event)) => event.into(),
                        Err(e) => error(turn.as_ref().and_then(|t| t.request_id.clone()), e).into(),
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                // Pings are answered by axum; pongs need nothing.
                Some(Ok(_)) => continue,
            },
        };
        if send_outgoing(&mut socket, outgoing).await.is_err() {
            return;
        }
    }
}

/// The next frame from the device: first the one set aside by [`drop_stale_audio`].
async fn receive(
    socket: &mut WebSocket,
    pending: &mut Option<Message>,
) -> Option<Result<Message, axum::Error>> {
    match pending.take() {
        Some(message) => Some(Ok(message)),
        None => socket.recv().await,
    }
}

/// Drops the audio frames already waiting when an answer has been spoken: a device streams its
/// microphone until it reads `speech_stopped`, and what it sent meanwhile arrives while the
/// answer is spoken. Taken for a new turn, those frames started one that began with the last
/// turn's room and no words. Returns the first other frame waiting, to be handled as usual;
/// `Err` when the connection is gone.
fn drop_stale_audio(socket: &mut WebSocket) -> Result<Option<Message>, ()> {
    loop {
        match socket.recv().now_or_never() {
            // Nothing is waiting.
            None => return Ok(None),
            Some(Some(Ok(Message::Binary(_)))) => continue,
            Some(Some(Ok(other))) => return Ok(Some(other)),
            Some(None | Some(Err(_))) => return Err(()),
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
) -> Option<Outgoing> {
    let request = match parse(text) {
        Ok(request) => request,
        Err((request_id, e)) => return Some(error(request_id, e).into()),
    };
    let reply = match request {
        Request::Converse {
            text,
            session,
            request_id,
        } => Some(
            match answer(server, caller, device, &text, session.as_deref()).await {
                Ok(mut answer) => {
                    answer["type"] = json!("answer");
                    tagged(answer, request_id)
                }
                Err(e) => error(request_id, e),
            },
        ),
        Request::Listen {
            session,
            request_id,
        } => {
            let Some(voice) = server.voice() else {
                return Some(error(request_id, no_voice()).into());
            };
            if turn.is_some() {
                let busy = ApiError::new(
                    "conflict",
                    "already listening: end the audio ({\"type\": \"audio_end\"}) or wait for the answer",
                );
                return Some(error(request_id, busy).into());
            }
            let listening = tagged(json!({"type": "listening"}), request_id.clone());
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
                    return Some(error(None, idle).into());
                }
            }
            None
        }
        Request::MediaRead {
            track,
            offset,
            length,
            request_id,
        } => {
            return Some(
                match media_read(server, caller, &track, offset, length).await {
                    Ok((header, bytes)) => Outgoing {
                        message: tagged(header, request_id),
                        bytes: Some(bytes),
                    },
                    Err(e) => error(request_id, e).into(),
                },
            );
        }
    };
    reply.map(Outgoing::from)
}

/// A text frame as a request; when it is not one, the error and the frame's `request_id`
/// if it has one, so that a device can tell which of its requests was refused.
fn parse(text: &str) -> Result<Request, (Option<Value>, ApiError)> {
    let invalid = |e: serde_json::Error| ApiError::new("invalid_json", e.to_string());
    let value: Value = serde_json::from_str(text).map_err(|e| (None, invalid(e)))?;
    Request::deserialize(&value).map_err(|e| (value.get("request_id").cloned(), invalid(e)))
}

/// Reads a chunk of `track` for `media_read`: the `media_data` header and the bytes of the
/// binary frame that follows it (see the module's doc).
async fn media_read(
    server: &Server,
    caller: &Caller,
    track: &str,
    offset: u64,
    length: Option<u64>,
) -> Result<(Value, Vec<u8>), ApiError> {
    let length = length.unwrap_or(MAX_MEDIA_READ);
    if !(1..=MAX_MEDIA_READ).contains(&length) {
        return Err(ApiError::new(
            "invalid_request",
            format!("a media_read's length is 1 to {MAX_MEDIA_READ} bytes, not {length}"),
        ));
    }
    let mut file = TrackFile::open(server, &caller.household.id, track).await?;
    let size = file.size;
    if offset >= size {
        return Err(ApiError::new(
            "range_not_satisfiable",
            format!("the track's file has {size} bytes: offset {offset} is past its end"),
        ));
    }
    file.seek(offset).await?;
    let wanted = length.min(size - offset);
    let bytes = file.read_checked(wanted as usize).await?;
    let header = json!({
        "type": "media_data",
        "track": track,
        "offset": offset,
        "length": bytes.len(),
        "size": size,
        // Fewer bytes than there should be: the file shrank since it was opened, and ends
        // here. Saying so keeps a device from asking for more forever.
        "end": (bytes.len() as u64) < wanted || offset + wanted == size,
        "content_type": file.mime,
    });
    Ok((header, bytes))
}

fn error(request_id: Option<Value>, error: ApiError) -> Value {
    tagged(json!({"type": "error", "error": error.body()}), request_id)
}

/// `message` with the `request_id` of the request it answers, if that had one.
fn tagged(mut message: Value, request_id: Option<Value>) -> Value {
    if let Some(id) = request_id {
        message["request_id"] = id;
    }
    message
}

async fn send(socket: &mut WebSocket, event: &Value) -> Result<(), axum::Error> {
    socket.send(Message::Text(event.to_string().into())).await
}

/// Sends a step's text frame, then its binary frame if it has one, with nothing between.
async fn send_outgoing(socket: &mut WebSocket, outgoing: Outgoing) -> Result<(), axum::Error> {
    send(socket, &outgoing.message).await?;
    match outgoing.bytes {
        Some(bytes) => socket.send(Message::Binary(bytes.into())).await,
        None => Ok(()),
    }
}
