//! Every unsafe line of the PocketSphinx recognizer: the C declarations and [`Decoder`], a safe
//! owner of one `ps_decoder_t`.
//!
//! The declarations are written by hand from Debian's headers for PocketSphinx 0.8+5prealpha
//! (`/usr/include/pocketsphinx/pocketsphinx.h`, `ps_search.h`) and sphinxbase
//! (`cmd_ln.h`, `err.h`, `ckd_alloc.h`); no bindgen. PocketSphinx 5.x renamed most of
//! this API (`ps_config_*`), so this module is tied to the 0.8 line that Debian and Ubuntu ship.
//!
//! Thread safety, as the library has it: a decoder keeps its whole search state inside the
//! `ps_decoder_t` and has no thread affinity, so it may move between threads ([`Decoder`] is
//! `Send`), but two calls on one decoder must never overlap: every method that touches it takes
//! `&mut self`, and [`Decoder`] is not `Sync`. What sphinxbase keeps globally (the log target) is
//! set once, and decoders are created one at a time under [`INIT`].

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr::NonNull;
use std::sync::{Mutex, Once};

/// `ps_decoder_t`, opaque.
#[repr(C)]
struct PsDecoder {
    _private: [u8; 0],
}

/// `ps_nbest_t`, opaque: an iterator over the utterance's best hypotheses.
#[repr(C)]
struct NBest {
    _private: [u8; 0],
}

/// sphinxbase's `cmd_ln_t`, opaque.
#[repr(C)]
struct CmdLn {
    _private: [u8; 0],
}

/// sphinxbase's `arg_t`, opaque: only `ps_args()`'s table is passed back to the library.
#[repr(C)]
struct Arg {
    _private: [u8; 0],
}

extern "C" {
    // pocketsphinx.h
    fn ps_args() -> *const Arg;
    fn ps_init(config: *mut CmdLn) -> *mut PsDecoder;
    fn ps_free(ps: *mut PsDecoder) -> c_int;
    fn ps_add_word(
        ps: *mut PsDecoder,
        word: *const c_char,
        phones: *const c_char,
        update: c_int,
    ) -> c_int;
    fn ps_lookup_word(ps: *mut PsDecoder, word: *const c_char) -> *mut c_char;
    fn ps_start_utt(ps: *mut PsDecoder) -> c_int;
    fn ps_process_raw(
        ps: *mut PsDecoder,
        data: *const i16,
        n_samples: usize,
        no_search: c_int,
        full_utt: c_int,
    ) -> c_int;
    fn ps_end_utt(ps: *mut PsDecoder) -> c_int;
    fn ps_get_hyp(ps: *mut PsDecoder, out_best_score: *mut i32) -> *const c_char;
    fn ps_get_n_frames(ps: *mut PsDecoder) -> c_int;
    fn ps_nbest(ps: *mut PsDecoder) -> *mut NBest;
    fn ps_nbest_next(nbest: *mut NBest) -> *mut NBest;
    fn ps_nbest_hyp(nbest: *mut NBest, out_score: *mut i32) -> *const c_char;
    fn ps_nbest_free(nbest: *mut NBest);

    // ps_search.h
    fn ps_set_jsgf_string(ps: *mut PsDecoder, name: *const c_char, jsgf: *const c_char) -> c_int;
    fn ps_set_lm_file(ps: *mut PsDecoder, name: *const c_char, path: *const c_char) -> c_int;
    fn ps_set_search(ps: *mut PsDecoder, name: *const c_char) -> c_int;
    fn ps_unset_search(ps: *mut PsDecoder, name: *const c_char) -> c_int;

    // sphinxbase: cmd_ln.h, err.h, ckd_alloc.h
    fn cmd_ln_parse_r(
        inout: *mut CmdLn,
        defn: *const Arg,
        argc: i32,
        argv: *mut *mut c_char,
        strict: i32,
    ) -> *mut CmdLn;
    fn cmd_ln_free_r(cmdln: *mut CmdLn) -> c_int;
    fn err_set_logfp(stream: *mut c_void);
    fn ckd_free(ptr: *mut c_void);
}

/// Serializes decoder creation: `ps_init` reads and may set sphinxbase's global log target.
static INIT: Mutex<()> = Mutex::new(());

/// Turns sphinxbase's logging off for the whole process, once. Its default target is stderr,
/// where every decoder would print some hundred lines; hark reports failures through its own
/// errors instead. `err_set_logfp(NULL)` is the documented off switch (err.h), and unlike
/// `-logfn /dev/null` it also covers the messages printed while the configuration is parsed.
fn silence_logging() {
    static ONCE: Once = Once::new();
    // SAFETY: a NULL stream is the documented way to disable logging.
    ONCE.call_once(|| unsafe { err_set_logfp(std::ptr::null_mut()) });
}

