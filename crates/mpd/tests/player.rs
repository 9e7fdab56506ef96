//! The client against a real mpd: the library, the queue and the player.

use std::time::Duration;

use hark_mpd::testing::{Options, Tags, TestMpd};
use hark_mpd::{ack, Client, MpdError, State};

const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a database update of a few files may take.
const UPDATE_WITHIN: Duration = Duration::from_secs(30);

const SO_WHAT: &str = "Jazz/Kind of Blue/01 So What.flac";
const FREDDIE: &str = "Jazz/Kind of Blue/02 Freddie Freeloader.ogg";
const BLUE: &str = "Jazz/Kind of Blue/03 Blue in Green.flac";
const QUOTED: &str = r#"Rock/Miles "D" O'Brien \ Live.ogg"#;
const CAFE: &str = "Chanson/Café Été.flac";
const UNTAGGED: &str = "untagged.wav";

const ODD_ARTIST: &str = r#"Miles "D" O'Brien \ Band"#;

/// A running mpd with a small library, its database updated, and a client of it.
async fn library(test: &str) -> Option<(TestMpd, Client)> {
    let mut mpd = TestMpd::new(test, Options::default())?;
    let miles = |title, track| Tags {
        artist: Some("Miles Davis"),
        album: Some("Kind of Blue"),
        title: Some(title),
        genre: Some("Jazz"),
        track: Some(track),
    };
    mpd.add_track(SO_WHAT, 60, &miles("So What", 1));
    mpd.add_track(FREDDIE, 60, &miles("Freddie Freeloader", 2));
    mpd.add_track(BLUE, 60, &miles("Blue in Green", 3));
    mpd.add_track(
        QUOTED,
        60,
        &Tags {
            artist: Some(ODD_ARTIST),
            title: Some("Quote \"Unquote\""),
            ..Tags::default()
        },
    );
    mpd.add_track(
        CAFE,
        60,
        &Tags {
            artist: Some("Édith"),
            title: Some("Café Été"),
            ..Tags::default()
        },
    );
    mpd.add_track(UNTAGGED, 60, &Tags::default());
    mpd.start();
    let mut client = Client::connect(mpd.address(), TIMEOUT).await.unwrap();
    client.update(None).await.unwrap();
    client.wait_for_update(UPDATE_WITHIN).await.unwrap();
    Some((mpd, client))
}

fn files(songs: &[hark_mpd::Song]) -> Vec<&str> {
    songs.iter().map(|s| s.file.as_str()).collect()
}

#[tokio::test]
async fn the_library_is_listed_and_found_by_tag() {
    let Some((_mpd, mut client)) = library("the_library_is_listed_and_found_by_tag").await else {
        return;
    };
    let mut all = client.list_all(None).await.unwrap();
    all.sort();
    let mut expected = vec![SO_WHAT, FREDDIE, BLUE, QUOTED, CAFE, UNTAGGED];
    expected.sort();
    assert_eq!(all, expected);
    let mut jazz = client.list_all(Some("Jazz")).await.unwrap();
    jazz.sort();
    assert_eq!(jazz, [SO_WHAT, FREDDIE, BLUE]);

    let mut album = client.find("Album", "Kind of Blue").await.unwrap();
    album.sort_by(|a, b| a.file.cmp(&b.file));
    assert_eq!(files(&album), [SO_WHAT, FREDDIE, BLUE]);
    assert_eq!(album[1].title.as_deref(), Some("Freddie Freeloader"));
    assert_eq!(album[1].artist.as_deref(), Some("Miles Davis"));
    assert_eq!(album[1].duration, Some(Duration::from_secs(60)));
    assert_eq!(album[1].pos, None, "not in the queue");

    // Quotes, an apostrophe and a backslash survive both levels of escaping.
    let odd = client.find("Artist", ODD_ARTIST).await.unwrap();
    assert_eq!(files(&odd), [QUOTED]);
    assert_eq!(odd[0].title.as_deref(), Some("Quote \"Unquote\""));
    let cafe = client.find("file", CAFE).await.unwrap();
    assert_eq!(cafe[0].artist.as_deref(), Some("Édith"));
    let untagged = client.find("file", UNTAGGED).await.unwrap();
    assert_eq!(untagged[0].title, None);
    assert!(client.find("Artist", "Nobody").await.unwrap().is_empty());
    let error = client.list_all(Some("No Such Folder")).await.unwrap_err();
    assert_eq!(error.ack_code(), Some(ack::NO_EXIST), "{error:?}");
}

