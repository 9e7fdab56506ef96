//! `hark bench converse`: requests per second and latency of `/v1/converse`
//! over loopback; `hark bench scheduler`: what pending timers cost and how late
//! they ring (see [`SchedulerBench`]).
//!
//! By default it starts a server in this process, on a free port with a
//! fresh data folder, and drives it from a client thread of its own; with
//! `--server` it drives a running server instead. The client keeps HTTP/1.1
//! connections open and sends the next request as soon as an answer arrives,
//! so the figure is the server's capacity for that many concurrent talkers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Args;
use hark_core::{DeviceId, HouseholdId, SystemClock};
use hark_scheduler::{
    BoxFuture, Config as SchedulerConfig, DeliveryError, FiredSink, Firing, ItemKind, Recurrence,
    Scheduler,
};
use hark_server::{Config, Server};
use hark_store::{NewItem, Store};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::settings::Settings;

/// What people say most, without starting anything: the mix the benchmark
/// cycles through by default. Turns that write (starting a timer) are
/// measured apart with `--text`, since each waits for the disk.
const SENTENCES: [&str; 6] = [
    "what time is it",
    "what's the date today",
    "how much time is left on my timer",
    "what can you do",
    "play some jazz",
    "blah blah nonsense words",
];

#[derive(Debug, Args)]
pub struct ConverseBench {
    /// Concurrent connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Seconds to measure (after one second of warm-up).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Server threads for the in-process server (default: one per core).
    #[arg(long)]
    server_threads: Option<usize>,
    /// Say this instead of the default mix (repeat for several).
    #[arg(long = "text", value_name = "SENTENCE")]
    texts: Vec<String>,
}

pub fn converse(settings: &Settings, args: ConverseBench) -> Result<()> {
    let config = settings.config()?;
    let external = settings.server.is_some();
    let (address, token, device, _guard) = if external {
        let token = crate::ask::token(&config)?;
        let address = config
            .server
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        (address, token, config.device.clone(), None)
    } else {
        let (address, token, device, guard) = start_server(&config, args.server_threads)?;
        (address, token, device, Some(guard))
    };
    let texts: Vec<&str> = if args.texts.is_empty() {
        SENTENCES.to_vec()
    } else {
        args.texts.iter().map(String::as_str).collect()
    };
    let requests: Vec<Vec<u8>> = texts
        .iter()
        .map(|text| {
            let body = json!({"text": text, "device": device}).to_string();
            format!(
                "POST /v1/converse HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .collect();
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (latencies, errors, elapsed) = client.block_on(drive(
        &address,
        Arc::new(requests),
        args.connections,
        args.seconds,
    ))?;
    report(&latencies, errors, elapsed, args.connections, external)
}

/// A server on a free loopback port with a fresh data folder, running on
/// threads of its own until the guard is dropped.
pub(crate) fn start_server(
    config: &Config,
    threads: Option<usize>,
) -> Result<(String, String, String, ServerGuard)> {
    let dir = std::env::temp_dir().join(format!(
        "hark-bench-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos()
    ));
    let config = Config {
        data_dir: dir.clone(),
        database_url: None,
        ..config.clone()
    };
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()?;
    let (server, first) = runtime.block_on(Server::open(
        &config,
        hark_skills::builtin().context("loading the built-in skills")?,
        Arc::new(SystemClock),
    ))?;
    let first = first.ok_or_else(|| anyhow!("a fresh data folder has no household yet"))?;
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0"))?;
    let address = listener.local_addr()?.to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    runtime.spawn(hark_server::serve(server, listener, async {
        let _ = stopped.await;
    }));
    Ok((
        address,
        first.token,
        first.device.name,
        ServerGuard {
            runtime: Some(runtime),
            stop: Some(stop),
            dir,
        },
    ))
}

pub(crate) struct ServerGuard {
    runtime: Option<tokio::runtime::Runtime>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    dir: std::path::PathBuf,
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn drive(
    address: &str,
    requests: Arc<Vec<Vec<u8>>>,
    connections: usize,
    seconds: u64,
) -> Result<(Vec<u32>, u64, f64)> {
    let warm_up_until = Instant::now() + Duration::from_secs(1);
    let end = warm_up_until + Duration::from_secs(seconds.max(1));
    let mut tasks = Vec::new();
    for c in 0..connections.max(1) {
        let stream = TcpStream::connect(address)
            .await
            .with_context(|| format!("connecting to {address}"))?;
        stream.set_nodelay(true)?;
        let requests = requests.clone();
        tasks.push(tokio::spawn(connection(
            stream,
            requests,
            c,
            warm_up_until,
            end,
        )));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut l, e) = task.await??;
        latencies.append(&mut l);
        errors += e;
    }
    Ok((
        latencies,
        errors,
        end.duration_since(warm_up_until).as_secs_f64(),
    ))
}

/// One keep-alive connection: request, answer, next request, until `end`.
async fn connection(
    mut stream: TcpStream,
    requests: Arc<Vec<Vec<u8>>>,
    offset: usize,
    measure_from: Instant,
    end: Instant,
) -> Result<(Vec<u32>, u64)> {
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut buffer = Vec::with_capacity(4096);
    let mut i = offset;
    loop {
        let started = Instant::now();
        if started >= end {
            break;
        }
        stream.write_all(&requests[i % requests.len()]).await?;
        i += 1;
        let status = read_response(&mut stream, &mut buffer).await?;
        let done = Instant::now();
        if done >= measure_from && done <= end {
            latencies.push(
                done.duration_since(started)
                    .as_micros()
                    .min(u32::MAX as u128) as u32,
            );
            if status != 200 {
                errors += 1;
            }
        }
    }
    Ok((latencies, errors))
}

/// Reads one HTTP/1.1 response with a Content-Length; returns its status.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<u16> {
    buffer.clear();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("the server closed the connection");
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head =
        std::str::from_utf8(&buffer[..header_end]).context("response headers are not text")?;
    let status: u16 = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow!("no HTTP status in {head:?}"))?;
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_string())
        })
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow!("the response has no Content-Length"))?;
    while buffer.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("the server closed the connection mid-answer");
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    Ok(status)
}

