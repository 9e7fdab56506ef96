//! Every unsafe line of the espeak-ng synthesizer: the C declarations and [`Engine`], the safe
//! handle on the library's one global state.
//!
//! Declarations are written by hand from `/usr/include/espeak-ng/speak_lib.h` (espeak-ng 1.49 and
//! later keep this API stable); no bindgen.
//!
//! espeak-ng is a process-wide singleton: one voice, one rate, one callback, one output buffer.
//! [`Engine::lock`] is the only way in; it holds a process-wide `Mutex` for as long as the caller
//! uses the engine, initializes the library on first use (synchronous mode, audio handed to a
//! callback, never played by the library), and every caller sets the voice and rate it needs
//! before synthesizing, since another caller may have changed them.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_short, c_uint, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard};

const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
const ESPEAK_INITIALIZE_DONT_EXIT: c_int = 0x8000;
const ESPEAK_CHARS_UTF8: c_uint = 1;
const POS_CHARACTER: c_int = 1;
const ESPEAK_RATE: c_int = 1;
const EE_OK: c_int = 0;

/// `espeak_EVENT`, laid out as in speak_lib.h (only `user_data` is read).
#[repr(C)]
struct Event {
    kind: c_int,
    unique_identifier: c_uint,
    text_position: c_int,
    length: c_int,
    audio_position: c_int,
    sample: c_int,
    user_data: *mut c_void,
    id: [u8; 8],
}

/// `espeak_VOICE`, laid out as in speak_lib.h.
#[repr(C)]
struct RawVoice {
    name: *const c_char,
    languages: *const c_char,
    identifier: *const c_char,
    gender: u8,
    age: u8,
    variant: u8,
    xx1: u8,
    score: c_int,
    spare: *mut c_void,
}

type SynthCallback = unsafe extern "C" fn(*mut c_short, c_int, *mut Event) -> c_int;

extern "C" {
    fn espeak_Initialize(
        output: c_int,
        buflength: c_int,
        path: *const c_char,
        options: c_int,
    ) -> c_int;
    fn espeak_SetSynthCallback(callback: SynthCallback);
    fn espeak_Synth(
        text: *const c_void,
        size: usize,
        position: c_uint,
        position_type: c_int,
        end_position: c_uint,
        flags: c_uint,
        unique_identifier: *mut c_uint,
        user_data: *mut c_void,
    ) -> c_int;
    fn espeak_SetParameter(parameter: c_int, value: c_int, relative: c_int) -> c_int;
    fn espeak_SetVoiceByName(name: *const c_char) -> c_int;
    fn espeak_ListVoices(voice_spec: *mut RawVoice) -> *const *const RawVoice;
    fn espeak_TextToPhonemes(
        textptr: *mut *const c_void,
        textmode: c_int,
        phonememode: c_int,
    ) -> *const c_char;
}

/// The library's state: `None` until the first successful initialization, then its sample rate.
static ENGINE: Mutex<Option<u32>> = Mutex::new(None);

/// A voice as espeak-ng lists it.
#[derive(Debug, Clone)]
pub(crate) struct RawVoiceInfo {
    pub(crate) name: String,
    pub(crate) identifier: String,
    pub(crate) languages: Vec<String>,
    pub(crate) gender: u8,
}

/// Exclusive use of espeak-ng while it lives.
pub(crate) struct Engine {
    _guard: MutexGuard<'static, Option<u32>>,
    sample_rate: u32,
}

/// What the synthesis callback reaches through `user_data`.
struct Sink<'a> {
    chunk: &'a mut dyn FnMut(&[i16]),
    panicked: bool,
}

