//! The music library over HTTP: `GET /v1/media/{id}` streams a track's file, with range
//! requests so a player can seek and resume; `/v1/playlists` lists, creates and fills
//! playlists.
//!
//! Ranges: one range per request (`bytes=a-b`, `bytes=a-`, `bytes=-n`) is answered with 206
//! and `Content-Range`; a range that starts past the end (or a suffix of 0 bytes, or any
//! range of an empty file) with 416 and `Content-Range: bytes */SIZE`. A `Range` header hark
//! cannot use (not `bytes=`, several ranges, not numbers, a start after the end) is ignored,
//! as RFC 9110 allows, and the whole file is sent with 200. Lengths come from the file as it
//! is now, not as it was scanned.
//!
//! Every lookup is by the caller's household: another household's track is not found (404),
//! exactly like a track that does not exist.
//!
//! A device on `/v1/stream` reads the same files with `media_read` (see [`super::stream`]);
//! both go through [`TrackFile`]. What a device's new event connection is first told of its
//! player ([`player_replay`]) is built here too.

use std::io::SeekFrom;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hark_core::{Device, HouseholdId};
use serde::Deserialize;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::{ApiJson, Caller};
use crate::error::ApiError;
use crate::media::{media_event, volume_event};
use crate::Server;

/// Bytes read from the file per chunk of the body.
const CHUNK: usize = 64 * 1024;

/// What a `Range` header asks for, against a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// The whole file (no header, or one hark ignores).
    Whole,
    /// Bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// Nothing of the file can be sent.
    Unsatisfiable,
}

/// Reads a `Range` header's value; see the module's doc.
pub(crate) fn wanted(range: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let number = |text: &str| -> Option<u64> {
        let text = text.trim();
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // bytes=-n: the last n bytes.
        return match number(last) {
            None => Wanted::Whole,
            Some(0) => Wanted::Unsatisfiable,
            Some(_) if size == 0 => Wanted::Unsatisfiable,
            Some(suffix) => Wanted::Part {
                start: size - suffix.min(size),
                end: size - 1,
            },
        };
    }
    let Some(start) = number(first) else {
        return Wanted::Whole;
    };
    let end = match (last.is_empty(), number(last)) {
        (true, _) => None,
        (false, Some(end)) if end >= start => Some(end),
        (false, _) => return Wanted::Whole,
    };
    if start >= size {
        return Wanted::Unsatisfiable;
    }
    Wanted::Part {
        start,
        end: end.map_or(size - 1, |end| end.min(size - 1)),
    }
}

/// `GET /v1/media/{id}`: the track's file.
pub(crate) async fn stream(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut track = TrackFile::open(&server, &caller.household.id, &id).await?;
    let size = track.size;
    let range = headers
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok());
    let (status, start, length) = match wanted(range, size) {
        Wanted::Whole => (StatusCode::OK, 0, size),
        Wanted::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        Wanted::Unsatisfiable => {
            let mut response = ApiError::new(
                "range_not_satisfiable",
                format!("the file has {size} bytes"),
            )
            .into_response();
            response.headers_mut().insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes */{size}")).expect("ASCII"),
            );
            return Ok(response);
        }
    };
    track.seek(start).await?;
    let mime = track.mime;
    let body = futures_util::stream::unfold((track, length), |(mut track, left)| async move {
        if left == 0 {
            return None;
        }
        match track.read(CHUNK.min(left as usize)).await {
            // The file shrank since its length was read: end the body short, which the
            // client sees as a truncated transfer, never as other bytes.
            Ok(bytes) if bytes.is_empty() => None,
            Ok(bytes) => {
                let read = bytes.len() as u64;
                Some((Ok(bytes_of(bytes)), (track, left - read)))
            }
            Err(error) => Some((Err(error), (track, 0))),
        }
    });
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::PARTIAL_CONTENT {
        let end = start + length - 1;
        headers.insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&format!("bytes {start}-{end}/{size}")).expect("ASCII"),
        );
    }
    Ok(response)
}

fn bytes_of(buffer: Vec<u8>) -> axum::body::Bytes {
    axum::body::Bytes::from(buffer)
}

/// A track of one household with its file open: what `GET /v1/media/{id}` and a
/// `media_read` on `/v1/stream` both read from, so that both find, scope and read a track
/// the same way.
pub(crate) struct TrackFile {
    file: tokio::fs::File,
    path: PathBuf,
    /// The file's length when it was opened (not as scanned).
    pub(crate) size: u64,
    /// Its MIME type.
    pub(crate) mime: &'static str,
}

impl TrackFile {
    /// Opens `household`'s track `id`. `not_found` for a track that does not exist, another
    /// household's (the two cannot be told apart), or one whose file is gone since the scan.
    pub(crate) async fn open(
        server: &Server,
        household: &HouseholdId,
        id: &str,
    ) -> Result<Self, ApiError> {
        let track = server
            .music
            .track(household, id)
            .await
            .map_err(music_error)?
            .ok_or_else(|| ApiError::new("not_found", "this household has no such track"))?;
        let gone = |error| unreadable(&track.path, error);
        let file = tokio::fs::File::open(&track.path).await.map_err(gone)?;
        let size = file.metadata().await.map_err(gone)?.len();
        Ok(Self {
            file,
            size,
            mime: track.mime,
            path: track.path,
        })
    }

