//! Each device's player: the queue the server keeps for it, the media and volume effects
//! applied to it, the events that tell the device, and a room's MPD driven as its player.
//!
//! The key decision: **the queue lives in the store, not on the device** (hark-store's
//! `players` table, one row per device). A turn reads it ([`Server::player_view`]) before a
//! media or volume skill answers, and each effect is saved before the answer is given, so a
//! restart or a second node finds the queue where it was. The device plays: after each change
//! it gets an event on `/v1/events` ([`media_event`], [`volume_event`]) with the track to
//! play and where to fetch it (`/v1/media/{id}`).
//!
//! A device named in `mpd_players` plays through a Music Player Daemon instead: the same
//! effects drive MPD over its protocol (hark-mpd) — the queue is cleared and refilled with
//! the tracks' paths relative to `mpd_music_dir`, and play, pause, next, previous, seek to 0,
//! volume follow — and the player a skill sees is read back from MPD's status. hark keeps
//! shuffling itself (MPD's `random` stays off) so that MPD's queue and the stored one have the
//! same order, and the stored ids name MPD's current song. MPD has no mute: muting sets its
//! volume to 0 and keeps the level in the store for unmute. Every MPD call is bounded by
//! [`MPD_TIMEOUT`], so an unreachable MPD fails the turn quickly, with a sentence of its own
//! ([`crate::TurnError::player_unreachable`]).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State as AxumState};
use axum::Json;
use hark_core::media::{MediaAction, MediaEffect, MediaKind, PlayState, PlayerView, TrackView};
use hark_core::{Device, Household, HouseholdId, Intent};
use hark_store::{Player, StoreError};
use serde_json::{json, Value};

use crate::http::Caller;
use crate::{ApiError, Config, Server, State};

/// How long one call to a room's MPD may take before the turn gives up on it.
pub const MPD_TIMEOUT: Duration = Duration::from_secs(2);

/// The intent that shuffles the whole library; its turn gets a [`MediaKind::Library`] match
/// when the library holds anything.
const SHUFFLE_INTENT: &str = "HarkMediaShuffle";

/// What went wrong with a player.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The music library failed.
    #[error(transparent)]
    Music(#[from] hark_music::Error),
    /// A room's MPD could not be reached or refused.
    #[error("the music player at {address}: {error}")]
    Mpd {
        /// Its `host:port`.
        address: String,
        /// Why.
        error: hark_mpd::MpdError,
    },
    /// The effect cannot be done (nothing to play, a track outside MPD's music folder).
    #[error("{0}")]
    Invalid(String),
}

/// The rooms whose player is an MPD (config `mpd_players`, `mpd_music_dir`).
#[derive(Debug, Clone, Default)]
pub struct MpdPlayers {
    /// Device id or name (lower case) → `host:port`.
    by_device: BTreeMap<String, String>,
    /// MPD's music folder as hark sees it.
    music_dir: Option<PathBuf>,
}

impl MpdPlayers {
    /// From the configuration.
    pub fn from_config(config: &Config) -> Self {
        Self {
            by_device: config
                .mpd_players
                .iter()
                .map(|(device, address)| (device.trim().to_lowercase(), address.clone()))
                .collect(),
            music_dir: config.mpd_music_dir.clone(),
        }
    }

    /// The MPD that plays for `device`, by its id, else its name.
    pub fn address(&self, device: &Device) -> Option<&str> {
        self.by_device
            .get(&device.id.as_str().to_lowercase())
            .or_else(|| self.by_device.get(&device.name.trim().to_lowercase()))
            .map(String::as_str)
    }

    /// The MPD URI of a file: its path relative to MPD's music folder.
    fn uri(&self, path: &std::path::Path) -> Result<String, MediaError> {
        let relative = match &self.music_dir {
            Some(dir) => path.strip_prefix(dir).map_err(|_| {
                MediaError::Invalid(format!(
                    "{} is outside MPD's music folder {}",
                    path.display(),
                    dir.display()
                ))
            })?,
            None => path,
        };
        relative
            .to_str()
            .map(|s| s.trim_start_matches('/').to_string())
            .ok_or_else(|| MediaError::Invalid(format!("{} is not UTF-8", path.display())))
    }
}

