//! Tagged audio files made on the spot, for tests and the benchmark: a tiny template per
//! format from the system's encoders (sox for WAV, FLAC and Ogg Vorbis; lame for MP3;
//! opusenc for Opus; ffmpeg for M4A; `scripts/setup.sh` installs them), copied and tagged with
//! lofty.
//!
//! Tests make their own audio rather than keeping binary files in the repository; copying a
//! template and rewriting its tags is what lets the benchmark make 50,000 files in seconds.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{write_tags, Error, Format, Tags};

/// The formats [`template`] makes: every format hark scans.
pub const FORMATS: &[Format] = &[
    Format::Mp3,
    Format::Flac,
    Format::Vorbis,
    Format::Opus,
    Format::Wav,
    Format::M4a,
];

/// The extension files of `format` get here.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Mp3 => "mp3",
        Format::Flac => "flac",
        Format::Vorbis => "ogg",
        Format::Opus => "opus",
        Format::Wav => "wav",
        Format::M4a => "m4a",
    }
}

fn run(command: &mut Command) -> Result<(), Error> {
    let shown = format!("{command:?}");
    let output = command.output().map_err(|error| {
        Error::Invalid(format!(
            "cannot run {shown}: {error} (scripts/setup.sh installs sox, lame, opus-tools and ffmpeg)"
        ))
    })?;
    if !output.status.success() {
        return Err(Error::Invalid(format!(
            "{shown} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}

/// Makes `dir/template.<ext>`: `seconds` of a quiet tone, mono, untagged.
pub fn template(format: Format, dir: &Path, seconds: f32) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir).map_err(|error| Error::Io {
        path: dir.to_owned(),
        error,
    })?;
    let path = dir.join(format!("template.{}", extension(format)));
    let wav = dir.join("template-source.wav");
    let tone = |out: &Path, rate: &str| {
        run(Command::new("sox")
            .args(["-q", "-n", "-r", rate, "-c", "1", "-b", "16"])
            .arg(out)
            .args(["synth", &format!("{seconds}"), "sine", "440", "vol", "0.1"]))
    };
    match format {
        Format::Wav | Format::Flac | Format::Vorbis => tone(&path, "16000")?,
        Format::Mp3 => {
            tone(&wav, "16000")?;
            run(Command::new("lame")
                .args(["--quiet", "-b", "32"])
                .arg(&wav)
                .arg(&path))?;
        }
        Format::Opus => {
            tone(&wav, "48000")?;
            run(Command::new("opusenc")
                .args(["--quiet", "--bitrate", "16"])
                .arg(&wav)
                .arg(&path))?;
        }
        Format::M4a => {
            // AAC in an MP4 container, by ffmpeg's own encoder (Debian's sox has none).
            tone(&wav, "16000")?;
            run(Command::new("ffmpeg")
                .args(["-nostdin", "-loglevel", "error", "-y", "-i"])
                .arg(&wav)
                .args(["-c:a", "aac", "-b:a", "32k"])
                .arg(&path))?;
        }
    }
    let _ = std::fs::remove_file(&wav);
    // Encoders may tag what they write (lame adds nothing, opusenc an encoder comment):
    // start every copy from no tags of ours.
    write_tags(&path, &Tags::default())?;
    Ok(path)
}

/// Copies `template` to `path` (creating its folder) and writes `tags` into the copy.
pub fn tagged_copy(template: &Path, path: &Path, tags: &Tags) -> Result<(), Error> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |error| Error::Io { path, error }
    };
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
    }
    std::fs::copy(template, path).map_err(io(path))?;
    write_tags(path, tags)
}
