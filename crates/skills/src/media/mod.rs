//! The media skill: play music from the household's library on the device
//! that heard the request, and control what it plays.
//!
//! The runtime searches the library before the turn ([`Turn::media`], best
//! match first) and passes the device's player ([`Turn::player`]); the skill
//! only chooses and words the answer, and returns a [`MediaEffect`] that the
//! runtime applies (it builds the queue, moves in it, tells the device).
//!
//! * `HassMediaSearchAndPlay` ("play Kind of Blue", "play something by Miles
//!   Davis", "play my road trip playlist") plays the best match. When the two
//!   best are different names that scored almost the same and neither
//!   exactly, it asks "Did you mean A or B?" and the answer fills
//!   `search_query` again. Nothing found: "I couldn't find X in your music."
//! * `HarkMediaShuffle` ("shuffle my music") plays the whole library
//!   shuffled; the runtime puts one [`MediaKind::Library`] match in
//!   [`Turn::media`] when the library holds anything, so an empty library is
//!   said, not played.
//! * Pause, resume, next, previous, replay and "what's playing" act on the
//!   player; with nothing queued the answer is "Nothing is playing.", and
//!   "next" on the last track says so and changes nothing.
//! * `HarkCreatePlaylist` and `HarkAddToPlaylist` ("add this song to my road
//!   trip playlist", the player's current track) change playlists.

use hark_core::media::{MediaAction, MediaEffect, MediaKind, MediaMatch, PlayState, PlayerView};
use hark_core::skill::{Effect, Expect, Needs, Outcome, Skill, SkillError, Turn};
use hark_core::{Intent, SlotName};

use crate::responses::{Localized, ResponseFile, Responses, Spec};
use crate::{slots, Error};

const SPEC: Spec = &[
    ("playing_album", &["name", "artist"]),
    ("playing_album_no_artist", &["name"]),
    ("playing_track", &["name", "artist"]),
    ("playing_track_no_artist", &["name"]),
    ("playing_artist", &["name"]),
    ("playing_genre", &["name"]),
    ("playing_playlist", &["name"]),
    ("shuffling_library", &[]),
    ("shuffling", &["name"]),
    ("not_found", &["query"]),
    ("not_found_playlist", &["query"]),
    ("which_one", &["first", "second"]),
    ("play_what", &[]),
    ("only_music", &[]),
    ("library_empty", &[]),
    ("nothing_playing", &[]),
    ("paused", &[]),
    ("already_paused", &[]),
    ("resumed", &["title"]),
    ("already_playing", &[]),
    ("next", &[]),
    ("end_of_queue", &[]),
    ("previous", &[]),
    ("first_track", &[]),
    ("replay", &["title"]),
    ("now_playing", &["title", "artist", "album"]),
    ("now_playing_no_album", &["title", "artist"]),
    ("now_playing_title", &["title"]),
    ("paused_on", &["title"]),
    ("playlist_created", &["name"]),
    ("playlist_name", &[]),
    ("added_to_playlist", &["title", "name"]),
    ("add_nothing_playing", &[]),
];

