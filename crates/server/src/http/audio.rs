//! Spoken requests: `POST /v1/converse` with a WAV body (`Content-Type: audio/wav`).
//!
//! The device and the session come as query parameters (`?device=kitchen&session=...`), since
//! the body is the audio. The WAV may be of any common format (hark-audio converts it); longer
//! than the voice pipeline's limit (30 s) it is refused from its header (`audio_too_long`),
//! not decoded. What is heard goes through the same turn as text; the answer is the JSON of a
//! text turn plus `transcript` (what was heard, or null), `audio_wav_base64` (the spoken answer,
//! 16 kHz mono WAV) and `voice_timings` (seconds per stage), or, with `Accept: audio/wav`, the
//! spoken answer alone. Silence is answered "I didn't hear anything.", not refused.

use std::time::Instant;

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hark_voice::Heard;
use serde::Deserialize;
use serde_json::json;

use super::{answer, speaking_device, Caller};
use crate::error::ApiError;
use crate::Server;

/// The largest WAV body: 30 s of 48 kHz stereo 16-bit, and some.
pub(super) const MAX_AUDIO_BYTES: usize = 6 * 1024 * 1024;

/// The query of a spoken request.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AudioQuery {
    #[serde(default)]
    device: Option<String>,
    #[serde(default)]
    session: Option<String>,
}

pub(super) fn is_wav(content_type: &str) -> bool {
    ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"]
        .iter()
        .any(|t| content_type.starts_with(t))
}

pub(super) async fn converse(
    server: &std::sync::Arc<Server>,
    caller: &Caller,
    query: AudioQuery,
    headers: &HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let Some(voice) = server.voice() else {
        return Err(no_voice());
    };
    let device = speaking_device(server, caller, query.device.as_deref()).await?;
    let hearer = voice.clone();
    let hearing = tokio::task::spawn_blocking(move || hearer.hear(&body));
    let (heard, timings) = hearing
        .await
        .map_err(|_| ApiError::new("internal", "internal error"))?
        .map_err(|e| match e {
            hark_voice::VoiceError::Audio(audio) => {
                ApiError::new("invalid_audio", format!("{}: {audio}", audio.code()))
            }
            other => {
                tracing::error!(error = %other, "the voice pipeline failed");
                ApiError::new("internal", "internal error")
            }
        })?;
    let (mut reply, transcript) =
        reply_to(server, caller, &device, &heard, query.session.as_deref()).await?;
    let started = Instant::now();
    let speech = reply["speech"].as_str().unwrap_or_default().to_owned();
    let spoken = match speech.is_empty() {
        true => hark_voice::wav_bytes(&[]),
        false => tokio::task::spawn_blocking(move || voice.speak(&speech))
            .await
            .map_err(|_| ApiError::new("internal", "internal error"))?
            .map_err(|e| {
                tracing::error!(error = %e, "synthesis failed");
                ApiError::new("internal", "internal error")
            })?,
    };
    let synthesize = started.elapsed();
    let wants_wav = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|t| is_wav(t.trim())));
    if wants_wav {
        return Ok(([(header::CONTENT_TYPE, "audio/wav")], spoken).into_response());
    }
    reply["transcript"] = json!(transcript);
    reply["audio_wav_base64"] = json!(base64(&spoken));
    reply["voice_timings"] = voice_timings(&timings, Some(synthesize));
    Ok(Json(reply).into_response())
}

/// The refusal of audio by a server started without voice.
pub(super) fn no_voice() -> ApiError {
    ApiError::new(
        "unsupported_media_type",
        "this server does not take speech; start it with voice = true (HARK_VOICE=true)",
    )
}

/// The answer to what was heard, as a text turn answers (the same JSON), and the transcript.
/// Silence is answered "I didn't hear anything.", words outside the grammar "I didn't
/// understand", neither with an intent.
pub(super) async fn reply_to(
    server: &Server,
    caller: &Caller,
    device: &hark_core::Device,
    heard: &Heard,
    session: Option<&str>,
) -> Result<(serde_json::Value, Option<String>), ApiError> {
    let speech = match heard {
        Heard::Text(text) => {
            let reply = answer(server, caller, device, text, session).await?;
            return Ok((reply, Some(text.clone())));
        }
        Heard::Nothing => &server.assistant.phrases().heard_nothing,
        Heard::NotUnderstood => &server.assistant.phrases().not_understood,
    };
    let reply = json!({
        "intent": null,
        "speech": speech,
        "session": null,
        "expects_reply": false,
        "effects": [],
    });
    Ok((reply, None))
}

/// The time of each stage of hearing (and of speaking, when known), in seconds.
pub(super) fn voice_timings(
    timings: &hark_voice::Timings,
    synthesize: Option<std::time::Duration>,
) -> serde_json::Value {
    let mut out = json!({
        "audio": timings.audio.as_secs_f64(),
        "read": timings.read.as_secs_f64(),
        "denoise": timings.denoise.as_secs_f64(),
        "endpoint": timings.endpoint.as_secs_f64(),
        "decode": timings.decode.as_secs_f64(),
        "after_end": timings.after_end.as_secs_f64(),
    });
    if let Some(synthesize) = synthesize {
        out["synthesize"] = json!(synthesize.as_secs_f64());
    }
    out
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_is_the_standard_one() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(super::base64(&[0xff, 0xfe]), "//4=");
    }
}
