//! The recognizer against speech synthesized by espeak-ng, and against bad input.

use std::time::{Duration, Instant};

use hark_speech::{Error, Recognizer, RecognizerConfig, Synthesizer};

use crate::support::{recognizer, to_16k_trimmed};

/// A dozen commands, written by hand in the shape hark's grammar compiler produces.
const COMMANDS: &str = "#JSGF V1.0;
grammar commands;

public <command> = <time> | <timer> | <cancel> | <weather> | <lights> | <music> | <list>
                 | <alarm> | <stop>;

<time> = what time is it;
<timer> = set a timer for <number> (minute | minutes);
<number> = one | two | three | five | ten | twenty;
<cancel> = cancel the timer;
<weather> = what is the weather [like] today;
<lights> = turn (on | off) the (kitchen | bedroom) lights;
<music> = play some music | pause the music;
<list> = add (milk | coffee | eggs) to the shopping list;
<alarm> = wake me up at (six | seven | eight);
<stop> = stop;
";

const SENTENCES: &[&str] = &[
    "what time is it",
    "set a timer for five minutes",
    "cancel the timer",
    "what is the weather like today",
    "turn off the kitchen lights",
    "play some music",
    "add coffee to the shopping list",
    "wake me up at seven",
    "stop",
];

#[test]
fn recognizes_synthesized_commands_in_two_voices_at_two_speeds() {
    let Some(recognizer) = recognizer() else {
        return;
    };
    recognizer
        .set_grammar(COMMANDS)
        .expect("the grammar compiles");
    let mut audio_secs = 0.0;
    let mut decode = Duration::ZERO;
    let mut wrong = Vec::new();
    let mut total = 0;
    let mut per_frame = Vec::new();
    for voice in ["en-us", "en"] {
        for rate in [140, 200] {
            let synthesizer = Synthesizer::new(voice, rate).expect("the voice exists");
            for sentence in SENTENCES {
                let audio = synthesizer.synthesize(sentence).expect("synthesized");
                let samples = to_16k_trimmed(&audio);
                audio_secs += samples.len() as f64 / 16_000.0;
                let start = Instant::now();
                let transcript = recognizer.recognize(&samples).expect("decoded");
                decode += start.elapsed();
                total += 1;
                let heard = transcript.as_ref().map(|t| t.text.as_str());
                if heard != Some(*sentence) {
                    wrong.push(format!(
                        "{voice} {rate} wpm: {sentence:?} heard as {heard:?}"
                    ));
                }
                if let Some(t) = &transcript {
                    assert!(t.score < 0 && t.frames > 10, "{t:?}");
                    per_frame.push(t.score_per_frame());
                }
            }
        }
    }
    println!(
        "decoded {total} commands, {audio_secs:.1} s of audio in {:.3} s: real-time factor {:.4}",
        decode.as_secs_f64(),
        decode.as_secs_f64() / audio_secs
    );
    println!("{} of {total} exactly right", total - wrong.len());
    per_frame.sort_by(f64::total_cmp);
    println!(
        "score per frame: {:.1} to {:.1}",
        per_frame[0],
        per_frame[per_frame.len() - 1]
    );
    for line in &wrong {
        println!("  {line}");
    }
    // espeak-ng is not the voice the acoustic model was trained on, and "five"/"two"/"three"
    // or "minute"/"minutes" are near each other: ask for 90% exact, as a regression guard.
    assert!(
        wrong.len() * 10 <= total,
        "{} of {total} misrecognized:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn a_made_up_word_gets_a_pronunciation_from_espeak() {
    let Some(recognizer) = recognizer() else {
        return;
    };
    assert_eq!(recognizer.pronunciation("zorblax"), None);
    let added = recognizer
        .set_grammar(
            "#JSGF V1.0; grammar names;
             public <call> = call (zorblax | zebra | the doctor | mom) [now];",
        )
        .expect("the grammar compiles");
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0].word, "zorblax");
    assert_eq!(added[0].phones, "Z AO R B L AE K S");
    assert_eq!(
        recognizer.pronunciation("zorblax").as_deref(),
        Some("Z AO R B L AE K S")
    );

    for voice in ["en-us", "en"] {
        let audio = Synthesizer::new(voice, 160)
            .unwrap()
            .synthesize("call zorblax")
            .unwrap();
        let transcript = recognizer
            .recognize(&to_16k_trimmed(&audio))
            .unwrap()
            .expect("a sentence");
        assert_eq!(transcript.text, "call zorblax", "{voice}");
    }
}

