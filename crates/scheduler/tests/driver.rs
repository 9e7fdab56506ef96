//! The production driver: woken by a change, it fires what is due and stops on shutdown. The
//! test waits for the sink's signal, never for a timer: the manual clock says the item is due,
//! and `wake` makes the loop look.

use std::time::Duration;

use jiff::SignedDuration;

use crate::support::{t, Harness};

both! {
    async fn run_wakes_on_a_change_and_stops_on_shutdown(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let scheduler = h.scheduler.clone();
        let running = tokio::spawn(async move {
            scheduler.run(async { let _ = stopped.await; }).await
        });
        let timer = h.scheduler.start_timer(&hh, &dev, SignedDuration::from_secs(60), None).await.unwrap();
        // The clock says it is due; the change below wakes the loop, which finds it.
        h.clock.set(t(60));
        h.scheduler.wake();
        tokio::time::timeout(Duration::from_secs(10), h.sink.delivered.notified())
            .await
            .expect("the loop fires a due timer once woken");
        assert_eq!(h.sink.all()[0].item, timer.id);
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), running)
            .await
            .expect("run ends on shutdown")
            .unwrap()
            .unwrap();
    }
}
