//! One household's library in memory: its tracks, its albums, artists, genres and playlists
//! as searchable entries, and an inverted index of character trigrams over their names.
//!
//! A search finds candidates by shared trigrams (so a query costs the length of the posting
//! lists it touches, not the size of the library), keeps the [`CANDIDATES`] that share the
//! most, and scores each exactly: the better of a trigram Dice coefficient and a word-level
//! score in which each word said is matched to its closest word of the name by edit distance
//! ("rode" is half of "road"). Exact names score 1. Built once per library version (see the
//! crate's doc); never changed after.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use hark_core::media::{MediaKind, MediaMatch, TrackView};
use hark_store::{PlaylistRow, TrackRow};

use crate::normalize::{levenshtein, normalize};
use crate::{album_id, Format, Names, Track};

/// Candidates scored exactly per search.
const CANDIDATES: usize = 300;
/// Matches scoring less are left out.
const MIN_SCORE: f32 = 0.5;
/// An artist named in the request must match a candidate's this well.
const MIN_ARTIST_SCORE: f32 = 0.6;

struct Entry {
    kind: MediaKind,
    id: String,
    name: String,
    artist: Option<String>,
    artist_norm: Option<String>,
    tracks: u32,
    norm: String,
}

pub(crate) struct Index {
    pub(crate) version: i64,
    /// Every track, in library order (artist, album, disc, track).
    tracks: Vec<Track>,
    by_id: HashMap<String, usize>,
    entries: Vec<Entry>,
    trigrams: HashMap<u64, Vec<u32>>,
    /// Track positions by album id, artist name (normalized), genre (normalized).
    albums: HashMap<String, Vec<usize>>,
    artists: HashMap<String, Vec<usize>>,
    genres: HashMap<String, Vec<usize>>,
    playlists: Vec<PlaylistRow>,
}

fn track(row: TrackRow) -> Track {
    let format = Format::parse(&row.format).unwrap_or(Format::Mp3);
    Track {
        view: TrackView {
            id: row.id,
            title: row.title,
            artist: row.artist,
            album: row.album,
            duration_ms: row.duration_ms,
        },
        path: PathBuf::from(row.path),
        size: row.size,
        mime: format.mime(),
        format,
        track_no: row.track_no,
        disc_no: row.disc_no,
        genre: row.genre,
        album_artist: row.album_artist,
    }
}

/// The artist an album is filed under.
fn album_artist(track: &Track) -> Option<&str> {
    track
        .album_artist
        .as_deref()
        .or(track.view.artist.as_deref())
}

fn sort_key(track: &Track) -> (String, String, u32, u32, String) {
    (
        normalize(album_artist(track).unwrap_or("")),
        normalize(track.view.album.as_deref().unwrap_or("")),
        track.disc_no.unwrap_or(0),
        track.track_no.unwrap_or(0),
        track.path.to_string_lossy().into_owned(),
    )
}

