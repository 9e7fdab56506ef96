//! The music library's rows: tracks (one per audio file, with its tags), playlists and their
//! ordered entries, and one version number per household's library.
//!
//! The scanner (hark-music) decides what to read; this module only keeps the facts. Two
//! decisions shape it:
//!
//! - **Batches, not statements.** A scan writes thousands of rows; [`Store::write_tracks`]
//!   takes a batch of upserts and removals and commits it in one transaction, so a scan of
//!   50,000 files is a hundred commits, not 50,000.
//! - **One number says "changed".** Every write here also bumps `music_libraries.version` in
//!   the same transaction. A reader that keeps an index of the library in memory compares
//!   [`Store::music_version`] with the version it was built from, which is correct whichever
//!   process (the `hark music scan` command beside a running server) or node wrote.
//!
//! As everywhere in the store, every call filters by household in SQL; a playlist entry can
//! only name a track of its own household (the schema checks it).

use hark_core::HouseholdId;
use jiff::Timestamp;

use crate::db::{Row, Step, Value};
use crate::store::{clean_text, millis, timestamp, to_millisecond};
use crate::{token, Result, Store, StoreError};

/// A track as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackRow {
    /// `trk_...`, kept while the file stays at its path.
    pub id: String,
    /// The file's absolute path.
    pub path: String,
    /// Its size in bytes when it was read.
    pub size: u64,
    /// Its modification time when it was read, in milliseconds since the epoch.
    pub mtime: i64,
    /// Its container and codec: `mp3`, `flac`, `vorbis`, `opus`, `wav`, `m4a`.
    pub format: String,
    /// Its title (the file name when untagged).
    pub title: String,
    /// Its artist.
    pub artist: Option<String>,
    /// Its album.
    pub album: Option<String>,
    /// Its album's artist, when the tags say.
    pub album_artist: Option<String>,
    /// Its genre.
    pub genre: Option<String>,
    /// Its number on its disc.
    pub track_no: Option<u32>,
    /// Its disc's number.
    pub disc_no: Option<u32>,
    /// Its length.
    pub duration_ms: Option<u64>,
}

/// What a rescan compares: a stored file's path, size and modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The track's id.
    pub id: String,
    /// The file's path.
    pub path: String,
    /// Its size when read.
    pub size: u64,
    /// Its modification time when read (ms).
    pub mtime: i64,
}

/// A playlist as stored, with its tracks' ids in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaylistRow {
    /// `pls_...`.
    pub id: String,
    /// Its name as first written.
    pub name: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// Its tracks' ids, in play order (a track may appear more than once).
    pub tracks: Vec<String>,
}

/// Rows per transaction of [`Store::write_tracks`]'s callers: large enough that commits do
/// not dominate a scan, small enough that one batch's work is lost at most on a crash.
pub const TRACK_BATCH: usize = 500;

macro_rules! track_columns {
    () => {
        "id, path, size, mtime, format, title, artist, album, album_artist, genre, track_no, \
         disc_no, duration_ms"
    };
}

const BUMP: &str = "INSERT INTO music_libraries (household_id, version, changed_at) \
     VALUES ($1, 1, $2) ON CONFLICT (household_id) \
     DO UPDATE SET version = music_libraries.version + 1, changed_at = excluded.changed_at";

fn bump(household: &HouseholdId, now: Timestamp) -> Step {
    Step {
        sql: BUMP,
        params: vec![household.as_str().into(), millis(now)],
        required: false,
    }
}

fn opt_u32(value: Option<u32>) -> Value {
    value.map(i64::from).into()
}

impl Store {
    /// Adds or updates (by path) `upserts` and removes the tracks with the ids in `removed`,
    /// all in one transaction that also bumps the library's version. A new track gets a
    /// fresh id; an existing path keeps its id, so playlists keep it. An empty batch writes
    /// nothing.
    pub async fn write_tracks(
        &self,
        household: &HouseholdId,
        upserts: &[TrackRow],
        removed: &[String],
        now: Timestamp,
    ) -> Result<()> {
        if upserts.is_empty() && removed.is_empty() {
            return Ok(());
        }
        let now = to_millisecond(now)?;
        let mut steps = Vec::with_capacity(upserts.len() + removed.len() + 1);
        for track in upserts {
            if track.title.trim().is_empty() {
                return Err(StoreError::Invalid(format!(
                    "the track {} has an empty title",
                    track.path
                )));
            }
            let id = match track.id.is_empty() {
                true => format!("trk_{}", token::random_base32(12)?),
                false => track.id.clone(),
            };
            steps.push(Step {
                sql: concat!(
                    "INSERT INTO music_tracks (household_id, ",
                    track_columns!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                     ON CONFLICT (household_id, path) DO UPDATE SET size = excluded.size, \
                     mtime = excluded.mtime, format = excluded.format, title = excluded.title, \
                     artist = excluded.artist, album = excluded.album, \
                     album_artist = excluded.album_artist, genre = excluded.genre, \
                     track_no = excluded.track_no, disc_no = excluded.disc_no, \
                     duration_ms = excluded.duration_ms"
                ),
                params: vec![
                    household.as_str().into(),
                    id.into(),
                    track.path.as_str().into(),
                    Value::Int(i64::try_from(track.size).unwrap_or(i64::MAX)),
                    Value::Int(track.mtime),
                    track.format.as_str().into(),
                    track.title.as_str().into(),
                    track.artist.as_deref().into(),
                    track.album.as_deref().into(),
                    track.album_artist.as_deref().into(),
                    track.genre.as_deref().into(),
                    opt_u32(track.track_no),
                    opt_u32(track.disc_no),
                    track
                        .duration_ms
                        .map(|ms| i64::try_from(ms).unwrap_or(i64::MAX))
                        .into(),
                ],
                required: true,
            });
        }
        for id in removed {
            steps.push(Step {
                sql: "DELETE FROM music_tracks WHERE household_id = $1 AND id = $2",
                params: vec![household.as_str().into(), id.as_str().into()],
                required: false,
            });
        }
        steps.push(bump(household, now));
        self.inner.transaction(steps).await?;
        Ok(())
    }

