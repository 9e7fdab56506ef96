//! A household's devices.

use hark_core::{DeviceId, HouseholdId};
use hark_store::StoreError;

use crate::support::t;

both! {
    async fn add_get_list_remove(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let kitchen = store.add_device(&home.id, "Kitchen", t(1)).await.unwrap();
        let bedroom = store.add_device(&home.id, "  bedroom   speaker ", t(2)).await.unwrap();
        assert!(kitchen.id.as_str().starts_with("dev_"), "{}", kitchen.id);
        assert_eq!(kitchen.household, home.id);
        assert_eq!(kitchen.name, "Kitchen");
        assert_eq!(bedroom.name, "bedroom speaker");
        assert_eq!(kitchen.created_at.as_millisecond(), t(1).as_millisecond());

        assert_eq!(store.device(&home.id, &kitchen.id).await.unwrap(), Some(kitchen.clone()));
        for name in ["Kitchen", "KITCHEN", " kitchen "] {
            assert_eq!(
                store.device_by_name(&home.id, name).await.unwrap(),
                Some(kitchen.clone()),
                "{name:?}"
            );
        }
        assert_eq!(
            store.device_by_name(&home.id, "Bedroom  Speaker").await.unwrap(),
            Some(bedroom.clone())
        );
        assert_eq!(store.device_by_name(&home.id, "garage").await.unwrap(), None);
        assert_eq!(store.device_by_name(&home.id, "").await.unwrap(), None);
        // By name, case aside.
        assert_eq!(
            store.devices(&home.id).await.unwrap(),
            vec![bedroom.clone(), kitchen.clone()]
        );

        assert!(store.remove_device(&home.id, &kitchen.id).await.unwrap());
        assert!(!store.remove_device(&home.id, &kitchen.id).await.unwrap());
        assert_eq!(store.device(&home.id, &kitchen.id).await.unwrap(), None);
        assert_eq!(store.device_by_name(&home.id, "kitchen").await.unwrap(), None);
        assert_eq!(store.devices(&home.id).await.unwrap(), vec![bedroom]);
        assert!(!store
            .remove_device(&home.id, &DeviceId::new("dev_nosuchdevice"))
            .await
            .unwrap());
    }

    async fn duplicate_names_conflict_whatever_the_case(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let kitchen = store.add_device(&home.id, "Kitchen", t(1)).await.unwrap();
        for name in ["Kitchen", "kitchen", "  KITCHEN "] {
            let error = store.add_device(&home.id, name, t(2)).await.unwrap_err();
            assert!(
                matches!(&error, StoreError::Conflict(message) if message.contains("already has a device named")),
                "{name:?}: {error:?}"
            );
        }
        // Beyond ASCII, where SQLite's own lower() would not fold.
        store.add_device(&home.id, "Küche", t(3)).await.unwrap();
        let error = store.add_device(&home.id, "KÜCHE", t(4)).await.unwrap_err();
        assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
        assert_eq!(store.devices(&home.id).await.unwrap().len(), 2);

        // A removed device's name is free again.
        assert!(store.remove_device(&home.id, &kitchen.id).await.unwrap());
        let again = store.add_device(&home.id, "kitchen", t(5)).await.unwrap();
        assert_ne!(again.id, kitchen.id);
    }

    async fn bad_names_and_unknown_households_are_refused(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        for name in ["", "  ", "tab\u{7}bell"] {
            let error = store.add_device(&home.id, name, t(1)).await.unwrap_err();
            assert!(matches!(error, StoreError::Invalid(_)), "{name:?}: {error:?}");
        }
        let error = store
            .add_device(&HouseholdId::new("hh_nosuchhousehold"), "kitchen", t(1))
            .await
            .unwrap_err();
        assert_eq!(error, StoreError::NotFound);
        assert!(store.devices(&home.id).await.unwrap().is_empty());
    }

    async fn concurrent_adds_all_land(fx: &Fixture) {
        let home = fx.store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let tasks: Vec<_> = (0..24)
            .map(|i| {
                let store = fx.store.clone();
                let home = home.id.clone();
                tokio::spawn(async move { store.add_device(&home, &format!("speaker {i:02}"), t(i)).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let names: Vec<String> = fx
            .store
            .devices(&home.id)
            .await
            .unwrap()
            .into_iter()
            .map(|device| device.name)
            .collect();
        let expected: Vec<String> = (0..24).map(|i| format!("speaker {i:02}")).collect();
        assert_eq!(names, expected);
    }
}