const FILES: &[ResponseFile] = &[(
    "en",
    "media/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// Two best matches closer than this, neither at least [`SURE`], are asked
/// about rather than guessed between.
const TIE: f32 = 0.03;
/// A score at which a match is taken without asking.
const SURE: f32 = 0.95;

/// The search-and-play intent.
pub const PLAY: &str = "HassMediaSearchAndPlay";
/// The shuffle-the-library intent.
pub const SHUFFLE: &str = "HarkMediaShuffle";

/// The media skill.
#[derive(Debug, Clone)]
pub struct Media {
    responses: Localized,
}

impl Media {
    /// The skill's name.
    pub const NAME: &'static str = "media";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

impl Skill for Media {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &[
            PLAY,
            SHUFFLE,
            "HassMediaPause",
            "HassMediaUnpause",
            "HassMediaNext",
            "HassMediaPrevious",
            "HarkMediaReplay",
            "HarkMediaWhatIsPlaying",
            "HarkCreatePlaylist",
            "HarkAddToPlaylist",
        ]
    }

    fn needs(&self, intent: &Intent) -> Needs {
        match intent.name.as_str() {
            PLAY => Needs {
                media: true,
                ..Needs::default()
            },
            "HarkCreatePlaylist" => Needs::default(),
            _ => Needs {
                player: true,
                ..Needs::default()
            },
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        match turn.intent.name.as_str() {
            PLAY => play(turn, r),
            SHUFFLE => Ok(
                match turn.media.iter().find(|m| m.kind == MediaKind::Library) {
                    Some(library) if library.tracks > 0 => with(
                        r.render("shuffling_library", &[]),
                        MediaEffect::Play {
                            kind: MediaKind::Library,
                            id: String::new(),
                            shuffle: true,
                        },
                    ),
                    _ => Outcome::say(r.render("library_empty", &[])),
                },
            ),
            "HarkMediaWhatIsPlaying" => Ok(Outcome::say(what_is_playing(turn.player, r))),
            "HarkCreatePlaylist" => Ok(match slots::text(turn.intent, "name") {
                Some(name) => with(
                    r.render("playlist_created", &[("name", &name)]),
                    MediaEffect::CreatePlaylist { name },
                ),
                None => Outcome::ask(
                    r.render("playlist_name", &[]),
                    turn.intent.clone(),
                    Expect::Slot {
                        slot: SlotName::new("name"),
                        entity: None,
                    },
                ),
            }),
            "HarkAddToPlaylist" => add_to_playlist(turn, r),
            _ => transport(turn, r),
        }
    }
}

/// An answer with one media effect.
fn with(speech: String, effect: MediaEffect) -> Outcome {
    let mut out = Outcome::say(speech);
    out.effects.push(Effect::Media(effect));
    out
}

/// The `shuffle` slot: `true` or `"true"`.
fn shuffle_slot(intent: &Intent) -> bool {
    match intent.slots.get(&SlotName::new("shuffle")) {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => s == "true",
        _ => false,
    }
}

fn play(turn: &Turn<'_>, r: &Responses) -> Result<Outcome, SkillError> {
    let class = slots::text(turn.intent, "media_class");
    if matches!(class.as_deref(), Some("podcast" | "audiobook" | "radio")) {
        return Ok(Outcome::say(r.render("only_music", &[])));
    }
    let Some(query) = slots::text(turn.intent, "search_query") else {
        return Ok(Outcome::ask(
            r.render("play_what", &[]),
            turn.intent.clone(),
            Expect::Slot {
                slot: SlotName::new("search_query"),
                entity: None,
            },
        ));
    };
    let shuffle = shuffle_slot(turn.intent);
    let Some(best) = turn.media.first() else {
        let key = match class.as_deref() {
            Some("playlist") => "not_found_playlist",
            _ => "not_found",
        };
        return Ok(Outcome::say(r.render(key, &[("query", &query)])));
    };
    if let Some(second) = turn.media.get(1) {
        let tied = best.score < SURE && best.score - second.score < TIE;
        if tied && !best.name.eq_ignore_ascii_case(&second.name) && !turn.confirmed {
            let mut pending = turn.intent.clone();
            pending.slots.remove(&SlotName::new("search_query"));
            return Ok(Outcome::ask(
                r.render(
                    "which_one",
                    &[("first", &best.name), ("second", &second.name)],
                ),
                pending,
                Expect::Slot {
                    slot: SlotName::new("search_query"),
                    entity: None,
                },
            ));
        }
    }
    let speech = match shuffle {
        true => r.render("shuffling", &[("name", &best.name)]),
        false => playing(best, r),
    };
    Ok(with(
        speech,
        MediaEffect::Play {
            kind: best.kind,
            id: best.id.clone(),
            shuffle,
        },
    ))
}

/// "Playing Kind of Blue by Miles Davis."
fn playing(found: &MediaMatch, r: &Responses) -> String {
    let name = found.name.as_str();
    let by = |with_artist: &str, without: &str| match &found.artist {
        Some(artist) => r.render(with_artist, &[("name", name), ("artist", artist)]),
        None => r.render(without, &[("name", name)]),
    };
    match found.kind {
        MediaKind::Album => by("playing_album", "playing_album_no_artist"),
        MediaKind::Track => by("playing_track", "playing_track_no_artist"),
        MediaKind::Artist => r.render("playing_artist", &[("name", name)]),
        MediaKind::Genre => r.render("playing_genre", &[("name", name)]),
        MediaKind::Playlist => r.render("playing_playlist", &[("name", name)]),
        MediaKind::Library => r.render("shuffling_library", &[]),
    }
}

/// The player, when it has a track to act on.
fn active(player: Option<&PlayerView>) -> Option<&PlayerView> {
    player.filter(|p| p.queue_len > 0 && p.current.is_some())
}

fn transport(turn: &Turn<'_>, r: &Responses) -> Result<Outcome, SkillError> {
    let Some(player) = active(turn.player) else {
        return Ok(Outcome::say(r.render("nothing_playing", &[])));
    };
    let title = player
        .current
        .as_ref()
        .map(|t| t.title.as_str())
        .unwrap_or_default();
    let control =
        |speech: String, command: MediaAction| with(speech, MediaEffect::Control { command });
    Ok(match turn.intent.name.as_str() {
        "HassMediaPause" => match player.state {
            PlayState::Playing => control(r.render("paused", &[]), MediaAction::Pause),
            _ => Outcome::say(r.render("already_paused", &[])),
        },
        "HassMediaUnpause" => match player.state {
            PlayState::Playing => Outcome::say(r.render("already_playing", &[])),
            _ => control(
                r.render("resumed", &[("title", title)]),
                MediaAction::Resume,
            ),
        },
        "HassMediaNext" => match player.index + 1 >= player.queue_len {
            true => Outcome::say(r.render("end_of_queue", &[])),
            false => control(r.render("next", &[]), MediaAction::Next),
        },
        "HassMediaPrevious" => match player.index {
            0 => control(r.render("first_track", &[]), MediaAction::Replay),
            _ => control(r.render("previous", &[]), MediaAction::Previous),
        },
        "HarkMediaReplay" => control(r.render("replay", &[("title", title)]), MediaAction::Replay),
        _ => return Err(slots::unsupported(Media::NAME, turn.intent)),
    })
}

/// "That's So What by Miles Davis, from Kind of Blue."
fn what_is_playing(player: Option<&PlayerView>, r: &Responses) -> String {
    let Some(player) = active(player) else {
        return r.render("nothing_playing", &[]);
    };
    let Some(track) = &player.current else {
        return r.render("nothing_playing", &[]);
    };
    let title = track.title.as_str();
    if player.state != PlayState::Playing {
        return r.render("paused_on", &[("title", title)]);
    }
    match (&track.artist, &track.album) {
        (Some(artist), Some(album)) => r.render(
            "now_playing",
            &[("title", title), ("artist", artist), ("album", album)],
        ),
        (Some(artist), None) => r.render(
            "now_playing_no_album",
            &[("title", title), ("artist", artist)],
        ),
        _ => r.render("now_playing_title", &[("title", title)]),
    }
}

fn add_to_playlist(turn: &Turn<'_>, r: &Responses) -> Result<Outcome, SkillError> {
    let Some(track) = active(turn.player).and_then(|p| p.current.as_ref()) else {
        return Ok(Outcome::say(r.render("add_nothing_playing", &[])));
    };
    let Some(name) = slots::text(turn.intent, "name") else {
        return Ok(Outcome::ask(
            r.render("playlist_name", &[]),
            turn.intent.clone(),
            Expect::Slot {
                slot: SlotName::new("name"),
                entity: None,
            },
        ));
    };
    Ok(with(
        r.render(
            "added_to_playlist",
            &[("title", &track.title), ("name", &name)],
        ),
        MediaEffect::AddToPlaylist {
            name,
            track: track.id.clone(),
        },
    ))
}

#[cfg(test)]
mod tests;