fn report(
    latencies: &[u32],
    errors: u64,
    seconds: f64,
    connections: usize,
    external: bool,
) -> Result<()> {
    if latencies.is_empty() {
        bail!("no request completed");
    }
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let at = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    let rate = sorted.len() as f64 / seconds;
    let report = json!({
        "benchmark": "converse",
        "server": if external { "external" } else { "in-process" },
        "connections": connections,
        "seconds": seconds,
        "requests": sorted.len(),
        "errors": errors,
        "requests_per_s": rate.round(),
        "p50_us": at(0.50),
        "p99_us": at(0.99),
        "max_us": at(1.0),
    });
    eprintln!(
        "converse: {} requests in {seconds:.1} s over {connections} connections: {rate:.0} requests/s, p50 {} µs, p99 {} µs, {errors} errors",
        sorted.len(),
        at(0.5),
        at(0.99)
    );
    println!("{report}");
    Ok(())
}

/// `hark bench scheduler`: what a pending timer costs, how fast a restart recovers a million of
/// them, and how late they ring.
///
/// Three figures, each on a fresh database (a temporary SQLite file unless `--database-url`):
///
/// - **Recovery**: `--items` pending items are written (in transactions of 50,000, the
///   fastest way in), then a child process (`hark bench scheduler --recover URL`, so that its
///   memory holds nothing from the fill) opens the store, makes the scheduler's first pass
///   and stops when the pass reports its next wake. All items are due later (timers within a
///   day, alarms and reminders within 30 days, a tenth recurring): the pass's work is to find
///   what is due and when the next one is, by index, without loading the items.
/// - **Memory per pending item**: the child's resident memory after that pass less before it,
///   divided by the items; and, for SQLite, the database's bytes on disk per item.
/// - **Lateness**: `--active` pending items, `--due` of them due across the next
///   `--window` seconds, the run loop driven by the system clock; lateness is the instant the
///   sink gets a firing less the due time it carries.
#[derive(Debug, Args)]
pub struct SchedulerBench {
    /// Pending items for the recovery and memory figures.
    #[arg(long, default_value_t = 1_000_000)]
    items: usize,
    /// Pending items while lateness is measured.
    #[arg(long, default_value_t = 100_000)]
    active: usize,
    /// How many of the active items come due during the measurement.
    #[arg(long, default_value_t = 2_000)]
    due: usize,
    /// Seconds over which those items come due.
    #[arg(long, default_value_t = 10)]
    window: u64,
    /// The database to fill (each phase in a fresh schema is up to you: it must be empty).
    /// Default: a new SQLite file in a temporary folder, removed afterwards.
    #[arg(long)]
    database_url: Option<String>,
    /// Internal: the recovery child's side, on this database.
    #[arg(long, hide = true)]
    recover: Option<String>,
}

