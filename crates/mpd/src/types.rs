//! What MPD answers, as typed values: the player's [`Status`] and a [`Song`] of the queue or
//! the database, read from the `key: value` pairs of an answer.
//!
//! Unknown keys are ignored (each MPD release adds some); a known key with a value that does
//! not parse is a [`MpdError::Protocol`], never a silent default.

use std::str::FromStr;
use std::time::Duration;

use crate::protocol::Pair;
use crate::{MpdError, Result};

/// Whether the player is playing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum State {
    /// Playing the current song.
    Play,
    /// Paused in the current song.
    Pause,
    /// Stopped.
    #[default]
    Stop,
}

/// The player's state, from the `status` command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    /// Playing, paused or stopped.
    pub state: State,
    /// The volume in percent; `None` when the output has no mixer (MPD says `-1`) or while
    /// nothing plays on an output whose mixer is closed.
    pub volume: Option<u8>,
    /// The current song's position in the queue (0 for the first).
    pub song: Option<u32>,
    /// The current song's id in the queue (stable while the queue changes).
    pub song_id: Option<u32>,
    /// The next song's position in the queue.
    pub next_song: Option<u32>,
    /// How far into the current song the player is.
    pub elapsed: Option<Duration>,
    /// The current song's length, when known.
    pub duration: Option<Duration>,
    /// Whether the queue plays in random order.
    pub random: bool,
    /// Whether the queue starts again after its last song.
    pub repeat: bool,
    /// How many songs the queue holds.
    pub playlist_length: u32,
    /// The job id of the database update running now, if any.
    pub updating_db: Option<u32>,
    /// The last playback error (a file that could not be decoded, an output that failed).
    pub error: Option<String>,
}

/// A song in the queue or the database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Song {
    /// Its URI: a path relative to MPD's music directory, or a URL.
    pub file: String,
    /// Its title tag.
    pub title: Option<String>,
    /// Its (first) artist tag.
    pub artist: Option<String>,
    /// Its album tag.
    pub album: Option<String>,
    /// Its length, when known.
    pub duration: Option<Duration>,
    /// Its position in the queue (queue answers only).
    pub pos: Option<u32>,
    /// Its id in the queue (queue answers only).
    pub id: Option<u32>,
}

fn number<T: FromStr>(key: &str, value: &str) -> Result<T> {
    value
        .parse()
        .map_err(|_| MpdError::Protocol(format!("`{key}: {value}` is not a valid number")))
}

fn seconds(key: &str, value: &str) -> Result<Duration> {
    let secs: f64 = number(key, value)?;
    Duration::try_from_secs_f64(secs)
        .map_err(|_| MpdError::Protocol(format!("`{key}: {value}` is not a valid duration")))
}

fn flag(key: &str, value: &str) -> Result<bool> {
    match value {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(MpdError::Protocol(format!(
            "`{key}: {value}` is not 0 or 1"
        ))),
    }
}

impl Status {
    /// The status in the pairs of a `status` answer.
    pub(crate) fn from_pairs(pairs: &[Pair]) -> Result<Status> {
        let mut status = Status::default();
        let mut state = None;
        // `time: elapsed:total` in whole seconds, the older form of `elapsed` and `duration`.
        let mut time = None;
        for (key, value) in pairs {
            let (key, value) = (key.as_str(), value.as_str());
            match key {
                "state" => {
                    state = Some(match value {
                        "play" => State::Play,
                        "pause" => State::Pause,
                        "stop" => State::Stop,
                        _ => return Err(MpdError::Protocol(format!("unknown state {value:?}"))),
                    })
                }
                "volume" => {
                    let volume: i32 = number(key, value)?;
                    status.volume = match volume {
                        -1 => None,
                        0..=100 => Some(volume as u8),
                        _ => {
                            return Err(MpdError::Protocol(format!(
                                "volume {volume} is not -1 or a percentage"
                            )))
                        }
                    };
                }
                "song" => status.song = Some(number(key, value)?),
                "songid" => status.song_id = Some(number(key, value)?),
                "nextsong" => status.next_song = Some(number(key, value)?),
                "elapsed" => status.elapsed = Some(seconds(key, value)?),
                "duration" => status.duration = Some(seconds(key, value)?),
                "time" => {
                    let (elapsed, total) = value.split_once(':').ok_or_else(|| {
                        MpdError::Protocol(format!("`time: {value}` is not elapsed:total"))
                    })?;
                    time = Some((seconds(key, elapsed)?, seconds(key, total)?));
                }
                "random" => status.random = flag(key, value)?,
                "repeat" => status.repeat = flag(key, value)?,
                "playlistlength" => status.playlist_length = number(key, value)?,
                "updating_db" => status.updating_db = Some(number(key, value)?),
                "error" => status.error = Some(value.to_owned()),
                _ => {}
            }
        }
        status.state =
            state.ok_or_else(|| MpdError::Protocol("the status has no `state`".into()))?;
        if let Some((elapsed, total)) = time {
            status.elapsed.get_or_insert(elapsed);
            status.duration.get_or_insert(total);
        }
        Ok(status)
    }
}

