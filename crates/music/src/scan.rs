//! The scanner: a folder of audio files into the store.
//!
//! 1. Walk the folder (symbolic links to files are followed, to folders not, so a loop of
//!    links cannot trap it), noting each file's size and modification time.
//! 2. Compare with what the store holds under that folder: a file whose size and time are
//!    unchanged is not opened at all; new and changed files are read (tags and length, on
//!    all cores); stored files under the folder that are gone are removed.
//! 3. Write in batches of [`hark_store::TRACK_BATCH`], each one transaction.
//!
//! Nothing in a folder stops a scan: a file with an audio extension that does not read as
//! audio is counted in `skipped_corrupt` (and remembered, so a rescan does not read it again
//! until it changes), any other file in `skipped_not_audio`, a file or
//! folder that cannot be opened (or whose name is not UTF-8) in `skipped_unreadable`, and a
//! stored track under a folder that could not be read is kept rather than removed. Only a
//! folder that does not exist, and a failing store, end a scan with an error.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, UNIX_EPOCH};

use hark_core::HouseholdId;
use hark_store::{Store, StoredFile, TrackRow, TRACK_BATCH};
use serde::Serialize;

use crate::tags::{self, Format};
use crate::Error;

/// What a scan did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanReport {
    /// Files found in the folder.
    pub files: u64,
    /// Tracks new to the library.
    pub added: u64,
    /// Tracks read again because their file changed.
    pub updated: u64,
    /// Tracks whose file had not changed (not read).
    pub unchanged: u64,
    /// Files opened and read this time: new and changed ones.
    pub read: u64,
    /// Tracks removed because their file is gone.
    pub removed: u64,
    /// Files with an audio extension that are not readable audio (remembered with their size
    /// and time, so that a rescan reads them again only once they change).
    pub skipped_corrupt: u64,
    /// Files that are not audio (by their extension).
    pub skipped_not_audio: u64,
    /// Files and folders that could not be opened, or whose name is not UTF-8.
    pub skipped_unreadable: u64,
    /// Wall-clock seconds the whole scan took.
    pub seconds: f64,
    /// Files found per second, over the whole scan.
    pub files_per_sec: f64,
}

/// How far a scan has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanProgress {
    /// Files dealt with.
    pub done: u64,
    /// Files found (known once the walk is over; `done` reaches it at the end).
    pub total: u64,
}

struct Found {
    path: String,
    size: u64,
    mtime: i64,
}