impl Index {
    pub(crate) fn build(version: i64, rows: Vec<TrackRow>, playlists: Vec<PlaylistRow>) -> Index {
        let mut keyed: Vec<_> = rows
            .into_iter()
            .map(track)
            .map(|t| (sort_key(&t), t))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let tracks: Vec<Track> = keyed.into_iter().map(|(_, t)| t).collect();
        let by_id = tracks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.view.id.clone(), i))
            .collect();

        let mut albums: HashMap<String, Vec<usize>> = HashMap::new();
        let mut album_names: HashMap<String, (String, Option<String>)> = HashMap::new();
        let mut artists: HashMap<String, Vec<usize>> = HashMap::new();
        let mut artist_names: HashMap<String, String> = HashMap::new();
        let mut genres: HashMap<String, Vec<usize>> = HashMap::new();
        let mut genre_names: HashMap<String, String> = HashMap::new();
        for (i, t) in tracks.iter().enumerate() {
            if let Some(album) = &t.view.album {
                let id = album_id(album_artist(t), album);
                albums.entry(id.clone()).or_default().push(i);
                album_names
                    .entry(id)
                    .or_insert_with(|| (album.clone(), album_artist(t).map(str::to_string)));
            }
            let mut names: Vec<&String> = t.view.artist.iter().collect();
            names.extend(t.album_artist.iter());
            let mut seen = HashSet::new();
            for name in names {
                let key = normalize(name);
                if !key.is_empty() && seen.insert(key.clone()) {
                    artists.entry(key.clone()).or_default().push(i);
                    artist_names.entry(key).or_insert_with(|| name.clone());
                }
            }
            if let Some(genre) = &t.genre {
                let key = normalize(genre);
                if !key.is_empty() {
                    genres.entry(key.clone()).or_default().push(i);
                    genre_names.entry(key).or_insert_with(|| genre.clone());
                }
            }
        }
        // An album plays by disc and track number; the library order already has that
        // within an album, since the album's tracks share its artist and name.

        let mut entries = Vec::new();
        for t in &tracks {
            entries.push(Entry {
                kind: MediaKind::Track,
                id: t.view.id.clone(),
                name: t.view.title.clone(),
                artist: t.view.artist.clone(),
                artist_norm: t.view.artist.as_deref().map(normalize),
                tracks: 1,
                norm: normalize(&t.view.title),
            });
        }
        for (id, (name, artist)) in &album_names {
            entries.push(Entry {
                kind: MediaKind::Album,
                id: id.clone(),
                name: name.clone(),
                artist: artist.clone(),
                artist_norm: artist.as_deref().map(normalize),
                tracks: albums[id].len() as u32,
                norm: normalize(name),
            });
        }
        for (key, name) in &artist_names {
            entries.push(Entry {
                kind: MediaKind::Artist,
                id: name.clone(),
                name: name.clone(),
                artist: None,
                artist_norm: None,
                tracks: artists[key].len() as u32,
                norm: key.clone(),
            });
        }
        for (key, name) in &genre_names {
            entries.push(Entry {
                kind: MediaKind::Genre,
                id: name.clone(),
                name: name.clone(),
                artist: None,
                artist_norm: None,
                tracks: genres[key].len() as u32,
                norm: key.clone(),
            });
        }
        for playlist in &playlists {
            entries.push(Entry {
                kind: MediaKind::Playlist,
                id: playlist.id.clone(),
                name: playlist.name.clone(),
                artist: None,
                artist_norm: None,
                tracks: playlist.tracks.len() as u32,
                norm: normalize(&playlist.name),
            });
        }
        let mut trigrams: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            for gram in grams(&entry.norm) {
                let list = trigrams.entry(gram).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        Index {
            version,
            tracks,
            by_id,
            entries,
            trigrams,
            albums,
            artists,
            genres,
            playlists,
        }
    }

    pub(crate) fn search(
        &self,
        query: &str,
        kind: Option<MediaKind>,
        artist: Option<&str>,
        limit: usize,
    ) -> Vec<MediaMatch> {
        if kind == Some(MediaKind::Library) {
            return vec![MediaMatch {
                kind: MediaKind::Library,
                id: String::new(),
                name: "your music".into(),
                artist: None,
                tracks: self.tracks.len() as u32,
                score: 1.0,
            }];
        }
        let query = normalize(query);
        if query.is_empty() {
            return Vec::new();
        }
        let artist = artist.map(normalize).filter(|a| !a.is_empty());
        let allowed = |entry: &Entry| match (kind, &artist) {
            (Some(kind), _) if entry.kind != kind => false,
            // With an artist named, the query names something the artist made.
            (_, Some(_)) => matches!(entry.kind, MediaKind::Album | MediaKind::Track),
            _ => true,
        };

        // Candidates by shared trigrams.
        let query_grams: Vec<u64> = {
            let mut seen = HashSet::new();
            grams(&query).filter(|g| seen.insert(*g)).collect()
        };
        let mut counts = vec![0u16; self.entries.len()];
        let mut touched = Vec::new();
        for gram in &query_grams {
            if let Some(list) = self.trigrams.get(gram) {
                for &i in list {
                    let count = &mut counts[i as usize];
                    if *count == 0 {
                        touched.push(i);
                    }
                    *count = count.saturating_add(1);
                }
            }
        }
        let mut candidates: Vec<(u32, u16)> = touched
            .into_iter()
            .filter(|&i| allowed(&self.entries[i as usize]))
            .map(|i| (i, counts[i as usize]))
            .collect();
        candidates.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.truncate(CANDIDATES);

        let query_words = words(&query);
        let mut scored: Vec<(f32, &Entry)> = candidates
            .into_iter()
            .filter_map(|(i, shared)| {
                let entry = &self.entries[i as usize];
                let mut score = similarity(&query, &query_words, query_grams.len(), shared, entry);
                if let Some(artist) = &artist {
                    let theirs = entry.artist_norm.as_deref()?;
                    let fit = name_similarity(artist, theirs);
                    if fit < MIN_ARTIST_SCORE {
                        return None;
                    }
                    score *= fit;
                }
                (score >= MIN_SCORE).then_some((score, entry))
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(rank(a.1.kind).cmp(&rank(b.1.kind)))
                .then(b.1.tracks.cmp(&a.1.tracks))
                .then(a.1.name.cmp(&b.1.name))
        });
        scored
            .into_iter()
            .take(limit)
            .map(|(score, entry)| MediaMatch {
                kind: entry.kind,
                id: entry.id.clone(),
                name: entry.name.clone(),
                artist: entry.artist.clone(),
                tracks: entry.tracks,
                score,
            })
            .collect()
    }

    pub(crate) fn tracks(&self, kind: MediaKind, id: &str) -> Vec<Track> {
        let positions: Vec<usize> = match kind {
            MediaKind::Track => self.by_id.get(id).copied().into_iter().collect(),
            MediaKind::Album => self.albums.get(id).cloned().unwrap_or_default(),
            MediaKind::Artist => {
                let mut positions = self
                    .artists
                    .get(&normalize(id))
                    .cloned()
                    .unwrap_or_default();
                // By album, then disc and track: the library order within the artist, but
                // with compilations (filed under another album artist) among the albums.
                positions.sort_by_key(|&i| {
                    let t = &self.tracks[i];
                    (
                        normalize(t.view.album.as_deref().unwrap_or("")),
                        t.disc_no.unwrap_or(0),
                        t.track_no.unwrap_or(0),
                        i,
                    )
                });
                positions
            }
            MediaKind::Genre => self.genres.get(&normalize(id)).cloned().unwrap_or_default(),
            MediaKind::Playlist => self
                .playlists
                .iter()
                .find(|p| p.id == id || p.name.eq_ignore_ascii_case(id))
                .map(|p| {
                    p.tracks
                        .iter()
                        .filter_map(|t| self.by_id.get(t).copied())
                        .collect()
                })
                .unwrap_or_default(),
            MediaKind::Library => (0..self.tracks.len()).collect(),
        };
        positions
            .into_iter()
            .map(|i| self.tracks[i].clone())
            .collect()
    }

    pub(crate) fn track(&self, id: &str) -> Option<&Track> {
        self.by_id.get(id).map(|&i| &self.tracks[i])
    }

    pub(crate) fn names(&self) -> Names {
        let mut names = Names::default();
        for entry in &self.entries {
            let list = match entry.kind {
                MediaKind::Track => &mut names.titles,
                MediaKind::Album => &mut names.albums,
                MediaKind::Artist => &mut names.artists,
                MediaKind::Genre => &mut names.genres,
                MediaKind::Playlist => &mut names.playlists,
                MediaKind::Library => continue,
            };
            list.push(entry.name.clone());
        }
        for list in [
            &mut names.artists,
            &mut names.albums,
            &mut names.titles,
            &mut names.genres,
            &mut names.playlists,
        ] {
            list.sort_by_cached_key(|name| name.to_lowercase());
            list.dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());
        }
        names
    }
}

