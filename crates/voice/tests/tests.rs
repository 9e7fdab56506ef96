//! The pipeline end to end with the real engines: espeak-ng speaks commands, hark-audio reads,
//! denoises and trims them, PocketSphinx decodes them against hark's own grammar (as JSGF for
//! the clock, stop and help intents; as an n-gram model for the whole grammar, see the crate
//! documentation), and hark's matcher understands the text. Bad audio is refused with its code;
//! silence is "nothing".

use std::collections::BTreeSet;

use hark_audio::denoise::NoiseSuppression;
use hark_audio::endpoint::EndReason;
use hark_audio::{levels, mix, wav};
use hark_nlu::{builtin, entity, Matcher, ParseContext};
use hark_voice::{Config, Event, Heard, RecognizerGrammar, Voice};

fn voice(denoise: NoiseSuppression) -> Voice {
    let intents: BTreeSet<String> = [
        "HassGetCurrentTime",
        "HassGetCurrentDate",
        "HarkStop",
        "HarkHelp",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let config = Config {
        intents: Some(intents),
        grammar: RecognizerGrammar::Jsgf,
        denoise,
        ..Config::default()
    };
    Voice::new(&builtin::grammar("en").unwrap(), config).unwrap()
}

/// `samples` with a second of silence before and after, as a device sends an utterance.
fn padded(samples: &[i16]) -> Vec<i16> {
    let mut out = vec![0; 16_000];
    out.extend_from_slice(samples);
    out.extend(std::iter::repeat_n(0, 16_000));
    out
}

fn intent_of(text: &str) -> Option<String> {
    static MATCHER: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    let matcher = MATCHER.get_or_init(|| Matcher::new(&builtin::grammar("en").unwrap()).unwrap());
    let now = jiff::Timestamp::from_second(1_767_225_600).unwrap();
    let context = ParseContext::new(entity::Context {
        now: now.to_zoned(jiff::tz::TimeZone::UTC),
    });
    matcher
        .parse(text, &context)
        .map(|parsed| parsed.intent.name.to_string())
}

#[test]
fn spoken_commands_are_heard_and_understood_quiet_and_in_noise_with_rnnoise() {
    heard_and_understood(NoiseSuppression::Rnnoise);
}

#[test]
fn spoken_commands_are_heard_and_understood_quiet_and_in_noise_without_noise_suppression() {
    heard_and_understood(NoiseSuppression::Off);
}

fn heard_and_understood(denoise: NoiseSuppression) {
    let voice = voice(denoise);
    let commands = [
        ("what time is it", "HassGetCurrentTime"),
        ("what is the date today", "HassGetCurrentDate"),
        ("stop", "HarkStop"),
        ("what can you do", "HarkHelp"),
    ];
    let mut right = 0;
    let mut total = 0;
    let mut rtf = Vec::new();
    for (said, intent) in commands {
        let speech = wav::read(&voice.speak(said).unwrap(), wav::Limits::seconds(30))
            .unwrap()
            .samples;
        let noise = mix::noise(mix::Color::Pink, 7, speech.len() + 32_000, -30.0);
        // "Quiet" is a microphone's own hiss 40 dB down, as a real room is never digital
        // silence (exact zeros trouble the decoder's features); "noisy" is pink noise 10 dB down.
        for snr in [40.0, 10.0] {
            let audio = mix::mix_at_snr(&padded(&speech), &noise, snr)
                .unwrap()
                .samples;
            let (heard, timings) = voice.hear(&wav::write(&audio)).unwrap();
            rtf.push(timings.real_time_factor());
            total += 1;
            match &heard {
                Heard::Text(text) if intent_of(text).as_deref() == Some(intent) => right += 1,
                other => eprintln!("{said:?} at {snr} dB: heard {other:?}"),
            }
        }
    }
    eprintln!("{denoise:?}: {right}/{total} understood; real-time factors {rtf:.3?}");
    // espeak-ng's speech and a small grammar: at most one miss, in noise (the note measured
    // 88% at 12 dB on real speech).
    assert!(right >= total - 1, "{right}/{total}");
}

#[test]
fn silence_is_nothing_and_bad_audio_is_refused_with_its_code() {
    let voice = voice(NoiseSuppression::Rnnoise);
    let (heard, _) = voice.hear(&wav::write(&vec![0; 32_000])).unwrap();
    assert_eq!(heard, Heard::Nothing);
    for (bytes, code) in [
        (b"not a wav at all".to_vec(), "not_wav"),
        (wav::write(&[])[..20].to_vec(), "truncated_header"),
        (wav::write(&[]), "empty_audio"),
        (wav::write(&vec![0; 16_000 * 31]), "audio_too_long"),
    ] {
        let error = voice.hear(&bytes).unwrap_err();
        assert_eq!(error.code(), code, "{error}");
    }
}

/// Commands of several skills, as people say them, with the intent hark must find.
const WHOLE_GRAMMAR_COMMANDS: &[(&str, &str)] = &[
    ("set a timer for five minutes", "HassStartTimer"),
    (
        "set a timer for two hours and ten minutes",
        "HassStartTimer",
    ),
    ("how much time is left on the timer", "HassTimerStatus"),
    ("cancel the timer", "HassCancelTimer"),
    ("wake me up at seven thirty", "HarkSetAlarm"),
    ("set an alarm for six am tomorrow", "HarkSetAlarm"),
    ("what time is it", "HassGetCurrentTime"),
    ("stop", "HarkStop"),
    ("what is the weather like today", "HassGetWeather"),
    ("will it rain tomorrow", "HassGetWeather"),
    ("pause the music", "HassMediaPause"),
    ("next song", "HassMediaNext"),
];

#[test]
fn the_whole_grammar_on_the_ngram_model_hears_commands_of_every_skill() {
    let started = std::time::Instant::now();
    let config = Config {
        grammar: RecognizerGrammar::Ngram,
        ..Config::default()
    };
    let voice = Voice::new(&builtin::grammar("en").unwrap(), config).unwrap();
    let load = started.elapsed();
    let mut right = 0;
    let mut total = 0;
    let mut audio = 0.0;
    let mut spent = 0.0;
    let mut decode = 0.0;
    for (said, intent) in WHOLE_GRAMMAR_COMMANDS {
        assert_eq!(
            intent_of(said).as_deref(),
            Some(*intent),
            "{said:?} as text"
        );
        let speech = wav::read(&voice.speak(said).unwrap(), wav::Limits::seconds(30))
            .unwrap()
            .samples;
        let noise = mix::noise(mix::Color::Pink, 7, speech.len() + 32_000, -30.0);
        let wav_bytes = wav::write(
            &mix::mix_at_snr(&padded(&speech), &noise, 40.0)
                .unwrap()
                .samples,
        );
        let (heard, timings) = voice.hear(&wav_bytes).unwrap();
        audio += timings.audio.as_secs_f64();
        spent += timings.total().as_secs_f64();
        decode += timings.decode.as_secs_f64();
        total += 1;
        match &heard {
            Heard::Text(text) if intent_of(text).as_deref() == Some(*intent) => right += 1,
            other => eprintln!("{said:?}: heard {other:?}"),
        }
    }
    eprintln!(
        "whole grammar, n-gram: loaded in {:.2} s; {right}/{total} understood; \
         real-time factor {:.3} (whole pipeline), {:.3} (decoding), {audio:.1} s of audio",
        load.as_secs_f64(),
        spent / audio,
        decode / audio
    );
    // espeak-ng's voice is not the one the acoustic model learned, and the model is looser
    // than the grammar: 10 of 12 when this was written ("cancel the timer" heard as "cancel
    // that i", "six am" as "six and"); fail on a drop below that.
    assert!(right >= total - 2, "{right}/{total}");
}

/// The resident memory of this process, in MB (Linux).
fn resident_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The figures of docs/grammar.md: JSGF restricted to the intents of the test set against the
/// n-gram model of the whole grammar, on the test set in two voices at two rates. Run alone in
/// release for meaningful memory and time:
/// `cargo test --release -p hark-voice -- --ignored --nocapture --test-threads=1 measure`
/// (`HARK_MEASURE=jsgf` or `ngram` for one of them).
#[test]
#[ignore = "a measurement, minutes long"]
fn measure_jsgf_restricted_against_ngram_whole() {
    let which = std::env::var("HARK_MEASURE").unwrap_or_default();
    let intents: BTreeSet<String> = WHOLE_GRAMMAR_COMMANDS
        .iter()
        .map(|(_, intent)| intent.to_string())
        .collect();
    let setups = [
        ("jsgf", RecognizerGrammar::Jsgf, Some(intents)),
        ("ngram", RecognizerGrammar::Ngram, None),
    ];
    for (name, grammar, intents) in setups {
        if !which.is_empty() && which != name {
            continue;
        }
        let exported = hark_nlu::jsgf::export(
            &builtin::grammar("en").unwrap(),
            &hark_nlu::jsgf::Options {
                intents: intents.clone(),
                ..Default::default()
            },
        )
        .unwrap();
        eprintln!(
            "{name}: {} words, about {} states as JSGF",
            exported.vocabulary.len(),
            exported.stats.inlined_states
        );
        let before = resident_mb();
        let started = std::time::Instant::now();
        let config = Config {
            grammar,
            intents,
            denoise: NoiseSuppression::Off,
            ..Config::default()
        };
        let voice = Voice::new(&builtin::grammar("en").unwrap(), config).unwrap();
        let load = started.elapsed().as_secs_f64();
        let memory = resident_mb() - before;
        let (mut right, mut total, mut audio, mut decode) = (0, 0, 0.0, 0.0);
        for voice_name in ["en-us", "en"] {
            for rate in [140, 200] {
                let synthesizer = hark_speech::Synthesizer::new(voice_name, rate).unwrap();
                for (said, intent) in WHOLE_GRAMMAR_COMMANDS {
                    let spoken = synthesizer.synthesize(said).unwrap();
                    let input: Vec<f32> = spoken
                        .samples
                        .iter()
                        .map(|s| f32::from(*s) / 32768.0)
                        .collect();
                    let speech: Vec<i16> =
                        hark_audio::resample::resample(&input, spoken.sample_rate, 16_000)
                            .into_iter()
                            .map(|s| (s * 32768.0).round().clamp(-32768.0, 32767.0) as i16)
                            .collect();
                    let noise = mix::noise(mix::Color::Pink, 7, speech.len() + 32_000, -30.0);
                    let samples = mix::mix_at_snr(&padded(&speech), &noise, 40.0)
                        .unwrap()
                        .samples;
                    let (heard, timings) = voice.hear_samples(&samples).unwrap();
                    audio += timings.audio.as_secs_f64();
                    decode += timings.decode.as_secs_f64();
                    total += 1;
                    match &heard {
                        Heard::Text(text) if intent_of(text).as_deref() == Some(*intent) => {
                            right += 1
                        }
                        other => eprintln!("{name} {voice_name} {rate}: {said:?} heard {other:?}"),
                    }
                }
            }
        }
        eprintln!(
            "{name}: load {load:.2} s, +{memory:.0} MB resident, decoding {:.3} of real time \
             ({audio:.1} s of audio), {right}/{total} understood",
            decode / audio
        );
    }
}

#[test]
fn a_stream_pushed_in_20ms_pieces_is_heard_with_its_events() {
    let voice = voice(NoiseSuppression::Rnnoise);
    let commands = [
        ("what time is it", "HassGetCurrentTime"),
        ("what is the date today", "HassGetCurrentDate"),
        ("what can you do", "HarkHelp"),
    ];
    let mut right = 0;
    let mut total = 0;
    for (said, intent) in commands {
        let speech = wav::read(&voice.speak(said).unwrap(), wav::Limits::seconds(30))
            .unwrap()
            .samples;
        let noise = mix::noise(mix::Color::Pink, 11, speech.len() + 32_000, -30.0);
        for snr in [40.0, 10.0] {
            let audio = mix::mix_at_snr(&padded(&speech), &noise, snr)
                .unwrap()
                .samples;
            let mut listener = voice.listen();
            let mut events = Vec::new();
            for piece in audio.chunks(320) {
                events.extend(listener.push(piece).unwrap());
            }
            events.extend(listener.finish().unwrap());
            // Started, stopped (by the second of silence, not the end of the stream), heard.
            assert_eq!(events.len(), 3, "{said} at {snr} dB: {events:?}");
            let Event::SpeechStarted { at: start } = events[0] else {
                panic!("{events:?}")
            };
            let Event::SpeechStopped { at: end, reason } = events[1] else {
                panic!("{events:?}")
            };
            assert_eq!(reason, EndReason::Silence);
            // The speech is in the middle second(s) of the padded audio.
            let spoken = speech.len() as f64 / 16_000.0;
            assert!((0.8..1.3).contains(&start.as_secs_f64()), "{start:?}");
            assert!(
                (0.8 + spoken * 0.5..1.3 + spoken).contains(&end.as_secs_f64()),
                "{end:?} for {spoken} s"
            );
            let Event::Heard { heard, timings } = &events[2] else {
                panic!("{events:?}")
            };
            assert!(timings.after_end <= timings.decode + timings.denoise + timings.endpoint);
            total += 1;
            match heard {
                Heard::Text(text) if intent_of(text).as_deref() == Some(intent) => right += 1,
                other => eprintln!("{said:?} at {snr} dB streamed: heard {other:?}"),
            }
            // After the utterance, the listener hears nothing more.
            assert!(listener.push(&audio[..3200]).unwrap().is_empty());
        }
    }
    assert!(right >= total - 1, "{right}/{total}");
}

#[test]
fn a_stream_without_speech_is_nothing_and_speech_cut_off_is_still_heard() {
    let voice = voice(NoiseSuppression::Rnnoise);
    let hiss = mix::noise(mix::Color::Pink, 3, 48_000, -55.0);
    let mut listener = voice.listen();
    for piece in hiss.chunks(500) {
        assert!(listener.push(piece).unwrap().is_empty());
    }
    let events = listener.finish().unwrap();
    assert!(
        matches!(
            &events[..],
            [Event::Heard {
                heard: Heard::Nothing,
                ..
            }]
        ),
        "{events:?}"
    );

    // The device stops sending right after the words: the end of the stream ends them.
    let speech = wav::read(
        &voice.speak("what time is it").unwrap(),
        wav::Limits::seconds(30),
    )
    .unwrap()
    .samples;
    let mut audio = hiss[..16_000].to_vec();
    audio.extend(mix::mix_at_snr(&speech, &hiss, 40.0).unwrap().samples);
    let mut listener = voice.listen();
    let mut events = Vec::new();
    for piece in audio.chunks(640) {
        events.extend(listener.push(piece).unwrap());
    }
    events.extend(listener.finish().unwrap());
    assert!(
        matches!(
            events[1],
            Event::SpeechStopped {
                reason: EndReason::EndOfStream,
                ..
            }
        ),
        "{events:?}"
    );
    let Event::Heard { heard, .. } = &events[2] else {
        panic!("{events:?}")
    };
    assert_eq!(heard, &Heard::Text("what time is it".into()));
}

#[test]
fn spoken_pieces_add_up_to_the_spoken_wav() {
    let voice = voice(NoiseSuppression::Off);
    let text = "It's 7:05 AM. Your timer is set.";
    let spoken = || wav::read(&voice.speak(text).unwrap(), wav::Limits::seconds(30)).unwrap();
    let whole = spoken().samples;
    let mut pieces = Vec::new();
    voice
        .speak_chunks(text, |piece| pieces.push(piece.to_vec()))
        .unwrap();
    assert!(pieces.len() > 1, "{} pieces", pieces.len());
    let joined: Vec<i16> = pieces.concat();
    // espeak-ng's output varies a little from one sentence to the next (its samples are not
    // the same twice), so the two are compared by length and level.
    assert!(
        joined.len().abs_diff(whole.len()) * 100 <= whole.len(),
        "{} vs {}",
        joined.len(),
        whole.len()
    );
    let (a, b) = (levels::rms_dbfs(&joined), levels::rms_dbfs(&whole));
    assert!((a - b).abs() < 1.0, "{a} vs {b} dBFS");
}
