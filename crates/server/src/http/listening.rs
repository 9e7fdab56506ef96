//! Speech over `/v1/stream`: a device's microphone in, the spoken answer out.
//!
//! A listening turn starts with `{"type": "listen"}` or with the first binary frame after the
//! last answer. Its audio (binary frames of 16 kHz mono 16-bit little-endian PCM, any length)
//! goes to a [`hark_voice::Listener`] on a blocking thread of its own, which denoises it, finds
//! the speech and decodes it while it arrives. The turn ends when the endpointer hears the
//! speech end (700 ms of silence), at the longest utterance, or at `{"type": "audio_end"}` from
//! the device (a push-to-talk button let go).
//!
//! The server sends, as text frames: `listening`, `speech_started` and `speech_stopped` (with
//! `at`, seconds into the turn's audio, and the `reason`), `transcript` (`text`, or null),
//! `intent` (the answer's intent, or null), `answer` (the JSON a spoken `POST /v1/converse`
//! returns, without the audio), then `audio_start` (`rate`, `width`, `channels`), the spoken
//! answer as binary frames as espeak-ng makes it, and `audio_stop` with `after_end`: seconds
//! from the end of speech being noticed to the first audio frame sent.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket};
use hark_core::Device;
use hark_voice::{Event, Heard, Voice};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::audio::{reply_to, voice_timings};
use super::Caller;
use crate::error::ApiError;
use crate::Server;

/// What a listening thread reports.
pub(super) enum Report {
    /// What the listener noticed; `at` is when the piece of audio that made it was pushed.
    Event { event: Event, at: Instant },
    /// The pipeline failed.
    Failed(String),
}

/// A listening turn in progress: its audio goes to the thread; dropping it ends the audio.
pub(super) struct Turn {
    /// The way to the listening thread, until the device ends the audio.
    audio: Option<mpsc::UnboundedSender<Vec<i16>>>,
    pub(super) session: Option<String>,
    pub(super) request_id: Option<Value>,
    /// When the end of the speech was noticed.
    pub(super) ended: Option<Instant>,
}

impl Turn {
    /// Starts listening on a thread of its own, which reports to `reports`.
    pub(super) fn start(
        voice: Arc<Voice>,
        reports: mpsc::UnboundedSender<Report>,
        session: Option<String>,
        request_id: Option<Value>,
    ) -> Turn {
        let (audio, mut pieces) = mpsc::unbounded_channel::<Vec<i16>>();
        tokio::task::spawn_blocking(move || {
            let mut listener = voice.listen();
            loop {
                let at = Instant::now();
                let events = match pieces.blocking_recv() {
                    Some(samples) => listener.push(&samples),
                    None => listener.finish(),
                };
                let events = match events {
                    Ok(events) => events,
                    Err(e) => {
                        let _ = reports.send(Report::Failed(e.to_string()));
                        return;
                    }
                };
                for event in events {
                    let last = matches!(event, Event::Heard { .. });
                    if reports.send(Report::Event { event, at }).is_err() || last {
                        return;
                    }
                }
            }
        });
        Turn {
            audio: Some(audio),
            session,
            request_id,
            ended: None,
        }
    }

    /// Passes audio on; ignored once the listener has heard its utterance.
    pub(super) fn push(&self, samples: Vec<i16>) {
        if let Some(audio) = &self.audio {
            let _ = audio.send(samples);
        }
    }

    /// Ends the audio: the listener hears what it has.
    pub(super) fn end_audio(&mut self) {
        self.audio = None;
    }
}

/// 16-bit little-endian PCM as samples; an odd length is refused.
pub(super) fn samples(bytes: &[u8]) -> Result<Vec<i16>, ApiError> {
    if bytes.len() % 2 != 0 {
        return Err(ApiError::new(
            "invalid_audio",
            "audio frames are 16-bit samples: a frame of an odd number of bytes cannot be",
        ));
    }
    Ok(bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect())
}

/// The event a listener's report is sent as, except [`Event::Heard`] (see [`answer`]).
pub(super) fn event_message(event: &Event) -> Option<Value> {
    Some(match event {
        Event::SpeechStarted { at } => json!({"type": "speech_started", "at": at.as_secs_f64()}),
        Event::SpeechStopped { at, reason } => json!({
            "type": "speech_stopped",
            "at": at.as_secs_f64(),
            "reason": match reason {
                hark_voice::EndReason::Silence => "silence",
                hark_voice::EndReason::MaxLength => "max_length",
                hark_voice::EndReason::EndOfStream => "end_of_stream",
            },
        }),
        Event::Heard { .. } => return None,
    })
}

/// Answers what a turn heard: transcript, intent, answer, then the spoken answer as it is made.
pub(super) async fn answer(
    server: &Server,
    caller: &Caller,
    device: &Device,
    voice: Arc<Voice>,
    turn: Turn,
    (heard, timings): (Heard, hark_voice::Timings),
    socket: &mut WebSocket,
) -> Result<(), axum::Error> {
    let tagged = |mut message: Value| {
        if let Some(id) = &turn.request_id {
            message["request_id"] = id.clone();
        }
        Message::Text(message.to_string().into())
    };
    let (mut reply, transcript) =
        match reply_to(server, caller, device, &heard, turn.session.as_deref()).await {
            Ok(replied) => replied,
            Err(e) => {
                let error = json!({"type": "error", "error": e.body()});
                return socket.send(tagged(error)).await;
            }
        };
    socket
        .send(tagged(json!({"type": "transcript", "text": transcript})))
        .await?;
    socket
        .send(tagged(json!({"type": "intent", "intent": reply["intent"]})))
        .await?;
    reply["type"] = json!("answer");
    reply["transcript"] = json!(transcript);
    reply["voice_timings"] = voice_timings(&timings, None);
    let speech = reply["speech"].as_str().unwrap_or_default().to_owned();
    socket.send(tagged(reply)).await?;

    let (pieces, mut spoken) = mpsc::unbounded_channel::<Vec<i16>>();
    let speaking = tokio::task::spawn_blocking(move || {
        voice.speak_chunks(&speech, |piece| {
            let _ = pieces.send(piece.to_vec());
        })
    });
    socket
        .send(tagged(
            json!({"type": "audio_start", "rate": 16_000, "width": 2, "channels": 1}),
        ))
        .await?;
    let mut after_end = None;
    while let Some(piece) = spoken.recv().await {
        let bytes: Vec<u8> = piece.iter().flat_map(|s| s.to_le_bytes()).collect();
        socket.send(Message::Binary(bytes.into())).await?;
        after_end.get_or_insert_with(|| turn.ended.map(|at| at.elapsed()));
    }
    if let Ok(Err(e)) = speaking.await {
        tracing::error!(error = %e, "synthesis failed");
    }
    let after_end: Option<Duration> = after_end.flatten();
    socket
        .send(tagged(json!({
            "type": "audio_stop",
            "after_end": after_end.map(|d| d.as_secs_f64()),
        })))
        .await
}
