//! The crash test of issue 4 against the real `hark serve`: 10,000 pending timers and alarms,
//! a few hundred more created over HTTP while it is being killed, and the server killed with
//! SIGKILL at random moments, over and over. After each kill nothing acknowledged is lost; at
//! the end every item has fired exactly once, on its own device.
//!
//! Time: the items are written through the store before the first start (10,000 creations
//! over HTTP, each committed with an fsync, would take the best part of a minute), due within
//! a few seconds of a virtual instant, and every start of the server gets the same
//! `HARK_CLOCK_OFFSET_MS`, so that window comes round while it runs, as in hark-scheduler's
//! `sigkill` test. Nothing waits for a timer's length: the test waits only for the server to
//! make progress, polling every few milliseconds, each wait bounded.
//!
//! Around the server, in this process:
//! - a listener per device on `GET /v1/events` (with that device's token) appends the id of
//!   every event it gets to a file of its own, and reconnects after each restart. It is the
//!   device: a firing counts as rung once its id is in that file. Only the server is killed,
//!   so a plain append is durable enough here;
//! - two writers create timers and alarms (one-off and weekly) through `POST /v1/timers` and
//!   `POST /v1/alarms` until a few hundred were answered 201: those are acknowledged and must
//!   exist after every later kill, and fire. A request cut by a kill may or may not have been
//!   stored; either way, what is stored must fire once.
//!
//! The kills, from a fixed seed: while the writers run, after a random number of creations
//! were acknowledged or a random time (so they land mid-request, and mid-fire once the window
//! opens); then, while nothing arrives (a pass records every due item before it delivers any),
//! a few at random times (mid-fire); then after the listeners' files grew by a random number
//! of events (mid-delivery). A last start delivers the rest. [`Checks`] says what must hold
//! after each kill and at the end; a failure names the seed and the run, and keeps the
//! servers' logs and the listeners' files.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use hark_core::{DeviceId, HouseholdId};
use hark_store::{FiringOutcome, ItemKind, ItemState, NewHousehold, NewItem, Scope, Store};
use hark_testkit::SplitMix;
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};

use crate::support::{agent, data_dir, serve_with, Database, Running};

/// How many items are written before the first start.
const ITEMS: usize = 10_000;
/// How many creations over HTTP must be acknowledged.
const HTTP_ITEMS: usize = 300;
/// How many times the server is killed before the start that finishes the work.
const KILLS: u32 = 16;
/// The seed of every random choice (when to kill), so a failure can be replayed.
const SEED: u64 = 0x4841_524b_5345_5256;
/// The longest wait for the server or a listener to make progress.
const BOUND: Duration = Duration::from_secs(60);
/// The virtual instant (seconds after 2026-01-01T00:00:00Z, a Thursday) at the first start.
const VIRTUAL_START_S: i64 = 54;
/// Where the written items' due times start, and how long they spread. The weekly alarms'
/// first occurrence is 00:01, inside it.
const WINDOW_START_S: i64 = 56;
const WINDOW_MS: i64 = 5_000;
/// Weekly alarms are set over HTTP only before this virtual instant, so that the server,
/// a second or two later at worst, still finds their first occurrence at 00:01 today.
const WEEKLY_UNTIL_S: i64 = 58;

/// 2026-01-01T00:00:00Z plus `seconds`.
fn t(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_767_225_600 + seconds).unwrap()
}