unsafe extern "C" fn on_audio(wav: *mut c_short, n: c_int, events: *mut Event) -> c_int {
    if wav.is_null() || n <= 0 || events.is_null() {
        return 0;
    }
    // SAFETY: espeak passes the `user_data` given to espeak_Synth in every event of the list;
    // it is a `Sink` that outlives the synchronous espeak_Synth call.
    let sink = unsafe { &mut *((*events).user_data as *mut Sink<'_>) };
    if sink.panicked {
        return 1;
    }
    // SAFETY: `wav` holds `n` samples, valid until we return.
    let samples = unsafe { std::slice::from_raw_parts(wav as *const i16, n as usize) };
    // A panic must not unwind into C: remember it, stop the synthesis, and resume it in Rust.
    match catch_unwind(AssertUnwindSafe(|| (sink.chunk)(samples))) {
        Ok(()) => 0,
        Err(_) => {
            sink.panicked = true;
            1
        }
    }
}

impl Engine {
    /// Waits for the engine, initializing espeak-ng on first use. `None` when the library cannot
    /// initialize (its data folder is missing).
    pub(crate) fn lock() -> Option<Engine> {
        let mut guard = ENGINE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let sample_rate = match *guard {
            Some(rate) => rate,
            None => {
                // SAFETY: called with the lock held, so once at a time; DONT_EXIT makes a missing
                // data folder an error return instead of exit(1). The callback is a plain fn.
                let rate = unsafe {
                    let rate = espeak_Initialize(
                        AUDIO_OUTPUT_SYNCHRONOUS,
                        100,
                        std::ptr::null(),
                        ESPEAK_INITIALIZE_DONT_EXIT,
                    );
                    if rate > 0 {
                        espeak_SetSynthCallback(on_audio);
                    }
                    rate
                };
                if rate <= 0 {
                    return None;
                }
                *guard = Some(rate as u32);
                rate as u32
            }
        };
        Some(Engine {
            _guard: guard,
            sample_rate,
        })
    }

    /// The rate of the samples the library produces (22050 Hz for its own voices).
    pub(crate) fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Selects a voice by name or file name ("en-us", "en", "gmw/en-US"); false when unknown.
    pub(crate) fn set_voice(&mut self, name: &str) -> bool {
        let Ok(name) = CString::new(name) else {
            return false;
        };
        // SAFETY: initialized library, lock held, valid string.
        unsafe { espeak_SetVoiceByName(name.as_ptr()) == EE_OK }
    }

    /// Sets the speaking rate in words per minute.
    pub(crate) fn set_rate(&mut self, wpm: u32) -> bool {
        let Ok(wpm) = c_int::try_from(wpm) else {
            return false;
        };
        // SAFETY: initialized library, lock held.
        unsafe { espeak_SetParameter(ESPEAK_RATE, wpm, 0) == EE_OK }
    }

    /// Synthesizes `text` (UTF-8, plain text), handing the audio to `chunk` as it is produced.
    /// Returns false when the library reports an error. A panic in `chunk` stops the synthesis
    /// and is resumed here.
    pub(crate) fn synth(&mut self, text: &str, chunk: &mut dyn FnMut(&[i16])) -> bool {
        let Ok(text) = CString::new(text) else {
            return false;
        };
        let mut sink = Sink {
            chunk,
            panicked: false,
        };
        let bytes = text.as_bytes_with_nul().len();
        // SAFETY: initialized library in synchronous mode, lock held: espeak_Synth returns only
        // after the last callback, so `sink` outlives every use of the pointer to it.
        let status = unsafe {
            espeak_Synth(
                text.as_ptr().cast(),
                bytes,
                0,
                POS_CHARACTER,
                0,
                ESPEAK_CHARS_UTF8,
                std::ptr::null_mut(),
                (&mut sink as *mut Sink<'_>).cast(),
            )
        };
        if sink.panicked {
            panic!("the audio callback of Synthesizer::synthesize_chunks panicked");
        }
        status == EE_OK
    }

    /// espeak-ng's phonemes for `text` in the current voice's language, in its ASCII mnemonics
    /// (`h@l'oU`), phonemes separated by spaces and clauses by newlines.
    pub(crate) fn phonemes(&mut self, text: &str) -> Option<String> {
        let text = CString::new(text).ok()?;
        let mut out = String::new();
        let mut cursor: *const c_void = text.as_ptr().cast();
        // Separator ' ' between phoneme names (bits 8-23), ASCII mnemonics (bit 1 clear).
        let mode = (b' ' as c_int) << 8;
        // SAFETY: initialized library, lock held; `cursor` points into `text` (alive for the
        // loop) and the library advances it, setting it to NULL at the end. The returned
        // string lives in a library buffer until the next call, so it is copied at once.
        unsafe {
            while !cursor.is_null() {
                let phonemes = espeak_TextToPhonemes(&mut cursor, ESPEAK_CHARS_UTF8 as c_int, mode);
                if phonemes.is_null() {
                    break;
                }
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&CStr::from_ptr(phonemes).to_string_lossy());
            }
        }
        Some(out)
    }

    /// Every voice the library has.
    pub(crate) fn voices(&mut self) -> Vec<RawVoiceInfo> {
        let mut voices = Vec::new();
        // SAFETY: initialized library, lock held. The list is a NULL-terminated array owned by
        // the library, valid until the next call; everything is copied out before returning.
        // `languages` is a list of (priority byte, NUL-terminated name) ended by an empty name.
        unsafe {
            let list = espeak_ListVoices(std::ptr::null_mut());
            if list.is_null() {
                return voices;
            }
            let mut i = 0;
            while !(*list.add(i)).is_null() {
                let voice = &**list.add(i);
                let text = |p: *const c_char| {
                    if p.is_null() {
                        String::new()
                    } else {
                        CStr::from_ptr(p).to_string_lossy().into_owned()
                    }
                };
                let mut languages = Vec::new();
                let mut p = voice.languages;
                while !p.is_null() && *p != 0 {
                    let name = CStr::from_ptr(p.add(1));
                    if name.is_empty() {
                        break;
                    }
                    languages.push(name.to_string_lossy().into_owned());
                    p = p.add(1 + name.to_bytes().len() + 1);
                }
                voices.push(RawVoiceInfo {
                    name: text(voice.name),
                    identifier: text(voice.identifier),
                    languages,
                    gender: voice.gender,
                });
                i += 1;
            }
        }
        voices
    }
}
