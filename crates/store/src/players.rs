//! Each device's player: its queue of tracks, where it is in it, and its volume.
//!
//! One row per device (migration 0007), written whole by [`Store::save_player`] in one
//! upsert, so a change is durable before the device hears of it and a restart finds the queue
//! where it was. The queue is a JSON array of the library's track ids in play order: it is
//! always read and written whole, and a row per track would make every "next" rewrite nothing
//! but cost more statements. A device that has no row has the player [`Player::new`] gives.

use hark_core::media::PlayState;
use hark_core::{DeviceId, HouseholdId};
use jiff::Timestamp;

use crate::db::Row;
use crate::{Result, Store, StoreError};

/// The most tracks one queue holds: a whole large library, shuffled.
pub const MAX_QUEUE: usize = 100_000;

/// A device's player, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Player {
    /// The device.
    pub device: DeviceId,
    /// Track ids in play order.
    pub queue: Vec<String>,
    /// The current track's place in `queue`, from 0 (0 when the queue is empty).
    pub index: usize,
    /// Whether it plays.
    pub state: PlayState,
    /// Whether the queue was shuffled.
    pub shuffle: bool,
    /// 0 to 100.
    pub volume: u8,
    /// Muted (the volume is kept).
    pub muted: bool,
    /// When it last changed; `None` for a device that never had a row.
    pub updated_at: Option<Timestamp>,
}

impl Player {
    /// The player of a device that never played: stopped, empty, volume 50, not muted.
    pub fn new(device: DeviceId) -> Self {
        Self {
            device,
            queue: Vec::new(),
            index: 0,
            state: PlayState::Stopped,
            shuffle: false,
            volume: 50,
            muted: false,
            updated_at: None,
        }
    }

    /// The current track's id, if the queue has one at `index`.
    pub fn current(&self) -> Option<&str> {
        self.queue.get(self.index).map(String::as_str)
    }
}

fn state_text(state: PlayState) -> &'static str {
    match state {
        PlayState::Playing => "playing",
        PlayState::Paused => "paused",
        PlayState::Stopped => "stopped",
    }
}

fn player(row: &Row) -> Result<Player> {
    let bad = |what: String| StoreError::Database(format!("a stored player: {what}"));
    let queue: Vec<String> = serde_json::from_str(&row.text(1)?)
        .map_err(|e| bad(format!("its queue is not a JSON list of ids: {e}")))?;
    let state = match row.text(3)?.as_str() {
        "playing" => PlayState::Playing,
        "paused" => PlayState::Paused,
        "stopped" => PlayState::Stopped,
        other => return Err(bad(format!("unknown state {other:?}"))),
    };
    let index = usize::try_from(row.int(2)?).map_err(|_| bad("negative position".into()))?;
    let volume = u8::try_from(row.int(5)?)
        .ok()
        .filter(|v| *v <= 100)
        .ok_or_else(|| bad("volume out of range".into()))?;
    Ok(Player {
        device: DeviceId::new(row.text(0)?),
        queue,
        index,
        state,
        shuffle: row.int(4)? != 0,
        volume,
        muted: row.int(6)? != 0,
        updated_at: Some(Timestamp::from_millisecond(row.int(7)?).map_err(|e| bad(e.to_string()))?),
    })
}

impl Store {
    /// The player of `device` in `household`: as last saved, or [`Player::new`] when it never
    /// was (or the device is not the household's).
    pub async fn player(&self, household: &HouseholdId, device: &DeviceId) -> Result<Player> {
        let rows = self
            .inner
            .query(
                "SELECT device_id, queue, position, state, shuffle, volume, muted, updated_at \
                 FROM players WHERE household_id = $1 AND device_id = $2",
                vec![household.as_str().into(), device.as_str().into()],
            )
            .await?;
        match rows.first() {
            Some(row) => player(row),
            None => Ok(Player::new(device.clone())),
        }
    }

    /// Saves `player` whole, durably. Refused: a queue over [`MAX_QUEUE`] tracks, an index
    /// past a non-empty queue's end, a volume over 100, or a device that is not the
    /// household's (the row references the device).
    pub async fn save_player(
        &self,
        household: &HouseholdId,
        player: &Player,
        now: Timestamp,
    ) -> Result<()> {
        if player.queue.len() > MAX_QUEUE {
            return Err(StoreError::Invalid(format!(
                "a queue holds at most {MAX_QUEUE} tracks, not {}",
                player.queue.len()
            )));
        }
        if player.index > 0 && player.index >= player.queue.len() {
            return Err(StoreError::Invalid(format!(
                "position {} is past the queue's {} tracks",
                player.index,
                player.queue.len()
            )));
        }
        if player.volume > 100 {
            return Err(StoreError::Invalid(format!(
                "volume {} is over 100",
                player.volume
            )));
        }
        let queue = serde_json::to_string(&player.queue)
            .map_err(|e| StoreError::Invalid(format!("a queue: {e}")))?;
        let written = self
            .inner
            .execute(
                "INSERT INTO players (household_id, device_id, queue, position, state, shuffle, \
                 volume, muted, updated_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM devices \
                 WHERE household_id = $1 AND id = $2 \
                 ON CONFLICT (household_id, device_id) DO UPDATE SET queue = excluded.queue, \
                 position = excluded.position, state = excluded.state, \
                 shuffle = excluded.shuffle, volume = excluded.volume, muted = excluded.muted, \
                 updated_at = excluded.updated_at",
                vec![
                    household.as_str().into(),
                    player.device.as_str().into(),
                    queue.into(),
                    (player.index as i64).into(),
                    state_text(player.state).into(),
                    i64::from(player.shuffle).into(),
                    i64::from(player.volume).into(),
                    i64::from(player.muted).into(),
                    now.as_millisecond().into(),
                ],
            )
            .await?;
        match written {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }
}
