//! Each device's player: queue, position, state, volume.

use hark_core::media::PlayState;
use hark_core::DeviceId;
use hark_store::{Player, StoreError};

use crate::support::t;

both! {
    async fn a_device_that_never_played_has_the_default_player(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let kitchen = store.add_device(&home.id, "Kitchen", t(1)).await.unwrap();
        let player = store.player(&home.id, &kitchen.id).await.unwrap();
        assert_eq!(player, Player::new(kitchen.id.clone()));
        assert_eq!((player.volume, player.muted, player.state), (50, false, PlayState::Stopped));
        assert_eq!(player.current(), None);
    }

    async fn saves_and_reads_back_whole_and_survives_a_restart(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let kitchen = store.add_device(&home.id, "Kitchen", t(1)).await.unwrap();
        let bedroom = store.add_device(&home.id, "Bedroom", t(1)).await.unwrap();
        let mut player = Player::new(kitchen.id.clone());
        player.queue = vec!["trk_a".into(), "trk_b".into(), "trk_c".into()];
        player.index = 1;
        player.state = PlayState::Playing;
        player.shuffle = true;
        player.volume = 70;
        store.save_player(&home.id, &player, t(2)).await.unwrap();
        player.updated_at = Some(jiff::Timestamp::from_millisecond(t(2).as_millisecond()).unwrap());
        assert_eq!(store.player(&home.id, &kitchen.id).await.unwrap(), player);
        assert_eq!(player.current(), Some("trk_b"));

        // An update replaces the row.
        player.state = PlayState::Paused;
        player.muted = true;
        store.save_player(&home.id, &player, t(3)).await.unwrap();
        let again = fx.open_again().await.unwrap();
        let read = again.player(&home.id, &kitchen.id).await.unwrap();
        assert_eq!((read.state, read.muted, read.volume, read.index), (PlayState::Paused, true, 70, 1));
        // Another device's player is its own.
        assert_eq!(again.player(&home.id, &bedroom.id).await.unwrap(), Player::new(bedroom.id.clone()));
    }

    async fn bad_players_and_other_households_are_refused(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let other = store.create_household("Other", "UTC", None, t(0)).await.unwrap();
        let kitchen = store.add_device(&home.id, "Kitchen", t(1)).await.unwrap();
        let mut player = Player::new(kitchen.id.clone());
        player.queue = vec!["trk_a".into()];
        player.index = 1;
        assert!(matches!(store.save_player(&home.id, &player, t(2)).await, Err(StoreError::Invalid(_))));
        player.index = 0;
        player.volume = 101;
        assert!(matches!(store.save_player(&home.id, &player, t(2)).await, Err(StoreError::Invalid(_))));
        player.volume = 30;
        // Household B cannot write household A's device, nor read it.
        assert!(matches!(store.save_player(&other.id, &player, t(2)).await, Err(StoreError::NotFound)));
        let unknown = Player::new(DeviceId::new("dev_nope"));
        assert!(matches!(store.save_player(&home.id, &unknown, t(2)).await, Err(StoreError::NotFound)));
        store.save_player(&home.id, &player, t(2)).await.unwrap();
        assert_eq!(store.player(&other.id, &kitchen.id).await.unwrap(), Player::new(kitchen.id.clone()));
        // Removing the device removes its player.
        assert!(store.remove_device(&home.id, &kitchen.id).await.unwrap());
        assert_eq!(store.player(&home.id, &kitchen.id).await.unwrap(), Player::new(kitchen.id.clone()));
    }
}