    /// Moves to byte `offset` of the file.
    pub(crate) async fn seek(&mut self, offset: u64) -> Result<(), ApiError> {
        if offset > 0 {
            let path = &self.path;
            self.file
                .seek(SeekFrom::Start(offset))
                .await
                .map_err(|error| unreadable(path, error))?;
        }
        Ok(())
    }

    /// Up to `max` bytes from where the file is: fewer only at its end, none past it.
    pub(crate) async fn read(&mut self, max: usize) -> std::io::Result<Vec<u8>> {
        let mut buffer = vec![0u8; max];
        let mut filled = 0;
        while filled < max {
            match self.file.read(&mut buffer[filled..]).await? {
                0 => break,
                read => filled += read,
            }
        }
        buffer.truncate(filled);
        Ok(buffer)
    }

    /// As [`TrackFile::read`], a failure as the API's error.
    pub(crate) async fn read_checked(&mut self, max: usize) -> Result<Vec<u8>, ApiError> {
        match self.read(max).await {
            Ok(bytes) => Ok(bytes),
            Err(error) => Err(unreadable(&self.path, error)),
        }
    }
}

/// A track's file that cannot be read: logged with its path, told as not found.
fn unreadable(path: &std::path::Path, error: std::io::Error) -> ApiError {
    tracing::warn!(path = %path.display(), %error, "a track's file cannot be read");
    ApiError::new(
        "not_found",
        "the track's file is gone or unreadable; scan the library again",
    )
}

/// What a new event connection of `device` is first told of its player, so that a device
/// that restarts knows what to play and how loud: its `media` event when something is
/// queued, then its `volume` event. Nothing for a device whose player was never saved (it
/// has nothing to resume, and the default volume is no news), nor for a room that plays
/// through MPD (the device plays nothing itself, and a connection must not wait on MPD).
pub(crate) async fn player_replay(
    server: &Server,
    household: &HouseholdId,
    device: &Device,
) -> Result<Vec<Value>, ApiError> {
    if server.mpd.address(device).is_some() {
        return Ok(Vec::new());
    }
    let player = server.store.player(household, &device.id).await?;
    if player.updated_at.is_none() {
        return Ok(Vec::new());
    }
    let mut events = Vec::with_capacity(2);
    if !player.queue.is_empty() {
        let current = match player.current() {
            Some(id) => server
                .music
                .track(household, id)
                .await
                .map_err(music_error)?
                .map(|track| track.view),
            None => None,
        };
        events.push(media_event(&player, current.as_ref(), "device"));
    }
    events.push(volume_event(&player));
    Ok(events)
}

/// The library's errors as the API's.
pub(crate) fn music_error(error: hark_music::Error) -> ApiError {
    match error {
        hark_music::Error::Store(error) => error.into(),
        hark_music::Error::Invalid(message) => ApiError::new("invalid_request", message),
        other => {
            tracing::error!(error = %other, "music library error");
            ApiError::new("internal", "internal error")
        }
    }
}

/// `GET /v1/playlists`: the household's playlists, by name.
pub(crate) async fn playlists(
    State(server): State<Arc<Server>>,
    caller: Caller,
) -> Result<Json<Vec<hark_music::Playlist>>, ApiError> {
    let playlists = server
        .music
        .playlists(&caller.household.id)
        .await
        .map_err(music_error)?;
    Ok(Json(playlists))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewPlaylist {
    name: String,
}

/// `POST /v1/playlists {name}`: a new, empty playlist (409 if the name is taken).
pub(crate) async fn create_playlist(
    State(server): State<Arc<Server>>,
    caller: Caller,
    ApiJson(body): ApiJson<NewPlaylist>,
) -> Result<(StatusCode, Json<hark_music::Playlist>), ApiError> {
    let playlist = server
        .music
        .create_playlist(&caller.household.id, &body.name)
        .await
        .map_err(music_error)?;
    Ok((StatusCode::CREATED, Json(playlist)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddTrack {
    track: String,
}

/// `POST /v1/playlists/{name}/tracks {track}`: appends a track, creating the playlist if
/// needed (404 if the household has no such track).
pub(crate) async fn add_track(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<AddTrack>,
) -> Result<Json<hark_music::Playlist>, ApiError> {
    let playlist = server
        .music
        .add_to_playlist(&caller.household.id, &name, &body.track)
        .await
        .map_err(|error| match error {
            hark_music::Error::Store(hark_store::StoreError::NotFound) => {
                ApiError::new("not_found", "this household has no such track")
            }
            other => music_error(other),
        })?;
    Ok(Json(playlist))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let part = |start, end| Wanted::Part { start, end };
        assert_eq!(wanted(None, 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-9"), 100), part(0, 9));
        assert_eq!(wanted(Some("bytes=90-200"), 100), part(90, 99));
        assert_eq!(wanted(Some("bytes=10-"), 100), part(10, 99));
        assert_eq!(wanted(Some("bytes=-10"), 100), part(90, 99));
        assert_eq!(wanted(Some("bytes=-500"), 100), part(0, 99));
        assert_eq!(wanted(Some("bytes=99-99"), 100), part(99, 99));
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=100-200"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-"), 0), Wanted::Unsatisfiable);
        // Malformed or several ranges: ignored, the whole file.
        for ignored in [
            "bytes=5-1",
            "bytes=a-b",
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=",
            "bytes=-",
            "bytes=1",
            "bytes=+1-2",
        ] {
            assert_eq!(wanted(Some(ignored), 100), Wanted::Whole, "{ignored}");
        }
    }
}