/// The event a device gets when its player changes: what plays now and where it is. The
/// track's `url` is where HTTP streams it; its `id` is what a `media_read` on `/v1/stream`
/// takes, so a device on the WebSocket needs no HTTP.
pub fn media_event(player: &Player, track: Option<&TrackView>, output: &str) -> Value {
    json!({
        "type": "media",
        "state": player.state,
        "track": track.map(track_json),
        "index": player.index,
        "queue_len": player.queue.len(),
        "shuffle": player.shuffle,
        "output": output,
    })
}

/// The event a device gets when its volume changes.
pub fn volume_event(player: &Player) -> Value {
    json!({"type": "volume", "level": player.volume, "muted": player.muted})
}

/// A track as events and the API show it: its view and the URL that streams it.
fn track_json(track: &TrackView) -> Value {
    let mut value = serde_json::to_value(track).unwrap_or_default();
    value["url"] = json!(format!("/v1/media/{}", track.id));
    value
}

/// A seed from the operating system, for shuffling.
fn seed() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system has a random number generator");
    u64::from_le_bytes(bytes)
}

/// Fisher–Yates with splitmix64 from `seed`.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    let mut next = || {
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

impl Server {
    /// Fills what a media or volume turn needs: the device's player, and for "shuffle my
    /// music" the whole library as one match (none when it is empty).
    pub(crate) async fn read_media_state(
        &self,
        household: &Household,
        device: &Device,
        intent: Option<&Intent>,
        state: &mut State,
    ) -> Result<(), MediaError> {
        state.player = Some(self.player_view(household, device).await?);
        if intent.is_some_and(|i| i.name.as_str() == SHUFFLE_INTENT) {
            state.media = self
                .music
                .search(&household.id, "", Some(MediaKind::Library), None)
                .await?;
        }
        Ok(())
    }

    /// The device's player as a skill sees it: from the store, or from its room's MPD.
    pub async fn player_view(
        &self,
        household: &Household,
        device: &Device,
    ) -> Result<PlayerView, MediaError> {
        let mut player = self.store.player(&household.id, &device.id).await?;
        if let Some(address) = self.mpd.address(device) {
            let mut client = connect(address).await?;
            self.sync_from_mpd(&mut client, address, &mut player)
                .await?;
        }
        self.view(&household.id, &player).await
    }

    async fn view(
        &self,
        household: &HouseholdId,
        player: &Player,
    ) -> Result<PlayerView, MediaError> {
        let current = match player.current() {
            Some(id) => self.music.track(household, id).await?.map(|t| t.view),
            None => None,
        };
        Ok(PlayerView {
            state: player.state,
            current,
            index: player.index,
            queue_len: player.queue.len(),
            shuffle: player.shuffle,
            volume: player.volume,
            muted: player.muted,
        })
    }

    /// Reads MPD's state, position and volume into `player`.
    async fn sync_from_mpd(
        &self,
        client: &mut hark_mpd::Client,
        address: &str,
        player: &mut Player,
    ) -> Result<(), MediaError> {
        let status = client.status().await.map_err(|e| mpd_error(address, e))?;
        player.state = match status.state {
            hark_mpd::State::Play => PlayState::Playing,
            hark_mpd::State::Pause => PlayState::Paused,
            hark_mpd::State::Stop => PlayState::Stopped,
        };
        if status.playlist_length as usize != player.queue.len() {
            // MPD's queue was changed by someone else: hark's ids no longer name its songs.
            player.queue.clear();
            player.index = 0;
            player.state = PlayState::Stopped;
        } else if let Some(song) = status.song {
            player.index = (song as usize).min(player.queue.len().saturating_sub(1));
        }
        if let (Some(volume), false) = (status.volume, player.muted) {
            player.volume = volume;
        }
        Ok(())
    }

