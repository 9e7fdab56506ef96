//! Playlists: created, filled in order, found by search, scoped to their household.

use hark_core::media::MediaKind;
use hark_music::Error;
use hark_store::StoreError;

use crate::support::tags;

both! {
    async fn create_add_and_play_in_order(fx: &Fixture) {
        fx.add("a/1.flac", tags("One", "A", "X", 1));
        fx.add("a/2.flac", tags("Two", "A", "X", 2));
        fx.add("a/3.flac", tags("Three", "A", "X", 3));
        fx.scan().await;
        let all = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap();
        let id = |title: &str| all.iter().find(|t| t.view.title == title).unwrap().view.id.clone();

        let created = fx.library.create_playlist(&fx.household, "Road Trip").await.unwrap();
        assert!(created.id.starts_with("pls_"));
        assert!(created.tracks.is_empty());
        for title in ["Three", "One", "Three"] {
            fx.library.add_to_playlist(&fx.household, "road trip", &id(title)).await.unwrap();
        }
        let lists = fx.library.playlists(&fx.household).await.unwrap();
        assert_eq!(lists.len(), 1);
        assert_eq!(lists[0].name, "Road Trip");
        assert_eq!(lists[0].tracks, [id("Three"), id("One"), id("Three")]);

        let found = fx.library.search(&fx.household, "road trip", None, None).await.unwrap();
        assert_eq!((found[0].kind, found[0].tracks), (MediaKind::Playlist, 3));
        let tracks = fx.library.tracks(&fx.household, MediaKind::Playlist, &found[0].id).await.unwrap();
        let titles: Vec<_> = tracks.iter().map(|t| t.view.title.as_str()).collect();
        assert_eq!(titles, ["Three", "One", "Three"]);
    }

    async fn names_are_unique_and_adding_creates(fx: &Fixture) {
        fx.add("a/1.flac", tags("One", "A", "X", 1));
        fx.scan().await;
        let track = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap()[0].view.id.clone();
        fx.library.create_playlist(&fx.household, "Chill").await.unwrap();
        let again = fx.library.create_playlist(&fx.household, "CHILL").await.unwrap_err();
        assert!(matches!(again, Error::Store(StoreError::Conflict(_))), "{again:?}");
        let empty = fx.library.create_playlist(&fx.household, "  ").await.unwrap_err();
        assert!(matches!(empty, Error::Store(StoreError::Invalid(_))), "{empty:?}");

        let made = fx.library.add_to_playlist(&fx.household, "Workout", &track).await.unwrap();
        assert_eq!((made.name.as_str(), made.tracks.len()), ("Workout", 1));
        let names: Vec<_> = fx.library.playlists(&fx.household).await.unwrap().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["Chill", "Workout"]);
    }

    async fn unknown_and_foreign_tracks_are_refused(fx: &Fixture) {
        fx.add("a/1.flac", tags("One", "A", "X", 1));
        fx.scan().await;
        let track = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap()[0].view.id.clone();
        let unknown = fx.library.add_to_playlist(&fx.household, "Mix", "trk_nosuchtrack").await.unwrap_err();
        assert!(matches!(unknown, Error::Store(StoreError::NotFound)), "{unknown:?}");
        // Nothing half-done: the playlist was not created either.
        assert!(fx.library.playlists(&fx.household).await.unwrap().is_empty());

        let other = fx.store.create_household("Other", "UTC", None, jiff::Timestamp::now()).await.unwrap().id;
        let foreign = fx.library.add_to_playlist(&other, "Mix", &track).await.unwrap_err();
        assert!(matches!(foreign, Error::Store(StoreError::NotFound)), "{foreign:?}");
        assert!(fx.library.playlists(&other).await.unwrap().is_empty());
    }

    async fn a_removed_file_leaves_its_playlists(fx: &Fixture) {
        let gone = fx.add("a/1.flac", tags("One", "A", "X", 1));
        fx.add("a/2.flac", tags("Two", "A", "X", 2));
        fx.scan().await;
        let all = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap();
        for track in &all {
            fx.library.add_to_playlist(&fx.household, "Both", &track.view.id).await.unwrap();
        }
        std::fs::remove_file(gone).unwrap();
        assert_eq!(fx.scan().await.removed, 1);
        let list = &fx.library.playlists(&fx.household).await.unwrap()[0];
        assert_eq!(list.tracks.len(), 1);
        let tracks = fx.library.tracks(&fx.household, MediaKind::Playlist, &list.id).await.unwrap();
        assert_eq!(tracks[0].view.title, "Two");
    }
}
