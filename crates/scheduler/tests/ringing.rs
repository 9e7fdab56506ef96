//! Ringing: what fired rings on its device until it is stopped, snoozed or cancelled, or its
//! limit passes (then it counts as missed); every end is stored once and heard by the sink.

use hark_scheduler::{AlarmTime, FiringOutcome, ItemState, Recurrence, RingEnd, SchedulerError};
use jiff::SignedDuration;
use serde_json::json;

use crate::support::{t, Harness};

fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

both! {
    async fn stop_ends_the_ring_on_its_device_only(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, kitchen) = h.home("UTC").await;
        let bedroom = h.scheduler.store().add_device(&hh, "bedroom", t(0)).await.unwrap().id;
        let s = &h.scheduler;
        let pasta = s.start_timer(&hh, &kitchen, secs(10), Some("pasta")).await.unwrap();
        let wake = s.set_alarm(&hh, &bedroom, AlarmTime::Once(t(10)), Some("wake up")).await.unwrap();
        h.at(t(10)).await;

        let in_kitchen = s.ringing(&hh, Some(&kitchen)).await.unwrap();
        assert_eq!(in_kitchen.iter().map(|f| &f.item).collect::<Vec<_>>(), vec![&pasta.id]);
        assert_eq!(in_kitchen[0].ring_until, Some(t(10) + s.config().ring_limit));
        assert_eq!(s.ringing(&hh, None).await.unwrap().len(), 2);

        h.clock.set(t(15));
        let stopped = s.stop(&hh, &in_kitchen[0].id).await.unwrap();
        assert_eq!((stopped.ended_at, stopped.ended_by), (Some(t(15)), Some(RingEnd::Stopped)));
        assert_eq!(s.item(&hh, &pasta.id).await.unwrap().unwrap().state, ItemState::Fired);
        assert_eq!(h.sink.ended.lock().unwrap().clone(), vec![stopped.clone()]);
        // The bedroom still rings; stopping the kitchen's again is "not found" and changes
        // nothing.
        assert_eq!(s.ringing(&hh, Some(&bedroom)).await.unwrap()[0].item, wake.id);
        assert!(matches!(s.stop(&hh, &stopped.id).await, Err(SchedulerError::NotFound)));
        assert_eq!(h.sink.ended.lock().unwrap().len(), 1);

        // At the limit, the bedroom's ends unanswered and counts as missed; the stopped one
        // does not.
        let tick = h.at(t(10) + s.config().ring_limit).await;
        assert_eq!(tick.unanswered.len(), 1);
        assert_eq!(s.item(&hh, &wake.id).await.unwrap().unwrap().state, ItemState::Missed);
        let missed = s.missed(&hh, 10).await.unwrap();
        assert_eq!(missed.iter().map(|f| &f.item).collect::<Vec<_>>(), vec![&wake.id]);
        assert_eq!(missed[0].ended_by, Some(RingEnd::Unanswered));
    }

    async fn snooze_rings_again_later_under_a_new_id(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let s = &h.scheduler;
        let wake = s.set_alarm(&hh, &dev, AlarmTime::Once(t(60)), Some("wake up")).await.unwrap();
        h.at(t(60)).await;
        let ring = s.ringing(&hh, Some(&dev)).await.unwrap().remove(0);

        h.clock.set(t(70));
        let snoozed = s.snooze_ringing(&hh, &ring.id, None).await.unwrap();
        assert_eq!(snoozed.id, wake.id);
        assert_eq!((snoozed.state, snoozed.due_at), (ItemState::Pending, t(70) + s.config().snooze));
        assert!(s.ringing(&hh, None).await.unwrap().is_empty());
        assert_eq!(h.sink.ended.lock().unwrap()[0].ended_by, Some(RingEnd::Snoozed));
        // A snooze of what no longer rings is refused.
        assert!(matches!(s.snooze_ringing(&hh, &ring.id, None).await, Err(SchedulerError::NotFound)));

        let tick = h.at(snoozed.due_at).await;
        assert_eq!(tick.recorded.len(), 1);
        assert_ne!(tick.recorded[0].id, ring.id);
        assert_eq!(s.item(&hh, &wake.id).await.unwrap().unwrap().state, ItemState::Ringing);
    }

    async fn a_weekly_alarm_rings_while_its_next_occurrence_waits(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let s = &h.scheduler;
        let rule = Recurrence::from_json(&json!({"weekdays": ["thursday"], "time": "07:00"})).unwrap();
        // t(0) is Thursday 2026-01-01 00:00 UTC.
        let weekly = s.set_alarm(&hh, &dev, AlarmTime::Every(rule), None).await.unwrap();
        h.at(weekly.due_at).await;
        let item = s.item(&hh, &weekly.id).await.unwrap().unwrap();
        assert_eq!(item.state, ItemState::Pending);
        assert_eq!(item.due_at, weekly.due_at + SignedDuration::from_hours(7 * 24));
        let ring = s.ringing(&hh, Some(&dev)).await.unwrap().remove(0);
        assert_eq!(ring.item, weekly.id);

        // Snoozing makes a one-off copy and ends the ring; the weekly alarm is untouched.
        h.clock.set(weekly.due_at + secs(5));
        let copy = s.snooze_ringing(&hh, &ring.id, Some(secs(300))).await.unwrap();
        assert_ne!(copy.id, weekly.id);
        assert_eq!(copy.due_at, weekly.due_at + secs(305));
        assert_eq!(s.item(&hh, &weekly.id).await.unwrap().unwrap(), item);

        // Cancelling the copy while it rings ends that ring too.
        h.at(copy.due_at).await;
        let again = s.ringing(&hh, None).await.unwrap().remove(0);
        assert_eq!(again.item, copy.id);
        s.cancel(&hh, &copy.id).await.unwrap();
        assert!(s.ringing(&hh, None).await.unwrap().is_empty());
        let ended = h.sink.ended.lock().unwrap().clone();
        assert_eq!(ended.last().map(|f| (&f.id, f.ended_by)), Some((&again.id, Some(RingEnd::Cancelled))));
        assert_eq!(ended.last().unwrap().outcome, FiringOutcome::Fired);
    }

    async fn a_ring_past_its_limit_while_hark_was_down_is_missed_on_restart(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let timer = h.scheduler.start_timer(&hh, &dev, secs(10), None).await.unwrap();
        h.at(t(10)).await;
        // hark stops; it starts again an hour later.
        let restarted = h.restart(fx).await;
        let tick = restarted.at(t(3600)).await;
        assert_eq!(tick.unanswered.len(), 1);
        let s = &restarted.scheduler;
        assert_eq!(s.item(&hh, &timer.id).await.unwrap().unwrap().state, ItemState::Missed);
        assert!(s.ringing(&hh, None).await.unwrap().is_empty());
        // A second pass finds nothing more to end.
        assert!(restarted.at(t(3601)).await.unanswered.is_empty());
    }

    async fn an_alarm_keeps_its_sound_through_firing_and_snooze(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let s = &h.scheduler;
        let error = s
            .set_alarm_with_sound(&hh, &dev, AlarmTime::Once(t(60)), None, Some("trumpets"))
            .await
            .unwrap_err();
        assert!(matches!(&error, SchedulerError::Invalid(m) if m.contains("birdsong")), "{error:?}");
        assert!(s.items(&hh, None, None).await.unwrap().is_empty());

        let alarm = s
            .set_alarm_with_sound(&hh, &dev, AlarmTime::Once(t(60)), None, Some(" Birdsong "))
            .await
            .unwrap();
        assert_eq!(alarm.sound.as_deref(), Some("birdsong"));
        let tick = h.at(t(60)).await;
        assert_eq!(tick.recorded[0].sound.as_deref(), Some("birdsong"));
        let snoozed = s.snooze_ringing(&hh, &tick.recorded[0].id, None).await.unwrap();
        assert_eq!(snoozed.sound.as_deref(), Some("birdsong"));
    }
}
