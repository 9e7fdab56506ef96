//! The media and volume skills through `/v1/converse`, with a library scanned into the store:
//! the queue kept per device, the events it gets, state that survives a restart, and a room
//! whose player is a real MPD.

use std::sync::mpsc::Receiver;
use std::time::Duration;

use hark_core::SystemClock;
use hark_music::generate::{tagged_copy, template};
use hark_music::{Format, Tags};
use hark_server::{Config, Server};
use serde_json::{json, Value};

use crate::timers::{start_with, Running};

fn tags(title: &str, artist: &str, album: &str, genre: &str, n: u32) -> Tags {
    Tags {
        title: Some(title.into()),
        artist: Some(artist.into()),
        album: Some(album.into()),
        genre: Some(genre.into()),
        track_no: Some(n),
        ..Tags::default()
    }
}

const LIBRARY: &[(&str, &str, &str, &str, &str, u32)] = &[
    (
        "m/1.flac",
        "So What",
        "Miles Davis",
        "Kind of Blue",
        "Jazz",
        1,
    ),
    (
        "m/2.flac",
        "Freddie Freeloader",
        "Miles Davis",
        "Kind of Blue",
        "Jazz",
        2,
    ),
    (
        "m/3.flac",
        "Blue in Green",
        "Miles Davis",
        "Kind of Blue",
        "Jazz",
        3,
    ),
    (
        "b/1.flac",
        "Come Together",
        "The Beatles",
        "Abbey Road",
        "Rock",
        1,
    ),
    (
        "b/2.flac",
        "Something",
        "The Beatles",
        "Abbey Road",
        "Rock",
        2,
    ),
];

/// Writes the library's files under `music` and scans them into the first household.
pub(crate) fn scan_into(r: &Running, music: &std::path::Path, seconds: f32) {
    let flac = template(Format::Flac, &music.join("../templates"), seconds).unwrap();
    for (path, title, artist, album, genre, n) in LIBRARY {
        tagged_copy(
            &flac,
            &music.join(path),
            &tags(title, artist, album, genre, *n),
        )
        .unwrap();
    }
    let store = &r.server().store;
    let household = r.block_on(store.households()).unwrap()[0].id.clone();
    let report = r
        .block_on(hark_music::scan(store, &household, music, |_| {}))
        .unwrap();
    assert_eq!(report.added as usize, LIBRARY.len(), "{report:?}");
}

fn say(r: &Running, text: &str) -> String {
    let (status, answer) = r.call(
        "POST",
        "/v1/converse",
        Some(json!({"text": text, "device": "default"})),
    );
    assert_eq!(status, 200, "{answer}");
    answer["speech"].as_str().unwrap_or_default().to_string()
}

/// The next event of `kind` on the stream.
fn next_event(events: &Receiver<Value>, kind: &str) -> Value {
    loop {
        let event = events
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no {kind} event"));
        if event["type"] == kind {
            return event;
        }
    }
}