pub fn scheduler(args: SchedulerBench) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    if let Some(url) = &args.recover {
        let report = runtime.block_on(recover(url))?;
        println!("{report}");
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!(
        "hark-bench-scheduler-{}-{}",
        std::process::id(),
        Timestamp::now().as_nanosecond()
    ));
    let result = runtime.block_on(scheduler_phases(&args, &dir));
    let _ = std::fs::remove_dir_all(&dir);
    let report = result?;
    eprintln!("scheduler benchmark");
    eprintln!("| figure | value |");
    eprintln!("| --- | ---: |");
    for (name, key, unit) in [
        ("pending items (recovery)", "items", ""),
        ("fill time", "fill_s", " s"),
        ("recovery: open + first pass", "recovery_ms", " ms"),
        ("RAM per pending item", "ram_bytes_per_item", " B"),
        (
            "disk per pending item (SQLite)",
            "disk_bytes_per_item",
            " B",
        ),
        ("active items (lateness)", "active", ""),
        ("fired during the measurement", "fired", ""),
        ("lateness p50", "lateness_p50_ms", " ms"),
        ("lateness p99", "lateness_p99_ms", " ms"),
        ("lateness max", "lateness_max_ms", " ms"),
    ] {
        eprintln!("| {name} | {}{unit} |", report[key]);
    }
    println!("{report}");
    Ok(())
}

