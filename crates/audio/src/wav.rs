//! Reading WAV files into hark's format (16 kHz mono s16le), and writing it.
//!
//! A small parser of our own: the format is simple, and owning it lets every refusal carry a
//! precise [`Error`] and lets the size limit be checked from the header before a single sample
//! is decoded.
//!
//! # What is read
//!
//! - RIFF/WAVE, little endian, chunks in any order with unknown chunks skipped; `fmt ` must come
//!   before `data`.
//! - Integer PCM of 8 bits (unsigned), 16, 24 and 32 bits (signed); IEEE float of 32 or 64 bits;
//!   either as a plain format code (1 PCM, 3 float) or as `WAVE_FORMAT_EXTENSIBLE` whose subformat
//!   is one of those two. Other codes (A-law, µ-law, ADPCM, ...) are [`Error::Unsupported`].
//! - Any channel count from 1 to 32 and any rate from 8 to 192 kHz. Channels are averaged into
//!   one, then the result is resampled to 16 kHz ([`crate::resample`]) and rounded to `i16`,
//!   saturating.
//!
//! # Refusals and one leniency
//!
//! - Not starting with `RIFF....WAVE`: [`Error::NotWav`]. RIFX and RF64 are unsupported.
//! - Input ending before the data chunk starts: [`Error::TruncatedHeader`].
//! - Zero channels, a zero rate, or a block size that does not match channels and sample width:
//!   [`Error::BadHeader`].
//! - No complete sample frame in the data: [`Error::Empty`].
//! - **A data chunk longer than the input is accepted**: what is present is decoded and
//!   [`Decoded::truncated`] says so. A streamed upload cut short is common and its audio is
//!   still good. A partial last sample frame is dropped. A data size of 0x7FFF0000 or more is
//!   taken as the placeholder of a writer that could not seek back (0xFFFFFFFF, 0x7FFFFFFF):
//!   the data runs to the end of the input.
//! - [`Limits::max_duration`] is checked against the duration the header announces, before any
//!   sample is decoded: a 10-minute upload is [`Error::TooLong`] at once. When the header's size
//!   is a placeholder, at most the limit (and one frame) is read, and more is refused the same
//!   way.

use std::io::{self, Read, Write};
use std::time::Duration;

use crate::{resample::resample, Error, SAMPLE_RATE};

/// Limits the caller puts on what is decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limits {
    /// The longest audio accepted; `None` accepts any length.
    pub max_duration: Option<Duration>,
}

impl Limits {
    /// At most `seconds` of audio.
    pub fn seconds(seconds: u64) -> Limits {
        Limits {
            max_duration: Some(Duration::from_secs(seconds)),
        }
    }
}

/// How the samples of a WAV file are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    /// 8-bit unsigned integer, 128 is zero.
    U8,
    /// 16-bit signed integer.
    I16,
    /// 24-bit signed integer, packed in three bytes.
    I24,
    /// 32-bit signed integer.
    I32,
    /// 32-bit IEEE float, full scale at ±1.0.
    F32,
    /// 64-bit IEEE float, full scale at ±1.0.
    F64,
}

impl SampleFormat {
    fn bytes(self) -> usize {
        match self {
            SampleFormat::U8 => 1,
            SampleFormat::I16 => 2,
            SampleFormat::I24 => 3,
            SampleFormat::I32 | SampleFormat::F32 => 4,
            SampleFormat::F64 => 8,
        }
    }

    /// One sample at the start of `b`, scaled to ±1.0.
    fn decode(self, b: &[u8]) -> f32 {
        match self {
            SampleFormat::U8 => (f32::from(b[0]) - 128.0) / 128.0,
            SampleFormat::I16 => f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0,
            SampleFormat::I24 => {
                (i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as f32 / 8_388_608.0
            }
            SampleFormat::I32 => {
                i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0
            }
            SampleFormat::F32 => finite(f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            SampleFormat::F64 => {
                finite(f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) as f32)
            }
        }
    }
}

fn finite(v: f32) -> f32 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// The format of the audio as found in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// Sample encoding.
    pub sample_format: SampleFormat,
    /// Interleaved channels.
    pub channels: u16,
    /// Sample frames per second.
    pub sample_rate: u32,
}

/// Audio read from a WAV file, converted to hark's format.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// 16 kHz mono samples.
    pub samples: Vec<i16>,
    /// What the file held.
    pub source: Format,
    /// The data chunk announced more bytes than the input had; what was there was decoded.
    pub truncated: bool,
}

impl Decoded {
    /// Duration of [`Decoded::samples`].
    pub fn duration(&self) -> Duration {
        crate::duration_of(self.samples.len())
    }
}

/// Reads a WAV file held in memory. See the module docs for what is accepted.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Decoded, Error> {
    read_from(bytes, limits)
}

