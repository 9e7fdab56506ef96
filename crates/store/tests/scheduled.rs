//! Timers, alarms and reminders: created, changed with optimistic concurrency, found due, and
//! marked fired exactly once per occurrence.

use hark_core::{DeviceId, HouseholdId};
use hark_store::{
    FiringOutcome, ItemChange, ItemId, ItemKind, ItemState, NewItem, RingEnd, ScheduledItem, Store,
    StoreError,
};
use jiff::{SignedDuration, Timestamp};

use crate::support::t;

/// A whole-millisecond instant, as the store keeps them.
fn ms(seconds: i64) -> Timestamp {
    Timestamp::from_millisecond(t(seconds).as_millisecond()).unwrap()
}

async fn home(store: &Store, name: &str) -> (HouseholdId, DeviceId) {
    let household = store
        .create_household(name, "Europe/Berlin", None, t(0))
        .await
        .unwrap();
    let device = store
        .add_device(&household.id, "kitchen", t(0))
        .await
        .unwrap();
    (household.id, device.id)
}

fn timer(device: &DeviceId, due: i64, seconds: i64) -> NewItem {
    NewItem {
        device: device.clone(),
        kind: ItemKind::Timer,
        name: Some("  pasta ".into()),
        label: None,
        sound: None,
        text: None,
        due_at: t(due),
        duration: Some(SignedDuration::from_secs(seconds)),
        recurrence: None,
        time_zone: None,
    }
}

fn alarm(device: &DeviceId, due: i64, rule: Option<&str>) -> NewItem {
    NewItem {
        device: device.clone(),
        kind: ItemKind::Alarm,
        name: None,
        label: Some("wake up".into()),
        sound: None,
        text: None,
        due_at: t(due),
        duration: None,
        recurrence: rule.map(str::to_owned),
        time_zone: rule.map(|_| "Europe/Berlin".to_owned()),
    }
}

async fn reload(store: &Store, item: &ScheduledItem) -> ScheduledItem {
    store
        .item(&item.household, &item.id)
        .await
        .unwrap()
        .unwrap()
}