#[test]
fn extra_dictionary_words_are_used() {
    let Some(_) = recognizer() else {
        return;
    };
    let recognizer = Recognizer::new(
        RecognizerConfig::debian_en_us()
            .word("hark", "HH AA R K")
            .word("frobnitz", "F R AA B N IH T S"),
    )
    .unwrap();
    assert_eq!(
        recognizer.pronunciation("frobnitz").as_deref(),
        Some("F R AA B N IH T S")
    );
    // "hark" is in the dictionary already: the entry is an alternative.
    assert_eq!(
        recognizer.pronunciation("hark(2)").as_deref(),
        Some("HH AA R K")
    );

    let mut config = RecognizerConfig::debian_en_us().word("bad", "XX YY");
    assert!(matches!(
        Recognizer::new(config.clone()),
        Err(Error::Word { .. })
    ));
    config.extra_words.clear();
    config.pronounce_unknown_words = false;
    let strict = Recognizer::new(config).unwrap();
    let refused = strict.set_grammar("#JSGF V1.0; grammar g; public <a> = call zorblax;");
    assert!(
        matches!(&refused, Err(Error::UnknownWords(w)) if w == &["zorblax"]),
        "{refused:?}"
    );
}

#[test]
fn empty_tiny_and_silent_buffers_are_no_sentence() {
    let Some(recognizer) = recognizer() else {
        return;
    };
    assert!(matches!(
        recognizer.recognize(&[0; 1600]),
        Err(Error::NoGrammar)
    ));
    recognizer.set_grammar(COMMANDS).unwrap();
    assert_eq!(recognizer.recognize(&[]).unwrap(), None);
    assert_eq!(recognizer.recognize(&[100, -100, 5]).unwrap(), None);
    // A second of digital silence may decode to nothing or to something; it must not fail.
    recognizer.recognize(&[0; 16_000]).unwrap();
    // And the decoder still works afterwards, for a one-word command too.
    let audio = Synthesizer::new("en-us", 160)
        .unwrap()
        .synthesize("stop")
        .unwrap();
    let transcript = recognizer.recognize(&to_16k_trimmed(&audio)).unwrap();
    assert_eq!(transcript.map(|t| t.text).as_deref(), Some("stop"));
    let audio = Synthesizer::new("en-us", 160)
        .unwrap()
        .synthesize("turn on the bedroom lights")
        .unwrap();
    let transcript = recognizer.recognize(&to_16k_trimmed(&audio)).unwrap();
    assert_eq!(
        transcript.map(|t| t.text).as_deref(),
        Some("turn on the bedroom lights")
    );
}

#[test]
fn a_bad_grammar_is_a_clear_error_and_keeps_the_previous_one() {
    let Some(recognizer) = recognizer() else {
        return;
    };
    recognizer.set_grammar(COMMANDS).unwrap();
    let bad = [
        // caught before PocketSphinx
        "public <a> = stop;",
        "#JSGF V1.0; grammar g; <a> = stop;",
        "#JSGF V1.0; grammar g; public <a> = (stop | go;",
        // caught by PocketSphinx
        "#JSGF V1.0; grammar g; public <a> = <undefined>;",
        "#JSGF V1.0; grammar g; public <a> = stop | | go;",
        "#JSGF V1.0; grammar g public <a> = stop;",
    ];
    for jsgf in bad {
        let error = recognizer.set_grammar(jsgf).expect_err(jsgf);
        assert!(matches!(error, Error::Grammar(_)), "{jsgf}: {error:?}");
        assert!(error
            .to_string()
            .starts_with("the JSGF grammar was refused: "));
    }
    let audio = Synthesizer::new("en-us", 160)
        .unwrap()
        .synthesize("cancel the timer")
        .unwrap();
    let transcript = recognizer.recognize(&to_16k_trimmed(&audio)).unwrap();
    assert_eq!(
        transcript.map(|t| t.text).as_deref(),
        Some("cancel the timer")
    );
}