impl Song {
    /// The songs in the pairs of an answer that lists songs (`playlistinfo`, `find`, ...):
    /// each `file` key starts a new one. Directories and playlists in a listing are skipped,
    /// with the keys that follow them.
    pub(crate) fn list_from_pairs(pairs: &[Pair]) -> Result<Vec<Song>> {
        let mut songs = Vec::new();
        let mut current: Option<Song> = None;
        for (key, value) in pairs {
            let (key, value) = (key.as_str(), value.as_str());
            match key {
                "file" => {
                    songs.extend(current.take());
                    current = Some(Song {
                        file: value.to_owned(),
                        ..Song::default()
                    });
                    continue;
                }
                "directory" | "playlist" => {
                    songs.extend(current.take());
                    continue;
                }
                _ => {}
            }
            let Some(song) = current.as_mut() else {
                continue;
            };
            match key {
                "Title" => {
                    song.title.get_or_insert_with(|| value.to_owned());
                }
                "Artist" => {
                    song.artist.get_or_insert_with(|| value.to_owned());
                }
                "Album" => {
                    song.album.get_or_insert_with(|| value.to_owned());
                }
                "duration" => song.duration = Some(seconds(key, value)?),
                "Time" => {
                    let time = seconds(key, value)?;
                    song.duration.get_or_insert(time);
                }
                "Pos" => song.pos = Some(number(key, value)?),
                "Id" => song.id = Some(number(key, value)?),
                _ => {}
            }
        }
        songs.extend(current);
        Ok(songs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<Pair> {
        text.lines()
            .map(|line| {
                let (k, v) = line.split_once(": ").unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect()
    }

    #[test]
    fn a_playing_status() {
        let status = Status::from_pairs(&pairs(
            "volume: 50\nrepeat: 0\nrandom: 1\nsingle: 0\nconsume: 0\npartition: default\n\
             playlist: 3\nplaylistlength: 2\nmixrampdb: 0\nstate: play\nsong: 0\nsongid: 1\n\
             time: 12:60\nelapsed: 12.345\nbitrate: 0\nduration: 60.000\nnextsong: 1\n\
             nextsongid: 2\nupdating_db: 7",
        ))
        .unwrap();
        assert_eq!(
            status,
            Status {
                state: State::Play,
                volume: Some(50),
                song: Some(0),
                song_id: Some(1),
                next_song: Some(1),
                elapsed: Some(Duration::from_millis(12345)),
                duration: Some(Duration::from_secs(60)),
                random: true,
                repeat: false,
                playlist_length: 2,
                updating_db: Some(7),
                error: None,
            }
        );
    }

    #[test]
    fn a_stopped_status_without_a_mixer() {
        let status = Status::from_pairs(&pairs(
            "volume: -1\nrepeat: 1\nrandom: 0\nplaylistlength: 0\nstate: stop\nerror: Failed to open",
        ))
        .unwrap();
        assert_eq!(status.state, State::Stop);
        assert_eq!(status.volume, None);
        assert!(status.repeat);
        assert_eq!(status.song, None);
        assert_eq!(status.elapsed, None);
        assert_eq!(status.error.as_deref(), Some("Failed to open"));
    }

    #[test]
    fn the_old_time_key_stands_in_for_elapsed_and_duration() {
        let status = Status::from_pairs(&pairs("state: pause\ntime: 5:61")).unwrap();
        assert_eq!(status.state, State::Pause);
        assert_eq!(status.elapsed, Some(Duration::from_secs(5)));
        assert_eq!(status.duration, Some(Duration::from_secs(61)));
    }

    #[test]
    fn bad_values_are_protocol_errors() {
        for bad in [
            "state: dancing",
            "state: play\nvolume: 150",
            "state: play\nvolume: loud",
            "state: play\nrandom: yes",
            "state: play\nelapsed: -3",
            "state: play\nelapsed: NaN",
            "state: play\ntime: 12",
            "volume: 50",
        ] {
            assert!(
                matches!(Status::from_pairs(&pairs(bad)), Err(MpdError::Protocol(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn songs_of_a_queue() {
        let songs = Song::list_from_pairs(&pairs(
            "file: Jazz/01 So What.flac\nLast-Modified: 2026-12-05T22:54:21Z\n\
             Format: 8000:24:1\nArtist: Miles Davis\nArtist: John Coltrane\n\
             Album: Kind of Blue\nTitle: So What\nTrack: 1\nTime: 60\nduration: 59.500\n\
             Pos: 0\nId: 1\nfile: c.wav\nTime: 60\nPos: 1\nId: 2",
        ))
        .unwrap();
        assert_eq!(
            songs,
            vec![
                Song {
                    file: "Jazz/01 So What.flac".into(),
                    title: Some("So What".into()),
                    artist: Some("Miles Davis".into()),
                    album: Some("Kind of Blue".into()),
                    duration: Some(Duration::from_millis(59500)),
                    pos: Some(0),
                    id: Some(1),
                },
                Song {
                    file: "c.wav".into(),
                    duration: Some(Duration::from_secs(60)),
                    pos: Some(1),
                    id: Some(2),
                    ..Song::default()
                },
            ]
        );
    }

    #[test]
    fn directories_in_a_listing_are_not_songs() {
        let songs = Song::list_from_pairs(&pairs(
            "directory: Jazz\nLast-Modified: 2026\nfile: Jazz/a.ogg\nTitle: A\n\
             playlist: Jazz/list.m3u\nLast-Modified: 2026\nfile: b.flac",
        ))
        .unwrap();
        let files: Vec<_> = songs.iter().map(|s| s.file.as_str()).collect();
        assert_eq!(files, ["Jazz/a.ogg", "b.flac"]);
        assert_eq!(songs[0].title.as_deref(), Some("A"));
        assert!(Song::list_from_pairs(&[]).unwrap().is_empty());
        assert!(Song::list_from_pairs(&pairs("file: a\nPos: first")).is_err());
    }
}
