use hark_core::media::{
    MediaAction, MediaEffect, MediaKind, MediaMatch, PlayState, PlayerView, TrackView,
};
use hark_core::skill::{Effect, Next, Outcome, Skill};
use serde_json::json;

use super::Media;
use crate::testing::{intent, Home};

const NOW: &str = "2026-03-02T09:00:00Z";

fn found(kind: MediaKind, name: &str, artist: Option<&str>, score: f32) -> MediaMatch {
    MediaMatch {
        kind,
        id: format!("id-{name}"),
        name: name.into(),
        artist: artist.map(Into::into),
        tracks: 5,
        score,
    }
}

fn player(state: PlayState, index: usize, queue_len: usize) -> PlayerView {
    PlayerView {
        state,
        current: Some(TrackView {
            id: "t1".into(),
            title: "So What".into(),
            artist: Some("Miles Davis".into()),
            album: Some("Kind of Blue".into()),
            duration_ms: Some(545_000),
        }),
        index,
        queue_len,
        shuffle: false,
        volume: 50,
        muted: false,
    }
}

fn run(home: &Home, name: &str, slots: serde_json::Value) -> Outcome {
    let i = intent(name, slots);
    Media::new().unwrap().handle(&home.turn(&i, NOW)).unwrap()
}

fn effect(out: &Outcome) -> Option<&MediaEffect> {
    match out.effects.as_slice() {
        [Effect::Media(effect)] => Some(effect),
        [] => None,
        other => panic!("unexpected effects {other:?}"),
    }
}

#[test]
fn plays_the_best_match_with_a_sentence_for_its_kind() {
    let mut home = Home::new("UTC");
    for (m, said) in [
        (
            found(MediaKind::Album, "Kind of Blue", Some("Miles Davis"), 1.0),
            "Playing Kind of Blue by Miles Davis.",
        ),
        (
            found(MediaKind::Artist, "Miles Davis", None, 1.0),
            "Playing Miles Davis.",
        ),
        (
            found(MediaKind::Genre, "jazz", None, 1.0),
            "Playing some jazz.",
        ),
        (
            found(MediaKind::Playlist, "road trip", None, 1.0),
            "Playing your road trip playlist.",
        ),
        (
            found(MediaKind::Track, "So What", Some("Miles Davis"), 1.0),
            "Playing So What by Miles Davis.",
        ),
    ] {
        home.media = vec![m.clone()];
        let out = run(
            &home,
            "HassMediaSearchAndPlay",
            json!({"search_query": "x"}),
        );
        assert_eq!(out.speech, said);
        assert_eq!(
            effect(&out),
            Some(&MediaEffect::Play {
                kind: m.kind,
                id: m.id.clone(),
                shuffle: false
            })
        );
    }
}

#[test]
fn a_clear_winner_is_played_and_a_close_tie_is_asked_about() {
    let mut home = Home::new("UTC");
    home.media = vec![
        found(MediaKind::Album, "Abbey Road", Some("The Beatles"), 0.8),
        found(MediaKind::Track, "Abbey Rose", None, 0.5),
    ];
    let out = run(
        &home,
        "HassMediaSearchAndPlay",
        json!({"search_query": "abbey rode"}),
    );
    assert_eq!(out.speech, "Playing Abbey Road by The Beatles.");

    home.media[1] = found(MediaKind::Album, "Abbey Rose", None, 0.79);
    let out = run(
        &home,
        "HassMediaSearchAndPlay",
        json!({"search_query": "abbey rode"}),
    );
    assert_eq!(out.speech, "Did you mean Abbey Road or Abbey Rose?");
    assert!(out.effects.is_empty());
    match out.next {
        Next::Ask { pending, .. } => assert!(pending.slots.is_empty()),
        Next::End => panic!("should ask"),
    }
}

#[test]
fn nothing_found_says_what_was_asked_for() {
    let home = Home::new("UTC");
    let out = run(
        &home,
        "HassMediaSearchAndPlay",
        json!({"search_query": "Xyz"}),
    );
    assert_eq!(out.speech, "I couldn't find Xyz in your music.");
    assert!(out.effects.is_empty());
    let out = run(
        &home,
        "HassMediaSearchAndPlay",
        json!({"search_query": "gym", "media_class": "playlist"}),
    );
    assert_eq!(out.speech, "You have no playlist called gym.");
    let out = run(
        &home,
        "HassMediaSearchAndPlay",
        json!({"search_query": "news", "media_class": "podcast"}),
    );
    assert_eq!(out.speech, "I can only play music from your library.");
}

