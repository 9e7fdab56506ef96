//! Creating, reading and changing households.

use hark_core::weather::Units;
use hark_core::{HouseholdId, Location};
use hark_store::{HouseholdUpdate, StoreError};

use crate::support::t;

fn lyon() -> Location {
    Location {
        name: "Lyon".into(),
        latitude: 45.76,
        longitude: 4.84,
    }
}

both! {
    async fn create_and_read(fx: &Fixture) {
        let store = &fx.store;
        let home = store
            .create_household("Home", "Europe/Paris", Some(lyon()), t(0))
            .await
            .unwrap();
        assert!(home.id.as_str().starts_with("hh_"), "{}", home.id);
        assert_eq!(home.name, "Home");
        assert_eq!(home.time_zone, "Europe/Paris");
        assert_eq!(home.location, Some(lyon()));
        let cabin = store
            .create_household("  Cabin  ", "America/New_York", None, t(1))
            .await
            .unwrap();
        assert_eq!(cabin.name, "Cabin");
        assert_ne!(home.id, cabin.id);

        assert_eq!(store.household(&home.id).await.unwrap(), Some(home.clone()));
        assert_eq!(store.household(&cabin.id).await.unwrap(), Some(cabin.clone()));
        assert_eq!(store.households().await.unwrap(), vec![home, cabin]);
        assert_eq!(
            store.household(&HouseholdId::new("hh_nosuchhousehold")).await.unwrap(),
            None
        );
    }

    async fn times_are_kept_to_the_millisecond(fx: &Fixture) {
        let home = fx.store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        assert_eq!(home.created_at.as_millisecond(), t(0).as_millisecond());
        assert_eq!(home.created_at.subsec_nanosecond(), 123_000_000);
        let read = fx.store.household(&home.id).await.unwrap().unwrap();
        assert_eq!(read.created_at, home.created_at);
    }

    async fn time_zones_are_stored_as_the_zone_database_spells_them(fx: &Fixture) {
        let home = fx.store.create_household("Home", "europe/paris", None, t(0)).await.unwrap();
        assert_eq!(home.time_zone, "Europe/Paris");
        assert_eq!(fx.store.household(&home.id).await.unwrap().unwrap().time_zone, "Europe/Paris");
    }

    async fn invalid_time_zone_is_refused(fx: &Fixture) {
        for zone in ["Mars/Olympus_Mons", "", "Europe/Paris "] {
            let error = fx.store.create_household("Home", zone, None, t(0)).await.unwrap_err();
            assert!(
                matches!(&error, StoreError::Invalid(message) if message.contains("time zone")),
                "{zone:?}: {error:?}"
            );
        }
        assert!(fx.store.households().await.unwrap().is_empty());
    }

    async fn invalid_names_and_locations_are_refused(fx: &Fixture) {
        let store = &fx.store;
        for name in ["", "   ", "a\u{0}b", &"x".repeat(101)] {
            let error = store.create_household(name, "UTC", None, t(0)).await.unwrap_err();
            assert!(matches!(error, StoreError::Invalid(_)), "{name:?}: {error:?}");
        }
        for location in [
            Location { latitude: 91.0, ..lyon() },
            Location { longitude: -180.5, ..lyon() },
            Location { latitude: f64::NAN, ..lyon() },
            Location { name: " ".into(), ..lyon() },
        ] {
            let error = store
                .create_household("Home", "UTC", Some(location.clone()), t(0))
                .await
                .unwrap_err();
            assert!(matches!(error, StoreError::Invalid(_)), "{location:?}: {error:?}");
        }
        assert!(store.households().await.unwrap().is_empty());
    }

    async fn update_changes_only_what_is_given(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "Europe/Paris", None, t(0)).await.unwrap();
        let other = store.create_household("Other", "UTC", Some(lyon()), t(1)).await.unwrap();

        let renamed = store
            .update_household(
                &home.id,
                HouseholdUpdate { name: Some("Flat".into()), ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(renamed.name, "Flat");
        assert_eq!(renamed.time_zone, "Europe/Paris");
        assert_eq!(renamed.location, None);
        assert_eq!(renamed.created_at, home.created_at);

        let moved = store
            .update_household(
                &home.id,
                HouseholdUpdate {
                    time_zone: Some("Asia/Tokyo".into()),
                    location: Some(Some(lyon())),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(moved.name, "Flat");
        assert_eq!(moved.time_zone, "Asia/Tokyo");
        assert_eq!(moved.location, Some(lyon()));
        assert_eq!(store.household(&home.id).await.unwrap(), Some(moved.clone()));

        let unchanged = store
            .update_household(&home.id, HouseholdUpdate::default())
            .await
            .unwrap();
        assert_eq!(unchanged, moved);

        let cleared = store
            .update_household(
                &home.id,
                HouseholdUpdate { location: Some(None), ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(cleared.location, None);
        assert_eq!(cleared.time_zone, "Asia/Tokyo");

        // The other household is untouched.
        assert_eq!(store.household(&other.id).await.unwrap(), Some(other));
    }

    async fn units_are_metric_until_set(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "Europe/Paris", None, t(0)).await.unwrap();
        assert_eq!(home.units, Units::Metric);
        let imperial = store
            .update_household(
                &home.id,
                HouseholdUpdate { units: Some(Units::Imperial), ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(imperial.units, Units::Imperial);
        assert_eq!(imperial.name, "Home");
        assert_eq!(store.household(&home.id).await.unwrap(), Some(imperial.clone()));
        // Another change leaves them as they are.
        let renamed = store
            .update_household(
                &home.id,
                HouseholdUpdate { name: Some("Flat".into()), ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(renamed.units, Units::Imperial);
        let founded = store.create_household_with_admin(new_home("kitchen"), t(1)).await.unwrap();
        assert_eq!(founded.household.units, Units::Metric);
        assert_eq!(
            store.household(&founded.household.id).await.unwrap().map(|h| h.units),
            Some(Units::Metric)
        );
    }

    async fn update_refuses_bad_input_and_unknown_households(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "Europe/Paris", None, t(0)).await.unwrap();
        let error = store
            .update_household(
                &home.id,
                HouseholdUpdate {
                    name: Some("Flat".into()),
                    time_zone: Some("Nowhere/Land".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
        assert_eq!(store.household(&home.id).await.unwrap(), Some(home));

        let error = store
            .update_household(
                &HouseholdId::new("hh_nosuchhousehold"),
                HouseholdUpdate { name: Some("Flat".into()), ..Default::default() },
            )
            .await
            .unwrap_err();
        assert_eq!(error, StoreError::NotFound);
    }
}

fn new_home<'a>(device: &'a str) -> hark_store::NewHousehold<'a> {
    hark_store::NewHousehold {
        name: "Home",
        time_zone: "Europe/Paris",
        location: None,
        device,
        token_label: "admin",
    }
}

both! {
    async fn a_household_with_its_admin_is_written_whole_or_not_at_all(fx: &Fixture) {
        let store = &fx.store;
        let founded = store.create_household_with_admin(new_home("kitchen"), t(0)).await.unwrap();
        assert_eq!(store.households().await.unwrap(), vec![founded.household.clone()]);
        assert_eq!(store.devices(&founded.household.id).await.unwrap(), vec![founded.device.clone()]);
        let token = store.authenticate(&founded.secret).await.unwrap().expect("the admin token works");
        assert_eq!(token, founded.token);
        // A bad device name or zone writes nothing at all.
        let err = store.create_household_with_admin(new_home(" "), t(1)).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");
        let bad_zone = hark_store::NewHousehold { time_zone: "Mars/Olympus", ..new_home("kitchen") };
        assert!(store.create_household_with_admin(bad_zone, t(1)).await.is_err());
        assert_eq!(store.households().await.unwrap().len(), 1);
    }

    async fn only_one_first_household_ever(fx: &Fixture) {
        let store = &fx.store;
        let first = store.create_first_household(new_home("default"), t(0)).await.unwrap();
        assert!(first.is_some());
        assert!(store.create_first_household(new_home("default"), t(1)).await.unwrap().is_none());
        assert_eq!(store.households().await.unwrap().len(), 1, "the loser wrote nothing");
        // Others can still be added on purpose.
        store.create_household_with_admin(new_home("default"), t(2)).await.unwrap();
        assert_eq!(store.households().await.unwrap().len(), 2);
    }

    async fn processes_starting_together_make_one_first_household(fx: &Fixture) {
        let attempts = (0..6).map(|i| {
            let store = fx.store.clone();
            tokio::spawn(async move { store.create_first_household(new_home("default"), t(i)).await })
        });
        let mut winners = 0;
        for attempt in attempts {
            if attempt.await.unwrap().unwrap().is_some() {
                winners += 1;
            }
        }
        assert_eq!(winners, 1);
        assert_eq!(fx.store.households().await.unwrap().len(), 1);
    }
}
