//! The music library in a turn: what a media request names, looked up before its skill
//! answers; and the library's names taught to the grammar when the library changes.
//!
//! The intent's slots say what to look for: `search_query` (what was said), `media_class`
//! (artist, album, track, playlist, genre narrow the search; podcast, radio and audiobook are
//! not in a music library, so nothing is found) and `artist` ("Abbey Road by the Beatles").
//!
//! Names: [`Server::learn_library_names`] compares the libraries' versions in the store with
//! those it learned last and, when one moved (a scan, a playlist), compiles the grammar again
//! with every household's names (the grammar is one for the server). [`watch_library`] does
//! that now and then, so a `hark music scan` run beside the server is learned without a
//! restart.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hark_core::media::{MediaKind, MediaMatch};
use hark_core::{HouseholdId, Intent, SlotName};

use crate::{Server, StartError};

/// How often [`watch_library`] looks for a changed library.
pub const WATCH_EVERY: Duration = Duration::from_secs(10);

/// The library versions whose names the grammar has, per household.
#[derive(Debug, Default)]
pub struct Learned(Mutex<Option<BTreeMap<String, i64>>>);

fn slot<'a>(intent: &'a Intent, name: &str) -> Option<&'a str> {
    intent
        .slots
        .get(&SlotName::new(name))
        .and_then(|value| value.as_str())
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// What `media_class` asks for: `Ok(None)` for any kind, `Err(())` for a kind the library
/// does not hold.
fn kind(class: Option<&str>) -> Result<Option<MediaKind>, ()> {
    Ok(match class {
        None => None,
        Some("artist") => Some(MediaKind::Artist),
        Some("album") => Some(MediaKind::Album),
        Some("track") => Some(MediaKind::Track),
        Some("playlist") => Some(MediaKind::Playlist),
        Some("genre") => Some(MediaKind::Genre),
        Some(_) => return Err(()),
    })
}

impl Server {
    /// What the library holds that the intent names, best first.
    pub(crate) async fn media_matches(
        &self,
        household: &HouseholdId,
        intent: &Intent,
    ) -> Result<Vec<MediaMatch>, hark_music::Error> {
        let Ok(kind) = kind(slot(intent, "media_class")) else {
            return Ok(Vec::new());
        };
        let Some(query) = slot(intent, "search_query") else {
            return Ok(Vec::new());
        };
        self.music
            .search(household, query, kind, slot(intent, "artist"))
            .await
    }

    /// Teaches the grammar every household's library names if a library changed since the
    /// last time (or this is the first); returns how long the rebuild took, or `None` when
    /// nothing changed.
    pub async fn learn_library_names(&self) -> Result<Option<Duration>, StartError> {
        let failed = |error: hark_music::Error| StartError::Io {
            what: "reading the music library".into(),
            error: std::io::Error::other(error.to_string()),
        };
        let mut versions = BTreeMap::new();
        for household in self.store.households().await? {
            let version = self.music.version(&household.id).await.map_err(failed)?;
            if version > 0 {
                versions.insert(household.id.to_string(), version);
            }
        }
        {
            let mut learned = self
                .learned_music
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // No library anywhere yet: the grammar as built has no names to add.
            if learned.is_none() && versions.is_empty() {
                *learned = Some(versions);
                return Ok(None);
            }
            if learned.as_ref() == Some(&versions) {
                return Ok(None);
            }
        }
        let mut names = Vec::new();
        for household in versions.keys() {
            let household = HouseholdId::new(household);
            names.extend(self.music.names(&household).await.map_err(failed)?.all());
        }
        names.sort_by_cached_key(|name| name.to_lowercase());
        names.dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());
        let took = self.learn_media_names(names).await?;
        *self
            .learned_music
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(versions);
        Ok(Some(took))
    }
}

/// Learns the library's names at once, then whenever a library changes (checked every
/// [`WATCH_EVERY`]), until the task is dropped.
pub async fn watch_library(server: Arc<Server>) {
    loop {
        match server.learn_library_names().await {
            Ok(Some(took)) => tracing::info!(?took, "learned the music library's names"),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "learning the music library's names"),
        }
        tokio::time::sleep(WATCH_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_classes_map_to_kinds() {
        assert_eq!(kind(None), Ok(None));
        assert_eq!(kind(Some("album")), Ok(Some(MediaKind::Album)));
        assert_eq!(kind(Some("genre")), Ok(Some(MediaKind::Genre)));
        assert_eq!(kind(Some("podcast")), Err(()));
        assert_eq!(kind(Some("radio")), Err(()));
        assert_eq!(kind(Some("audiobook")), Err(()));
    }
}
