//! The crash test of issue 4: 10,000 pending timers, alarms and reminders, and a scheduler
//! process killed with SIGKILL at random moments, over and over; after each restart nothing
//! acknowledged is lost and nothing is recorded or rung twice.
//!
//! A kill needs a process of its own. The worker is this very test binary, run again with
//! `--ignored --exact sigkill::worker` and its orders in `HARK_CRASH_WORKER` (the test harness
//! runs one named test, so this works the same under `cargo test` and `cargo nextest`, and
//! needs no extra binary to be built and found). The worker runs the production driver,
//! [`Scheduler::run`], on a clock offset from the system's, so the items the parent wrote
//! come due, over a few seconds, while it runs. Its sink is what the server's must be: it keeps
//! each `FiringId` durably (appended to a file and fsynced) before it answers, and drops a
//! repeat, so that at-least-once delivery rings once.
//!
//! Half the kills come from the parent after the sink's log has grown by a random number of
//! firings (so they land anywhere: loading, marking, delivering, acknowledging; each wait is bounded
//! at a second); the other
//! half are the worker killing itself inside the sink, after a firing is durable there and
//! before the scheduler acknowledges it, which is the one crash that makes a firing be
//! delivered twice. The seed is fixed, so a failure can be run again.
//!
//! Waiting here is for the child to make progress, polled every few milliseconds and bounded;
//! nothing waits for a timer's length, and the due times span only a few seconds.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hark_core::{ManualClock, OffsetClock};
use hark_scheduler::{
    BoxFuture, Config, DeliveryError, FiredSink, Firing, ItemKind, ItemState, Recurrence, Scheduler,
};
use hark_store::{NewItem, Store};
use hark_testkit::SplitMix;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::support::{random_suffix, t, Fixture, Kind};

/// How many items the parent writes before the first start.
const ITEMS: usize = 10_000;
/// How many times the worker is killed before the run that finishes the work.
const KILLS: u32 = 24;
/// The seed of every random choice (which kill, when), so a failure can be replayed.
const SEED: u64 = 0x4841_524b_0004;
/// The worker's orders, as JSON.
const ORDERS: &str = "HARK_CRASH_WORKER";
/// The longest wait for a child to make progress or to die.
const BOUND: Duration = Duration::from_secs(60);
/// Where the due times start (virtual time), and how long they spread.
const WINDOW_START_S: i64 = 58;
const WINDOW_MS: i64 = 4_000;
/// The virtual instant at the real instant the test starts: a second before the first item.
const VIRTUAL_START_S: i64 = 57;