both! {
    async fn create_items_writes_all_or_nothing(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let made = store
            .create_items(&hh, vec![timer(&dev, 60, 60), alarm(&dev, 120, None)], t(0))
            .await
            .unwrap();
        assert_eq!(made.len(), 2);
        for item in &made {
            assert_eq!(&reload(store, item).await, item);
        }
        // One bad item (a device of no household) and none of the batch is written.
        let stranger = DeviceId::new("dev_nobody");
        let err = store
            .create_items(&hh, vec![timer(&dev, 60, 60), timer(&stranger, 60, 60)], t(0))
            .await
            .unwrap_err();
        assert_eq!(err, StoreError::NotFound);
        let shape = store.create_items(&hh, vec![timer(&dev, 60, 60), NewItem { duration: None, ..timer(&dev, 60, 60) }], t(0)).await;
        assert!(matches!(shape, Err(StoreError::Invalid(_))), "{shape:?}");
        assert_eq!(store.items(&hh, None, None).await.unwrap().len(), 2);
    }

    async fn create_get_list(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let pasta = store.create_item(&hh, timer(&dev, 60, 60), t(0)).await.unwrap();
        assert!(pasta.id.as_str().starts_with("tmr_"), "{}", pasta.id);
        assert_eq!(pasta.name.as_deref(), Some("pasta"));
        assert_eq!(pasta.state, ItemState::Pending);
        assert_eq!(pasta.due_at, ms(60));
        assert_eq!(pasta.duration, Some(SignedDuration::from_secs(60)));
        assert_eq!((pasta.version, pasta.fire_count), (1, 0));
        let wake = store
            .create_item(&hh, alarm(&dev, 3600, Some(r#"{"weekdays":["monday"],"time":"07:00"}"#)), t(1))
            .await
            .unwrap();
        assert!(wake.id.as_str().starts_with("alm_"));
        let call = store
            .create_item(
                &hh,
                NewItem {
                    kind: ItemKind::Reminder,
                    text: Some("call  mum".into()),
                    label: None,
                    sound: None,
                    name: None,
                    ..alarm(&dev, 7200, None)
                },
                t(2),
            )
            .await
            .unwrap();
        assert_eq!(call.text.as_deref(), Some("call mum"));

        assert_eq!(store.item(&hh, &pasta.id).await.unwrap(), Some(pasta.clone()));
        assert_eq!(
            store.items(&hh, None, None).await.unwrap(),
            vec![pasta.clone(), wake.clone(), call.clone()]
        );
        assert_eq!(store.items(&hh, Some(ItemKind::Alarm), None).await.unwrap(), vec![wake.clone()]);
        assert_eq!(
            store.items(&hh, None, Some(ItemState::Pending)).await.unwrap().len(),
            3
        );
        assert!(store.items(&hh, None, Some(ItemState::Paused)).await.unwrap().is_empty());
        assert_eq!(store.item(&hh, &ItemId::new("tmr_nosuchitem")).await.unwrap(), None);

        // Reopening keeps them.
        let again = fx.open_again().await.unwrap();
        assert_eq!(again.items(&hh, None, None).await.unwrap(), vec![pasta, wake, call]);
    }

    async fn shapes_are_checked(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let bad = [
            NewItem { duration: None, ..timer(&dev, 60, 60) },
            NewItem { duration: Some(SignedDuration::from_secs(5)), ..alarm(&dev, 60, None) },
            NewItem { recurrence: Some("{}".into()), ..timer(&dev, 60, 60) },
            NewItem { time_zone: None, ..alarm(&dev, 60, Some("{}")) },
            NewItem { name: Some("x".repeat(101)), ..timer(&dev, 60, 60) },
        ];
        for new in bad {
            let error = store.create_item(&hh, new.clone(), t(0)).await.unwrap_err();
            assert!(matches!(error, StoreError::Invalid(_)), "{new:?}: {error:?}");
        }
        // A device of no household, or of another one.
        let error = store
            .create_item(&hh, timer(&DeviceId::new("dev_nosuchdevice"), 60, 60), t(0))
            .await
            .unwrap_err();
        assert_eq!(error, StoreError::NotFound);
        assert!(store.items(&hh, None, None).await.unwrap().is_empty());
    }

    async fn pause_resume_adjust_cancel(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let item = store.create_item(&hh, timer(&dev, 100, 100), t(0)).await.unwrap();

        let paused = store.update_item(&hh, &item.id, Some(1), ItemChange::Pause, t(30)).await.unwrap();
        assert_eq!(paused.state, ItemState::Paused);
        assert_eq!(paused.remaining, Some(SignedDuration::from_secs(70)));
        assert_eq!(paused.version, 2);
        assert_eq!(paused.updated_at, ms(30));

        // Paused twice: refused, saying why.
        let error = store.update_item(&hh, &item.id, None, ItemChange::Pause, t(31)).await.unwrap_err();
        assert_eq!(error, StoreError::Invalid("a paused timer cannot be paused".into()));
        // A stale version: a conflict.
        let error = store.update_item(&hh, &item.id, Some(1), ItemChange::Resume, t(31)).await.unwrap_err();
        assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");

        let adjusted = store
            .update_item(&hh, &item.id, Some(2), ItemChange::Adjust(SignedDuration::from_secs(10)), t(40))
            .await
            .unwrap();
        assert_eq!(adjusted.remaining, Some(SignedDuration::from_secs(80)));
        assert_eq!(adjusted.duration, Some(SignedDuration::from_secs(110)));
        let error = store
            .update_item(&hh, &item.id, None, ItemChange::Adjust(SignedDuration::from_secs(-80)), t(40))
            .await
            .unwrap_err();
        assert_eq!(error, StoreError::Invalid("that would end the timer before now".into()));

        let resumed = store.update_item(&hh, &item.id, Some(3), ItemChange::Resume, t(200)).await.unwrap();
        assert_eq!(resumed.state, ItemState::Pending);
        assert_eq!(resumed.due_at, ms(280));
        assert_eq!(resumed.remaining, None);

        let moved = store
            .update_item(&hh, &item.id, None, ItemChange::Adjust(SignedDuration::from_secs(-30)), t(200))
            .await
            .unwrap();
        assert_eq!(moved.due_at, ms(250));

        let cancelled = store.update_item(&hh, &item.id, None, ItemChange::Cancel, t(201)).await.unwrap();
        assert_eq!(cancelled.state, ItemState::Cancelled);
        assert_eq!(cancelled.version, 6);
        let error = store.update_item(&hh, &item.id, None, ItemChange::Cancel, t(202)).await.unwrap_err();
        assert_eq!(error, StoreError::Invalid("a cancelled timer cannot be cancelled".into()));
        let error = store
            .update_item(&hh, &ItemId::new("tmr_nosuchitem"), None, ItemChange::Cancel, t(202))
            .await
            .unwrap_err();
        assert_eq!(error, StoreError::NotFound);
        assert_eq!(reload(store, &item).await, cancelled);
    }

    async fn due_items_across_households_in_order(fx: &Fixture) {
        let store = &fx.store;
        let (a, a_dev) = home(store, "A").await;
        let (b, b_dev) = home(store, "B").await;
        let a1 = store.create_item(&a, timer(&a_dev, 30, 30), t(0)).await.unwrap();
        let b1 = store.create_item(&b, timer(&b_dev, 10, 10), t(0)).await.unwrap();
        let a2 = store.create_item(&a, timer(&a_dev, 20, 20), t(0)).await.unwrap();
        let late = store.create_item(&b, timer(&b_dev, 99, 99), t(0)).await.unwrap();
        let paused = store.create_item(&a, timer(&a_dev, 5, 5), t(0)).await.unwrap();
        store.update_item(&a, &paused.id, None, ItemChange::Pause, t(1)).await.unwrap();

        assert_eq!(store.next_due().await.unwrap(), Some(ms(10)));
        let ids = |items: Vec<ScheduledItem>| items.into_iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(ids(store.due_items(t(30), 10).await.unwrap()), vec![b1.id.clone(), a2.id.clone(), a1.id.clone()]);
        assert_eq!(ids(store.due_items(t(30), 2).await.unwrap()), vec![b1.id, a2.id]);
        assert!(store.due_items(t(9), 10).await.unwrap().is_empty());
        let _ = late;
    }

    async fn mark_fired_is_idempotent(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let item = store.create_item(&hh, timer(&dev, 10, 10), t(0)).await.unwrap();

        let firing = store.mark_fired(&item.id, 1, None, t(11), t(10_000)).await.unwrap().unwrap();
        assert_eq!(firing.id.as_str(), format!("{}.1", item.id));
        assert_eq!((firing.household.clone(), firing.device.clone()), (hh.clone(), dev.clone()));
        assert_eq!(firing.outcome, FiringOutcome::Fired);
        assert_eq!((firing.due_at, firing.fired_at, firing.delivered_at), (ms(10), ms(11), None));
        assert_eq!(firing.name.as_deref(), Some("pasta"));
        let fired = reload(store, &item).await;
        assert_eq!((fired.state, fired.version, fired.fire_count), (ItemState::Ringing, 2, 1));

        // The same call again (a restart that did not know it had committed), and from a
        // second node: nothing more is recorded.
        assert_eq!(store.mark_fired(&item.id, 1, None, t(12), t(10_000)).await.unwrap(), None);
        let other = fx.open_again().await.unwrap();
        assert_eq!(other.mark_fired(&item.id, 1, None, t(12), t(10_000)).await.unwrap(), None);
        assert_eq!(other.mark_missed(&item.id, 2, None, t(12)).await.unwrap(), None);
        assert_eq!(reload(store, &item).await, fired);
        assert_eq!(store.undelivered_firings(None, 10).await.unwrap(), vec![firing.clone()]);
        assert!(store.undelivered_firings(Some(&firing), 10).await.unwrap().is_empty());
        assert!(store.due_items(t(100), 10).await.unwrap().is_empty());

        // Acknowledged once.
        assert!(store.ack_firing(&firing.id, t(13)).await.unwrap());
        assert!(!store.ack_firing(&firing.id, t(14)).await.unwrap());
        assert!(store.undelivered_firings(None, 10).await.unwrap().is_empty());
        let listed = store.firings(&hh, None, 10).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].delivered_at, Some(ms(13)));

        // A cancelled item is not fired.
        let gone = store.create_item(&hh, timer(&dev, 20, 20), t(0)).await.unwrap();
        store.update_item(&hh, &gone.id, None, ItemChange::Cancel, t(1)).await.unwrap();
        assert_eq!(store.mark_fired(&gone.id, 2, None, t(21), t(10_000)).await.unwrap(), None);
        assert_eq!(store.mark_fired(&gone.id, 1, None, t(21), t(10_000)).await.unwrap(), None);
    }

    async fn many_nodes_marking_at_once_fire_once(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let item = store.create_item(&hh, timer(&dev, 10, 10), t(0)).await.unwrap();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let node = fx.open_again().await.unwrap();
            let id = item.id.clone();
            tasks.push(tokio::spawn(async move { node.mark_fired(&id, 1, None, t(11), t(10_000)).await }));
        }
        let mut recorded = 0;
        for task in tasks {
            if task.await.unwrap().unwrap().is_some() {
                recorded += 1;
            }
        }
        assert_eq!(recorded, 1);
        assert_eq!(store.firings(&hh, None, 10).await.unwrap().len(), 1);
        assert_eq!(reload(store, &item).await.fire_count, 1);
    }

    async fn recurring_items_advance_and_missed_is_recorded(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let rule = r#"{"weekdays":["monday"],"time":"07:00"}"#;
        let wake = store.create_item(&hh, alarm(&dev, 100, Some(rule)), t(0)).await.unwrap();
        let first = store.mark_fired(&wake.id, 1, Some(t(200)), t(100), t(10_000)).await.unwrap().unwrap();
        let after = reload(store, &wake).await;
        assert_eq!((after.state, after.due_at, after.version), (ItemState::Pending, ms(200), 2));
        let second = store.mark_missed(&wake.id, 2, Some(t(300)), t(999)).await.unwrap().unwrap();
        assert_eq!(second.outcome, FiringOutcome::Missed);
        assert_eq!(second.due_at, ms(200));
        assert_ne!(first.id, second.id);
        let after = reload(store, &wake).await;
        assert_eq!((after.state, after.due_at, after.fire_count), (ItemState::Pending, ms(300), 2));

        // A one-off missed item stays, as missed, and is listed as such.
        let once = store.create_item(&hh, alarm(&dev, 50, None), t(0)).await.unwrap();
        store.mark_missed(&once.id, 1, None, t(5000)).await.unwrap().unwrap();
        assert_eq!(reload(store, &once).await.state, ItemState::Missed);
        let missed = store.firings(&hh, Some(FiringOutcome::Missed), 10).await.unwrap();
        assert_eq!(missed.iter().map(|f| &f.item).collect::<Vec<_>>(), vec![&once.id, &wake.id]);

        // A recurring alarm is not snoozed in place; a fired one-off is.
        let error = store
            .update_item(&hh, &wake.id, None, ItemChange::Snooze(t(400)), t(301))
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
        let fired = store.create_item(&hh, alarm(&dev, 60, None), t(0)).await.unwrap();
        store.mark_fired(&fired.id, 1, None, t(60), t(10_000)).await.unwrap().unwrap();
        let snoozed = store.update_item(&hh, &fired.id, Some(2), ItemChange::Snooze(t(600)), t(61)).await.unwrap();
        assert_eq!((snoozed.state, snoozed.due_at), (ItemState::Pending, ms(600)));
        // The snoozed occurrence is a new one: it fires again, under a new firing id.
        let again = store.mark_fired(&fired.id, 3, None, t(600), t(10_000)).await.unwrap().unwrap();
        assert_eq!(again.id.as_str(), format!("{}.3", fired.id));
    }

    async fn one_household_cannot_reach_anothers_items(fx: &Fixture) {
        let store = &fx.store;
        let (a, a_dev) = home(store, "A").await;
        let (b, b_dev) = home(store, "B").await;
        let item = store.create_item(&a, timer(&a_dev, 60, 60), t(0)).await.unwrap();
        // B cannot see, change or cancel it, nor set one on A's device.
        assert_eq!(store.item(&b, &item.id).await.unwrap(), None);
        assert!(store.items(&b, None, None).await.unwrap().is_empty());
        for change in [ItemChange::Pause, ItemChange::Cancel, ItemChange::Reschedule(t(9))] {
            let error = store.update_item(&b, &item.id, None, change, t(1)).await.unwrap_err();
            assert_eq!(error, StoreError::NotFound, "{change:?}");
        }
        let error = store.create_item(&b, timer(&a_dev, 60, 60), t(0)).await.unwrap_err();
        assert_eq!(error, StoreError::NotFound);
        store.create_item(&b, timer(&b_dev, 60, 60), t(0)).await.unwrap();
        store.mark_fired(&item.id, 1, None, t(60), t(10_000)).await.unwrap().unwrap();
        assert!(store.firings(&b, None, 10).await.unwrap().is_empty());
        assert_eq!(reload(store, &item).await.state, ItemState::Ringing);
        assert_eq!(store.items(&b, None, None).await.unwrap().len(), 1);

        // Removing a device removes its items.
        assert!(store.remove_device(&a, &a_dev).await.unwrap());
        assert!(store.items(&a, None, None).await.unwrap().is_empty());
    }

    async fn a_ring_ends_once_and_its_one_off_item_follows(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let (other, _) = home(store, "Other").await;
        let pasta = store.create_item(&hh, timer(&dev, 10, 10), t(0)).await.unwrap();
        let firing = store.mark_fired(&pasta.id, 1, None, t(10), t(70)).await.unwrap().unwrap();
        assert_eq!((firing.ring_until, firing.ended_at, firing.ended_by), (Some(ms(70)), None, None));
        assert!(firing.rings_at(t(69)) && !firing.rings_at(t(70)));
        assert_eq!(store.ringing(&hh, Some(&dev), t(20)).await.unwrap(), vec![firing.clone()]);
        assert_eq!(store.ringing(&hh, None, t(20)).await.unwrap(), vec![firing.clone()]);
        assert!(store.ringing(&hh, Some(&DeviceId::new("dev_elsewhere")), t(20)).await.unwrap().is_empty());
        assert_eq!(store.next_ring_end().await.unwrap(), Some(ms(70)));

        // Another household can neither see nor stop it.
        assert!(store.ringing(&other, None, t(20)).await.unwrap().is_empty());
        assert_eq!(store.end_ring(&other, &firing.id, RingEnd::Stopped, t(20)).await.unwrap(), None);

        // Stopped once: the item is fired, a second stop (or the limit) changes nothing.
        let stopped = store.end_ring(&hh, &firing.id, RingEnd::Stopped, t(20)).await.unwrap().unwrap();
        assert_eq!((stopped.ended_at, stopped.ended_by, stopped.outcome), (Some(ms(20)), Some(RingEnd::Stopped), FiringOutcome::Fired));
        let item = reload(store, &pasta).await;
        assert_eq!((item.state, item.version), (ItemState::Fired, 3));
        assert_eq!(store.end_ring(&hh, &firing.id, RingEnd::Stopped, t(21)).await.unwrap(), None);
        assert!(store.expire_rings(t(1000), 10).await.unwrap().is_empty());
        assert_eq!(store.next_ring_end().await.unwrap(), None);
        assert!(store.ringing(&hh, None, t(21)).await.unwrap().is_empty());

        // Unanswered: at its limit it ends, counts as missed, and waits to be told once.
        let wake = store.create_item(&hh, alarm(&dev, 100, None), t(0)).await.unwrap();
        let rang = store.mark_fired(&wake.id, 1, None, t(100), t(160)).await.unwrap().unwrap();
        assert!(store.expire_rings(t(159), 10).await.unwrap().is_empty());
        let expired = store.expire_rings(t(160), 10).await.unwrap();
        assert_eq!(expired.len(), 1);
        assert_eq!((&expired[0].id, expired[0].outcome, expired[0].ended_by), (&rang.id, FiringOutcome::Missed, Some(RingEnd::Unanswered)));
        assert_eq!(reload(store, &wake).await.state, ItemState::Missed);
        assert_eq!(store.missed_untold(&hh, &dev, 10).await.unwrap(), expired);
        assert!(store.missed_untold(&other, &dev, 10).await.unwrap().is_empty());
        store.mark_told(&other, std::slice::from_ref(&rang.id), t(170)).await.unwrap();
        assert_eq!(store.missed_untold(&hh, &dev, 10).await.unwrap().len(), 1);
        store.mark_told(&hh, std::slice::from_ref(&rang.id), t(170)).await.unwrap();
        store.mark_told(&hh, std::slice::from_ref(&rang.id), t(180)).await.unwrap();
        assert!(store.missed_untold(&hh, &dev, 10).await.unwrap().is_empty());
        assert_eq!(store.firing(&hh, &rang.id).await.unwrap().unwrap().announced_at, Some(ms(170)));

        // Snoozed through the item first: ending the old ring leaves the snoozed item alone,
        // and its next occurrence rings under a new id.
        let nap = store.create_item(&hh, alarm(&dev, 200, None), t(0)).await.unwrap();
        let first = store.mark_fired(&nap.id, 1, None, t(200), t(260)).await.unwrap().unwrap();
        let snoozed = store.update_item(&hh, &nap.id, Some(2), ItemChange::Snooze(t(300)), t(201)).await.unwrap();
        store.end_ring(&hh, &first.id, RingEnd::Snoozed, t(201)).await.unwrap().unwrap();
        assert_eq!(reload(store, &nap).await, snoozed);
        let second = store.mark_fired(&nap.id, 3, None, t(300), t(360)).await.unwrap().unwrap();
        assert_ne!(first.id, second.id);
        assert_eq!(reload(store, &nap).await.state, ItemState::Ringing);

        // A recurring alarm's ring lives on its firing alone; the item is already pending.
        let rule = r#"{"weekdays":["monday"],"time":"07:00"}"#;
        let weekly = store.create_item(&hh, alarm(&dev, 400, Some(rule)), t(0)).await.unwrap();
        let ring = store.mark_fired(&weekly.id, 1, Some(t(9000)), t(400), t(460)).await.unwrap().unwrap();
        store.end_ring(&hh, &ring.id, RingEnd::Stopped, t(401)).await.unwrap().unwrap();
        let after = reload(store, &weekly).await;
        assert_eq!((after.state, after.due_at, after.version), (ItemState::Pending, ms(9000), 2));

        // A missed occurrence never rang: it cannot be stopped, only told.
        let late = store.create_item(&hh, alarm(&dev, 500, None), t(0)).await.unwrap();
        let missed = store.mark_missed(&late.id, 1, None, t(5000)).await.unwrap().unwrap();
        assert_eq!((missed.ring_until, missed.ended_at, missed.ended_by), (None, Some(ms(5000)), None));
        assert_eq!(store.end_ring(&hh, &missed.id, RingEnd::Stopped, t(5001)).await.unwrap(), None);
        let error = store.end_ring(&hh, &hark_store::FiringId::new("nonsense"), RingEnd::Stopped, t(1)).await.unwrap_err();
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
    }

    async fn undelivered_firings_page_in_order(fx: &Fixture) {
        let store = &fx.store;
        let (hh, dev) = home(store, "Home").await;
        let mut fired = Vec::new();
        // Two at the same instant (ordered by id), one later.
        for (due, at) in [(10, 20), (11, 20), (12, 30)] {
            let item = store.create_item(&hh, timer(&dev, due, due), t(0)).await.unwrap();
            fired.push(store.mark_fired(&item.id, 1, None, t(at), t(10_000)).await.unwrap().unwrap());
        }
        let ids = |page: Vec<hark_store::Firing>| page.into_iter().map(|f| f.id).collect::<Vec<_>>();
        let all = ids(store.undelivered_firings(None, 10).await.unwrap());
        assert_eq!(all, fired.iter().map(|f| f.id.clone()).collect::<Vec<_>>());
        // Page by page, one at a time, past each: none is skipped or seen twice.
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = store.undelivered_firings(after.as_ref(), 1).await.unwrap();
            let Some(last) = page.last().cloned() else { break };
            paged.push(last.id.clone());
            after = Some(last);
        }
        assert_eq!(paged, all);
    }
}