pub(crate) fn folder(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hark-server-media-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn play_control_and_ask_through_the_conversation() {
    let dir = folder("play");
    let data = dir.join("data");
    let r = start_with("media-play", |c| c.data_dir = data.clone());
    // Nothing queued yet.
    assert_eq!(say(&r, "next"), "Nothing is playing.");
    assert_eq!(say(&r, "what's playing"), "Nothing is playing.");
    assert_eq!(
        say(&r, "shuffle my music"),
        "Your music library is empty. Scan a folder of music first."
    );
    scan_into(&r, &dir.join("music"), 0.3);
    let events = r.listen("default");

    assert_eq!(
        say(&r, "play kind of blue"),
        "Playing Kind of Blue by Miles Davis."
    );
    let event = next_event(&events, "media");
    assert_eq!(event["state"], "playing");
    assert_eq!(
        (event["index"].as_u64(), event["queue_len"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(event["track"]["title"], "So What");
    let id = event["track"]["id"].as_str().unwrap().to_string();
    assert_eq!(event["track"]["url"], format!("/v1/media/{id}"));
    assert_eq!(
        say(&r, "what's playing"),
        "That's So What by Miles Davis, from Kind of Blue."
    );

    assert_eq!(say(&r, "next"), "Next track.");
    assert_eq!(
        next_event(&events, "media")["track"]["title"],
        "Freddie Freeloader"
    );
    assert_eq!(say(&r, "previous"), "Previous track.");
    assert_eq!(next_event(&events, "media")["index"], 0);
    assert_eq!(say(&r, "pause"), "Paused.");
    assert_eq!(next_event(&events, "media")["state"], "paused");
    assert_eq!(say(&r, "pause"), "It's already paused.");
    assert_eq!(say(&r, "resume"), "Resuming So What.");
    assert_eq!(next_event(&events, "media")["state"], "playing");
    assert_eq!(say(&r, "play it again"), "Playing So What again.");
    assert_eq!(next_event(&events, "media")["index"], 0);
    for _ in 0..2 {
        say(&r, "next");
        next_event(&events, "media");
    }
    assert_eq!(say(&r, "next"), "That was the last track in the queue.");

    // Artist, genre, a near miss, a name that is not there.
    assert_eq!(
        say(&r, "play something by the beatles"),
        "Playing The Beatles."
    );
    assert_eq!(next_event(&events, "media")["queue_len"], 2);
    assert_eq!(say(&r, "play some jazz"), "Playing some Jazz.");
    assert_eq!(next_event(&events, "media")["queue_len"], 3);
    assert_eq!(
        say(&r, "play abbey rode"),
        "Playing Abbey Road by The Beatles."
    );
    assert_eq!(
        next_event(&events, "media")["track"]["title"],
        "Come Together"
    );
    assert_eq!(
        say(&r, "play xyzzy plugh"),
        "I couldn't find xyzzy plugh in your music."
    );

    // Playlists by voice, then played.
    assert_eq!(
        say(&r, "create a playlist called road trip"),
        "I created your road trip playlist."
    );
    assert_eq!(
        say(&r, "add this song to my road trip playlist"),
        "I added Come Together to your road trip playlist."
    );
    assert_eq!(
        say(&r, "play my road trip playlist"),
        "Playing your road trip playlist."
    );
    let event = next_event(&events, "media");
    assert_eq!(
        (
            event["queue_len"].as_u64(),
            event["track"]["title"].as_str()
        ),
        (Some(1), Some("Come Together"))
    );

    // Shuffle: the whole library, in some order.
    assert_eq!(say(&r, "shuffle my music"), "Shuffling your music.");
    let event = next_event(&events, "media");
    assert_eq!(
        (event["queue_len"].as_u64(), event["shuffle"].as_bool()),
        (Some(5), Some(true))
    );

    // The queue over the API.
    let (status, player) = r.call("GET", "/v1/devices/default/player", None);
    assert_eq!(status, 200, "{player}");
    assert_eq!(player["queue"].as_array().map(Vec::len), Some(5));
    assert_eq!(player["state"], "playing");
    let (status, _) = r.call("GET", "/v1/devices/nope/player", None);
    assert_eq!(status, 404);
}

#[test]
fn volume_is_kept_per_device_told_to_it_and_survives_a_restart() {
    let dir = folder("volume");
    let data = dir.join("data");
    let r = start_with("media-volume", |c| c.data_dir = data.clone());
    let events = r.listen("default");
    assert_eq!(say(&r, "what's the volume"), "Volume 50.");
    assert_eq!(say(&r, "set the volume to 7"), "Volume 70.");
    assert_eq!(
        next_event(&events, "volume"),
        json!({"type": "volume", "level": 70, "muted": false})
    );
    assert_eq!(say(&r, "turn it up"), "Volume 80.");
    assert_eq!(next_event(&events, "volume")["level"], 80);
    assert_eq!(say(&r, "turn it down"), "Volume 70.");
    assert_eq!(next_event(&events, "volume")["level"], 70);
    assert_eq!(say(&r, "max volume"), "Volume 100.");
    next_event(&events, "volume");
    assert_eq!(say(&r, "louder"), "The volume is already at its maximum.");
    assert_eq!(say(&r, "mute"), "Muted.");
    assert_eq!(
        next_event(&events, "volume"),
        json!({"type": "volume", "level": 100, "muted": true})
    );
    assert_eq!(say(&r, "what's the volume"), "Muted.");
    assert_eq!(say(&r, "unmute"), "Unmuted. Volume 100.");
    assert_eq!(next_event(&events, "volume")["muted"], false);
    assert_eq!(say(&r, "volume 30"), "Volume 30.");
    next_event(&events, "volume");
    scan_into(&r, &dir.join("music"), 0.3);
    say(&r, "play kind of blue");
    say(&r, "next");

    // Another server on the same data: the queue, position and volume are where they were.
    let config = Config {
        data_dir: data.clone(),
        ..Config::default()
    };
    let (again, _) = r
        .block_on(Server::open(
            &config,
            hark_skills::builtin().unwrap(),
            std::sync::Arc::new(SystemClock),
        ))
        .unwrap();
    let household = r.block_on(again.store.households()).unwrap()[0].clone();
    let device = r
        .block_on(hark_server::find_device(
            &again.store,
            &household.id,
            "default",
        ))
        .unwrap()
        .unwrap();
    let view = r.block_on(again.player_view(&household, &device)).unwrap();
    assert_eq!(
        (view.volume, view.muted, view.index, view.queue_len),
        (30, false, 1, 3)
    );
    assert_eq!(view.current.unwrap().title, "Freddie Freeloader");
    drop(r);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_room_with_mpd_plays_there() {
    use hark_mpd::testing::{Options, TestMpd};
    let Some(mut mpd) = TestMpd::new("a_room_with_mpd_plays_there", Options::default()) else {
        return;
    };
    let music = mpd.music_dir();
    let dir = folder("mpd");
    let data = dir.join("data");
    let address = mpd.address();
    let music_dir = music.canonicalize().unwrap();
    let r = start_with("media-mpd", |c| {
        c.data_dir = data.clone();
        c.mpd_players.insert("default".into(), address.clone());
        c.mpd_music_dir = Some(music_dir.clone());
    });
    // Long enough that MPD still plays when the test looks.
    scan_into(&r, &music, 60.0);
    mpd.start();
    let mut client = r
        .block_on(hark_mpd::Client::connect(
            mpd.address(),
            Duration::from_secs(5),
        ))
        .unwrap();
    r.block_on(client.update(None)).unwrap();
    r.block_on(client.wait_for_update(Duration::from_secs(20)))
        .unwrap();

    assert_eq!(
        say(&r, "play kind of blue"),
        "Playing Kind of Blue by Miles Davis."
    );
    let status = r.block_on(client.status()).unwrap();
    assert_eq!(
        (status.state, status.playlist_length, status.song),
        (hark_mpd::State::Play, 3, Some(0))
    );
    assert_eq!(say(&r, "next"), "Next track.");
    assert_eq!(r.block_on(client.status()).unwrap().song, Some(1));
    assert_eq!(
        say(&r, "what's playing"),
        "That's Freddie Freeloader by Miles Davis, from Kind of Blue."
    );
    assert_eq!(say(&r, "pause"), "Paused.");
    assert_eq!(
        r.block_on(client.status()).unwrap().state,
        hark_mpd::State::Pause
    );
    assert_eq!(say(&r, "set the volume to 4"), "Volume 40.");
    assert_eq!(r.block_on(client.status()).unwrap().volume, Some(40));

    // MPD gone: one sentence, quickly, that says what is wrong.
    mpd.kill();
    let answer = say(&r, "next");
    assert_eq!(
        answer,
        "I can't reach the music player for the default right now."
    );
    drop(r);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// A room whose MPD does not answer (issue 7: "say something useful when a service is
// unreachable"): the turn says so in a sentence of its own, quickly (every MPD call is bounded
// by MPD_TIMEOUT), and what is stored is left as it was. These need no mpd binary.

use hark_core::media::PlayState;
use hark_core::DeviceId;

use crate::timers::say_on;

const KITCHEN_UNREACHABLE: &str = "I can't reach the music player for the kitchen right now.";

/// A server whose "kitchen" device plays through the MPD at `mpd`, with the library scanned;
/// "default" plays on the device itself. Returns the kitchen's id too.
fn with_kitchen_mpd(name: &str, mpd: &str) -> (Running, std::path::PathBuf, DeviceId) {
    let dir = folder(name);
    let data = dir.join("data");
    let music = dir.join("music");
    let r = start_with(name, |c| {
        c.data_dir = data.clone();
        c.mpd_players.insert("kitchen".into(), mpd.to_string());
        c.mpd_music_dir = Some(music.clone());
    });
    let (status, kitchen) = r.call("POST", "/v1/devices", Some(json!({"name": "kitchen"})));
    assert_eq!(status, 201, "{kitchen}");
    scan_into(&r, &music, 0.3);
    let kitchen = DeviceId::new(kitchen["id"].as_str().unwrap());
    (r, dir, kitchen)
}

/// Asks the kitchen to play and what plays, hears the MPD's sentence both times (the first
/// fails applying the effect, the second reading the player), and checks that nothing was
/// stored for the kitchen and that a device without MPD still plays.
fn kitchen_says_its_player_is_unreachable(r: &Running, kitchen: &DeviceId) {
    let play = say_on(r, "kitchen", "play kind of blue", None);
    assert_eq!(play["speech"], KITCHEN_UNREACHABLE, "{play}");
    assert_eq!(play["effects"], json!([]), "{play}");
    let asked = say_on(r, "kitchen", "what's playing", None);
    assert_eq!(asked["speech"], KITCHEN_UNREACHABLE, "{asked}");

    let store = &r.server().store;
    let household = r.block_on(store.households()).unwrap()[0].id.clone();
    let stored = r.block_on(store.player(&household, kitchen)).unwrap();
    assert!(stored.queue.is_empty(), "{stored:?}");
    assert_eq!(stored.state, PlayState::Stopped);

    assert_eq!(
        say(r, "play kind of blue"),
        "Playing Kind of Blue by Miles Davis."
    );
    let default = r
        .block_on(hark_server::find_device(store, &household, "default"))
        .unwrap()
        .unwrap();
    let default = r.block_on(store.player(&household, &default.id)).unwrap();
    assert_eq!(
        (default.queue.len(), default.state),
        (3, PlayState::Playing)
    );
}

#[test]
fn a_room_whose_mpd_is_not_listening_says_so_and_stores_nothing() {
    // A port that was free a moment ago: connecting is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    drop(listener);
    let (r, dir, kitchen) = with_kitchen_mpd("mpd-refused", &address);
    kitchen_says_its_player_is_unreachable(&r, &kitchen);
    drop(r);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_room_whose_mpd_never_answers_says_so_and_stores_nothing() {
    // The kernel completes the connection into the listener's backlog, and nobody ever sends
    // MPD's greeting: every connection waits until MPD_TIMEOUT.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap().to_string();
    let (r, dir, kitchen) = with_kitchen_mpd("mpd-silent", &address);
    kitchen_says_its_player_is_unreachable(&r, &kitchen);
    drop(r);
    drop(silent);
    let _ = std::fs::remove_dir_all(&dir);
}