#[test]
fn a_missing_model_is_named() {
    let error = Recognizer::new(RecognizerConfig::new(
        "/nonexistent/model",
        "/nonexistent/dict",
    ))
    .unwrap_err();
    assert!(matches!(error, Error::Model(_)), "{error:?}");
    assert!(error.to_string().contains("/nonexistent/model"));
}

#[test]
fn an_unknown_option_is_refused() {
    let Some(_) = recognizer() else {
        return;
    };
    let mut config = RecognizerConfig::debian_en_us();
    config
        .options
        .push(("-no-such-option".to_owned(), "1".to_owned()));
    let error = Recognizer::new(config).unwrap_err();
    assert!(matches!(error, Error::Init(_)), "{error:?}");
    assert!(error.to_string().contains("option"));
}

#[test]
fn a_recognizer_is_shared_between_threads() {
    let Some(recognizer) = recognizer() else {
        return;
    };
    recognizer.set_grammar(COMMANDS).unwrap();
    let samples: Vec<Vec<i16>> = SENTENCES[..4]
        .iter()
        .map(|s| {
            to_16k_trimmed(
                &Synthesizer::new("en-us", 170)
                    .unwrap()
                    .synthesize(s)
                    .unwrap(),
            )
        })
        .collect();
    std::thread::scope(|scope| {
        for (sentence, samples) in SENTENCES.iter().zip(&samples) {
            let recognizer = &recognizer;
            scope.spawn(move || {
                let transcript = recognizer.recognize(samples).unwrap();
                assert_eq!(transcript.map(|t| t.text).as_deref(), Some(*sentence));
            });
        }
    });
}

#[test]
fn the_engines_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Recognizer>();
    send_sync::<Synthesizer>();
}

/// A small bigram model in ARPA format, as `hark_nlu::lm` writes one, with a made-up word.
const MODEL: &str = "\\data\\
ngram 1=6
ngram 2=7

\\1-grams:
-99\t<s>\t-3.0
-0.7\t</s>
-0.7\tcall\t-3.0
-0.7\tzorblax\t-3.0
-0.7\tmom\t-3.0
-0.7\tstop\t-3.0

\\2-grams:
-0.3\t<s> call
-0.3\t<s> stop
-0.3\tcall zorblax
-0.3\tcall mom
-0.1\tzorblax </s>
-0.1\tmom </s>
-0.1\tstop </s>

\\end\\
";