/// One PocketSphinx decoder. Not `Sync`: see the module documentation.
#[derive(Debug)]
pub(crate) struct Decoder {
    ps: NonNull<PsDecoder>,
}

// SAFETY: the decoder has no thread affinity (no thread-locals, no thread-bound handles); only
// overlapping calls are unsafe, and every call below takes `&mut self`.
unsafe impl Send for Decoder {}

/// The best hypothesis of an utterance, as the decoder gives it.
#[derive(Debug)]
pub(crate) struct Hypothesis {
    pub(crate) text: String,
    /// The path score, in the decoder's internal log units.
    pub(crate) score: i32,
    /// 10 ms frames searched.
    pub(crate) frames: u32,
}

impl Decoder {
    /// Creates a decoder from command-line style arguments (`["-hmm", dir, "-dict", file]`).
    /// `None` when the library refuses them (a missing model or dictionary, an unknown option).
    pub(crate) fn new(args: &[(&str, &str)]) -> Option<Decoder> {
        silence_logging();
        let owned: Vec<CString> = args
            .iter()
            .flat_map(|(k, v)| [*k, *v])
            .map(|s| CString::new(s).ok())
            .collect::<Option<_>>()?;
        let mut argv: Vec<*mut c_char> = owned.iter().map(|s| s.as_ptr().cast_mut()).collect();
        let _guard = INIT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // SAFETY: `argv` holds `argc` valid NUL-terminated strings that outlive the call;
        // cmd_ln_parse_r copies what it keeps and never writes through them.
        let config = unsafe {
            cmd_ln_parse_r(
                std::ptr::null_mut(),
                ps_args(),
                argv.len() as i32,
                argv.as_mut_ptr(),
                1,
            )
        };
        if config.is_null() {
            return None;
        }
        // SAFETY: `config` is a valid configuration; ps_init takes its own reference, so ours is
        // released right after, whatever ps_init returned.
        let ps = unsafe {
            let ps = ps_init(config);
            cmd_ln_free_r(config);
            ps
        };
        NonNull::new(ps).map(|ps| Decoder { ps })
    }

    /// The pronunciation of `word` in the dictionary, or `None` when it has none.
    pub(crate) fn lookup(&mut self, word: &str) -> Option<String> {
        let word = CString::new(word).ok()?;
        // SAFETY: valid decoder and string; the result is NULL or a string we must ckd_free.
        unsafe {
            let phones = ps_lookup_word(self.ps.as_ptr(), word.as_ptr());
            if phones.is_null() {
                return None;
            }
            let text = CStr::from_ptr(phones).to_string_lossy().into_owned();
            ckd_free(phones.cast());
            Some(text)
        }
    }

    /// Adds `word` with `phones` (space-separated phones of the acoustic model) to the
    /// dictionary. `update` rebuilds the searches, which is needed once after a batch.
    pub(crate) fn add_word(&mut self, word: &str, phones: &str, update: bool) -> bool {
        let (Ok(word), Ok(phones)) = (CString::new(word), CString::new(phones)) else {
            return false;
        };
        // SAFETY: valid decoder and strings; the library copies them.
        unsafe {
            ps_add_word(
                self.ps.as_ptr(),
                word.as_ptr(),
                phones.as_ptr(),
                c_int::from(update),
            ) >= 0
        }
    }

    /// Compiles `jsgf` into a search called `name` (replacing one of that name). False when the
    /// grammar does not parse, has no public rule, or uses a word missing from the dictionary.
    pub(crate) fn set_jsgf(&mut self, name: &str, jsgf: &str) -> bool {
        let (Ok(name), Ok(jsgf)) = (CString::new(name), CString::new(jsgf)) else {
            return false;
        };
        // SAFETY: valid decoder and strings; the library parses a copy.
        unsafe { ps_set_jsgf_string(self.ps.as_ptr(), name.as_ptr(), jsgf.as_ptr()) >= 0 }
    }

    /// Loads the ARPA (or binary) n-gram model at `path` into a search called `name`
    /// (replacing one of that name). False when the file cannot be read as a model.
    pub(crate) fn set_lm_file(&mut self, name: &str, path: &str) -> bool {
        let (Ok(name), Ok(path)) = (CString::new(name), CString::new(path)) else {
            return false;
        };
        // SAFETY: valid decoder and strings; the library reads the file during the call and
        // keeps the model it built, not the path.
        unsafe { ps_set_lm_file(self.ps.as_ptr(), name.as_ptr(), path.as_ptr()) >= 0 }
    }