    /// Every stored file of the household's library: what a rescan compares against.
    pub async fn music_files(&self, household: &HouseholdId) -> Result<Vec<StoredFile>> {
        self.stored_files(
            "SELECT id, path, size, mtime FROM music_tracks WHERE household_id = $1",
            household,
        )
        .await
    }

    /// The files a scan could not read as audio, with the size and time they had then (the
    /// ids are empty).
    pub async fn music_skipped(&self, household: &HouseholdId) -> Result<Vec<StoredFile>> {
        self.stored_files(
            "SELECT '', path, size, mtime FROM music_skipped WHERE household_id = $1",
            household,
        )
        .await
    }

    /// The rows of `sql` (id, path, size, mtime, for one household) as stored files.
    async fn stored_files(
        &self,
        sql: &'static str,
        household: &HouseholdId,
    ) -> Result<Vec<StoredFile>> {
        let rows = self
            .inner
            .query(sql, vec![household.as_str().into()])
            .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredFile {
                    id: row.text(0)?,
                    path: row.text(1)?,
                    size: u64::try_from(row.int(2)?).unwrap_or(0),
                    mtime: row.int(3)?,
                })
            })
            .collect()
    }

    /// Records (or updates) files a scan could not read and forgets the paths in
    /// `forget`, in one transaction. Not part of the library: its version stays.
    pub async fn write_skipped(
        &self,
        household: &HouseholdId,
        skipped: &[StoredFile],
        forget: &[String],
    ) -> Result<()> {
        let mut steps = Vec::with_capacity(skipped.len() + forget.len());
        for file in skipped {
            steps.push(Step {
                sql: "INSERT INTO music_skipped (household_id, path, size, mtime) \
                      VALUES ($1, $2, $3, $4) ON CONFLICT (household_id, path) \
                      DO UPDATE SET size = excluded.size, mtime = excluded.mtime",
                params: vec![
                    household.as_str().into(),
                    file.path.as_str().into(),
                    Value::Int(i64::try_from(file.size).unwrap_or(i64::MAX)),
                    Value::Int(file.mtime),
                ],
                required: false,
            });
        }
        for path in forget {
            steps.push(Step {
                sql: "DELETE FROM music_skipped WHERE household_id = $1 AND path = $2",
                params: vec![household.as_str().into(), path.as_str().into()],
                required: false,
            });
        }
        if steps.is_empty() {
            return Ok(());
        }
        self.inner.transaction(steps).await?;
        Ok(())
    }

    /// Every track of the household's library, in no particular order.
    pub async fn music_tracks(&self, household: &HouseholdId) -> Result<Vec<TrackRow>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    track_columns!(),
                    " FROM music_tracks WHERE household_id = $1"
                ),
                vec![household.as_str().into()],
            )
            .await?;
        rows.iter().map(track_row).collect()
    }

    /// One track of the household's library.
    pub async fn music_track(&self, household: &HouseholdId, id: &str) -> Result<Option<TrackRow>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    track_columns!(),
                    " FROM music_tracks WHERE household_id = $1 AND id = $2"
                ),
                vec![household.as_str().into(), id.into()],
            )
            .await?;
        rows.first().map(track_row).transpose()
    }

    /// The household library's version: 0 before anything was written, then one more for
    /// every batch of tracks and every playlist change.
    pub async fn music_version(&self, household: &HouseholdId) -> Result<i64> {
        let rows = self
            .inner
            .query(
                "SELECT version FROM music_libraries WHERE household_id = $1",
                vec![household.as_str().into()],
            )
            .await?;
        rows.first().map_or(Ok(0), |row| row.int(0))
    }

    /// Creates an empty playlist. [`StoreError::Conflict`] if the household has one of that
    /// name (names compare without case); [`StoreError::Invalid`] for an empty name.
    pub async fn create_playlist(
        &self,
        household: &HouseholdId,
        name: &str,
        now: Timestamp,
    ) -> Result<PlaylistRow> {
        let name = playlist_name(name)?;
        let created_at = to_millisecond(now)?;
        let id = format!("pls_{}", token::random_base32(12)?);
        let steps = vec![
            Step {
                sql: "INSERT INTO music_playlists (id, household_id, name, name_key, created_at) \
                      VALUES ($1, $2, $3, $4, $5)",
                params: vec![
                    id.as_str().into(),
                    household.as_str().into(),
                    name.as_str().into(),
                    name.to_lowercase().into(),
                    millis(created_at),
                ],
                required: true,
            },
            bump(household, created_at),
        ];
        match self.inner.transaction(steps).await {
            Ok(_) => {}
            Err(StoreError::Conflict(_)) => {
                return Err(StoreError::Conflict(format!(
                    "there is already a playlist called \"{name}\""
                )))
            }
            // The household does not exist.
            Err(StoreError::NotFound) => return Err(StoreError::NotFound),
            Err(other) => return Err(other),
        }
        Ok(PlaylistRow {
            id,
            name,
            created_at,
            tracks: Vec::new(),
        })
    }

    /// Appends a track of the household's library to the playlist `name`, creating the
    /// playlist if it does not exist, in one transaction. [`StoreError::NotFound`] if the
    /// household has no such track (nothing is written then). Returns the playlist after.
    pub async fn add_to_playlist(
        &self,
        household: &HouseholdId,
        name: &str,
        track: &str,
        now: Timestamp,
    ) -> Result<PlaylistRow> {
        let name = playlist_name(name)?;
        let key = name.to_lowercase();
        let now = to_millisecond(now)?;
        let id = format!("pls_{}", token::random_base32(12)?);
        let steps = vec![
            Step {
                sql: "INSERT INTO music_playlists (id, household_id, name, name_key, created_at) \
                      VALUES ($1, $2, $3, $4, $5) ON CONFLICT (household_id, name_key) DO NOTHING",
                params: vec![
                    id.as_str().into(),
                    household.as_str().into(),
                    name.as_str().into(),
                    key.as_str().into(),
                    millis(now),
                ],
                required: false,
            },
            // Only if the track is the household's: otherwise no row, and all is rolled back.
            Step {
                sql: "INSERT INTO music_playlist_entries \
                      (household_id, playlist_id, position, track_id) \
                      SELECT p.household_id, p.id, \
                      (SELECT COALESCE(MAX(e.position), 0) + 1 FROM music_playlist_entries e \
                       WHERE e.playlist_id = p.id), t.id \
                      FROM music_playlists p, music_tracks t \
                      WHERE p.household_id = $1 AND p.name_key = $2 \
                      AND t.household_id = $1 AND t.id = $3",
                params: vec![household.as_str().into(), key.as_str().into(), track.into()],
                required: true,
            },
            bump(household, now),
        ];
        if !self.inner.transaction(steps).await? {
            return Err(StoreError::NotFound);
        }
        self.playlists(household)
            .await?
            .into_iter()
            .find(|playlist| playlist.name.to_lowercase() == key)
            .ok_or(StoreError::NotFound)
    }

    /// The household's playlists, by name, each with its tracks in order.
    pub async fn playlists(&self, household: &HouseholdId) -> Result<Vec<PlaylistRow>> {
        let rows = self
            .inner
            .query(
                "SELECT id, name, created_at FROM music_playlists WHERE household_id = $1 \
                 ORDER BY name_key",
                vec![household.as_str().into()],
            )
            .await?;
        let mut playlists = rows
            .iter()
            .map(|row| {
                Ok(PlaylistRow {
                    id: row.text(0)?,
                    name: row.text(1)?,
                    created_at: timestamp(row.int(2)?)?,
                    tracks: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let entries = self
            .inner
            .query(
                "SELECT playlist_id, track_id FROM music_playlist_entries \
                 WHERE household_id = $1 ORDER BY playlist_id, position",
                vec![household.as_str().into()],
            )
            .await?;
        for entry in &entries {
            let playlist = entry.text(0)?;
            if let Some(found) = playlists.iter_mut().find(|p| p.id == playlist) {
                found.tracks.push(entry.text(1)?);
            }
        }
        Ok(playlists)
    }
}

fn playlist_name(name: &str) -> Result<String> {
    let name = clean_text("a playlist's name", name)?;
    if name.is_empty() {
        return Err(StoreError::Invalid(
            "a playlist's name must not be empty".into(),
        ));
    }
    Ok(name)
}

fn track_row(row: &Row) -> Result<TrackRow> {
    let small = |column: usize| -> Result<Option<u32>> {
        Ok(row
            .opt_int(column)?
            .and_then(|number| u32::try_from(number).ok()))
    };
    Ok(TrackRow {
        id: row.text(0)?,
        path: row.text(1)?,
        size: u64::try_from(row.int(2)?).unwrap_or(0),
        mtime: row.int(3)?,
        format: row.text(4)?,
        title: row.text(5)?,
        artist: row.opt_text(6)?,
        album: row.opt_text(7)?,
        album_artist: row.opt_text(8)?,
        genre: row.opt_text(9)?,
        track_no: small(10)?,
        disc_no: small(11)?,
        duration_ms: row
            .opt_int(12)?
            .and_then(|number| u64::try_from(number).ok()),
    })
}
