//! Restarts and crashes: what came due while hark was down fires within the grace or is
//! reported missed; a crash at each failure point loses nothing and records nothing twice.

use std::collections::BTreeSet;

use hark_scheduler::{AlarmTime, FailPoint, FiringOutcome, ItemState, Recurrence, SchedulerError};
use jiff::SignedDuration;
use serde_json::json;

use crate::support::{t, Harness};

both! {
    async fn recovery_fires_within_the_grace_and_reports_the_rest(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let s = &h.scheduler;
        let long_late = s.start_timer(&hh, &dev, SignedDuration::from_secs(60), None).await.unwrap();
        let just_late = s.start_timer(&hh, &dev, SignedDuration::from_secs(600), None).await.unwrap();
        let not_yet = s.add_reminder(&hh, &dev, t(3600), "later").await.unwrap();
        let rule = Recurrence::from_json(&json!({"weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], "time": "00:05"})).unwrap();
        let daily = s.set_alarm(&hh, &dev, AlarmTime::Every(rule), None).await.unwrap();
        assert_eq!(daily.due_at, t(300));
        drop(h.scheduler);

        // Down until 11 minutes in: the first timer is 10 minutes late (missed), the second
        // 1 minute (fires), the alarm 6 minutes (fires).
        let h = Harness::on(fx.open_again().await.unwrap(), h.clock.clone());
        let tick = h.at(t(660)).await;
        let outcome = |id| tick.recorded.iter().find(|f| &f.item == id).map(|f| f.outcome);
        assert_eq!(outcome(&long_late.id), Some(FiringOutcome::Missed));
        assert_eq!(outcome(&just_late.id), Some(FiringOutcome::Fired));
        assert_eq!(outcome(&daily.id), Some(FiringOutcome::Fired));
        assert_eq!(outcome(&not_yet.id), None);
        assert_eq!(h.sink.all().len(), 3, "missed ones are delivered too, as missed");
        let s = &h.scheduler;
        assert_eq!(s.item(&hh, &long_late.id).await.unwrap().unwrap().state, ItemState::Missed);
        assert_eq!(s.item(&hh, &just_late.id).await.unwrap().unwrap().state, ItemState::Ringing);

        // Down for three days: the alarm's missed occurrences are reported once, and it moves on
        // to the next one after now.
        drop(h.scheduler);
        let h = Harness::on(fx.open_again().await.unwrap(), h.clock.clone());
        let now = t(3 * 86_400 + 3600);
        let tick = h.at(now).await;
        assert_eq!(tick.recorded.len(), 2);
        // What rang before (the timer just late, the alarm's first occurrence) rang to its
        // limit with nobody there: missed too.
        assert_eq!(tick.unanswered.len(), 2);
        let alarm = tick.recorded.iter().find(|f| f.item == daily.id).unwrap();
        assert_eq!((alarm.outcome, alarm.due_at), (FiringOutcome::Missed, t(86_400 + 300)));
        let reminder = tick.recorded.iter().find(|f| f.item == not_yet.id).unwrap();
        assert_eq!(reminder.outcome, FiringOutcome::Missed);
        let daily = h.scheduler.item(&hh, &daily.id).await.unwrap().unwrap();
        assert_eq!((daily.state, daily.due_at), (ItemState::Pending, t(4 * 86_400 + 300)));

        let missed: BTreeSet<_> = h.scheduler.missed(&hh, 10).await.unwrap().into_iter().map(|f| f.item).collect();
        assert_eq!(missed, BTreeSet::from([long_late.id, just_late.id, not_yet.id, daily.id]));
        // Nothing more, however often the loop passes.
        assert!(h.at(now).await.recorded.is_empty());
        assert!(h.at(now).await.delivered.is_empty());
    }

    async fn crash_at_each_point_loses_nothing_and_records_nothing_twice(fx: &Fixture) {
        for point in [FailPoint::LoadedDue, FailPoint::MarkedFired, FailPoint::Delivered] {
            let h = Harness::new(fx);
            let (hh, dev) = h.home("UTC").await;
            let base = t(0);
            let mut ids = BTreeSet::new();
            for seconds in [10, 20, 30] {
                let timer = h.scheduler.start_timer(&hh, &dev, SignedDuration::from_secs(seconds), None).await.unwrap();
                ids.insert(timer.id);
            }
            let when = base + SignedDuration::from_secs(40);

            h.scheduler.fail_at(point);
            h.clock.set(when);
            assert_eq!(h.scheduler.tick().await.unwrap_err(), SchedulerError::Crashed(point));
            // It stays down.
            assert_eq!(h.scheduler.tick().await.unwrap_err(), SchedulerError::Crashed(point));
            let before_crash = h.sink.ids();

            let restarted = h.restart(fx).await;
            let tick = restarted.at(when).await;
            let after = restarted.sink.ids();
            assert_eq!(tick.delivered, after);

            // Every timer fired once, and each occurrence was recorded once.
            let items = restarted.scheduler.items(&hh, None, None).await.unwrap();
            assert_eq!(items.iter().map(|i| i.id.clone()).collect::<BTreeSet<_>>(), ids);
            for item in &items {
                assert_eq!((item.state, item.fire_count), (ItemState::Ringing, 1), "{point:?}");
            }
            let firings = restarted.scheduler.store().firings(&hh, None, 100).await.unwrap();
            assert_eq!(firings.len(), 3, "{point:?}");
            assert!(firings.iter().all(|f| f.delivered_at.is_some()), "{point:?}");
            let delivered: BTreeSet<_> = before_crash.iter().chain(&after).cloned().collect();
            assert_eq!(delivered.len(), 3, "{point:?}: nothing lost");

            // What the sink saw twice: only at-least-once's one repeat, after a crash between
            // the sink taking a firing and its acknowledgement, under the same id.
            let repeats = before_crash.len() + after.len() - delivered.len();
            match point {
                FailPoint::LoadedDue | FailPoint::MarkedFired => {
                    assert!(before_crash.is_empty());
                    assert_eq!(repeats, 0);
                }
                FailPoint::Delivered => {
                    assert_eq!(before_crash.len(), 1);
                    assert_eq!(repeats, 1);
                    assert!(after.contains(&before_crash[0]));
                }
            }
            // A pass later: nothing.
            let tick = restarted.at(when + SignedDuration::from_secs(1)).await;
            assert!(tick.recorded.is_empty() && tick.delivered.is_empty());
        }
    }

    async fn a_refused_delivery_is_offered_again(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let timer = h.scheduler.start_timer(&hh, &dev, SignedDuration::from_secs(10), None).await.unwrap();
        *h.sink.refuse.lock().unwrap() = true;
        let tick = h.at(t(10)).await;
        assert!(tick.refused);
        assert_eq!(tick.recorded.len(), 1);
        assert!(tick.delivered.is_empty());
        assert_eq!(tick.next_wake, Some(t(11)));
        *h.sink.refuse.lock().unwrap() = false;
        let tick = h.at(t(11)).await;
        assert!(tick.recorded.is_empty());
        assert_eq!(tick.delivered, vec![format!("{}.1", timer.id).as_str().into()]);
        // Nothing is pending; the loop comes back when the ring reaches its limit.
        assert_eq!(tick.next_wake, Some(t(10) + h.scheduler.config().ring_limit));
        assert_eq!(h.sink.all().len(), 1);
    }

    async fn an_offline_device_holds_up_no_other(fx: &Fixture) {
        let mut h = Harness::new(fx);
        h.scheduler = hark_scheduler::Scheduler::new(
            h.scheduler.store().clone(),
            h.clock.clone(),
            h.sink.clone(),
            hark_scheduler::Config { batch: 2, ..Default::default() },
        );
        let (hh, kitchen) = h.home("UTC").await;
        let bedroom = h.scheduler.store().add_device(&hh, "bedroom", t(0)).await.unwrap().id;
        *h.sink.offline.lock().unwrap() = Some(kitchen.clone());
        // The kitchen's five come first, more than a page of them; the bedroom's last.
        for n in 0..5 {
            h.scheduler.start_timer(&hh, &kitchen, SignedDuration::from_secs(10 + n), None).await.unwrap();
        }
        let bedroom_timer = h.scheduler.start_timer(&hh, &bedroom, SignedDuration::from_secs(20), None).await.unwrap();
        let tick = h.at(t(30)).await;
        assert!(tick.refused);
        assert_eq!(h.sink.all().iter().map(|f| &f.item).collect::<Vec<_>>(), vec![&bedroom_timer.id]);
        // Back online: the kitchen's arrive, in order, once.
        *h.sink.offline.lock().unwrap() = None;
        let tick = h.at(t(31)).await;
        assert_eq!(tick.delivered.len(), 5);
        assert!(!tick.refused);
        assert_eq!(h.sink.all().len(), 6);
    }
}