    /// Applies one media effect on `device`, durably, and tells the device.
    pub(crate) async fn apply_media(
        &self,
        household: &Household,
        device: &Device,
        effect: &MediaEffect,
    ) -> Result<(), MediaError> {
        let h = &household.id;
        match effect {
            MediaEffect::CreatePlaylist { name } => {
                return match self.music.create_playlist(h, name).await {
                    // Asked for twice: it is there, as asked.
                    Ok(_) | Err(hark_music::Error::Store(StoreError::Conflict(_))) => Ok(()),
                    Err(error) => Err(error.into()),
                };
            }
            MediaEffect::AddToPlaylist { name, track } => {
                self.music.add_to_playlist(h, name, track).await?;
                return Ok(());
            }
            _ => {}
        }
        let mut player = self.store.player(h, &device.id).await?;
        let address = self.mpd.address(device).map(str::to_string);
        let mut mpd = match &address {
            Some(address) => {
                let mut client = connect(address).await?;
                self.sync_from_mpd(&mut client, address, &mut player)
                    .await?;
                Some((client, address.as_str()))
            }
            None => None,
        };
        let volume_changed = matches!(
            effect,
            MediaEffect::Volume { .. } | MediaEffect::Mute { .. }
        );
        match effect {
            MediaEffect::Play {
                kind,
                id,
                shuffle: shuffled,
            } => {
                let mut tracks = self.music.tracks(h, *kind, id).await?;
                if tracks.is_empty() {
                    return Err(MediaError::Invalid(format!(
                        "{kind:?} {id:?} has no tracks"
                    )));
                }
                if *shuffled {
                    shuffle(&mut tracks, seed());
                }
                if let Some((client, address)) = &mut mpd {
                    let uris = tracks
                        .iter()
                        .map(|t| self.mpd.uri(&t.path))
                        .collect::<Result<Vec<_>, _>>()?;
                    let e = |error| mpd_error(address, error);
                    client.clear().await.map_err(e)?;
                    client.random(false).await.map_err(e)?;
                    client.add_many(&uris).await.map_err(e)?;
                    client.play(Some(0)).await.map_err(e)?;
                }
                player.queue = tracks.into_iter().map(|t| t.view.id).collect();
                player.index = 0;
                player.shuffle = *shuffled;
                player.state = PlayState::Playing;
            }
            MediaEffect::Control { command } => {
                if player.queue.is_empty() {
                    return Err(MediaError::Invalid("nothing is queued".into()));
                }
                let last = player.queue.len() - 1;
                let (index, state) = match command {
                    MediaAction::Pause => (player.index, PlayState::Paused),
                    MediaAction::Resume | MediaAction::Replay => (player.index, PlayState::Playing),
                    MediaAction::Next => ((player.index + 1).min(last), PlayState::Playing),
                    MediaAction::Previous => (player.index.saturating_sub(1), PlayState::Playing),
                };
                if let Some((client, address)) = &mut mpd {
                    let e = |error| mpd_error(address, error);
                    match command {
                        MediaAction::Pause => client.pause(true).await.map_err(e)?,
                        MediaAction::Resume if player.state == PlayState::Paused => {
                            client.pause(false).await.map_err(e)?
                        }
                        MediaAction::Replay if player.state != PlayState::Stopped => {
                            client.seek_current(Duration::ZERO).await.map_err(e)?;
                            client.pause(false).await.map_err(e)?;
                        }
                        _ => client.play(Some(index as u32)).await.map_err(e)?,
                    }
                }
                player.index = index;
                player.state = state;
            }
            MediaEffect::Volume { level } => {
                player.volume = (*level).min(100);
                player.muted = false;
                if let Some((client, address)) = &mut mpd {
                    set_mpd_volume(client, address, player.volume).await?;
                }
            }
            MediaEffect::Mute { muted } => {
                player.muted = *muted;
                if let Some((client, address)) = &mut mpd {
                    let level = if *muted { 0 } else { player.volume };
                    set_mpd_volume(client, address, level).await?;
                }
            }
            MediaEffect::CreatePlaylist { .. } | MediaEffect::AddToPlaylist { .. } => {}
        }
        self.store.save_player(h, &player, self.clock.now()).await?;
        let event = if volume_changed {
            volume_event(&player)
        } else {
            let view = self.view(h, &player).await?;
            let output = if address.is_some() { "mpd" } else { "device" };
            media_event(&player, view.current.as_ref(), output)
        };
        self.events.send(&device.id, &event);
        Ok(())
    }

