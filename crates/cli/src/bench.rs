//! `hark bench converse`: requests per second and latency of `/v1/converse`
//! over loopback.
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
use hark_core::SystemClock;
use hark_server::{Config, Server};
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
fn start_server(
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

struct ServerGuard {
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
