//! A store of its own, a household in it, and a folder for audio files, per test.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hark_core::HouseholdId;
use hark_music::generate::{extension, tagged_copy, template, FORMATS};
use hark_music::{Format, Library, ScanReport, Tags};
use hark_store::Store;
pub use hark_testkit::Kind;
use hark_testkit::TestDatabase;

pub struct Fixture {
    pub store: Store,
    pub household: HouseholdId,
    pub library: Library,
    /// The music folder.
    pub dir: PathBuf,
    templates: HashMap<Format, PathBuf>,
    scratch: PathBuf,
    _database: TestDatabase,
}

/// Runs each test body once per engine: `mod name { fn sqlite(); fn postgres(); }`.
macro_rules! both {
    ($(async fn $name:ident($fx:ident: &Fixture) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                use $crate::support::{Fixture, Kind};

                async fn body($fx: &Fixture) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let fixture = Fixture::new(Kind::Sqlite).await;
                    body(&fixture).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let fixture = Fixture::new(Kind::Postgres).await;
                    body(&fixture).await;
                }
            }
        )*
    };
}

impl Fixture {
    pub async fn new(kind: Kind) -> Fixture {
        let database = TestDatabase::new(kind, "hark-music").await;
        let store = Store::open(&database.url())
            .await
            .expect("opening the store");
        let household = store
            .create_household("Home", "UTC", None, jiff::Timestamp::now())
            .await
            .expect("a household")
            .id;
        let scratch = std::env::temp_dir().join(format!(
            "hark-music-files-{}",
            hark_testkit::random_suffix()
        ));
        let templates = FORMATS
            .iter()
            .map(|&format| {
                let path = template(format, &scratch.join("templates"), 0.3)
                    .unwrap_or_else(|e| panic!("making a {format:?} template: {e}"));
                (format, path)
            })
            .collect();
        Fixture {
            library: Library::new(store.clone()),
            store,
            household,
            dir: scratch.join("music"),
            templates,
            scratch,
            _database: database,
        }
    }

    /// Writes `relative` (its extension says the format) under the music folder, tagged.
    pub fn add(&self, relative: &str, tags: Tags) -> PathBuf {
        let path = self.dir.join(relative);
        let ext = Path::new(relative).extension().unwrap().to_str().unwrap();
        let format = *FORMATS
            .iter()
            .find(|f| extension(**f) == ext)
            .unwrap_or_else(|| panic!("no template for .{ext}"));
        tagged_copy(&self.templates[&format], &path, &tags).expect("a tagged copy");
        path
    }

    /// Writes a file with these bytes under the music folder.
    pub fn add_bytes(&self, relative: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub async fn scan(&self) -> ScanReport {
        hark_music::scan(&self.store, &self.household, &self.dir, |_| {})
            .await
            .expect("the scan")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

pub fn tags(title: &str, artist: &str, album: &str, track: u32) -> Tags {
    Tags {
        title: Some(title.into()),
        artist: Some(artist.into()),
        album: Some(album.into()),
        track_no: Some(track),
        ..Tags::default()
    }
}

/// Pseudo-random bytes (no encoder's output): what a corrupt file holds.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u8
        })
        .collect()
}