/// The weekly rules: every day, on weekdays, on Thursdays; all due at 00:01 today.
fn rules() -> [Value; 3] {
    let time = "00:01";
    [
        json!({"weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], "time": time}),
        json!({"weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday"], "time": time}),
        json!({"weekdays": ["thursday"], "time": time}),
    ]
}

#[test]
fn ten_thousand_items_survive_repeated_sigkill_of_the_server_sqlite() {
    crash_test(Database::sqlite());
}

#[test]
fn ten_thousand_items_survive_repeated_sigkill_of_the_server_postgres() {
    crash_test(Database::postgres());
}

fn crash_test(db: Database) {
    let dir = data_dir("crash");
    std::fs::create_dir_all(&dir).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    match run(&runtime, &db, &dir) {
        Ok(report) => {
            eprintln!("{report} in {:.1} s", started.elapsed().as_secs_f64());
            let _ = std::fs::remove_dir_all(&dir);
        }
        Err(error) => panic!(
            "seed {SEED:#x}: {error}\n(the servers' logs and the listeners' files are in {})",
            dir.display()
        ),
    }
}

/// The household the test writes to, and how to reach it.
struct Setup {
    household: HouseholdId,
    admin: String,
    /// The two devices: id, name, and a token of their own.
    devices: Vec<(DeviceId, String, String)>,
    /// The items written before the first start.
    written: Vec<String>,
}

fn run(runtime: &tokio::runtime::Runtime, db: &Database, dir: &Path) -> Result<String, String> {
    let store = runtime
        .block_on(Store::open(&db.store_url(dir)))
        .map_err(|e| format!("opening the store: {e}"))?;
    let setup = runtime.block_on(prepare(&store));
    // The server's sessions carry a name of their own, so that after a kill the test can
    // wait for PostgreSQL to let go of them.
    let session = format!(
        "hark_crash_{}",
        dir.file_name().unwrap().to_string_lossy().replace('-', "_")
    );
    let database = if db.is_postgres() {
        let url = format!("{}&application_name={session}", db.store_url(dir));
        vec!["--database-url".to_string(), url]
    } else {
        db.args()
    };
    let offset = t(VIRTUAL_START_S).duration_since(Timestamp::now());
    let start = |run: u32| {
        let log = File::create(dir.join(format!("server-{run}.log"))).unwrap();
        serve_with(
            dir,
            &database,
            &[("HARK_CLOCK_OFFSET_MS", offset.as_millis().to_string())],
            Stdio::from(log),
        )
    };
    let checks = Checks {
        runtime,
        store: &store,
        setup: &setup,
        session: db.is_postgres().then_some(session.as_str()),
        dir,
    };

    let shared = Shared::default();
    let writes = Writes::default();
    let listeners: Vec<Listener> = setup
        .devices
        .iter()
        .map(|(id, name, _)| Listener::new(id.clone(), dir.join(format!("events-{name}.log"))))
        .collect();
    let names: Vec<&str> = setup.devices.iter().map(|(_, n, _)| n.as_str()).collect();
    std::thread::scope(|scope| {
        for (listener, (_, _, token)) in listeners.iter().zip(&setup.devices) {
            scope.spawn(|| listener.listen(&shared, token));
        }
        let writers: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| writes.write(&shared, &setup.admin, &names, offset)))
            .collect();
        let result = kill_repeatedly(&start, &shared, &writes, &listeners, &checks, writers);
        // Whatever happened, let the threads go: the servers are gone by now.
        shared.finish();
        result
    })
}

