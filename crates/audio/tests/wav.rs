//! Reading and writing WAV: every accepted encoding, and every refusal.

use std::f64::consts::PI;
use std::time::Duration;

use hark_audio::wav::{self, Limits, SampleFormat};
use hark_audio::{levels, Error};

/// A WAV file's bytes, built field by field so tests can break any of them.
struct WavBuilder {
    code: u16,
    channels: u16,
    rate: u32,
    bits: u16,
    block_align: Option<u16>,
    extensible: Option<u16>,
    data: Vec<u8>,
    data_size: Option<u32>,
    extra_chunk: bool,
}

impl WavBuilder {
    fn new(code: u16, channels: u16, rate: u32, bits: u16, data: Vec<u8>) -> WavBuilder {
        WavBuilder {
            code,
            channels,
            rate,
            bits,
            block_align: None,
            extensible: None,
            data,
            data_size: None,
            extra_chunk: false,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let block = self
            .block_align
            .unwrap_or(self.channels * self.bits.div_ceil(8));
        let mut fmt = Vec::new();
        let code = if self.extensible.is_some() {
            0xFFFE
        } else {
            self.code
        };
        fmt.extend_from_slice(&code.to_le_bytes());
        fmt.extend_from_slice(&self.channels.to_le_bytes());
        fmt.extend_from_slice(&self.rate.to_le_bytes());
        fmt.extend_from_slice(&(self.rate * u32::from(block)).to_le_bytes());
        fmt.extend_from_slice(&block.to_le_bytes());
        fmt.extend_from_slice(&self.bits.to_le_bytes());
        if let Some(sub) = self.extensible {
            fmt.extend_from_slice(&22u16.to_le_bytes());
            fmt.extend_from_slice(&self.bits.to_le_bytes());
            fmt.extend_from_slice(&0u32.to_le_bytes());
            fmt.extend_from_slice(&sub.to_le_bytes());
            fmt.extend_from_slice(&[0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]);
        }
        let mut body = Vec::new();
        body.extend_from_slice(b"WAVE");
        if self.extra_chunk {
            body.extend_from_slice(b"LIST");
            body.extend_from_slice(&5u32.to_le_bytes());
            body.extend_from_slice(b"hark\0\0");
        }
        body.extend_from_slice(b"fmt ");
        body.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
        body.extend_from_slice(&fmt);
        body.extend_from_slice(b"data");
        body.extend_from_slice(
            &self
                .data_size
                .unwrap_or(self.data.len() as u32)
                .to_le_bytes(),
        );
        body.extend_from_slice(&self.data);
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }
}

/// A 1 kHz sine at half scale, `seconds` long, as floats, the same on every channel.
fn sine(rate: u32, channels: u16, seconds: f64) -> Vec<f64> {
    let frames = (f64::from(rate) * seconds) as usize;
    (0..frames)
        .flat_map(|i| {
            let v = 0.5 * (2.0 * PI * 1000.0 * i as f64 / f64::from(rate)).sin();
            std::iter::repeat_n(v, usize::from(channels))
        })
        .collect()
}

fn encode(samples: &[f64], format: SampleFormat) -> Vec<u8> {
    let mut out = Vec::new();
    for &v in samples {
        match format {
            SampleFormat::U8 => out.push((v * 127.0 + 128.0).round() as u8),
            SampleFormat::I16 => {
                out.extend_from_slice(&((v * 32767.0).round() as i16).to_le_bytes())
            }
            SampleFormat::I24 => {
                out.extend_from_slice(&((v * 8_388_607.0).round() as i32).to_le_bytes()[..3])
            }
            SampleFormat::I32 => {
                out.extend_from_slice(&((v * 2_147_483_647.0).round() as i32).to_le_bytes())
            }
            SampleFormat::F32 => out.extend_from_slice(&(v as f32).to_le_bytes()),
            SampleFormat::F64 => out.extend_from_slice(&v.to_le_bytes()),
        }
    }
    out
}

/// Checks a decoded half-scale 1 kHz sine: one second at 16 kHz, -9 dBFS RMS.
fn assert_sine(samples: &[i16], what: &str) {
    assert_eq!(samples.len(), 16_000, "{what}");
    let level = levels::rms_dbfs(&samples[800..15_200]);
    assert!((level + 9.03).abs() < 0.3, "{what}: {level} dBFS");
}

#[test]
fn every_encoding_rate_and_channel_count_becomes_16khz_mono() {
    let cases = [
        (1, SampleFormat::U8, 8),
        (1, SampleFormat::I16, 16),
        (1, SampleFormat::I24, 24),
        (1, SampleFormat::I32, 32),
        (3, SampleFormat::F32, 32),
        (3, SampleFormat::F64, 64),
    ];
    for (code, format, bits) in cases {
        let mut layouts = vec![
            (8_000, 1),
            (16_000, 1),
            (22_050, 1),
            (44_100, 2),
            (48_000, 2),
        ];
        if matches!(format, SampleFormat::I16 | SampleFormat::F32) {
            layouts.extend([(48_000, 6), (192_000, 2)]);
        }
        for (rate, channels) in layouts {
            let what = format!("{format:?} {rate} Hz {channels} ch");
            let data = encode(&sine(rate, channels, 1.0), format);
            let bytes = WavBuilder::new(code, channels, rate, bits, data).bytes();
            let decoded = wav::read(&bytes, Limits::default()).expect(&what);
            assert_eq!(decoded.source.sample_format, format);
            assert_eq!(
                (decoded.source.channels, decoded.source.sample_rate),
                (channels, rate)
            );
            assert!(!decoded.truncated);
            assert_sine(&decoded.samples, &what);
        }
    }
}

#[test]
fn extensible_pcm_and_float_are_read() {
    for (sub, format, bits) in [(1, SampleFormat::I24, 24), (3, SampleFormat::F32, 32)] {
        let mut builder =
            WavBuilder::new(0, 2, 48_000, bits, encode(&sine(48_000, 2, 1.0), format));
        builder.extensible = Some(sub);
        builder.extra_chunk = true;
        let decoded = wav::read(&builder.bytes(), Limits::default()).unwrap();
        assert_eq!(decoded.source.sample_format, format);
        assert_sine(&decoded.samples, &format!("extensible {format:?}"));
    }
}

#[test]
fn stereo_is_averaged() {
    // Left at half scale, right silent: a quarter-scale mono.
    let data: Vec<u8> = (0..1600)
        .flat_map(|i| {
            let l = if i % 2 == 0 { 16384i16 } else { -16384 };
            [l.to_le_bytes(), 0i16.to_le_bytes()].concat()
        })
        .collect();
    let decoded = wav::read(
        &WavBuilder::new(1, 2, 16_000, 16, data).bytes(),
        Limits::default(),
    )
    .unwrap();
    assert_eq!(decoded.samples[..4], [8192, -8192, 8192, -8192]);
}

#[test]
fn written_audio_reads_back_unchanged() {
    let samples: Vec<i16> = (0..4000)
        .map(|i| ((i * 37) % 65536 - 32768) as i16)
        .collect();
    let bytes = wav::write(&samples);
    assert_eq!(bytes.len(), 44 + 8000);
    let decoded = wav::read(&bytes, Limits::default()).unwrap();
    assert_eq!(decoded.samples, samples);
    assert_eq!(decoded.duration(), Duration::from_millis(250));
    let mut streamed = Vec::new();
    wav::write_to(&mut streamed, &samples).unwrap();
    assert_eq!(streamed, bytes);
    // And through a reader.
    assert_eq!(
        wav::read_from(&bytes[..], Limits::default())
            .unwrap()
            .samples,
        samples
    );
}

#[test]
fn a_data_chunk_longer_than_the_file_keeps_what_is_there() {
    let samples: Vec<i16> = (0..1000).map(|i| i as i16).collect();
    let mut bytes = wav::write(&samples);
    bytes.truncate(44 + 501 * 2 + 1); // 501 samples and half of the next
    let decoded = wav::read(&bytes, Limits::default()).unwrap();
    assert!(decoded.truncated);
    assert_eq!(decoded.samples, samples[..501]);
}

#[test]
fn a_placeholder_data_size_reads_to_the_end() {
    for placeholder in [u32::MAX, 0x7FFF_FFFF, 0x7FFF_F000] {
        let data = encode(&sine(16_000, 1, 1.0), SampleFormat::I16);
        let mut builder = WavBuilder::new(1, 1, 16_000, 16, data);
        builder.data_size = Some(placeholder);
        let decoded = wav::read(&builder.bytes(), Limits::seconds(10)).unwrap();
        assert!(!decoded.truncated);
        assert_sine(&decoded.samples, "placeholder size");
        // With a limit, no more than the limit is read, and more is refused.
        let limit = Limits {
            max_duration: Some(Duration::from_millis(500)),
        };
        let err = wav::read(&builder.bytes(), limit).unwrap_err();
        assert!(
            matches!(err, Error::TooLong { seconds: None, .. }),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "the audio is too long: the limit is 0.5 s");
    }
}

#[test]
fn a_ten_minute_upload_is_refused_from_its_header() {
    // The header announces ten minutes of 48 kHz stereo; only a second is present, so refusing
    // shows the header was believed and nothing was decoded.
    let mut builder = WavBuilder::new(
        1,
        2,
        48_000,
        16,
        encode(&sine(48_000, 2, 1.0), SampleFormat::I16),
    );
    builder.data_size = Some(600 * 48_000 * 4);
    let err = wav::read(&builder.bytes(), Limits::seconds(30)).unwrap_err();
    match err {
        Error::TooLong { seconds, limit } => {
            assert_eq!((seconds, limit), (Some(600.0), 30.0));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err_code(&builder.bytes(), Limits::seconds(30)),
        "audio_too_long"
    );
    assert_eq!(
        wav::read(&builder.bytes(), Limits::seconds(30))
            .unwrap_err()
            .to_string(),
        "the audio is too long: 600.0 s, the limit is 30.0 s"
    );
    // A limit too large to count in frames is no limit.
    let mut unbounded = builder;
    unbounded.data_size = Some(u32::MAX);
    let limits = Limits {
        max_duration: Some(Duration::MAX),
    };
    assert!(wav::read(&unbounded.bytes(), limits).is_ok());
    // Exactly at the limit is accepted.
    let exact = WavBuilder::new(1, 1, 16_000, 16, vec![0; 32_000]).bytes();
    assert_eq!(
        wav::read(&exact, Limits::seconds(1)).unwrap().samples.len(),
        16_000
    );
}

fn err_code(bytes: &[u8], limits: Limits) -> &'static str {
    wav::read(bytes, limits).unwrap_err().code()
}

#[test]
fn bad_input_is_refused_with_its_reason() {
    let good = WavBuilder::new(1, 1, 16_000, 16, vec![0; 320]).bytes();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("nothing", vec![], "not_wav"),
        (
            "text",
            b"hello, this is not audio at all".to_vec(),
            "not_wav",
        ),
        ("an mp3", b"ID3\x04\0\0\0\0\0\0".to_vec(), "not_wav"),
        (
            "RIFF of another type",
            [&b"RIFF\x04\0\0\0AVI "[..], &[0; 40]].concat(),
            "not_wav",
        ),
        (
            "big-endian RIFX",
            [&b"RIFX"[..], &good[4..]].concat(),
            "unsupported_audio",
        ),
        (
            "cut in the RIFF header",
            good[..10].to_vec(),
            "truncated_header",
        ),
        ("cut before fmt", good[..12].to_vec(), "truncated_header"),
        ("cut in fmt", good[..30].to_vec(), "truncated_header"),
        ("cut before data", good[..36].to_vec(), "truncated_header"),
        (
            "cut in the data header",
            good[..40].to_vec(),
            "truncated_header",
        ),
        ("no data at all", good[..44].to_vec(), "empty_audio"),
        (
            "zero-length data",
            WavBuilder::new(1, 1, 16_000, 16, vec![]).bytes(),
            "empty_audio",
        ),
        (
            "half a sample",
            WavBuilder::new(1, 1, 16_000, 16, vec![7]).bytes(),
            "empty_audio",
        ),
        (
            "A-law",
            WavBuilder::new(6, 1, 8_000, 8, vec![0; 100]).bytes(),
            "unsupported_audio",
        ),
        (
            "µ-law",
            WavBuilder::new(7, 1, 8_000, 8, vec![0; 100]).bytes(),
            "unsupported_audio",
        ),
        (
            "12-bit float",
            WavBuilder::new(3, 1, 16_000, 16, vec![0; 100]).bytes(),
            "unsupported_audio",
        ),
        (
            "zero channels",
            WavBuilder::new(1, 0, 16_000, 16, vec![0; 100]).bytes(),
            "bad_header",
        ),
        (
            "zero rate",
            WavBuilder::new(1, 1, 0, 16, vec![0; 100]).bytes(),
            "bad_header",
        ),
        (
            "4 kHz",
            WavBuilder::new(1, 1, 4_000, 16, vec![0; 100]).bytes(),
            "unsupported_audio",
        ),
        (
            "384 kHz",
            WavBuilder::new(1, 1, 384_000, 16, vec![0; 100]).bytes(),
            "unsupported_audio",
        ),
        (
            "64 channels",
            WavBuilder::new(1, 64, 16_000, 16, vec![0; 1280]).bytes(),
            "unsupported_audio",
        ),
        (
            "zero bits",
            WavBuilder::new(1, 1, 16_000, 0, vec![0; 100]).bytes(),
            "unsupported_audio",
        ),
        (
            "wrong block size",
            {
                let mut b = WavBuilder::new(1, 2, 16_000, 16, vec![0; 100]);
                b.block_align = Some(3);
                b.bytes()
            },
            "bad_header",
        ),
        (
            "data before fmt",
            [&b"RIFF\x10\0\0\0WAVEdata\x04\0\0\0"[..], &[0; 4]].concat(),
            "bad_header",
        ),
        (
            "a huge fmt chunk",
            [&b"RIFF\x10\0\0\0WAVEfmt \xff\xff\xff\x7f"[..], &[0; 64]].concat(),
            "bad_header",
        ),
        (
            "a huge chunk before data",
            [&b"RIFF\x10\0\0\0WAVEjunk\xff\xff\xff\x7f"[..], &[0; 64]].concat(),
            "truncated_header",
        ),
    ];
    for (what, bytes, code) in cases {
        let err = wav::read(&bytes, Limits::seconds(60)).expect_err(what);
        assert_eq!(err.code(), code, "{what}: {err}");
    }
    let alaw = WavBuilder::new(6, 1, 8_000, 8, vec![0; 100]).bytes();
    assert_eq!(
        wav::read(&alaw, Limits::default()).unwrap_err().to_string(),
        "unsupported WAV audio: A-law (format code 0x0006)"
    );
    assert_eq!(
        wav::read(&good[..44], Limits::default())
            .unwrap_err()
            .to_string(),
        "the audio is empty: the WAV file holds no samples"
    );
}

#[test]
fn no_prefix_of_a_file_panics() {
    // At 16 kHz, so that the loop tests the parser rather than the resampler.
    let mut builder = WavBuilder::new(
        0,
        2,
        16_000,
        24,
        encode(&sine(16_000, 2, 0.01), SampleFormat::I24),
    );
    builder.extensible = Some(1);
    builder.extra_chunk = true;
    let bytes = builder.bytes();
    for len in 0..bytes.len() {
        let _ = wav::read(&bytes[..len], Limits::seconds(1));
    }
    // Nor does flipping any header byte.
    for i in 0..80 {
        let mut broken = bytes.clone();
        broken[i] ^= 0xA5;
        let _ = wav::read(&broken, Limits::seconds(1));
    }
}