#[tokio::test]
async fn play_pause_next_previous_and_seek() {
    let Some((_mpd, mut client)) = library("play_pause_next_previous_and_seek").await else {
        return;
    };
    client.clear().await.unwrap();
    client.add_many(&[SO_WHAT, FREDDIE, BLUE]).await.unwrap();
    let queue = client.queue().await.unwrap();
    assert_eq!(files(&queue), [SO_WHAT, FREDDIE, BLUE]);
    assert_eq!(
        queue.iter().map(|s| s.pos).collect::<Vec<_>>(),
        [Some(0), Some(1), Some(2)]
    );
    assert!(queue.iter().all(|s| s.id.is_some()));
    let status = client.status().await.unwrap();
    assert_eq!((status.state, status.playlist_length), (State::Stop, 3));
    assert_eq!(client.current_song().await.unwrap(), None);

    client.play(None).await.unwrap();
    let status = client.status().await.unwrap();
    assert_eq!(status.state, State::Play);
    assert_eq!(status.song, Some(0));
    assert_eq!(status.song_id, queue[0].id);
    assert_eq!(status.next_song, Some(1));
    assert_eq!(status.duration, Some(Duration::from_secs(60)));
    let current = client.current_song().await.unwrap().unwrap();
    assert_eq!(current.title.as_deref(), Some("So What"));
    assert_eq!(current.pos, Some(0));

    client.pause(true).await.unwrap();
    assert_eq!(client.status().await.unwrap().state, State::Pause);
    client.pause(false).await.unwrap();
    assert_eq!(client.status().await.unwrap().state, State::Play);

    client.next().await.unwrap();
    let current = client.current_song().await.unwrap().unwrap();
    assert_eq!((current.pos, current.file.as_str()), (Some(1), FREDDIE));
    client.previous().await.unwrap();
    let current = client.current_song().await.unwrap().unwrap();
    assert_eq!(current.title.as_deref(), Some("So What"));
    client.play(Some(2)).await.unwrap();
    assert_eq!(client.status().await.unwrap().song, Some(2));

    // Forward into the song, then back to its start ("play it again").
    client.seek_current(Duration::from_secs(40)).await.unwrap();
    let elapsed = client.status().await.unwrap().elapsed.unwrap();
    assert!(elapsed >= Duration::from_secs(40), "{elapsed:?}");
    client.seek_current(Duration::ZERO).await.unwrap();
    let status = client.status().await.unwrap();
    assert!(
        status.elapsed.unwrap() < Duration::from_secs(40),
        "{status:?}"
    );
    assert_eq!(status.song, Some(2));

    client.stop().await.unwrap();
    assert_eq!(client.status().await.unwrap().state, State::Stop);
}

#[tokio::test]
async fn volume_random_and_repeat_show_in_the_status() {
    let Some((_mpd, mut client)) = library("volume_random_and_repeat_show_in_the_status").await
    else {
        return;
    };
    client.add(SO_WHAT).await.unwrap();
    client.play(None).await.unwrap();
    for volume in [37, 0, 100] {
        client.set_volume(volume).await.unwrap();
        assert_eq!(client.status().await.unwrap().volume, Some(volume));
    }
    assert!(matches!(
        client.set_volume(101).await,
        Err(MpdError::InvalidArgument(_))
    ));
    assert_eq!(client.status().await.unwrap().volume, Some(100));

    assert!(!client.status().await.unwrap().random);
    client.random(true).await.unwrap();
    assert!(client.status().await.unwrap().random);
    client.random(false).await.unwrap();
    assert!(!client.status().await.unwrap().random);
    client.repeat(true).await.unwrap();
    assert!(client.status().await.unwrap().repeat);
}

#[tokio::test]
async fn clear_empties_the_queue_and_stops() {
    let Some((_mpd, mut client)) = library("clear_empties_the_queue_and_stops").await else {
        return;
    };
    client.add("Jazz").await.unwrap();
    assert_eq!(
        client.queue().await.unwrap().len(),
        3,
        "a folder adds its songs"
    );
    client.play(Some(1)).await.unwrap();
    client.clear().await.unwrap();
    let status = client.status().await.unwrap();
    assert_eq!((status.state, status.playlist_length), (State::Stop, 0));
    assert_eq!(status.song, None);
    assert!(client.queue().await.unwrap().is_empty());
    assert_eq!(client.current_song().await.unwrap(), None);
}

#[tokio::test]
async fn an_unknown_uri_is_a_typed_error_and_the_connection_goes_on() {
    let Some((_mpd, mut client)) =
        library("an_unknown_uri_is_a_typed_error_and_the_connection_goes_on").await
    else {
        return;
    };
    let error = client.add("Jazz/No Such Song.flac").await.unwrap_err();
    assert!(
        matches!(&error, MpdError::Ack { code: ack::NO_EXIST, index: 0, command, .. } if command == "add"),
        "{error:?}"
    );
    assert!(client.is_connected());
    client.ping().await.unwrap();

    // In a list, the songs before the bad one are added, the ones after are not.
    let error = client
        .add_many(&[SO_WHAT, "nope.flac", FREDDIE])
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            MpdError::Ack {
                code: ack::NO_EXIST,
                index: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(files(&client.queue().await.unwrap()), [SO_WHAT]);

    // Nothing to play after the end, and a position past the queue.
    let error = client.play(Some(5)).await.unwrap_err();
    assert_eq!(error.ack_code(), Some(ack::ARG), "{error:?}");
    let error = client.command("no_such_command", &[]).await.unwrap_err();
    assert_eq!(error.ack_code(), Some(ack::UNKNOWN), "{error:?}");
    assert_eq!(client.queue().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_update_finds_files_added_since() {
    let Some((mpd, mut client)) = library("an_update_finds_files_added_since").await else {
        return;
    };
    // Nothing runs: returns at once.
    client.wait_for_update(UPDATE_WITHIN).await.unwrap();
    let new = mpd.add_track(
        "New/Track.flac",
        10,
        &Tags {
            title: Some("Brand New"),
            ..Tags::default()
        },
    );
    assert!(!client.list_all(None).await.unwrap().contains(&new));
    let first = client.update(Some("New")).await.unwrap();
    client.wait_for_update(UPDATE_WITHIN).await.unwrap();
    assert_eq!(
        client.list_all(Some("New")).await.unwrap(),
        vec![new.clone()]
    );
    let found = client.find("Title", "Brand New").await.unwrap();
    assert_eq!(files(&found), [new.as_str()]);
    assert_eq!(found[0].duration, Some(Duration::from_secs(10)));
    let second = client.update(None).await.unwrap();
    assert!(second > first, "job ids grow: {first} then {second}");
    client.wait_for_update(UPDATE_WITHIN).await.unwrap();
    assert_eq!(client.status().await.unwrap().updating_db, None);
}
