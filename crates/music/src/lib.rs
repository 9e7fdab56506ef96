//! hark's music library: the household's own audio files, scanned into the store with their
//! tags, found by what people call them, and played in order.
//!
//! - [`scan`] walks a folder and writes what it finds to the store (`scan.rs`): incremental
//!   (a file whose size and modification time are unchanged is not read again; a file gone
//!   is removed), tolerant (corrupt and non-audio files are counted, never fatal), batched
//!   (one transaction per [`hark_store::TRACK_BATCH`] files).
//! - [`Library`] answers the assistant and the API: search by name with near misses
//!   ("abbey rode"), the tracks an album, artist, genre or playlist holds in play order, one
//!   track (for streaming), every name (for the grammar and the recognizer), playlists.
//!
//! The key decision: **search runs on an index in memory, one per household, rebuilt when
//! the library's version in the store changes** (`index.rs`). Every write to a household's
//! tracks or playlists bumps that version in its own transaction, so each [`Library`] call
//! costs one small indexed read to know whether its index is current, and a scan by another
//! process (`hark music scan` next to a running server) or another node is seen on the next
//! call, never missed. A rescan that changed nothing writes nothing, and keeps the index.

#![deny(missing_docs)]

pub mod generate;
mod index;
mod normalize;
mod scan;
mod tags;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use hark_core::media::{MediaKind, MediaMatch, TrackView};
use hark_core::HouseholdId;
use hark_store::{Store, StoreError};
use serde::Serialize;

pub use normalize::normalize;
pub use scan::{scan, ScanProgress, ScanReport};
pub use tags::{write_tags, Format, Tags};

use index::Index;

/// What went wrong in the music library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed, or refused the change (a playlist name taken, an unknown track).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file or folder could not be read or written.
    #[error("{path}: {error}")]
    Io {
        /// Which.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// A file's tags could not be read or written.
    #[error("{path}: {message}")]
    Tags {
        /// Which file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The request cannot be done as asked.
    #[error("{0}")]
    Invalid(String),
}

/// A track of the library: what a skill sees, and what playing it needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Track {
    /// Id, title, artist, album, length.
    pub view: TrackView,
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes when scanned.
    pub size: u64,
    /// Its MIME type (`audio/mpeg`, `audio/flac`, `audio/ogg`, `audio/wav`, `audio/mp4`).
    pub mime: &'static str,
    /// Its format.
    pub format: Format,
    /// Its number on its disc.
    pub track_no: Option<u32>,
    /// Its disc.
    pub disc_no: Option<u32>,
    /// Its genre.
    pub genre: Option<String>,
    /// Its album's artist, when tagged.
    pub album_artist: Option<String>,
}

/// Every name the library holds, each once (compared without case), sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Names {
    /// Artists and album artists.
    pub artists: Vec<String>,
    /// Albums.
    pub albums: Vec<String>,
    /// Track titles.
    pub titles: Vec<String>,
    /// Genres.
    pub genres: Vec<String>,
    /// Playlists.
    pub playlists: Vec<String>,
}

impl Names {
    /// All of them in one list, each once (for the grammar's `media_name` values).
    pub fn all(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        [
            &self.artists,
            &self.albums,
            &self.titles,
            &self.genres,
            &self.playlists,
        ]
        .into_iter()
        .flatten()
        .filter(|name| seen.insert(name.to_lowercase()))
        .cloned()
        .collect()
    }
}

/// A playlist: its name and its tracks' ids in play order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Playlist {
    /// `pls_...`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its tracks' ids, in order.
    pub tracks: Vec<String>,
}

impl From<hark_store::PlaylistRow> for Playlist {
    fn from(row: hark_store::PlaylistRow) -> Self {
        Playlist {
            id: row.id,
            name: row.name,
            tracks: row.tracks,
        }
    }
}

/// The music library of every household in a store, with a search index per household.
///
/// Cheap to clone: clones share the store and the indexes.
#[derive(Clone)]
pub struct Library {
    store: Store,
    indexes: Arc<Mutex<HashMap<HouseholdId, Arc<Index>>>>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").finish_non_exhaustive()
    }
}

/// At most this many matches come back from a search.
pub const MAX_MATCHES: usize = 10;

impl Library {
    /// A library over `store`; indexes are built on first use.
    pub fn new(store: Store) -> Self {
        Library {
            store,
            indexes: Arc::default(),
        }
    }

