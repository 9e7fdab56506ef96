//! Music as skills see it: what the library holds that matches a request,
//! the device's player, and the changes a skill asks for.

use serde::{Deserialize, Serialize};

/// What a request names in the music library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// One track.
    Track,
    /// An album, in track order.
    Album,
    /// Everything by an artist.
    Artist,
    /// Everything of a genre.
    Genre,
    /// A playlist, in its order.
    Playlist,
    /// The whole library.
    Library,
}

/// A track, as a skill sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackView {
    /// Its id in the library.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its artist.
    pub artist: Option<String>,
    /// Its album.
    pub album: Option<String>,
    /// Its length in milliseconds, when known.
    pub duration_ms: Option<u64>,
}

/// Something in the library that matches what was asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaMatch {
    /// What it is.
    pub kind: MediaKind,
    /// Its id (a track's or a playlist's id, an album's id, an artist's or a
    /// genre's name), for [`MediaEffect::Play`].
    pub id: String,
    /// Its name as the library spells it ("Kind of Blue").
    pub name: String,
    /// Its artist, for a track or an album.
    pub artist: Option<String>,
    /// How many tracks it holds.
    pub tracks: u32,
    /// How close it is to what was said, from 0 to 1 (1: exactly).
    pub score: f32,
}

/// Whether a player plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlayState {
    /// Playing.
    Playing,
    /// Paused in a track.
    Paused,
    /// Nothing queued, or the queue ended.
    Stopped,
}

/// The turn's device's player.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayerView {
    /// Whether it plays.
    pub state: PlayState,
    /// The track it plays or paused in.
    pub current: Option<TrackView>,
    /// The current track's place in the queue, from 0.
    pub index: usize,
    /// How many tracks are queued.
    pub queue_len: usize,
    /// Whether the queue plays shuffled.
    pub shuffle: bool,
    /// Volume, 0 to 100.
    pub volume: u8,
    /// Whether it is muted (the volume is kept for unmute).
    pub muted: bool,
}

/// A transport command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaAction {
    /// Pause.
    Pause,
    /// Resume.
    Resume,
    /// The next track.
    Next,
    /// The previous track.
    Previous,
    /// The current track again from its start.
    Replay,
}

/// A change to the turn's device's player (or to a playlist), applied by the
/// runtime before the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum MediaEffect {
    /// Replace the queue with what `kind` and `id` name and play it.
    Play {
        /// What.
        kind: MediaKind,
        /// Its [`MediaMatch::id`] (empty for the library).
        id: String,
        /// Shuffled.
        shuffle: bool,
    },
    /// Pause, resume, next, previous, replay.
    Control {
        /// Which.
        command: MediaAction,
    },
    /// Set the volume, 0 to 100 (unmutes).
    Volume {
        /// The new level.
        level: u8,
    },
    /// Mute or unmute.
    Mute {
        /// Muted after.
        muted: bool,
    },
    /// Create a playlist.
    CreatePlaylist {
        /// Its name.
        name: String,
    },
    /// Add a track to a playlist (created if it does not exist).
    AddToPlaylist {
        /// The playlist's name.
        name: String,
        /// The track's id.
        track: String,
    },
}