/// Scans `dir` into `household`'s library; see the module's doc. `progress` is called now
/// and then (every few dozen files, and at the end).
pub async fn scan(
    store: &Store,
    household: &HouseholdId,
    dir: &Path,
    mut progress: impl FnMut(ScanProgress),
) -> Result<ScanReport, Error> {
    let started = Instant::now();
    let root = std::fs::canonicalize(dir).map_err(|error| Error::Io {
        path: dir.to_owned(),
        error,
    })?;
    if !root.is_dir() {
        return Err(Error::Invalid(format!("{} is not a folder", dir.display())));
    }
    let mut report = ScanReport::default();
    let walk_root = root.clone();
    let (found, unreadable_dirs, not_audio, unreadable) =
        tokio::task::spawn_blocking(move || walk(&walk_root))
            .await
            .map_err(|e| Error::Invalid(format!("walking the folder failed: {e}")))?;
    report.files = found.len() as u64 + not_audio + unreadable;
    report.skipped_not_audio = not_audio;
    report.skipped_unreadable = unreadable;
    let total = report.files;
    let mut done = not_audio + unreadable;
    progress(ScanProgress { done, total });

    let stored: HashMap<String, StoredFile> = store
        .music_files(household)
        .await?
        .into_iter()
        .map(|file| (file.path.clone(), file))
        .collect();
    let skipped: HashMap<String, StoredFile> = store
        .music_skipped(household)
        .await?
        .into_iter()
        .map(|file| (file.path.clone(), file))
        .collect();
    let same = |old: &StoredFile, file: &Found| old.size == file.size && old.mtime == file.mtime;
    let mut seen = HashSet::new();
    let mut to_read = Vec::new();
    for file in found {
        seen.insert(file.path.clone());
        match stored.get(&file.path) {
            Some(old) if same(old, &file) => {
                report.unchanged += 1;
                done += 1;
            }
            None if skipped.get(&file.path).is_some_and(|old| same(old, &file)) => {
                report.skipped_corrupt += 1;
                done += 1;
            }
            old => to_read.push((file, old.map(|o| o.id.clone()))),
        }
    }
    progress(ScanProgress { done, total });

    let now = jiff::Timestamp::now();
    // Stored tracks to remove: files gone, and changed files that no longer read as audio.
    let mut gone: Vec<String> = Vec::new();
    // Files to remember as unreadable, and paths to forget as such.
    let mut now_skipped = Vec::new();
    let mut forget: Vec<String> = Vec::new();
    for chunk in to_read.chunks(TRACK_BATCH) {
        let jobs: Vec<(PathBuf, u64, i64)> = chunk
            .iter()
            .map(|(f, _)| (PathBuf::from(&f.path), f.size, f.mtime))
            .collect();
        let results = tokio::task::spawn_blocking(move || read_all(jobs))
            .await
            .map_err(|e| Error::Invalid(format!("reading tags failed: {e}")))?;
        report.read += chunk.len() as u64;
        let mut rows = Vec::with_capacity(chunk.len());
        for ((file, old), result) in chunk.iter().zip(results) {
            match result {
                Ok(read) => {
                    if skipped.contains_key(&file.path) {
                        forget.push(file.path.clone());
                    }
                    match old {
                        Some(_) => report.updated += 1,
                        None => report.added += 1,
                    }
                    rows.push(row(file, old.clone().unwrap_or_default(), read));
                }
                Err(_) => {
                    report.skipped_corrupt += 1;
                    gone.extend(old.clone());
                    now_skipped.push(StoredFile {
                        id: String::new(),
                        path: file.path.clone(),
                        size: file.size,
                        mtime: file.mtime,
                    });
                }
            }
        }
        store.write_tracks(household, &rows, &[], now).await?;
        done += chunk.len() as u64;
        progress(ScanProgress { done, total });
    }
    for (path, file) in &stored {
        let inside = Path::new(path).starts_with(&root);
        let kept = unreadable_dirs
            .iter()
            .any(|d| Path::new(path).starts_with(d));
        if inside && !kept && !seen.contains(path) {
            gone.push(file.id.clone());
        }
    }
    for path in skipped.keys() {
        let inside = Path::new(path).starts_with(&root);
        let kept = unreadable_dirs
            .iter()
            .any(|d| Path::new(path).starts_with(d));
        if inside && !kept && !seen.contains(path) {
            forget.push(path.clone());
        }
    }
    for batch in now_skipped.chunks(TRACK_BATCH) {
        store.write_skipped(household, batch, &[]).await?;
    }
    for batch in forget.chunks(TRACK_BATCH) {
        store.write_skipped(household, &[], batch).await?;
    }
    report.removed = gone.len() as u64;
    for batch in gone.chunks(TRACK_BATCH) {
        store.write_tracks(household, &[], batch, now).await?;
    }
    progress(ScanProgress { done: total, total });
    report.seconds = started.elapsed().as_secs_f64();
    report.files_per_sec = report.files as f64 / report.seconds.max(1e-9);
    Ok(report)
}

fn row(file: &Found, id: String, read: tags::Read) -> TrackRow {
    let stem = Path::new(&file.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.path.clone());
    TrackRow {
        id,
        path: file.path.clone(),
        size: file.size,
        mtime: file.mtime,
        format: read.format.as_str().to_string(),
        title: read.tags.title.unwrap_or(stem),
        artist: read.tags.artist,
        album: read.tags.album,
        album_artist: read.tags.album_artist,
        genre: read.tags.genre,
        track_no: read.tags.track_no,
        disc_no: read.tags.disc_no,
        duration_ms: read.duration_ms,
    }
}

/// Reads every file of a batch, on as many threads as there are cores.
fn read_all(jobs: Vec<(PathBuf, u64, i64)>) -> Vec<Result<tags::Read, String>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let per = jobs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(per)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(path, _, _)| tags::read(path))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err("the reader panicked".to_string()); per])
            })
            .collect()
    })
}

type Walked = (Vec<Found>, Vec<PathBuf>, u64, u64);

/// Every audio file under `root`, the folders that could not be read, and the counts of
/// non-audio and unreadable files.
fn walk(root: &Path) -> Walked {
    let mut found = Vec::new();
    let mut unreadable_dirs = Vec::new();
    let (mut not_audio, mut unreadable) = (0, 0);
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(_) => {
                unreadable += 1;
                unreadable_dirs.push(dir);
                continue;
            }
        };
        for entry in entries {
            let Ok(entry) = entry else {
                unreadable += 1;
                continue;
            };
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                unreadable += 1;
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            // Follows a link to a file; a link to a folder is not followed.
            let Ok(meta) = std::fs::metadata(&path) else {
                unreadable += 1;
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            let audio = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(Format::is_audio_extension);
            if !audio {
                not_audio += 1;
                continue;
            }
            let Some(text) = path.to_str() else {
                unreadable += 1;
                continue;
            };
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_millis() as i64);
            found.push(Found {
                path: text.to_string(),
                size: meta.len(),
                mtime,
            });
        }
    }
    (found, unreadable_dirs, not_audio, unreadable)
}
