//! Spoken requests over HTTP: `POST /v1/converse` with a WAV body, answered in JSON with the
//! transcript and the spoken answer, or with the WAV alone. Commands are spoken by espeak-ng
//! (through hark-voice) and decoded by the real PocketSphinx; the recognizer listens for the
//! clock, stop and help intents (see hark-voice's documentation for why not all yet).

use std::process::Command;

use serde_json::Value;

use crate::timers::{start, start_with, Running};

fn voice_server(name: &str) -> Running {
    start_with(name, |config| {
        config.voice = true;
        config.voice_intents = ["HassGetCurrentTime", "HarkStop", "HarkHelp"]
            .map(String::from)
            .to_vec();
    })
}

/// POSTs `body` as `content_type` to /v1/converse; the status, the body, and whether it was
/// JSON.
fn post(r: &Running, content_type: &str, accept: Option<&str>, body: &[u8]) -> (u16, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent
        .post(format!("{}/v1/converse?device=default", r.url()))
        .header("Authorization", format!("Bearer {}", r.token()))
        .header("Content-Type", content_type);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let mut response = request.send(body).unwrap();
    let status = response.status().as_u16();
    let bytes = response.body_mut().read_to_vec().unwrap();
    (status, bytes)
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

/// `said`, spoken by espeak-ng as a 16 kHz WAV, with a second of a quiet room's hiss (40 dB
/// down) around it, as a microphone records it.
fn spoken(said: &str) -> Vec<u8> {
    use hark_audio::{mix, wav};
    let speaker = hark_voice::Speaker::new("en-us", 175).unwrap();
    let speech = wav::read(&speaker.speak(said).unwrap(), wav::Limits::seconds(30))
        .unwrap()
        .samples;
    let mut padded = vec![0; 16_000];
    padded.extend(speech);
    padded.extend(vec![0; 16_000]);
    let hiss = mix::noise(mix::Color::Pink, 3, padded.len(), -30.0);
    wav::write(&mix::mix_at_snr(&padded, &hiss, 40.0).unwrap().samples)
}

#[test]
fn a_spoken_request_is_heard_answered_and_spoken_back() {
    let r = voice_server("voice");
    let (status, body) = post(&r, "audio/wav", None, &spoken("what time is it"));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let answer = json(&body);
    assert_eq!(answer["transcript"], "what time is it");
    assert_eq!(answer["intent"]["name"], "HassGetCurrentTime");
    assert!(
        answer["speech"].as_str().unwrap().starts_with("It"),
        "{answer}"
    );
    assert!(
        answer["audio_wav_base64"]
            .as_str()
            .unwrap()
            .starts_with("UklGR"),
        "a RIFF file"
    );
    for stage in [
        "audio",
        "read",
        "denoise",
        "endpoint",
        "decode",
        "synthesize",
    ] {
        assert!(
            answer["voice_timings"][stage].is_number(),
            "{stage}: {answer}"
        );
    }

    // With Accept: audio/wav, the spoken answer alone.
    let (status, body) = post(
        &r,
        "audio/wav",
        Some("audio/wav"),
        &spoken("what can you do"),
    );
    assert_eq!(status, 200);
    assert_eq!(&body[..4], b"RIFF");
    assert!(body.len() > 16_000, "a spoken sentence, not an empty file");

    // Silence: a polite answer, not an error.
    let silence = hark_audio::wav::write(&vec![0; 32_000]);
    let (status, body) = post(&r, "audio/wav", None, &silence);
    assert_eq!(
        (status, json(&body)["speech"].as_str()),
        (200, Some("I didn't hear anything."))
    );
}

#[test]
fn other_formats_are_converted_and_bad_audio_is_refused_with_its_code() {
    let r = voice_server("voice-bad");
    let dir = std::env::temp_dir().join(format!("hark-voice-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("time.wav");
    std::fs::write(&source, spoken("what time is it")).unwrap();
    // 48 kHz stereo, and 8-bit: converted, not refused.
    for (name, args) in [
        ("stereo48k.wav", ["-r", "48000", "-c", "2"]),
        ("eight.wav", ["-b", "8", "-c", "1"]),
    ] {
        let target = dir.join(name);
        let status = Command::new("sox")
            .arg(&source)
            .args(args)
            .arg(&target)
            .status()
            .unwrap();
        assert!(status.success(), "sox");
        let (status, body) = post(&r, "audio/wav", None, &std::fs::read(&target).unwrap());
        let answer = json(&body);
        let heard = (&answer["transcript"], &answer["speech"]);
        assert_eq!(
            (status, answer["intent"]["name"].as_str()),
            (200, Some("HassGetCurrentTime")),
            "{name}: {heard:?}"
        );
    }
    // Ten minutes, as its header says: refused from the header, before the audio is read.
    let mut long = hark_audio::wav::write(&vec![0; 16_000 * 600]);
    long.truncate(44 + 32_000);
    for (body, reason) in [
        (b"not a wav".to_vec(), "not_wav"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec(), "truncated_header"),
        (hark_audio::wav::write(&[]), "empty_audio"),
        (long, "audio_too_long"),
    ] {
        let (status, answer) = post(&r, "audio/wav", None, &body);
        let answer = json(&answer);
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (400, Some("invalid_audio")),
            "{reason}: {answer}"
        );
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains(reason),
            "{answer}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);

    // A server without voice says so.
    let plain = start("voice-off");
    let (status, body) = post(&plain, "audio/wav", None, &silence_wav());
    assert_eq!(
        (status, json(&body)["error"]["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
}

fn silence_wav() -> Vec<u8> {
    hark_audio::wav::write(&vec![0; 16_000])
}