/// Reads a WAV file from `reader`, reading no further than the data chunk (and, with a limit,
/// no more data than the limit allows).
pub fn read_from<R: Read>(mut reader: R, limits: Limits) -> Result<Decoded, Error> {
    let mut riff = [0u8; 12];
    let got = read_up_to(&mut reader, &mut riff)?;
    if got >= 4 && (&riff[..4] == b"RIFX" || &riff[..4] == b"RF64") {
        return Err(Error::Unsupported(format!(
            "{} files (hark reads little-endian RIFF WAV)",
            String::from_utf8_lossy(&riff[..4])
        )));
    }
    if got < 4 || &riff[..4] != b"RIFF" {
        return Err(Error::NotWav("it does not start with a RIFF header"));
    }
    if got < 12 {
        return Err(Error::TruncatedHeader(
            "the input ends inside the RIFF header",
        ));
    }
    if &riff[8..12] != b"WAVE" {
        return Err(Error::NotWav("the RIFF file is not of type WAVE"));
    }

    let mut format = None;
    loop {
        let mut chunk = [0u8; 8];
        if read_up_to(&mut reader, &mut chunk)? < 8 {
            return Err(Error::TruncatedHeader(
                "the input ends before the data chunk",
            ));
        }
        let size = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
        match &chunk[..4] {
            b"fmt " => {
                if !(16..=1024).contains(&size) {
                    return Err(Error::BadHeader(format!("a fmt chunk of {size} bytes")));
                }
                let mut body = vec![0u8; (size + size % 2) as usize];
                if read_up_to(&mut reader, &mut body)? < size as usize {
                    return Err(Error::TruncatedHeader(
                        "the input ends inside the fmt chunk",
                    ));
                }
                format = Some(parse_fmt(&body[..size as usize])?);
            }
            b"data" => {
                let format = format.ok_or_else(|| {
                    Error::BadHeader("the data chunk comes before the fmt chunk".into())
                })?;
                return read_data(reader, format, size, limits);
            }
            _ => {
                let skip = u64::from(size) + u64::from(size % 2);
                let skipped =
                    io::copy(&mut (&mut reader).take(skip), &mut io::sink()).map_err(Error::Io)?;
                if skipped < skip {
                    return Err(Error::TruncatedHeader(
                        "the input ends inside a chunk before the data",
                    ));
                }
            }
        }
    }
}

/// Data sizes from here up are placeholders that streaming writers put in a header they cannot
/// go back to fix (0xFFFFFFFF and 0x7FFFFFFF are in use): the size is unknown, the
/// data runs to the end of the input. Nothing hark reads is 2 GiB.
const PLACEHOLDER_SIZE: u32 = 0x7FFF_0000;

fn read_data<R: Read>(
    reader: R,
    format: Format,
    size: u32,
    limits: Limits,
) -> Result<Decoded, Error> {
    let block = (format.sample_format.bytes() * usize::from(format.channels)) as u64;
    let rate = u64::from(format.sample_rate);
    let known = size < PLACEHOLDER_SIZE;
    let mut budget = u64::from(size);
    let mut allowed = None;
    if let Some(limit) = limits.max_duration {
        let allowed_frames = (limit.as_secs_f64() * rate as f64).floor() as u64;
        let announced = u64::from(size) / block;
        if known && announced > allowed_frames {
            return Err(Error::TooLong {
                seconds: Some(announced as f64 / rate as f64),
                limit: limit.as_secs_f64(),
            });
        }
        // Read one frame past the limit, so that anything longer is seen to be longer.
        budget = budget.min(allowed_frames.saturating_add(1).saturating_mul(block));
        allowed = Some((allowed_frames, limit));
    }
    let mut data = Vec::new();
    reader
        .take(budget)
        .read_to_end(&mut data)
        .map_err(Error::Io)?;
    if let Some((allowed_frames, limit)) = allowed {
        if data.len() as u64 / block > allowed_frames {
            return Err(Error::TooLong {
                seconds: None,
                limit: limit.as_secs_f64(),
            });
        }
    }
    let truncated = known && (data.len() as u64) < u64::from(size);
    decode(&data, format, truncated)
}

fn decode(data: &[u8], format: Format, truncated: bool) -> Result<Decoded, Error> {
    let width = format.sample_format.bytes();
    let channels = usize::from(format.channels);
    let block = width * channels;
    let frames = data.len() / block;
    if frames == 0 {
        return Err(Error::Empty);
    }
    let mono: Vec<f32> = data
        .chunks_exact(block)
        .map(|frame| {
            let sum: f32 = frame
                .chunks_exact(width)
                .map(|s| format.sample_format.decode(s))
                .sum();
            sum / channels as f32
        })
        .collect();
    let converted = resample(&mono, format.sample_rate, SAMPLE_RATE);
    let samples = converted.iter().map(|&v| to_i16(v)).collect();
    Ok(Decoded {
        samples,
        source: format,
        truncated,
    })
}

