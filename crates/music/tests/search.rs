//! Search: exact and near names, narrowing by kind and artist, genres, play order, names.

use hark_core::media::MediaKind;
use hark_music::Tags;

use crate::support::{tags, Fixture};

/// A small library: two Beatles albums (files written out of track order), Miles Davis,
/// Michael Jackson's Thriller (an album and a track of the same name), Simon & Garfunkel.
fn library(fx: &Fixture) {
    fx.add(
        "beatles/ar/2.flac",
        tags("Something", "The Beatles", "Abbey Road", 2),
    );
    fx.add(
        "beatles/ar/1.mp3",
        tags("Come Together", "The Beatles", "Abbey Road", 1),
    );
    fx.add(
        "beatles/ar/17.ogg",
        tags("Her Majesty", "The Beatles", "Abbey Road", 17),
    );
    fx.add(
        "beatles/lib/1.wav",
        tags("Let It Be", "The Beatles", "Let It Be", 6),
    );
    fx.add(
        "miles/1.flac",
        Tags {
            genre: Some("Jazz".into()),
            ..tags("So What", "Miles Davis", "Kind of Blue", 1)
        },
    );
    fx.add(
        "miles/2.flac",
        Tags {
            genre: Some("jazz".into()),
            ..tags("Freddie Freeloader", "Miles Davis", "Kind of Blue", 2)
        },
    );
    fx.add(
        "mj/4.mp3",
        Tags {
            genre: Some("Pop".into()),
            ..tags("Thriller", "Michael Jackson", "Thriller", 4)
        },
    );
    fx.add(
        "mj/1.mp3",
        Tags {
            genre: Some("Pop".into()),
            ..tags(
                "Wanna Be Startin' Somethin'",
                "Michael Jackson",
                "Thriller",
                1,
            )
        },
    );
    fx.add(
        "sg/1.opus",
        tags(
            "The Boxer",
            "Simon & Garfunkel",
            "Bridge over Troubled Water",
            3,
        ),
    );
}