    /// The store it reads.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Best first, at most [`MAX_MATCHES`], scores from 0 to 1. Fuzzy: "abbey rode" finds
    /// Abbey Road, "simon and garfunkel" finds Simon & Garfunkel, "beatles" finds The Beatles.
    /// `kind` narrows (None: any kind); `artist` narrows to what that artist made ("Abbey
    /// Road by the Beatles"), leaving out genres and playlists. An empty query finds nothing,
    /// except with `kind` [`MediaKind::Library`], which finds the whole library.
    pub async fn search(
        &self,
        household: &HouseholdId,
        query: &str,
        kind: Option<MediaKind>,
        artist: Option<&str>,
    ) -> Result<Vec<MediaMatch>, Error> {
        let index = self.index(household).await?;
        Ok(index.search(query, kind, artist, MAX_MATCHES))
    }

    /// The tracks that `kind` and `id` (a [`MediaMatch`]'s) name, in play order: an album by
    /// disc and track number; an artist's by album, then disc and track; a genre's and the
    /// library's (any id) by artist, album, disc and track; a playlist's in its order. An id
    /// the library does not know gives no tracks.
    pub async fn tracks(
        &self,
        household: &HouseholdId,
        kind: MediaKind,
        id: &str,
    ) -> Result<Vec<Track>, Error> {
        let index = self.index(household).await?;
        Ok(index.tracks(kind, id))
    }

    /// One track of the household's library.
    pub async fn track(&self, household: &HouseholdId, id: &str) -> Result<Option<Track>, Error> {
        let index = self.index(household).await?;
        Ok(index.track(id).cloned())
    }

    /// Every artist, album, title, genre and playlist name, for the grammar and recognizer.
    pub async fn names(&self, household: &HouseholdId) -> Result<Names, Error> {
        let index = self.index(household).await?;
        Ok(index.names())
    }

    /// The library's version in the store: it changes with every scan that changed something
    /// and every playlist change, so a caller can tell whether names need learning again.
    pub async fn version(&self, household: &HouseholdId) -> Result<i64, Error> {
        Ok(self.store.music_version(household).await?)
    }

    /// Creates an empty playlist. [`StoreError::Conflict`] (inside [`Error::Store`]) when the
    /// household has one of that name, [`StoreError::Invalid`] for an empty name.
    pub async fn create_playlist(
        &self,
        household: &HouseholdId,
        name: &str,
    ) -> Result<Playlist, Error> {
        let row = self
            .store
            .create_playlist(household, name, jiff::Timestamp::now())
            .await?;
        Ok(row.into())
    }

    /// Appends a track to the playlist `name`, creating it if needed.
    /// [`StoreError::NotFound`] (inside [`Error::Store`]) when the household has no such
    /// track.
    pub async fn add_to_playlist(
        &self,
        household: &HouseholdId,
        name: &str,
        track: &str,
    ) -> Result<Playlist, Error> {
        let row = self
            .store
            .add_to_playlist(household, name, track, jiff::Timestamp::now())
            .await?;
        Ok(row.into())
    }

    /// The household's playlists, by name.
    pub async fn playlists(&self, household: &HouseholdId) -> Result<Vec<Playlist>, Error> {
        Ok(self
            .store
            .playlists(household)
            .await?
            .into_iter()
            .map(Playlist::from)
            .collect())
    }

    /// The household's index, built again when the store's version moved on.
    async fn index(&self, household: &HouseholdId) -> Result<Arc<Index>, Error> {
        let version = self.store.music_version(household).await?;
        let cached = self
            .indexes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(household)
            .cloned();
        if let Some(index) = cached.filter(|index| index.version == version) {
            return Ok(index);
        }
        // Read after the version: a write in between makes this index newer than its
        // number says, and the next call builds again; never older.
        let tracks = self.store.music_tracks(household).await?;
        let playlists = self.store.playlists(household).await?;
        let index = tokio::task::spawn_blocking(move || Index::build(version, tracks, playlists))
            .await
            .map_err(|error| Error::Invalid(format!("building the music index failed: {error}")))?;
        let index = Arc::new(index);
        self.indexes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(household.clone(), index.clone());
        Ok(index)
    }
}

/// The album id of an album: stable across scans and processes (a hash of its artist's and
/// its name's normalized forms), so a [`MediaMatch`] stays playable after a rebuild.
pub fn album_id(artist: Option<&str>, album: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let key = format!(
        "{}\u{1f}{}",
        normalize(artist.unwrap_or("")),
        normalize(album)
    );
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("alb_{hash:016x}")
}