#[test]
fn shuffle_plays_the_library_unless_it_is_empty() {
    let mut home = Home::new("UTC");
    let out = run(&home, "HarkMediaShuffle", json!({}));
    assert_eq!(
        out.speech,
        "Your music library is empty. Scan a folder of music first."
    );
    assert!(out.effects.is_empty());
    home.media = vec![found(MediaKind::Library, "your music", None, 1.0)];
    home.media[0].id = String::new();
    let out = run(&home, "HarkMediaShuffle", json!({}));
    assert_eq!(out.speech, "Shuffling your music.");
    assert_eq!(
        effect(&out),
        Some(&MediaEffect::Play {
            kind: MediaKind::Library,
            id: String::new(),
            shuffle: true
        })
    );
    // "shuffle my road trip playlist"
    home.media = vec![found(MediaKind::Playlist, "road trip", None, 1.0)];
    let out = run(
        &home,
        "HassMediaSearchAndPlay",
        json!({"search_query": "road trip", "shuffle": true}),
    );
    assert_eq!(out.speech, "Shuffling road trip.");
    assert!(matches!(
        effect(&out),
        Some(MediaEffect::Play { shuffle: true, .. })
    ));
}

#[test]
fn transport_with_nothing_playing_says_so() {
    let mut home = Home::new("UTC");
    for name in [
        "HassMediaPause",
        "HassMediaUnpause",
        "HassMediaNext",
        "HassMediaPrevious",
        "HarkMediaReplay",
        "HarkMediaWhatIsPlaying",
    ] {
        assert_eq!(
            run(&home, name, json!({})).speech,
            "Nothing is playing.",
            "{name}"
        );
        home.player = Some(PlayerView {
            current: None,
            queue_len: 0,
            ..player(PlayState::Stopped, 0, 0)
        });
        let out = run(&home, name, json!({}));
        assert_eq!(out.speech, "Nothing is playing.", "{name}");
        assert!(out.effects.is_empty());
        home.player = None;
    }
}

#[test]
fn transport_moves_the_player() {
    let mut home = Home::new("UTC");
    let control = |out: &Outcome| match effect(out) {
        Some(MediaEffect::Control { command }) => Some(*command),
        None => None,
        other => panic!("{other:?}"),
    };
    home.player = Some(player(PlayState::Playing, 1, 3));
    let out = run(&home, "HassMediaPause", json!({}));
    assert_eq!(
        (out.speech.as_str(), control(&out)),
        ("Paused.", Some(MediaAction::Pause))
    );
    let out = run(&home, "HassMediaUnpause", json!({}));
    assert_eq!(
        (out.speech.as_str(), control(&out)),
        ("It's already playing.", None)
    );
    let out = run(&home, "HassMediaNext", json!({}));
    assert_eq!(control(&out), Some(MediaAction::Next));
    let out = run(&home, "HassMediaPrevious", json!({}));
    assert_eq!(control(&out), Some(MediaAction::Previous));
    let out = run(&home, "HarkMediaReplay", json!({}));
    assert_eq!(
        (out.speech.as_str(), control(&out)),
        ("Playing So What again.", Some(MediaAction::Replay))
    );

    home.player = Some(player(PlayState::Paused, 2, 3));
    let out = run(&home, "HassMediaPause", json!({}));
    assert_eq!(
        (out.speech.as_str(), control(&out)),
        ("It's already paused.", None)
    );
    let out = run(&home, "HassMediaUnpause", json!({}));
    assert_eq!(
        (out.speech.as_str(), control(&out)),
        ("Resuming So What.", Some(MediaAction::Resume))
    );
    let out = run(&home, "HassMediaNext", json!({}));
    assert_eq!(
        (out.speech.as_str(), control(&out)),
        ("That was the last track in the queue.", None)
    );

    home.player = Some(player(PlayState::Playing, 0, 3));
    let out = run(&home, "HassMediaPrevious", json!({}));
    assert_eq!(control(&out), Some(MediaAction::Replay));
}

#[test]
fn what_is_playing_names_the_track() {
    let mut home = Home::new("UTC");
    home.player = Some(player(PlayState::Playing, 0, 1));
    assert_eq!(
        run(&home, "HarkMediaWhatIsPlaying", json!({})).speech,
        "That's So What by Miles Davis, from Kind of Blue."
    );
    home.player = Some(player(PlayState::Paused, 0, 1));
    assert_eq!(
        run(&home, "HarkMediaWhatIsPlaying", json!({})).speech,
        "It's paused on So What."
    );
}

#[test]
fn playlists_by_voice() {
    let mut home = Home::new("UTC");
    let out = run(&home, "HarkCreatePlaylist", json!({"name": "road trip"}));
    assert_eq!(out.speech, "I created your road trip playlist.");
    assert_eq!(
        effect(&out),
        Some(&MediaEffect::CreatePlaylist {
            name: "road trip".into()
        })
    );
    let out = run(&home, "HarkAddToPlaylist", json!({"name": "road trip"}));
    assert_eq!(out.speech, "Nothing is playing, so there's no song to add.");
    home.player = Some(player(PlayState::Playing, 0, 1));
    let out = run(&home, "HarkAddToPlaylist", json!({"name": "road trip"}));
    assert_eq!(out.speech, "I added So What to your road trip playlist.");
    assert_eq!(
        effect(&out),
        Some(&MediaEffect::AddToPlaylist {
            name: "road trip".into(),
            track: "t1".into()
        })
    );
}