/// The kills, the last start, and the checks.
fn kill_repeatedly(
    start: &dyn Fn(u32) -> Running,
    shared: &Shared,
    writes: &Writes,
    listeners: &[Listener],
    checks: &Checks<'_>,
    writers: Vec<std::thread::ScopedJoinHandle<'_, ()>>,
) -> Result<String, String> {
    let mut rng = SplitMix(SEED);
    let received = || listeners.iter().map(|l| l.received()).sum::<usize>();
    let distinct = || listeners.iter().map(|l| l.distinct()).sum::<usize>();
    // What each run did, for the report and for a failure's message.
    let mut runs: Vec<String> = Vec::new();
    let failed = |runs: &[String], error: String| format!("{error}\nthe runs: {runs:#?}");
    let (mut creating, mut recording, mut delivering) = (0, 0, 0);
    let mut delivered_before = 0;
    let mut owed = Owed::new();
    for run in 0..KILLS {
        let mut server = start(run);
        shared.publish(&server.url);
        wait_for_owed(&owed, listeners).map_err(|e| failed(&runs, format!("run {run}: {e}")))?;
        let started = Instant::now();
        let alive = |server: &mut Running| match server.child.try_wait().unwrap() {
            None => Ok(()),
            Some(status) => Err(format!(
                "run {run}: the server ended by itself ({status}): {}",
                checks.log_tail(run)
            )),
        };
        let what = if writes.acknowledged() < HTTP_ITEMS {
            // Mid-request (and, once the window opened, mid-fire): after a random number of
            // acknowledged creations, or a random time.
            let until = (writes.acknowledged() + 1 + rng.below(80) as usize).min(HTTP_ITEMS);
            let deadline = Duration::from_millis(300 + rng.below(2_000));
            while writes.acknowledged() < until && started.elapsed() < deadline {
                alive(&mut server).map_err(|e| failed(&runs, e))?;
                std::thread::sleep(Duration::from_millis(1));
            }
            creating += 1;
            "creating"
        } else if received() == delivered_before && recording < 3 {
            // Nothing arrived during the last run: a pass records every due item before it
            // delivers, so the server is recording. Kill it at a random time.
            let deadline = Duration::from_millis(300 + rng.below(2_000));
            while started.elapsed() < deadline {
                alive(&mut server).map_err(|e| failed(&runs, e))?;
                std::thread::sleep(Duration::from_millis(2));
            }
            recording += 1;
            "recording"
        } else {
            // Mid-delivery: after the listeners got a random number of events, unless
            // everything there is already arrived.
            let until = received() + 1 + rng.below(1_500) as usize;
            while received() < until && distinct() < ITEMS + HTTP_ITEMS {
                alive(&mut server).map_err(|e| failed(&runs, e))?;
                if started.elapsed() > BOUND {
                    return Err(failed(
                        &runs,
                        format!("run {run}: nothing delivered in {BOUND:?}"),
                    ));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            delivering += 1;
            "delivering"
        };
        std::thread::sleep(Duration::from_micros(rng.below(3_000)));
        alive(&mut server).map_err(|e| failed(&runs, e))?;
        server.child.kill().unwrap(); // SIGKILL
        let status = server.child.wait().unwrap();
        shared.withdraw();
        runs.push(format!(
            "run {run}: killed {what} after {:.2} s; {} creations acknowledged, {} events received",
            started.elapsed().as_secs_f64(),
            writes.acknowledged(),
            received()
        ));
        if status.code().is_some() {
            let error = format!("run {run}: the server exited with {status}, not killed");
            return Err(failed(&runs, error));
        }
        owed = shared
            .drained(BOUND)
            .and_then(|()| checks.after_kill(writes, listeners))
            .map_err(|e| failed(&runs, format!("after kill {run}: {e}")))?;
        if !owed.is_empty() {
            runs.push(format!(
                "  {} acknowledged firings were not written out before the kill",
                owed.len()
            ));
        }
        delivered_before = received();
    }

    // The last start: the writers finish, then everything that is stored must arrive.
    let run = KILLS;
    let mut server = start(run);
    shared.publish(&server.url);
    wait_for_owed(&owed, listeners).map_err(|e| failed(&runs, format!("run {run}: {e}")))?;
    for writer in writers {
        writer.join().unwrap();
    }
    let refused = writes.refused.lock().unwrap().clone();
    if !refused.is_empty() {
        return Err(failed(&runs, format!("creations refused: {refused:?}")));
    }
    let stored = checks
        .items()
        .map_err(|e| failed(&runs, format!("run {run}: {e}")))?
        .len();
    let started = Instant::now();
    while distinct() < stored {
        if started.elapsed() > BOUND || server.child.try_wait().unwrap().is_some() {
            let error = format!(
                "run {run}: the listeners got {} of {stored} firings in {:?}: {}",
                distinct(),
                started.elapsed(),
                checks.log_tail(run)
            );
            return Err(failed(&runs, error));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // The last acknowledgements may still be on their way to the store.
    loop {
        let firings = checks.firings().map_err(|e| failed(&runs, e))?;
        if firings.iter().all(|f| f.delivered_at.is_some()) {
            break;
        }
        if started.elapsed() > BOUND {
            let error = format!("run {run}: not every firing was acknowledged in {BOUND:?}");
            return Err(failed(&runs, error));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    shared.withdraw();
    shared
        .drained(BOUND)
        .and_then(|()| checks.after_kill(writes, listeners))
        .and_then(|owed| match owed.is_empty() {
            true => Ok(()),
            false => Err(format!("acknowledged, never received: {owed:?}")),
        })
        .and_then(|()| checks.at_the_end(listeners))
        .map_err(|e| failed(&runs, format!("at the end: {e}")))?;
    let deliveries = received();
    let asked: Vec<String> = writes
        .acknowledged
        .lock()
        .unwrap()
        .iter()
        .map(|(_, asked)| asked.clone())
        .collect();
    let timers = asked.iter().filter(|a| a.starts_with("timers")).count();
    let weekly = asked.iter().filter(|a| a.contains("\"every\"")).count();
    Ok(format!(
        "{ITEMS} items written and {} created over HTTP ({timers} timers, {weekly} weekly \
         alarms, the rest one-off alarms; {stored} stored in all); {} kills: {creating} \
         creating, {recording} recording, {delivering} delivering; {deliveries} events, {} \
         of them repeats\n{}",
        asked.len(),
        creating + recording + delivering,
        deliveries - distinct(),
        runs.join("\n")
    ))
}

/// Firings acknowledged as delivered that their device had not got when the server died.
type Owed = HashSet<String>;

/// After a restart: every firing owed must reach its device once it connects again, since
/// a new connection is first sent what rings on it. Bounded by [`BOUND`].
fn wait_for_owed(owed: &Owed, listeners: &[Listener]) -> Result<(), String> {
    let started = Instant::now();
    loop {
        let got: HashSet<String> = listeners.iter().flat_map(|l| l.lines()).collect();
        let missing: Vec<&String> = owed.iter().filter(|id| !got.contains(*id)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        if started.elapsed() > BOUND {
            return Err(format!(
                "{} firings were acknowledged as delivered before the kill, and their device \
                 still did not get them after it connected again: {missing:?}",
                missing.len()
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The household, its two devices with a token each, and the items, written through the
/// store before the first start (so the server's first start finds a household and creates
/// none).
async fn prepare(store: &Store) -> Setup {
    let founded = store
        .create_first_household(
            NewHousehold {
                name: "Home",
                time_zone: "UTC",
                location: None,
                device: "kitchen",
                token_label: "admin (crash test)",
            },
            t(0),
        )
        .await
        .unwrap()
        .expect("a new database");
    let household = founded.household.id.clone();
    let hall = store.add_device(&household, "hall", t(0)).await.unwrap();
    let mut devices = Vec::new();
    for device in [founded.device, hall] {
        let (_, token) = store
            .create_token(
                &household,
                &device.name,
                Scope::Device(device.id.clone()),
                t(0),
            )
            .await
            .unwrap();
        devices.push((device.id, device.name, token));
    }
    // Two fifths timers and two fifths one-off alarms, due across the window, and a fifth
    // weekly alarms, due at 00:01; on the two devices in turn.
    let rules = rules();
    let created_at = t(0);
    let new: Vec<NewItem> = (0..ITEMS)
        .map(|i| {
            let spread = SignedDuration::from_millis(WINDOW_MS * i as i64 / ITEMS as i64);
            let due_at = t(WINDOW_START_S) + spread;
            let mut item = NewItem {
                device: devices[i % 2].0.clone(),
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
                0 | 1 => {
                    item.kind = ItemKind::Timer;
                    item.duration = Some(due_at.duration_since(created_at));
                }
                2 | 3 => item.label = Some(format!("alarm {i}")),
                _ => {
                    item.due_at = t(60);
                    item.recurrence = Some(rules[i % 3].to_string());
                    item.time_zone = Some("UTC".into());
                }
            }
            item
        })
        .collect();
    let written = store
        .create_items(&household, new, created_at)
        .await
        .unwrap()
        .into_iter()
        .map(|item| item.id.to_string())
        .collect();
    Setup {
        household,
        admin: founded.secret,
        devices,
        written,
    }
}

/// Which server is up, for the threads around it.
#[derive(Default)]
struct Shared {
    state: Mutex<ServerState>,
    changed: Condvar,
}

#[derive(Default)]
struct ServerState {
    /// Grows with every start.
    generation: u64,
    /// The running server's address; `None` while none runs.
    url: Option<String>,
    /// How many listeners are connecting to or reading from a server.
    reading: usize,
    /// The test is over: the threads end.
    done: bool,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, ServerState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn publish(&self, url: &str) {
        let mut state = self.lock();
        state.generation += 1;
        state.url = Some(url.to_string());
        self.changed.notify_all();
    }

    fn withdraw(&self) {
        self.lock().url = None;
        self.changed.notify_all();
    }

    fn finish(&self) {
        let mut state = self.lock();
        state.url = None;
        state.done = true;
        self.changed.notify_all();
    }

    /// Waits for a server started after generation `seen`; `None` once the test is over. A
    /// listener (`reading`) counts as reading from then until [`Shared::stopped_reading`].
    fn next(&self, seen: u64, reading: bool) -> Option<(u64, String)> {
        let mut state = self.lock();
        loop {
            if state.done {
                return None;
            }
            if state.generation > seen {
                if let Some(url) = state.url.clone() {
                    state.reading += usize::from(reading);
                    return Some((state.generation, url));
                }
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn stopped_reading(&self) {
        self.lock().reading -= 1;
        self.changed.notify_all();
    }

    /// Once the server is withdrawn and killed: waits until the listeners have read all it
    /// sent them.
    fn drained(&self, bound: Duration) -> Result<(), String> {
        let started = Instant::now();
        let mut state = self.lock();
        while state.reading > 0 {
            let left = bound.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err("a listener still reads from a killed server".into());
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        Ok(())
    }
}

/// A device listening on `/v1/events`: every event's id goes to its file.
struct Listener {
    device: DeviceId,
    file: PathBuf,
    /// Events received, repeats included.
    received: AtomicUsize,
    /// The ids received.
    ids: Mutex<HashSet<String>>,
    /// What went wrong on its side (an answer other than a stream, an event it could not
    /// read); the checks fail on any.
    problems: Mutex<Vec<String>>,
}

impl Listener {
    fn new(device: DeviceId, file: PathBuf) -> Listener {
        Listener {
            device,
            file,
            received: AtomicUsize::new(0),
            ids: Mutex::new(HashSet::new()),
            problems: Mutex::new(Vec::new()),
        }
    }

    fn received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }

    fn distinct(&self) -> usize {
        self.ids.lock().unwrap().len()
    }

    /// Listens to every server in turn until the test is over.
    fn listen(&self, shared: &Shared, token: &str) {
        // No timeout: the stream stays open until the server dies.
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5)))
            .build()
            .into();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.file)
            .unwrap();
        let mut seen = 0;
        while let Some((generation, url)) = shared.next(seen, true) {
            seen = generation;
            let response = agent
                .get(&format!("{url}/v1/events"))
                .header("Authorization", &format!("Bearer {token}"))
                .header("Accept", "text/event-stream")
                .call();
            match response {
                Ok(response) if response.status() == 200 => {
                    let reader = BufReader::new(response.into_body().into_reader());
                    // Until the server is killed (the stream ends, or breaks off mid-event).
                    for line in reader.lines() {
                        let Ok(line) = line else { break };
                        let Some(data) = line.strip_prefix("data: ") else {
                            continue;
                        };
                        let event = serde_json::from_str::<Value>(data);
                        let Some(id) = event.as_ref().ok().and_then(|e| e["id"].as_str()) else {
                            self.problem(format!("an event without an id: {data}"));
                            continue;
                        };
                        file.write_all(format!("{id}\n").as_bytes()).unwrap();
                        let id = id.to_string();
                        self.ids.lock().unwrap().insert(id);
                        self.received.fetch_add(1, Ordering::SeqCst);
                    }
                }
                Ok(response) => {
                    self.problem(format!("GET /v1/events answered {}", response.status()))
                }
                // The server was killed before it answered.
                Err(_) => {}
            }
            shared.stopped_reading();
        }
    }

    fn problem(&self, what: String) {
        self.problems.lock().unwrap().push(what);
    }

    /// The ids in its file, in order, repeats included.
    fn lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// The creations over HTTP.
#[derive(Default)]
struct Writes {
    next: AtomicUsize,
    /// The items answered 201: (id, what was asked).
    acknowledged: Mutex<Vec<(String, String)>>,
    /// Answers other than 201 (none is expected: a killed server answers nothing).
    refused: Mutex<Vec<String>>,
}

impl Writes {
    fn acknowledged(&self) -> usize {
        self.acknowledged.lock().unwrap().len()
    }

    /// Creates items until [`HTTP_ITEMS`] were acknowledged, through whichever server runs.
    fn write(&self, shared: &Shared, admin: &str, devices: &[&str], offset: SignedDuration) {
        let agent = agent();
        let rules = rules();
        let Some((mut generation, mut url)) = shared.next(0, false) else {
            return;
        };
        while self.acknowledged() < HTTP_ITEMS {
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            let now = Timestamp::now() + offset;
            let device = devices[n % devices.len()];
            let (path, body) = match n % 3 {
                0 => (
                    "timers",
                    json!({"seconds": 1 + (n / 3) % 3, "device": device}),
                ),
                1 if now < t(WEEKLY_UNTIL_S) => (
                    "alarms",
                    json!({"every": rules[(n / 3) % 3], "label": format!("weekly {n}"), "device": device}),
                ),
                _ => {
                    let at = now + SignedDuration::from_millis(1_000 + (n as i64 * 37) % 3_000);
                    (
                        "alarms",
                        json!({"at": at.to_string(), "label": format!("once {n}"), "device": device}),
                    )
                }
            };
            let sent = agent
                .post(&format!("{url}/v1/{path}"))
                .header("Authorization", &format!("Bearer {admin}"))
                .header("Content-Type", "application/json")
                .send(body.to_string());
            let answer = sent.and_then(|mut response| {
                let status = response.status().as_u16();
                Ok((status, response.body_mut().read_to_string()?))
            });
            match answer {
                Ok((201, text)) => match serde_json::from_str::<Value>(&text) {
                    Ok(item) if item["id"].is_string() => self.acknowledged.lock().unwrap().push((
                        item["id"].as_str().unwrap().to_string(),
                        format!("{path} {body}"),
                    )),
                    _ => self
                        .refused
                        .lock()
                        .unwrap()
                        .push(format!("{path} {body}: 201 {text}")),
                },
                Ok((status, text)) => self
                    .refused
                    .lock()
                    .unwrap()
                    .push(format!("{path} {body}: {status} {text}")),
                // Killed: on to the next server.
                Err(_) => match shared.next(generation, false) {
                    Some(next) => (generation, url) = next,
                    None => return,
                },
            }
        }
    }
}

/// What must hold whenever no server runs, and at the end.
struct Checks<'a> {
    runtime: &'a tokio::runtime::Runtime,
    store: &'a Store,
    setup: &'a Setup,
    /// The server's PostgreSQL sessions' name (none with SQLite).
    session: Option<&'a str>,
    dir: &'a Path,
}

impl Checks<'_> {
    fn items(&self) -> Result<Vec<hark_store::ScheduledItem>, String> {
        self.runtime
            .block_on(self.store.items(&self.setup.household, None, None))
            .map_err(|e| e.to_string())
    }

    fn firings(&self) -> Result<Vec<hark_store::Firing>, String> {
        let limit = 2 * (ITEMS + 2 * HTTP_ITEMS) as u32;
        self.runtime
            .block_on(self.store.firings(&self.setup.household, None, limit))
            .map_err(|e| e.to_string())
    }

    /// After a kill: every item written or acknowledged is there; each has at most one
    /// firing; each listener got only firings the store recorded for its device. Returns the
    /// firings the server acknowledged (took as delivered) that are not in their device's file
    /// yet: a kill can take an event handed over but not yet written out with it. Those still
    /// ring, so the next server must send them when the device connects again
    /// ([`wait_for_owed`]).
    fn after_kill(&self, writes: &Writes, listeners: &[Listener]) -> Result<Owed, String> {
        self.settle_postgres()?;
        let items = self.items()?;
        let present: HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
        if let Some(lost) = self
            .setup
            .written
            .iter()
            .find(|id| !present.contains(id.as_str()))
        {
            return Err(format!("the written item {lost} is gone"));
        }
        for (id, asked) in writes.acknowledged.lock().unwrap().iter() {
            if !present.contains(id.as_str()) {
                return Err(format!("{id} was acknowledged ({asked}) but is not stored"));
            }
        }
        let firings = self.firings()?;
        let mut by_item: HashMap<&str, &str> = HashMap::new();
        for firing in &firings {
            if let Some(other) = by_item.insert(firing.item.as_str(), firing.id.as_str()) {
                return Err(format!(
                    "{} fired twice: {other} and {}",
                    firing.item, firing.id
                ));
            }
        }
        let recorded: HashMap<&str, &hark_store::Firing> =
            firings.iter().map(|f| (f.id.as_str(), f)).collect();
        let mut owed = Owed::new();
        for listener in listeners {
            let problems = listener.problems.lock().unwrap().clone();
            if !problems.is_empty() {
                return Err(format!("{}: {problems:?}", listener.device));
            }
            let got: HashSet<String> = listener.lines().into_iter().collect();
            if let Some(stray) = got.iter().find(|id| {
                recorded
                    .get(id.as_str())
                    .is_none_or(|f| f.device != listener.device)
            }) {
                return Err(format!(
                    "{} got {stray}, which the store did not record for it",
                    listener.device
                ));
            }
            owed.extend(
                firings
                    .iter()
                    .filter(|f| {
                        f.device == listener.device
                            && f.delivered_at.is_some()
                            && !got.contains(f.id.as_str())
                    })
                    .map(|f| f.id.to_string()),
            );
        }
        Ok(owed)
    }

    /// At the end, with everything delivered: every stored item fired once, on time, and
    /// its firing is in its device's file; a one-off item is pending no more, a weekly one
    /// moved on to a later day.
    fn at_the_end(&self, listeners: &[Listener]) -> Result<(), String> {
        let items = self.items()?;
        let firings = self.firings()?;
        let by_item: HashMap<&str, &hark_store::Firing> =
            firings.iter().map(|f| (f.item.as_str(), f)).collect();
        if firings.len() != items.len() {
            return Err(format!(
                "{} firings for {} items",
                firings.len(),
                items.len()
            ));
        }
        let window_end = t(WINDOW_START_S) + SignedDuration::from_millis(WINDOW_MS);
        for item in &items {
            let Some(firing) = by_item.get(item.id.as_str()) else {
                return Err(format!("{} never fired", item.id));
            };
            if firing.outcome != FiringOutcome::Fired || firing.delivered_at.is_none() {
                return Err(format!("{firing:?} is not a delivered firing"));
            }
            let moved_on = match &item.recurrence {
                Some(_) => {
                    item.state == ItemState::Pending
                        && item.due_at > window_end + SignedDuration::from_hours(23)
                }
                None => item.state != ItemState::Pending,
            };
            if !moved_on {
                return Err(format!("{} fired, but is now {:?}", item.id, item));
            }
        }
        for listener in listeners {
            let got: HashSet<String> = listener.lines().into_iter().collect();
            if let Some(lost) = firings
                .iter()
                .find(|f| f.device == listener.device && !got.contains(f.id.as_str()))
            {
                return Err(format!("{} never got {}", listener.device, lost.id));
            }
        }
        Ok(())
    }

    /// A killed server's PostgreSQL sessions can outlive it for a moment, still committing
    /// what it last sent; the checks wait until they are gone. SQLite has nothing to wait
    /// for: the process is gone.
    fn settle_postgres(&self) -> Result<(), String> {
        let Some(session) = self.session else {
            return Ok(());
        };
        let url = hark_testkit::DEFAULT_POSTGRES_URL;
        let url = std::env::var("HARK_TEST_POSTGRES_URL").unwrap_or_else(|_| url.to_string());
        self.runtime.block_on(async {
            let client = hark_testkit::connect(&url).await;
            let started = Instant::now();
            loop {
                let row = client
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                        &[&session],
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                if row.get::<_, i64>(0) == 0 {
                    return Ok(());
                }
                if started.elapsed() > BOUND {
                    return Err("a killed server's sessions stay open".to_string());
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    }

    /// The end of a server's log, for a failure's message.
    fn log_tail(&self, run: u32) -> String {
        let log =
            std::fs::read_to_string(self.dir.join(format!("server-{run}.log"))).unwrap_or_default();
        let start = log.len().saturating_sub(2_000);
        let start = (start..log.len())
            .find(|i| log.is_char_boundary(*i))
            .unwrap_or(log.len());
        log[start..].to_string()
    }
}
