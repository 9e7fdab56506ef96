//! Names the assistant learns at run time: the music library's artists,
//! albums, titles, genres and playlists become the values of the grammar's
//! `media_name` list, so the templates prefer a name the library has ("play
//! Stand by Me" is a title, not "Stand" by "Me") and the recognizer knows
//! its words.
//!
//! The key decision: the grammar is compiled again whole, off the request
//! path, and swapped in at once; a turn that already took the old matcher
//! finishes with it. Compiling is not incremental, so a rescan that changed
//! nothing rebuilds nothing (the caller compares the names first).

use std::sync::Arc;
use std::time::{Duration, Instant};

use hark_nlu::Matcher;

use crate::{Server, StartError};

/// The grammar's list that holds the library's names.
pub const MEDIA_NAMES_LIST: &str = "media_name";

impl Server {
    /// The voice pipeline in use now, when `voice = true`.
    pub fn voice(&self) -> Option<Arc<hark_voice::Voice>> {
        self.voice
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Compiles the grammar again with `names` as the `media_name` values,
    /// and the recognizer with it when voice is on, then puts both in place.
    /// Returns how long the rebuild took. On an error the old grammar stays.
    pub async fn learn_media_names(&self, names: Vec<String>) -> Result<Duration, StartError> {
        let started = Instant::now();
        let mut grammar = self.grammar.clone();
        grammar.set_dynamic_values(MEDIA_NAMES_LIST, names);
        let voice_config = self.voice_config.clone();
        let (matcher, voice) = tokio::task::spawn_blocking(move || {
            let matcher = Matcher::new(&grammar)?;
            let voice = match voice_config {
                Some(config) => Some(hark_voice::Voice::new(&grammar, config)?),
                None => None,
            };
            Ok::<_, StartError>((matcher, voice))
        })
        .await
        .map_err(|error| StartError::Io {
            what: "compiling the grammar".into(),
            error: std::io::Error::other(error),
        })??;
        self.assistant.replace_matcher(matcher);
        if let Some(voice) = voice {
            *self
                .voice
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::new(voice));
        }
        Ok(started.elapsed())
    }
}
