//! Audio files and their tags, through lofty (pure Rust): which formats the library plays,
//! reading a file's tags and length, and writing tags (for tests and the benchmark's
//! generated libraries).
//!
//! A file is only accepted when lofty reads it as one of the [`Format`]s *and* finds an
//! audio stream in it (a sample rate, a length); random bytes named `.mp3` fail one or the
//! other and are counted as corrupt by the scanner.

use std::path::Path;

use lofty::config::{ParseOptions, ParsingMode, WriteOptions};
use lofty::file::FileType;
use lofty::prelude::*;
use lofty::probe::Probe;
use lofty::tag::Tag;
use serde::Serialize;

use crate::Error;

/// The audio formats the library holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// MPEG-1/2 Layer III.
    Mp3,
    /// FLAC.
    Flac,
    /// Ogg Vorbis.
    Vorbis,
    /// Ogg Opus.
    Opus,
    /// RIFF WAVE.
    Wav,
    /// MPEG-4 audio (AAC or ALAC in `.m4a`).
    M4a,
}

impl Format {
    /// Its name in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Mp3 => "mp3",
            Format::Flac => "flac",
            Format::Vorbis => "vorbis",
            Format::Opus => "opus",
            Format::Wav => "wav",
            Format::M4a => "m4a",
        }
    }

    /// The format a stored name means.
    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "mp3" => Format::Mp3,
            "flac" => Format::Flac,
            "vorbis" => Format::Vorbis,
            "opus" => Format::Opus,
            "wav" => Format::Wav,
            "m4a" => Format::M4a,
            _ => return None,
        })
    }

    /// Its MIME type, for the `Content-Type` of a stream.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Mp3 => "audio/mpeg",
            Format::Flac => "audio/flac",
            Format::Vorbis | Format::Opus => "audio/ogg",
            Format::Wav => "audio/wav",
            Format::M4a => "audio/mp4",
        }
    }

    /// Whether a file name's extension is one an audio file of these formats has; files
    /// with any other extension are not read at all.
    pub fn is_audio_extension(extension: &str) -> bool {
        matches!(
            extension.to_ascii_lowercase().as_str(),
            "mp3" | "flac" | "ogg" | "oga" | "opus" | "wav" | "wave" | "m4a" | "mp4" | "m4b"
        )
    }

    fn of(file_type: FileType) -> Option<Format> {
        Some(match file_type {
            FileType::Mpeg => Format::Mp3,
            FileType::Flac => Format::Flac,
            FileType::Vorbis => Format::Vorbis,
            FileType::Opus => Format::Opus,
            FileType::Wav => Format::Wav,
            FileType::Mp4 => Format::M4a,
            _ => return None,
        })
    }
}

/// A file's tags, as read or to write. Empty fields are left out when writing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Title.
    pub title: Option<String>,
    /// Track artist.
    pub artist: Option<String>,
    /// Album.
    pub album: Option<String>,
    /// Album artist.
    pub album_artist: Option<String>,
    /// Genre.
    pub genre: Option<String>,
    /// Track number.
    pub track_no: Option<u32>,
    /// Disc number.
    pub disc_no: Option<u32>,
}

/// What reading an audio file found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Read {
    pub(crate) format: Format,
    pub(crate) tags: Tags,
    pub(crate) duration_ms: Option<u64>,
}

/// Reads a file's format, tags and length. `Err` with a reason for anything that is not a
/// readable audio file of a [`Format`].
pub(crate) fn read(path: &Path) -> Result<Read, String> {
    let options = ParseOptions::new()
        .read_cover_art(false)
        .parsing_mode(ParsingMode::BestAttempt);
    let tagged = Probe::open(path)
        .map_err(|e| e.to_string())?
        .options(options)
        .guess_file_type()
        .map_err(|e| e.to_string())?
        .read()
        .map_err(|e| e.to_string())?;
    let format = Format::of(tagged.file_type())
        .ok_or_else(|| format!("{:?} is not a format hark plays", tagged.file_type()))?;
    let properties = tagged.properties();
    if properties.sample_rate().unwrap_or(0) == 0 {
        return Err("no audio stream found".into());
    }
    let duration = properties.duration();
    let tag = tagged.primary_tag().or_else(|| tagged.first_tag());
    let text = |value: Option<std::borrow::Cow<'_, str>>| {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let tags = match tag {
        None => Tags::default(),
        Some(tag) => Tags {
            title: text(tag.title()),
            artist: text(tag.artist()),
            album: text(tag.album()),
            album_artist: tag
                .get_string(&ItemKey::AlbumArtist)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
            genre: text(tag.genre()),
            track_no: tag.track().filter(|n| *n > 0),
            disc_no: tag.disk().filter(|n| *n > 0),
        },
    };
    Ok(Read {
        format,
        tags,
        duration_ms: (!duration.is_zero()).then_some(duration.as_millis() as u64),
    })
}

/// Writes `tags` into the audio file at `path`, in the tag format its container uses
/// (ID3v2 for MP3 and WAV, Vorbis comments for FLAC, Vorbis and Opus, MP4 atoms for M4A),
/// replacing that tag.
pub fn write_tags(path: &Path, tags: &Tags) -> Result<(), Error> {
    let failed = |message: String| Error::Tags {
        path: path.to_owned(),
        message,
    };
    let file_type = Probe::open(path)
        .map_err(|e| failed(e.to_string()))?
        .guess_file_type()
        .map_err(|e| failed(e.to_string()))?
        .file_type()
        .ok_or_else(|| failed("not an audio file lofty knows".into()))?;
    let mut tag = Tag::new(file_type.primary_tag_type());
    if let Some(title) = &tags.title {
        tag.set_title(title.clone());
    }
    if let Some(artist) = &tags.artist {
        tag.set_artist(artist.clone());
    }
    if let Some(album) = &tags.album {
        tag.set_album(album.clone());
    }
    if let Some(album_artist) = &tags.album_artist {
        tag.insert_text(ItemKey::AlbumArtist, album_artist.clone());
    }
    if let Some(genre) = &tags.genre {
        tag.set_genre(genre.clone());
    }
    if let Some(track) = tags.track_no {
        tag.set_track(track);
    }
    if let Some(disc) = tags.disc_no {
        tag.set_disk(disc);
    }
    tag.save_to_path(path, WriteOptions::default())
        .map_err(|e| failed(e.to_string()))
}
