//! Helpers: espeak-ng speech turned into what the recognizer expects, with sox.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use hark_speech::{Audio, Recognizer, RecognizerConfig};

/// A recognizer on Debian's American English model, or `None` (with a message) when the model
/// or sox is not installed. The libraries themselves are needed to build this crate at all.
pub fn recognizer() -> Option<Recognizer> {
    let config = RecognizerConfig::debian_en_us();
    if !config.model.join("mdef").is_file() || !config.dictionary.is_file() {
        println!("skipped: no PocketSphinx model (apt-get install pocketsphinx-en-us)");
        return None;
    }
    if !has_sox() {
        println!("skipped: no sox (apt-get install sox)");
        return None;
    }
    Some(Recognizer::new(config).expect("the Debian model loads"))
}

fn has_sox() -> bool {
    Command::new("sox")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `audio` resampled to 16 kHz with leading and trailing silence cut, as the endpointer would.
pub fn to_16k_trimmed(audio: &Audio) -> Vec<i16> {
    let rate = audio.sample_rate.to_string();
    let raw = ["-t", "raw", "-e", "signed", "-b", "16", "-c", "1"];
    let mut sox = Command::new("sox")
        .args(["-q"])
        .args(raw)
        .args(["-r", &rate, "-"])
        .args(raw)
        .args(["-r", "16000", "-"])
        // Sound starts where 10 ms rise above 1% of full scale. With the usual 0.1 s, a short
        // word lost its quiet edges ("stop": the /s/ and the burst of the /p/ after its
        // closure), and a lone "stop" decoded to nothing in 10 of 12 voices and rates.
        .args([
            "silence", "1", "0.01", "1%", "reverse", "silence", "1", "0.01", "1%", "reverse",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sox runs");
    let bytes: Vec<u8> = audio.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let mut stdin = sox.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let mut out = Vec::new();
    sox.stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut out)
        .expect("sox output");
    writer.join().expect("writer").expect("sox input");
    assert!(sox.wait().expect("sox exits").success(), "sox failed");
    out.chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}