/// The parent's side: fill, recover in a child, then measure lateness.
async fn scheduler_phases(
    args: &SchedulerBench,
    dir: &std::path::Path,
) -> Result<serde_json::Value> {
    let url = |name: &str| {
        args.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", dir.join(name).display()))
    };
    let sqlite_file = args.database_url.is_none().then(|| dir.join("recovery.db"));

    // Recovery and memory.
    let recovery_url = url("recovery.db");
    let store = Store::open(&recovery_url).await?;
    let empty_bytes = sqlite_file.as_deref().map(disk_bytes).unwrap_or(0);
    let now = Timestamp::now();
    let (household, device) = bench_home(&store, now).await?;
    let started = Instant::now();
    fill(&store, &household, &device, args.items, now, |i| {
        // Timers within a day; alarms and reminders within 30 days.
        let span_ms = if i % 3 == 0 {
            86_400_000
        } else {
            30 * 86_400_000
        };
        now + SignedDuration::from_millis(3_600_000 + (i as i64 * 7_919) % span_ms)
    })
    .await?;
    let fill_s = started.elapsed().as_secs_f64();
    drop(store);
    let disk_bytes_per_item = sqlite_file.as_deref().map(|path| {
        (disk_bytes(path).saturating_sub(empty_bytes)) as f64 / args.items.max(1) as f64
    });
    let child = std::process::Command::new(std::env::current_exe()?)
        .args(["bench", "scheduler", "--recover", &recovery_url])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running the recovery child")?;
    if !child.status.success() {
        bail!("the recovery child failed ({})", child.status);
    }
    let recovered: serde_json::Value =
        serde_json::from_slice(&child.stdout).context("reading the recovery child's report")?;
    let ram_bytes_per_item =
        recovered["rss_growth_bytes"].as_f64().unwrap_or(f64::NAN) / args.items.max(1) as f64;

    // Lateness: the items that are not due first (one big fill), then the ones that are, so
    // that the window starts after the fill however long it takes.
    let lateness_url = if args.database_url.is_some() {
        // One database given: the lateness phase continues in it, with the items left.
        recovery_url.clone()
    } else {
        url("lateness.db")
    };
    let store = Store::open(&lateness_url).await?;
    let now = Timestamp::now();
    let (household, device) = bench_home(&store, now).await?;
    let later = args.active.saturating_sub(args.due);
    fill(&store, &household, &device, later, now, |i| {
        now + SignedDuration::from_millis(3_600_000 + (i as i64 * 7_919) % 86_400_000)
    })
    .await?;
    let start = Timestamp::now() + SignedDuration::from_secs(1);
    let window_ms = (args.window * 1000) as i64;
    let due = args.due.max(1);
    fill(&store, &household, &device, due, Timestamp::now(), |i| {
        start + SignedDuration::from_millis(window_ms * i as i64 / due as i64)
    })
    .await?;
    let sink = Arc::new(LatenessSink::default());
    let scheduler = Scheduler::new(
        store,
        Arc::new(SystemClock),
        sink.clone(),
        SchedulerConfig::default(),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn({
        let scheduler = scheduler.clone();
        async move {
            scheduler
                .run(async {
                    let _ = stopped.await;
                })
                .await
        }
    });
    let deadline = Instant::now() + Duration::from_secs(args.window + 60);
    while sink
        .lateness_us
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .len()
        < due
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = stop.send(());
    running.await??;
    let mut lateness = sink
        .lateness_us
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if lateness.len() < due {
        bail!("only {} of {due} items fired in time", lateness.len());
    }
    lateness.sort_unstable();
    let at = |p: f64| lateness[((lateness.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0;

    Ok(json!({
        "benchmark": "scheduler",
        "database": if args.database_url.is_some() { "given" } else { "sqlite" },
        "items": args.items,
        "fill_s": (fill_s * 10.0).round() / 10.0,
        "recovery_ms": recovered["recovery_ms"],
        "recovery_next_wake": recovered["next_wake"],
        "recovery_recorded": recovered["recorded"],
        "rss_before_kb": recovered["rss_before_kb"],
        "rss_after_kb": recovered["rss_after_kb"],
        "ram_bytes_per_item": (ram_bytes_per_item * 100.0).round() / 100.0,
        "disk_bytes_per_item": disk_bytes_per_item.map(|b| b.round()),
        "active": args.active,
        "fired": lateness.len(),
        "window_s": args.window,
        "lateness_p50_ms": at(0.50),
        "lateness_p99_ms": at(0.99),
        "lateness_max_ms": at(1.0),
    }))
}

/// The child's side: open, one pass, next wake; with its resident memory around them.
async fn recover(url: &str) -> Result<serde_json::Value> {
    let before = rss_kb();
    let started = Instant::now();
    let store = Store::open(url).await?;
    let sink = Arc::new(LatenessSink::default());
    let scheduler = Scheduler::new(
        store,
        Arc::new(SystemClock),
        sink,
        SchedulerConfig::default(),
    );
    let tick = scheduler.tick().await?;
    let elapsed = started.elapsed();
    let after = rss_kb();
    let growth = match (before, after) {
        (Some(before), Some(after)) => Some(after.saturating_sub(before) * 1024),
        _ => None,
    };
    Ok(json!({
        "recovery_ms": (elapsed.as_secs_f64() * 10_000.0).round() / 10.0,
        "next_wake": tick.next_wake.map(|t| t.to_string()),
        "recorded": tick.recorded.len(),
        "rss_before_kb": before,
        "rss_after_kb": after,
        "rss_growth_bytes": growth,
    }))
}

async fn bench_home(store: &Store, now: Timestamp) -> Result<(HouseholdId, DeviceId)> {
    let household = store.create_household("Bench", "UTC", None, now).await?;
    let device = store.add_device(&household.id, "kitchen", now).await?;
    Ok((household.id, device.id))
}

/// Writes `count` pending items due at `due(i)`, 50,000 to a transaction: a mix of timers,
/// reminders, one-off alarms and (one in ten) daily alarms.
async fn fill(
    store: &Store,
    household: &HouseholdId,
    device: &DeviceId,
    count: usize,
    now: Timestamp,
    due: impl Fn(usize) -> Timestamp,
) -> Result<()> {
    const CHUNK: usize = 50_000;
    let daily = Recurrence::from_json(&json!({
        "weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        "time": "07:00"
    }))?
    .to_json()
    .to_string();
    let mut i = 0;
    while i < count {
        let end = (i + CHUNK).min(count);
        let items = (i..end)
            .map(|i| {
                let due_at = due(i);
                let mut item = NewItem {
                    device: device.clone(),
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
                match i % 10 {
                    0..=2 => {
                        item.kind = ItemKind::Timer;
                        item.duration =
                            Some(due_at.duration_since(now).max(SignedDuration::from_secs(1)));
                        item.name = Some("pasta".into());
                    }
                    3..=5 => {
                        item.kind = ItemKind::Reminder;
                        item.text = Some("check the oven".into());
                    }
                    6..=8 => item.label = Some("wake up".into()),
                    _ => {
                        item.recurrence = Some(daily.clone());
                        item.time_zone = Some("UTC".into());
                    }
                }
                item
            })
            .collect();
        store.create_items(household, items, now).await?;
        i = end;
    }
    Ok(())
}

/// Records how late each firing arrives, as the sink sees it.
#[derive(Default)]
struct LatenessSink {
    lateness_us: std::sync::Mutex<Vec<i64>>,
}

impl FiredSink for LatenessSink {
    fn deliver<'a>(&'a self, firing: &'a Firing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        let late = Timestamp::now().duration_since(firing.due_at);
        Box::pin(async move {
            let micros = i64::try_from(late.as_micros()).unwrap_or(i64::MAX);
            self.lateness_us
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(micros);
            Ok(())
        })
    }
}

/// The database file with its write-ahead log.
fn disk_bytes(path: &std::path::Path) -> u64 {
    let size = |p: std::path::PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    size(path.to_owned()) + size(wal.into())
}

/// This process's resident memory, from /proc (Linux); `None` elsewhere.
fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
