//! No method lets household B see, change or remove what household A owns.

use hark_core::Location;
use hark_store::{HouseholdUpdate, Scope, StoreError};

use crate::support::t;

both! {
    async fn one_household_cannot_reach_another(fx: &Fixture) {
        let store = &fx.store;
        let a = store.create_household("A", "UTC", None, t(0)).await.unwrap();
        let b = store.create_household("B", "UTC", None, t(1)).await.unwrap();
        let kitchen = store.add_device(&a.id, "kitchen", t(2)).await.unwrap();
        let (a_admin, a_admin_text) = store.create_token(&a.id, "a", Scope::Admin, t(3)).await.unwrap();
        let (a_speaker, a_speaker_text) = store
            .create_token(&a.id, "a kitchen", Scope::Device(kitchen.id.clone()), t(4))
            .await
            .unwrap();

        // Devices.
        assert_eq!(store.device(&b.id, &kitchen.id).await.unwrap(), None);
        assert_eq!(store.device_by_name(&b.id, "kitchen").await.unwrap(), None);
        assert!(store.devices(&b.id).await.unwrap().is_empty());
        assert!(!store.remove_device(&b.id, &kitchen.id).await.unwrap());
        assert_eq!(store.device(&a.id, &kitchen.id).await.unwrap(), Some(kitchen.clone()));

        // Names are unique within a household only.
        let b_kitchen = store.add_device(&b.id, "Kitchen", t(5)).await.unwrap();
        assert_eq!(store.device_by_name(&a.id, "kitchen").await.unwrap(), Some(kitchen.clone()));
        assert_eq!(store.device_by_name(&b.id, "kitchen").await.unwrap(), Some(b_kitchen.clone()));
        assert_eq!(store.device(&a.id, &b_kitchen.id).await.unwrap(), None);

        // Tokens.
        assert!(store.tokens(&b.id).await.unwrap().is_empty());
        assert!(!store.revoke_token(&b.id, &a_admin.id, t(6)).await.unwrap());
        assert!(!store.revoke_token(&b.id, &a_speaker.id, t(6)).await.unwrap());
        assert_eq!(store.authenticate(&a_admin_text).await.unwrap(), Some(a_admin.clone()));
        assert_eq!(store.authenticate(&a_speaker_text).await.unwrap(), Some(a_speaker.clone()));
        let error = store
            .create_token(&b.id, "", Scope::Device(kitchen.id.clone()), t(7))
            .await
            .unwrap_err();
        assert_eq!(error, StoreError::NotFound);
        assert!(store.tokens(&b.id).await.unwrap().is_empty());
        assert_eq!(store.tokens(&a.id).await.unwrap(), vec![a_admin, a_speaker]);

        // Tokens authenticate as their own household.
        let (b_token, b_text) = store.create_token(&b.id, "b", Scope::Admin, t(8)).await.unwrap();
        assert_eq!(store.authenticate(&b_text).await.unwrap().unwrap().household, b.id);
        assert_eq!(store.authenticate(&a_admin_text).await.unwrap().unwrap().household, a.id);
        assert!(!store.revoke_token(&a.id, &b_token.id, t(9)).await.unwrap());

        // Changing B leaves A as it was.
        store
            .update_household(
                &b.id,
                HouseholdUpdate {
                    name: Some("Bee".into()),
                    time_zone: Some("Asia/Tokyo".into()),
                    location: Some(Some(Location {
                        name: "Tokyo".into(),
                        latitude: 35.68,
                        longitude: 139.69,
                    })),
                    units: Some(hark_core::weather::Units::Imperial),
                },
            )
            .await
            .unwrap();
        assert_eq!(store.household(&a.id).await.unwrap(), Some(a));
        assert_eq!(store.devices(&b.id).await.unwrap(), vec![b_kitchen]);
    }
}