    /// Makes the search `name` the active one.
    pub(crate) fn set_search(&mut self, name: &str) -> bool {
        let Ok(name) = CString::new(name) else {
            return false;
        };
        // SAFETY: valid decoder and string; no utterance is open between our calls.
        unsafe { ps_set_search(self.ps.as_ptr(), name.as_ptr()) >= 0 }
    }

    /// Frees the search `name` (clearing the active search if it was that one).
    pub(crate) fn unset_search(&mut self, name: &str) {
        if let Ok(name) = CString::new(name) {
            // SAFETY: valid decoder and string; an unknown name is reported, not a fault.
            unsafe { ps_unset_search(self.ps.as_ptr(), name.as_ptr()) };
        }
    }

    /// Decodes one whole utterance of 16 kHz mono samples with the active search. `Err` carries
    /// the step that failed; `Ok(None)` means the search ended without a complete sentence.
    pub(crate) fn decode(&mut self, samples: &[i16]) -> Result<Option<Hypothesis>, &'static str> {
        self.start()?;
        self.process(samples, true)?;
        self.end()
    }

    /// Starts an utterance. Every started utterance must be [ended](Decoder::end) before the
    /// decoder does anything else; `Utterance` in the parent module sees to it.
    pub(crate) fn start(&mut self) -> Result<(), &'static str> {
        // SAFETY: valid decoder, used by one thread at a time (`&mut self`).
        match unsafe { ps_start_utt(self.ps.as_ptr()) } {
            status if status < 0 => Err("ps_start_utt"),
            _ => Ok(()),
        }
    }

    /// Feeds samples to the utterance in progress; `whole` says they are all of it (the
    /// library then searches them in one pass). On failure the utterance is ended.
    pub(crate) fn process(&mut self, samples: &[i16], whole: bool) -> Result<(), &'static str> {
        let ps = self.ps.as_ptr();
        // SAFETY: valid decoder with an utterance started; `samples` is a live slice of `len`
        // values that the library only reads during the call.
        unsafe {
            if ps_process_raw(ps, samples.as_ptr(), samples.len(), 0, c_int::from(whole)) < 0 {
                ps_end_utt(ps);
                return Err("ps_process_raw");
            }
        }
        Ok(())
    }

    /// Ends the utterance in progress and returns its best hypothesis: `Ok(None)` when the
    /// search ended without a complete sentence.
    pub(crate) fn end(&mut self) -> Result<Option<Hypothesis>, &'static str> {
        let ps = self.ps.as_ptr();
        // SAFETY: valid decoder with an utterance started; the hypothesis string belongs to the
        // decoder and is copied before any other call.
        unsafe {
            if ps_end_utt(ps) < 0 {
                return Err("ps_end_utt");
            }
            let mut score = 0i32;
            let hyp = ps_get_hyp(ps, &mut score);
            if hyp.is_null() {
                return Ok(None);
            }
            let text = CStr::from_ptr(hyp).to_string_lossy().trim().to_owned();
            if text.is_empty() {
                return Ok(None);
            }
            // The lattice posterior (ps_get_prob) is not used: with a grammar search it came out
            // as 1.0 for every test utterance, so it tells nothing.
            let frames = u32::try_from(ps_get_n_frames(ps)).unwrap_or(0);
            Ok(Some(Hypothesis {
                text,
                score,
                frames,
            }))
        }
    }
}

impl Decoder {
    /// Up to `n` best hypotheses of the last utterance decoded, best first, as text and path
    /// score. Empty when the search has no lattice (a grammar search may have none).
    /// Walks the last utterance's alternatives, best first, handing each sentence and its score
    /// to `visit` until it returns false or `limit` were seen. Alternatives are searched as
    /// they are asked for, so stopping early saves the rest of the search.
    pub(crate) fn n_best(&mut self, limit: usize, mut visit: impl FnMut(&str, i32) -> bool) {
        // SAFETY: valid decoder whose last utterance has ended (`decode` always ends it). The
        // iterator is advanced until NULL (which frees it, per pocketsphinx.h) or freed here;
        // each hypothesis string belongs to the iterator and is read before it moves on.
        unsafe {
            let mut nbest = ps_nbest(self.ps.as_ptr());
            let mut seen = 0;
            while !nbest.is_null() && seen < limit {
                seen += 1;
                let mut score = 0i32;
                let hyp = ps_nbest_hyp(nbest, &mut score);
                if !hyp.is_null() && !visit(&CStr::from_ptr(hyp).to_string_lossy(), score) {
                    break;
                }
                nbest = ps_nbest_next(nbest);
            }
            if !nbest.is_null() {
                ps_nbest_free(nbest);
            }
        }
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // SAFETY: we own the only reference (never retained), so this frees the decoder, its
        // searches and its configuration.
        unsafe { ps_free(self.ps.as_ptr()) };
    }
}