both! {
    async fn exact_names_score_one(fx: &Fixture) {
        library(fx);
        fx.scan().await;
        let found = fx.library.search(&fx.household, "Kind of Blue", None, None).await.unwrap();
        assert_eq!(found[0].kind, MediaKind::Album);
        assert_eq!(found[0].name, "Kind of Blue");
        assert_eq!(found[0].artist.as_deref(), Some("Miles Davis"));
        assert_eq!(found[0].tracks, 2);
        assert_eq!(found[0].score, 1.0);
        let artist = fx.library.search(&fx.household, "miles davis", None, None).await.unwrap();
        assert_eq!((artist[0].kind, artist[0].id.as_str()), (MediaKind::Artist, "Miles Davis"));
        // "the", case, punctuation and "&" do not matter.
        let beatles = fx.library.search(&fx.household, "beatles", None, None).await.unwrap();
        assert_eq!((beatles[0].kind, beatles[0].name.as_str(), beatles[0].score), (MediaKind::Artist, "The Beatles", 1.0));
        let sg = fx.library.search(&fx.household, "simon and garfunkel", None, None).await.unwrap();
        assert_eq!((sg[0].kind, sg[0].name.as_str()), (MediaKind::Artist, "Simon & Garfunkel"));
        assert!(found.iter().all(|m| (0.0..=1.0).contains(&m.score)));
    }

    async fn near_misses_find_the_album(fx: &Fixture) {
        library(fx);
        fx.scan().await;
        for said in ["abbey rode", "abby road", "kind of blu", "come togeter"] {
            let found = fx.library.search(&fx.household, said, None, None).await.unwrap();
            assert!(!found.is_empty(), "{said}: nothing found");
            let best = &found[0];
            assert!(best.score < 1.0 && best.score >= 0.5, "{said}: {best:?}");
            let expected = match said {
                "abbey rode" | "abby road" => "Abbey Road",
                "kind of blu" => "Kind of Blue",
                _ => "Come Together",
            };
            assert_eq!(best.name, expected, "{said}: {found:?}");
        }
        // Something unrelated finds nothing.
        assert!(fx.library.search(&fx.household, "xylophone quartet", None, None).await.unwrap().is_empty());
        assert!(fx.library.search(&fx.household, "  ", None, None).await.unwrap().is_empty());
    }

    async fn kind_narrows(fx: &Fixture) {
        library(fx);
        fx.scan().await;
        // Album and track of one name: the album first, unless a track is asked for.
        let any = fx.library.search(&fx.household, "thriller", None, None).await.unwrap();
        assert_eq!((any[0].kind, any[1].kind), (MediaKind::Album, MediaKind::Track));
        let track = fx.library.search(&fx.household, "thriller", Some(MediaKind::Track), None).await.unwrap();
        assert!(track.iter().all(|m| m.kind == MediaKind::Track));
        assert_eq!(track[0].name, "Thriller");
        assert!(fx.library.search(&fx.household, "thriller", Some(MediaKind::Playlist), None).await.unwrap().is_empty());
        let all = fx.library.search(&fx.household, "", Some(MediaKind::Library), None).await.unwrap();
        assert_eq!((all[0].kind, all[0].tracks), (MediaKind::Library, 9));
    }

    async fn artist_narrows(fx: &Fixture) {
        library(fx);
        fx.scan().await;
        let by = fx.library.search(&fx.household, "let it be", None, Some("the beatles")).await.unwrap();
        assert_eq!(by[0].name, "Let It Be");
        assert!(by.iter().all(|m| m.artist.as_deref() == Some("The Beatles")), "{by:?}");
        assert!(by.iter().all(|m| matches!(m.kind, MediaKind::Album | MediaKind::Track)));
        // A near miss on the artist too.
        let near = fx.library.search(&fx.household, "abbey road", Some(MediaKind::Album), Some("beetles")).await.unwrap();
        assert_eq!(near[0].name, "Abbey Road");
        assert!(fx.library.search(&fx.household, "let it be", None, Some("miles davis")).await.unwrap().is_empty());
    }

    async fn genres_and_play_order(fx: &Fixture) {
        library(fx);
        fx.scan().await;
        let jazz = fx.library.search(&fx.household, "jazz", None, None).await.unwrap();
        assert_eq!((jazz[0].kind, jazz[0].tracks), (MediaKind::Genre, 2));
        let tracks = fx.library.tracks(&fx.household, MediaKind::Genre, &jazz[0].id).await.unwrap();
        let titles: Vec<_> = tracks.iter().map(|t| t.view.title.as_str()).collect();
        assert_eq!(titles, ["So What", "Freddie Freeloader"]);

        let abbey = &fx.library.search(&fx.household, "abbey road", Some(MediaKind::Album), None).await.unwrap()[0];
        let tracks = fx.library.tracks(&fx.household, MediaKind::Album, &abbey.id).await.unwrap();
        let numbers: Vec<_> = tracks.iter().map(|t| t.track_no.unwrap()).collect();
        assert_eq!(numbers, [1, 2, 17]);

        // An artist: by album, then track.
        let beatles = fx.library.tracks(&fx.household, MediaKind::Artist, "The Beatles").await.unwrap();
        let titles: Vec<_> = beatles.iter().map(|t| t.view.title.as_str()).collect();
        assert_eq!(titles, ["Come Together", "Something", "Her Majesty", "Let It Be"]);
        let same = fx.library.tracks(&fx.household, MediaKind::Artist, "beatles").await.unwrap();
        assert_eq!(same.len(), 4);

        let one = fx.library.track(&fx.household, &beatles[0].view.id).await.unwrap().unwrap();
        assert_eq!(one.view.title, "Come Together");
        assert!(fx.library.track(&fx.household, "trk_nosuchtrack").await.unwrap().is_none());
        assert!(fx.library.tracks(&fx.household, MediaKind::Album, "alb_0").await.unwrap().is_empty());
    }

    async fn names_for_the_grammar(fx: &Fixture) {
        library(fx);
        fx.scan().await;
        fx.library.create_playlist(&fx.household, "Road Trip").await.unwrap();
        let names = fx.library.names(&fx.household).await.unwrap();
        assert_eq!(names.artists, ["Michael Jackson", "Miles Davis", "Simon & Garfunkel", "The Beatles"]);
        assert!(names.albums.contains(&"Kind of Blue".to_string()));
        assert_eq!(names.titles.len(), 9);
        // "Jazz" and "jazz" are one genre.
        assert_eq!(names.genres, ["Jazz", "Pop"]);
        assert_eq!(names.playlists, ["Road Trip"]);
        // "Let It Be" is an album and a title: once in the flat list.
        let all = names.all();
        assert_eq!(all.iter().filter(|n| n.as_str() == "Let It Be").count(), 1);
    }

    async fn the_index_follows_a_rescan(fx: &Fixture) {
        fx.add("a/1.wav", tags("First Song", "Someone", "Early", 1));
        fx.scan().await;
        assert!(fx.library.search(&fx.household, "late album", None, None).await.unwrap().is_empty());
        fx.add("b/1.wav", tags("Second Song", "Someone", "Late Album", 1));
        // Another Library on the same store (another process) scans.
        let other = hark_music::Library::new(fx.store.clone());
        hark_music::scan(other.store(), &fx.household, &fx.dir, |_| {}).await.unwrap();
        let found = fx.library.search(&fx.household, "late album", None, None).await.unwrap();
        assert_eq!(found[0].name, "Late Album");
    }

    async fn households_do_not_see_each_other(fx: &Fixture) {
        library(fx);
        fx.scan().await;
        let other = fx.store.create_household("Other", "UTC", None, jiff::Timestamp::now()).await.unwrap().id;
        assert!(fx.library.search(&other, "abbey road", None, None).await.unwrap().is_empty());
        let mine = fx.library.tracks(&fx.household, MediaKind::Library, "").await.unwrap();
        assert!(fx.library.track(&other, &mine[0].view.id).await.unwrap().is_none());
        assert_eq!(fx.library.names(&other).await.unwrap(), hark_music::Names::default());
    }
}
