//! The pipeline with remote engines: a Wyoming recognizer and synthesizer, here servers in
//! this test written to the protocol's documentation (a header line, then the payload), the
//! real client and pipeline around them.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use hark_audio::wav;
use hark_nlu::builtin;
use hark_voice::{Config, Heard, Voice};
use serde_json::{json, Value};

/// One event: its header and its payload.
fn receive(reader: &mut impl BufRead) -> Option<(Value, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let header: Value = serde_json::from_str(&line).unwrap();
    let mut payload = vec![0; header["payload_length"].as_u64().unwrap_or(0) as usize];
    reader.read_exact(&mut payload).unwrap();
    Some((header, payload))
}

fn send(writer: &mut impl Write, header: Value, payload: &[u8]) {
    writer.write_all(format!("{header}\n").as_bytes()).unwrap();
    writer.write_all(payload).unwrap();
}

/// A speech-to-text server for one request: it answers `text` if it got audio at 16 kHz.
fn asr(text: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut audio = 0;
        while let Some((event, payload)) = receive(&mut reader) {
            match event["type"].as_str() {
                Some("audio-chunk") => {
                    assert_eq!(event["data"]["rate"], 16_000);
                    audio += payload.len();
                }
                Some("audio-stop") => break,
                _ => {}
            }
        }
        let said = if audio > 16_000 { text } else { "" };
        send(
            &mut writer,
            json!({"type": "transcript", "data": {"text": said}}),
            &[],
        );
    });
    address
}

/// A text-to-speech server for one request: half a second of a 440 Hz tone at 22,050 Hz,
/// stereo, in two chunks.
fn tts() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let (request, _) = receive(&mut reader).unwrap();
        assert_eq!(request["type"], "synthesize");
        let format = json!({"rate": 22_050, "width": 2, "channels": 2});
        let samples: Vec<u8> = (0..11_025)
            .flat_map(|i| {
                let s =
                    ((i as f64 * 440.0 * std::f64::consts::TAU / 22_050.0).sin() * 8000.0) as i16;
                [s.to_le_bytes(), s.to_le_bytes()].concat()
            })
            .collect();
        send(
            &mut writer,
            json!({"type": "audio-start", "data": format}),
            &[],
        );
        for chunk in samples.chunks(samples.len() / 2) {
            send(
                &mut writer,
                json!({"type": "audio-chunk", "data": format, "payload_length": chunk.len()}),
                chunk,
            );
        }
        send(&mut writer, json!({"type": "audio-stop"}), &[]);
    });
    address
}

#[test]
fn remote_engines_hear_and_speak_through_the_pipeline() {
    let config = Config {
        wyoming_asr: Some(asr("what time is it")),
        wyoming_tts: Some(tts()),
        ..Config::default()
    };
    let voice = Voice::new(&builtin::grammar("en").unwrap(), config).unwrap();
    // A second of a tone between silences stands for speech: the endpointer keeps it, the
    // remote recognizer gets it.
    let mut samples = vec![0i16; 16_000];
    samples.extend((0..16_000).map(|i| ((i as f64 * 0.2).sin() * 6000.0) as i16));
    samples.extend(vec![0i16; 16_000]);
    let (heard, _) = voice.hear(&wav::write(&samples)).unwrap();
    assert_eq!(heard, Heard::Text("what time is it".into()));

    let spoken = wav::read(
        &voice.speak("It's 7 AM.").unwrap(),
        wav::Limits::seconds(30),
    )
    .unwrap();
    let seconds = spoken.samples.len() as f64 / 16_000.0;
    assert!((seconds - 0.5).abs() < 0.01, "{seconds} s at 16 kHz mono");
    let peak = spoken
        .samples
        .iter()
        .map(|s| s.unsigned_abs())
        .max()
        .unwrap();
    assert!(
        (7000..9000).contains(&peak),
        "the tone's level kept: {peak}"
    );
}

#[test]
fn a_wyoming_server_that_is_not_there_is_an_engine_error() {
    let gone = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = gone.local_addr().unwrap().to_string();
    drop(gone);
    let config = Config {
        wyoming_asr: Some(address),
        ..Config::default()
    };
    let voice = Voice::new(&builtin::grammar("en").unwrap(), config).unwrap();
    let mut samples = vec![0i16; 8_000];
    samples.extend((0..16_000).map(|i| ((i as f64 * 0.2).sin() * 6000.0) as i16));
    samples.extend(vec![0i16; 8_000]);
    let error = voice.hear(&wav::write(&samples)).unwrap_err();
    assert_eq!(error.code(), "speech_engine", "{error}");
}