#[test]
fn decodes_against_a_language_model_and_keeps_the_previous_one_when_refused() {
    let Some(recognizer) = recognizer() else {
        return;
    };
    let added = recognizer
        .set_language_model(MODEL)
        .expect("the model loads");
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0].word, "zorblax");
    let synthesizer = Synthesizer::new("en-us", 160).unwrap();
    let hear = |sentence: &str| {
        let audio = synthesizer.synthesize(sentence).unwrap();
        recognizer
            .recognize(&to_16k_trimmed(&audio))
            .unwrap()
            .map(|t| t.text)
    };
    assert_eq!(hear("call zorblax").as_deref(), Some("call zorblax"));
    assert_eq!(hear("stop").as_deref(), Some("stop"));
    for bad in [
        "call zorblax",
        "\\data\\\nngram 1=2\n",
        "\\data\\\nngram 1=9\n\n\\1-grams:\n-1\tstop\n\n\\end\\\n",
    ] {
        let error = recognizer.set_language_model(bad).expect_err(bad);
        assert!(matches!(error, Error::LanguageModel(_)), "{bad}: {error:?}");
    }
    assert_eq!(hear("call mom").as_deref(), Some("call mom"));
    let audio = synthesizer.synthesize("call zorblax").unwrap();
    let alternatives = recognizer
        .recognize_n_best(&to_16k_trimmed(&audio), 5)
        .unwrap();
    assert_eq!(alternatives[0].text, "call zorblax", "{alternatives:?}");
    assert!(
        alternatives.windows(2).all(|w| w[0].text != w[1].text),
        "{alternatives:?}"
    );
    // The first alternative a caller accepts; the best when it accepts none.
    let samples = to_16k_trimmed(&synthesizer.synthesize("call mom").unwrap());
    let alternatives = recognizer.recognize_n_best(&samples, 5).unwrap();
    let first_of = |accepts: &dyn Fn(&str) -> bool| {
        recognizer
            .recognize_first_of(&samples, 5, accepts)
            .unwrap()
            .map(|t| t.text)
    };
    assert!(alternatives.len() >= 2, "{alternatives:?}");
    assert_eq!(alternatives[0].text, "call mom", "{alternatives:?}");
    assert_eq!(first_of(&|_| true).as_deref(), Some("call mom"));
    assert_eq!(
        first_of(&|text| text != "call mom"),
        Some(alternatives[1].text.clone())
    );
    assert_eq!(first_of(&|_| false).as_deref(), Some("call mom"));
    // And back to a grammar.
    recognizer.set_grammar(COMMANDS).unwrap();
    assert_eq!(
        hear("cancel the timer").as_deref(),
        Some("cancel the timer")
    );
}

#[test]
fn an_utterance_pushed_in_pieces_is_heard_as_the_whole_is() {
    let Some(recognizer) = recognizer() else {
        return;
    };
    recognizer.set_grammar(COMMANDS).unwrap();
    let synthesizer = Synthesizer::new("en-us", 175).unwrap();
    let mut finishing = Duration::ZERO;
    let mut whole = Duration::ZERO;
    for sentence in SENTENCES {
        let samples = to_16k_trimmed(&synthesizer.synthesize(sentence).unwrap());
        let started = Instant::now();
        let expected = recognizer.recognize_n_best(&samples, 1).unwrap();
        whole += started.elapsed();
        let mut utterance = recognizer.utterance().unwrap();
        for piece in samples.chunks(320) {
            utterance.push(piece).unwrap();
        }
        let started = Instant::now();
        let heard = utterance.finish_n_best(1).unwrap();
        finishing += started.elapsed();
        assert_eq!(
            heard.first().map(|t| &t.text),
            expected.first().map(|t| &t.text),
            "{sentence}"
        );
        assert_eq!(heard[0].text, *sentence);
    }
    println!(
        "{} commands: whole decodes {:.1} ms, finishing a streamed one {:.1} ms",
        SENTENCES.len(),
        whole.as_secs_f64() * 1e3,
        finishing.as_secs_f64() * 1e3
    );
}

#[test]
fn an_utterance_holds_the_decoder_and_an_abandoned_one_frees_it() {
    let Some(recognizer) = recognizer() else {
        return;
    };
    assert!(matches!(recognizer.utterance(), Err(Error::NoGrammar)));
    recognizer.set_grammar(COMMANDS).unwrap();
    let synthesizer = Synthesizer::new("en-us", 175).unwrap();
    let samples = to_16k_trimmed(&synthesizer.synthesize("cancel the timer").unwrap());
    let mut abandoned = recognizer.utterance().unwrap();
    abandoned.push(&samples[..samples.len() / 2]).unwrap();
    assert!(recognizer.try_utterance().unwrap().is_none(), "busy");
    drop(abandoned);
    let mut utterance = recognizer.try_utterance().unwrap().expect("free again");
    utterance.push(&samples).unwrap();
    assert_eq!(
        utterance.finish_n_best(3).unwrap()[0].text,
        "cancel the timer"
    );
    // Nothing pushed: no sentence, and the decoder goes on.
    assert!(recognizer
        .utterance()
        .unwrap()
        .finish_n_best(3)
        .unwrap()
        .is_empty());
    assert_eq!(
        recognizer
            .recognize(&samples)
            .unwrap()
            .map(|t| t.text)
            .as_deref(),
        Some("cancel the timer")
    );
}