/// Which kind wins a tie: an album before a track of the same name ("play Thriller").
fn rank(kind: MediaKind) -> u8 {
    match kind {
        MediaKind::Playlist => 0,
        MediaKind::Album => 1,
        MediaKind::Artist => 2,
        MediaKind::Genre => 3,
        MediaKind::Track => 4,
        MediaKind::Library => 5,
    }
}

/// The trigrams of a normalized name, padded with a space at each end so that short names
/// and word starts count.
fn grams(norm: &str) -> impl Iterator<Item = u64> + '_ {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(norm.chars())
        .chain(std::iter::once(' '))
        .collect();
    let grams: Vec<u64> = chars
        .windows(3)
        .map(|w| {
            (u64::from(w[0] as u32) << 42) | (u64::from(w[1] as u32) << 21) | u64::from(w[2] as u32)
        })
        .collect();
    grams.into_iter()
}

fn words(norm: &str) -> Vec<Vec<char>> {
    norm.split(' ').map(|w| w.chars().collect()).collect()
}

fn similarity(
    query: &str,
    query_words: &[Vec<char>],
    query_grams: usize,
    shared: u16,
    entry: &Entry,
) -> f32 {
    if query == entry.norm {
        return 1.0;
    }
    let entry_grams = grams(&entry.norm).collect::<HashSet<_>>().len();
    let dice = 2.0 * f32::from(shared) / (query_grams + entry_grams).max(1) as f32;
    let by_words = word_score(query_words, &words(&entry.norm));
    // Never 1 unless exact.
    dice.max(by_words).min(0.99)
}

/// Each word said matched to the closest word of the name: mostly how much of what was said
/// the name has, a little how much of the name was said.
fn word_score(said: &[Vec<char>], name: &[Vec<char>]) -> f32 {
    if said.is_empty() || name.is_empty() {
        return 0.0;
    }
    let mut used = vec![false; name.len()];
    let mut total = 0.0;
    for word in said {
        let mut best = (0.0f32, None);
        for (j, candidate) in name.iter().enumerate() {
            if used[j] {
                continue;
            }
            let longest = word.len().max(candidate.len()).max(1);
            let similar = 1.0 - levenshtein(word, candidate) as f32 / longest as f32;
            if similar > best.0 {
                best = (similar, Some(j));
            }
        }
        if let (similar, Some(j)) = best {
            if similar >= 0.5 {
                used[j] = true;
                total += similar;
            }
        }
    }
    0.75 * total / said.len() as f32 + 0.25 * total / name.len() as f32
}

/// How well two normalized names match, from 0 to 1.
fn name_similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    word_score(&words(a), &words(b))
}