/// Rounds a sample scaled to ±1.0 to `i16`, saturating.
pub(crate) fn to_i16(v: f32) -> i16 {
    (v * 32768.0).round().clamp(-32768.0, 32767.0) as i16
}

const PCM: u16 = 1;
const IEEE_FLOAT: u16 = 3;
const EXTENSIBLE: u16 = 0xFFFE;
/// The last 14 bytes of every standard `KSDATAFORMAT_SUBTYPE_*` GUID.
const SUBTYPE_SUFFIX: [u8; 14] = [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71];

fn parse_fmt(b: &[u8]) -> Result<Format, Error> {
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    let mut code = u16_at(0);
    let channels = u16_at(2);
    let sample_rate = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
    let block_align = u16_at(12);
    let bits = u16_at(14);
    if code == EXTENSIBLE {
        if b.len() < 40 || u16_at(16) < 22 {
            return Err(Error::BadHeader(
                "a WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes".into(),
            ));
        }
        if b[26..40] != SUBTYPE_SUFFIX {
            return Err(Error::Unsupported(
                "a non-standard WAVE_FORMAT_EXTENSIBLE subformat".into(),
            ));
        }
        code = u16_at(24);
    }
    let sample_format = match (code, bits) {
        (PCM, 1..=8) => SampleFormat::U8,
        (PCM, 9..=16) => SampleFormat::I16,
        (PCM, 17..=24) => SampleFormat::I24,
        (PCM, 25..=32) => SampleFormat::I32,
        (IEEE_FLOAT, 32) => SampleFormat::F32,
        (IEEE_FLOAT, 64) => SampleFormat::F64,
        (PCM | IEEE_FLOAT, _) => {
            return Err(Error::Unsupported(format!("{bits}-bit samples")));
        }
        _ => {
            return Err(Error::Unsupported(format!(
                "{} (format code {code:#06x})",
                format_name(code)
            )))
        }
    };
    if channels == 0 {
        return Err(Error::BadHeader("zero channels".into()));
    }
    if sample_rate == 0 {
        return Err(Error::BadHeader("a sample rate of zero".into()));
    }
    if channels > 32 {
        return Err(Error::Unsupported(format!(
            "{channels} channels (hark reads up to 32)"
        )));
    }
    if !(8_000..=192_000).contains(&sample_rate) {
        return Err(Error::Unsupported(format!(
            "a rate of {sample_rate} Hz (hark reads 8 to 192 kHz)"
        )));
    }
    let expected = usize::from(channels) * sample_format.bytes();
    if usize::from(block_align) != expected {
        return Err(Error::BadHeader(format!(
            "a block of {block_align} bytes for {channels} channels of {bits}-bit samples ({expected} expected)"
        )));
    }
    Ok(Format {
        sample_format,
        channels,
        sample_rate,
    })
}

fn format_name(code: u16) -> &'static str {
    match code {
        2 => "Microsoft ADPCM",
        6 => "A-law",
        7 => "µ-law",
        0x11 => "IMA ADPCM",
        0x55 => "MP3",
        _ => "this encoding",
    }
}

/// Fills `buf` as far as the input allows; returns how many bytes were read.
fn read_up_to<R: Read>(reader: &mut R, buf: &mut [u8]) -> Result<usize, Error> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::Io(e)),
        }
    }
    Ok(filled)
}

/// Encodes 16 kHz mono samples as a WAV file.
pub fn write(samples: &[i16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    write_to(&mut out, samples).expect("writing to a Vec does not fail");
    out
}

/// Writes 16 kHz mono samples to `w` as a WAV file. The data chunk is at most 4 GiB; nothing
/// in hark comes near (that is 37 hours).
pub fn write_to<W: Write>(mut w: W, samples: &[i16]) -> io::Result<()> {
    let data_len = u32::try_from(samples.len() * 2)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "over 4 GiB of audio"))?;
    let mut header = Vec::with_capacity(44);
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&(36 + data_len).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    header.extend_from_slice(&PCM.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes());
    header.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    header.extend_from_slice(&(SAMPLE_RATE * 2).to_le_bytes());
    header.extend_from_slice(&2u16.to_le_bytes());
    header.extend_from_slice(&16u16.to_le_bytes());
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data_len.to_le_bytes());
    w.write_all(&header)?;
    let mut data = Vec::with_capacity(samples.len() * 2);
    for s in samples {
        data.extend_from_slice(&s.to_le_bytes());
    }
    w.write_all(&data)
}