    /// The device's queue and state, for `GET /v1/devices/{id}/player`.
    pub async fn player_json(
        &self,
        household: &Household,
        device: &Device,
    ) -> Result<Value, MediaError> {
        let view = self.player_view(household, device).await?;
        let player = self.store.player(&household.id, &device.id).await?;
        let mut queue = Vec::with_capacity(player.queue.len());
        for id in &player.queue {
            if let Some(track) = self.music.track(&household.id, id).await? {
                queue.push(track_json(&track.view));
            }
        }
        Ok(json!({
            "device": device.id,
            "state": view.state,
            "current": view.current.as_ref().map(track_json),
            "index": view.index,
            "queue_len": view.queue_len,
            "shuffle": view.shuffle,
            "volume": view.volume,
            "muted": view.muted,
            "output": if self.mpd.address(device).is_some() { "mpd" } else { "device" },
            "queue": queue,
        }))
    }
}

async fn connect(address: &str) -> Result<hark_mpd::Client, MediaError> {
    hark_mpd::Client::connect(address, MPD_TIMEOUT)
        .await
        .map_err(|error| mpd_error(address, error))
}

fn mpd_error(address: &str, error: hark_mpd::MpdError) -> MediaError {
    MediaError::Mpd {
        address: address.to_string(),
        error,
    }
}

async fn set_mpd_volume(
    client: &mut hark_mpd::Client,
    address: &str,
    level: u8,
) -> Result<(), MediaError> {
    client
        .set_volume(level)
        .await
        .map_err(|error| mpd_error(address, error))
}

/// `GET /v1/devices/{id}/player` (an id or a name): the device's queue, current track, state and volume.
pub(crate) async fn get_player(
    AxumState(server): AxumState<Arc<Server>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let Some(device) = crate::find_device(&server.store, &caller.household.id, &id).await? else {
        return Err(ApiError::new(
            "unknown_device",
            "this household has no such device",
        ));
    };
    match server.player_json(&caller.household, &device).await {
        Ok(player) => Ok(Json(player)),
        Err(MediaError::Store(error)) => Err(error.into()),
        Err(error) => {
            tracing::warn!(%error, "reading a device's player");
            Err(ApiError::new("internal", "the player could not be read"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffling_keeps_every_item_and_depends_on_the_seed() {
        let items: Vec<u32> = (0..50).collect();
        let mut a = items.clone();
        shuffle(&mut a, 1);
        let mut b = items.clone();
        shuffle(&mut b, 2);
        assert_ne!(a, items);
        assert_ne!(a, b);
        a.sort();
        assert_eq!(a, items);
    }

    #[test]
    fn mpd_uris_are_relative_to_its_music_folder() {
        let players = MpdPlayers {
            by_device: BTreeMap::from([("kitchen".to_string(), "127.0.0.1:6600".to_string())]),
            music_dir: Some(PathBuf::from("/srv/music")),
        };
        assert_eq!(
            players
                .uri(std::path::Path::new("/srv/music/a/b.flac"))
                .unwrap(),
            "a/b.flac"
        );
        assert!(players.uri(std::path::Path::new("/home/x.flac")).is_err());
    }
}