both! {
    async fn ten_thousand_items_survive_repeated_sigkill(fx: &Fixture) {
        let dir = std::env::temp_dir().join(format!("hark-sigkill-{}", random_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        let result = run_crash_test(fx, &dir).await;
        let _ = std::fs::remove_dir_all(&dir);
        result.unwrap();
    }
}

async fn run_crash_test(fx: &Fixture, dir: &Path) -> Result<(), String> {
    let store = &fx.store;
    let household = store
        .create_household("Home", "UTC", None, t(0))
        .await
        .unwrap();
    let device = store
        .add_device(&household.id, "kitchen", t(0))
        .await
        .unwrap();
    let hh = household.id;

    // The items: a fifth each of timers, reminders and one-off alarms due across the window,
    // and two fifths recurring alarms (every day, on weekdays, on Thursdays: 2026-01-01 is a
    // Thursday) whose first occurrence is 00:01, in the middle of it.
    let rules = [
        json!({"weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], "time": "00:01"}),
        json!({"weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday"], "time": "00:01"}),
        json!({"weekdays": ["thursday"], "time": "00:01"}),
    ];
    let created_at = t(0);
    let new: Vec<NewItem> = (0..ITEMS)
        .map(|i| {
            let spread = SignedDuration::from_millis(WINDOW_MS * i as i64 / ITEMS as i64);
            let due_at = t(WINDOW_START_S) + spread;
            let mut item = NewItem {
                device: device.id.clone(),
                kind: ItemKind::Alarm,
                name: None,
                label: None,
                sound: None,
                text: None,
                due_at,
                duration: None,
                recurrence: None,
                time_zone: None,
            };
            match i % 5 {
                0 => {
                    item.kind = ItemKind::Timer;
                    item.duration = Some(due_at.duration_since(created_at));
                }
                1 => {
                    item.kind = ItemKind::Reminder;
                    item.text = Some(format!("reminder {i}"));
                }
                2 => item.label = Some(format!("alarm {i}")),
                _ => {
                    let rule = Recurrence::from_json(&rules[i % 3]).unwrap();
                    item.due_at = rule.next_after(created_at, &TimeZone::UTC).unwrap();
                    item.recurrence = Some(rule.to_json().to_string());
                    item.time_zone = Some("UTC".into());
                }
            }
            item
        })
        .collect();
    let window_end = t(WINDOW_START_S) + SignedDuration::from_millis(WINDOW_MS);
    assert!(new
        .iter()
        .all(|i| i.due_at <= window_end && i.due_at >= t(WINDOW_START_S)));
    let items = store.create_items(&hh, new, created_at).await.unwrap();
    let ids: BTreeSet<String> = items.iter().map(|i| i.id.to_string()).collect();
    // Every item fires exactly once in the window (a recurring one then moves on): the firing
    // ids the sink must hold at the end, each once.
    let expected: BTreeSet<String> = ids.iter().map(|id| format!("{id}.1")).collect();

    let offset = t(VIRTUAL_START_S).duration_since(Timestamp::now());
    let log = dir.join("firings.log");
    let mut rng = SplitMix(SEED);
    let (mut self_kills, mut outside_kills) = (0, 0);
    for restart in 0..KILLS {
        let die_in_sink = restart % 2 == 1;
        let die_after = die_in_sink.then(|| 1 + rng.below(40));
        let mut child = spawn_worker(fx, dir, offset, die_after, restart);
        if die_in_sink {
            // It kills itself between the sink's fsync and the acknowledgement; if it has
            // nothing left to deliver, it is killed from here instead. The bound is generous:
            // on a loaded machine (CI runs the suite in parallel) a worker can take seconds to
            // start, and giving up early would turn the kills this test is about into others.
            let started = Instant::now();
            let died = loop {
                if child.try_wait().unwrap().is_some() {
                    break true;
                }
                if started.elapsed() > Duration::from_secs(30) || logged(&log) >= ITEMS as u64 {
                    break false;
                }
                std::thread::sleep(Duration::from_millis(2));
            };
            if died {
                self_kills += 1;
            } else {
                child.kill().unwrap();
                outside_kills += 1;
            }
        } else {
            let from = logged(&log);
            let grow = 1 + rng.below(700);
            let started = Instant::now();
            while logged(&log) < from + grow
                && logged(&log) < ITEMS as u64
                && started.elapsed() < Duration::from_secs(1)
            {
                if child.try_wait().unwrap().is_some() {
                    return Err(format!(
                        "worker {restart} exited: {}",
                        worker_log(dir, restart)
                    ));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            std::thread::sleep(Duration::from_micros(rng.below(3_000)));
            child.kill().unwrap();
            outside_kills += 1;
        }
        let status = child.wait().unwrap();
        settle_postgres(fx, dir).await;
        // Killed (signal), never a clean exit or a panic.
        if status.code().is_some() {
            return Err(format!(
                "worker {restart} ended with {status}, not a kill: {}",
                worker_log(dir, restart)
            ));
        }
        check_invariants(store, &hh, &ids, &log)
            .await
            .map_err(|e| format!("after kill {restart}: {e}"))?;
    }

    // The last run finishes the work; then it too is killed, and one pass in this process
    // empties the outbox (acknowledging what the sink had but the store did not).
    let mut child = spawn_worker(fx, dir, offset, None, KILLS);
    let started = Instant::now();
    while logged(&log) < ITEMS as u64 {
        if started.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the last run delivered {} of {ITEMS} in {BOUND:?}: {}",
                logged(&log),
                worker_log(dir, KILLS)
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    settle_postgres(fx, dir).await;

    let sink = Arc::new(DedupSink::open(dir, None));
    let clock = Arc::new(ManualClock::new(window_end + SignedDuration::from_secs(1)));
    let scheduler = Scheduler::new(
        fx.open_again().await.unwrap(),
        clock,
        sink.clone(),
        Config::default(),
    );
    let tick = scheduler.tick().await.unwrap();
    assert!(tick.recorded.is_empty(), "all was recorded by the workers");
    check_invariants(store, &hh, &ids, &log).await?;

    // Every occurrence once in the sink's log, and nothing else.
    let lines = read_lines(&log);
    let logged_set: BTreeSet<String> = lines.iter().cloned().collect();
    assert_eq!(lines.len(), logged_set.len(), "a firing rang twice");
    assert_eq!(logged_set, expected);
    // Once in the store, and acknowledged.
    let firings = store.firings(&hh, None, 2 * ITEMS as u32).await.unwrap();
    assert_eq!(firings.len(), ITEMS);
    assert!(firings.iter().all(|f| f.delivered_at.is_some()));
    for item in store.items(&hh, None, None).await.unwrap() {
        assert_eq!(item.fire_count, 1, "{}", item.id);
        if item.recurrence.is_some() {
            assert_eq!(item.state, ItemState::Pending);
            assert!(item.due_at > window_end + SignedDuration::from_hours(23));
        } else {
            assert!(matches!(item.state, ItemState::Ringing | ItemState::Missed));
        }
    }
    // The deliveries the sink dropped as repeats: the kills inside the sink must have made
    // some, or the test did not test what it says.
    let deliveries = read_lines(&dir.join("deliveries.log")).len();
    let repeats = deliveries - ITEMS;
    assert!(
        self_kills >= (KILLS / 4),
        "only {self_kills} kills came inside the sink"
    );
    assert!(
        repeats >= 1,
        "no firing was delivered twice, so no dedupe was tested"
    );
    eprintln!(
        "{ITEMS} items, {self_kills} kills inside the sink, {outside_kills} from outside, \
         {deliveries} deliveries, {repeats} repeats dropped by id"
    );
    Ok(())
}

/// What must hold whenever no worker runs: every item created is there; each recorded
/// occurrence is recorded once (an item's count of firings is its fire count, at most one
/// here); everything acknowledged is in the sink's log; and the sink holds nothing the store
/// did not record, each once.
async fn check_invariants(
    store: &Store,
    hh: &hark_core::HouseholdId,
    ids: &BTreeSet<String>,
    log: &Path,
) -> Result<(), String> {
    let items = store
        .items(hh, None, None)
        .await
        .map_err(|e| e.to_string())?;
    let present: BTreeSet<String> = items.iter().map(|i| i.id.to_string()).collect();
    if &present != ids {
        return Err(format!("{} items of {} left", present.len(), ids.len()));
    }
    let firings = store
        .firings(hh, None, 2 * ITEMS as u32)
        .await
        .map_err(|e| e.to_string())?;
    let mut per_item: BTreeMap<String, i64> = BTreeMap::new();
    for firing in &firings {
        *per_item.entry(firing.item.to_string()).or_default() += 1;
    }
    for item in &items {
        let recorded = per_item.get(item.id.as_str()).copied().unwrap_or(0);
        if recorded != item.fire_count || recorded > 1 {
            return Err(format!(
                "{}: fire count {}, {recorded} firings recorded",
                item.id, item.fire_count
            ));
        }
    }
    let lines = read_lines(log);
    let in_sink: HashSet<&str> = lines.iter().map(String::as_str).collect();
    if in_sink.len() != lines.len() {
        return Err("the sink's log holds a firing twice".into());
    }
    let recorded: HashSet<&str> = firings.iter().map(|f| f.id.as_str()).collect();
    if let Some(stray) = in_sink.iter().find(|id| !recorded.contains(*id)) {
        return Err(format!(
            "the sink has {stray}, which the store never recorded"
        ));
    }
    if let Some(lost) = firings
        .iter()
        .find(|f| f.delivered_at.is_some() && !in_sink.contains(f.id.as_str()))
    {
        return Err(format!(
            "{} was acknowledged but the sink does not have it",
            lost.id
        ));
    }
    Ok(())
}

/// The PostgreSQL sessions of a killed worker can outlive it for a moment: the server may
/// still be committing the last transaction the worker sent. The checks read items and firings
/// in two statements, so they wait until those sessions are gone (each worker names its
/// sessions after the test's folder). SQLite has nothing to wait for: the process is gone.
async fn settle_postgres(fx: &Fixture, dir: &Path) {
    if fx.kind != Kind::Postgres {
        return;
    }
    let (client, connection) = tokio_postgres::connect(&fx.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let name = session_name(dir);
    let started = Instant::now();
    loop {
        let row = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                &[&name],
            )
            .await
            .unwrap();
        if row.get::<_, i64>(0) == 0 {
            return;
        }
        assert!(
            started.elapsed() < BOUND,
            "a killed worker's sessions stay open"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// What a worker's PostgreSQL sessions are called.
fn session_name(dir: &Path) -> String {
    format!(
        "hark_crash_{}",
        dir.file_name().unwrap().to_string_lossy().replace('-', "_")
    )
}

/// The worker's orders.
fn spawn_worker(
    fx: &Fixture,
    dir: &Path,
    offset: SignedDuration,
    die_after: Option<u64>,
    run: u32,
) -> Child {
    let url = match fx.kind {
        Kind::Sqlite => fx.url(),
        Kind::Postgres => format!("{}&application_name={}", fx.url(), session_name(dir)),
    };
    let orders = json!({
        "url": url,
        "dir": dir,
        "offset_ms": offset.as_millis() as i64,
        "die_after": die_after,
    });
    let stderr = File::create(dir.join(format!("worker-{run}.log"))).unwrap();
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "sigkill::worker",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ORDERS, orders.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

fn worker_log(dir: &Path, run: u32) -> String {
    std::fs::read_to_string(dir.join(format!("worker-{run}.log"))).unwrap_or_default()
}

/// The worker: the production run loop over the parent's database, until it is killed. Run
/// only by the crash test above (it does nothing without its orders).
#[test]
#[ignore = "the crash test's worker process; the crash test runs it"]
fn worker() {
    let Ok(orders) = std::env::var(ORDERS) else {
        return;
    };
    let orders: serde_json::Value = serde_json::from_str(&orders).unwrap();
    let url = orders["url"].as_str().unwrap().to_owned();
    let dir = PathBuf::from(orders["dir"].as_str().unwrap());
    let offset = SignedDuration::from_millis(orders["offset_ms"].as_i64().unwrap());
    let die_after = orders["die_after"].as_u64();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let store = Store::open(&url).await.unwrap();
        let sink = Arc::new(DedupSink::open(&dir, die_after));
        let clock = Arc::new(OffsetClock::new(offset));
        let scheduler = Scheduler::new(store, clock, sink, Config::default());
        let ended = scheduler.run(std::future::pending()).await;
        panic!("the run loop ended: {ended:?}");
    });
}

/// The sink the server must have: a firing is kept durably, by id, before it is accepted, and
/// a repeat is dropped. Every delivery, repeats included, also goes to `deliveries.log`, so
/// the test can tell that repeats happened.
struct DedupSink {
    state: Mutex<SinkState>,
    /// Kill this process after this many firings were made durable, before answering.
    die_after: Option<u64>,
}

struct SinkState {
    log: File,
    deliveries: File,
    seen: HashSet<String>,
    kept: u64,
}

impl DedupSink {
    fn open(dir: &Path, die_after: Option<u64>) -> DedupSink {
        let path = dir.join("firings.log");
        let mut log = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .unwrap();
        let mut text = String::new();
        log.read_to_string(&mut text).unwrap();
        // A line cut short by a kill mid-write was never accepted: drop it.
        let whole = text.rfind('\n').map_or(0, |end| end + 1);
        log.set_len(whole as u64).unwrap();
        log.sync_all().unwrap();
        let seen = text[..whole].lines().map(str::to_owned).collect();
        let deliveries = OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("deliveries.log"))
            .unwrap();
        DedupSink {
            state: Mutex::new(SinkState {
                log,
                deliveries,
                seen,
                kept: 0,
            }),
            die_after,
        }
    }
}

impl FiredSink for DedupSink {
    fn deliver<'a>(&'a self, firing: &'a Firing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async move {
            let mut state = self.state.lock().unwrap();
            let id = firing.id.as_str();
            writeln!(state.deliveries, "{id}").unwrap();
            if state.seen.contains(id) {
                return Ok(());
            }
            state.log.write_all(format!("{id}\n").as_bytes()).unwrap();
            state.log.sync_data().unwrap();
            state.seen.insert(id.to_owned());
            state.kept += 1;
            if Some(state.kept) == self.die_after {
                // Durable here, not yet acknowledged in the store: die now.
                let _ = Command::new("kill")
                    .args(["-KILL", &std::process::id().to_string()])
                    .status();
                loop {
                    std::thread::park();
                }
            }
            Ok(())
        })
    }
}

/// How many firings the sink's log holds (every id has the same length: `xxx_` and 12
/// characters, `.1` and a newline).
fn logged(log: &Path) -> u64 {
    const LINE: u64 = 4 + 12 + 2 + 1;
    std::fs::metadata(log).map_or(0, |m| m.len() / LINE)
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}
