//! A stand-in for Open-Meteo in tests: a local HTTP server that answers each
//! request as a test's handler says, and counts what it was asked.
//!
//! It speaks just enough HTTP/1.1 for one request per connection (the
//! client's agent reconnects when the server closes). [`Answer::Hang`]
//! accepts and reads a request but never answers, to show that the client's
//! deadline holds; [`closed_port`] is an address nothing listens on.
//!
//! The fixtures are JSON files in Open-Meteo's documented format, written
//! for hark's tests (`tests/fixtures/` of this crate), embedded here so other
//! crates' tests replay the same answers.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A forecast for Paris, metric, in `Europe/Paris`, from 2026-11-25
/// (a Wednesday): dry now, rain on Thursday the 26th, a cold weekend.
pub const FORECAST_PARIS: &str = include_str!("../tests/fixtures/forecast_paris.json");
/// The same forecast for Lyon.
pub const FORECAST_LYON: &str = include_str!("../tests/fixtures/forecast_lyon.json");
/// The Paris forecast in imperial units.
pub const FORECAST_PARIS_IMPERIAL: &str =
    include_str!("../tests/fixtures/forecast_paris_imperial.json");
/// A geocoding answer for "Lyon".
pub const GEOCODING_LYON: &str = include_str!("../tests/fixtures/geocoding_lyon.json");
/// A geocoding answer for a name nothing matches: no `results` key.
pub const GEOCODING_NONE: &str = include_str!("../tests/fixtures/geocoding_none.json");
/// Open-Meteo's answer to a bad parameter (HTTP 400).
pub const ERROR_BAD_REQUEST: &str = include_str!("../tests/fixtures/error_bad_request.json");

/// One request, as the handler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The path, without the query (`/v1/forecast`).
    pub path: String,
    /// The query's parameters, decoded.
    pub query: BTreeMap<String, String>,
}

impl Request {
    /// The parameter `name`, or `""`.
    pub fn param(&self, name: &str) -> &str {
        self.query.get(name).map_or("", String::as_str)
    }
}

/// What the server does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Answers with this status and JSON body.
    Json(u16, String),
    /// Reads the request and never answers (until the server is dropped).
    Hang,
}

type Handler = dyn Fn(&Request) -> Answer + Send + Sync;

/// A replaying server on a free port of 127.0.0.1; it stops when dropped.
pub struct Replay {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    held: Arc<Mutex<Vec<TcpStream>>>,
}

impl Replay {
    /// Starts a server that answers with `handler`.
    pub fn start(handler: impl Fn(&Request) -> Answer + Send + Sync + 'static) -> Replay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let address = listener.local_addr().expect("its address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let held = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (seen, stopping, holding) = (requests.clone(), stop.clone(), held.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (handler, seen, holding) = (handler.clone(), seen.clone(), holding.clone());
                std::thread::spawn(move || serve(stream, &*handler, &seen, &holding));
            }
        });
        Replay {
            address,
            requests,
            stop,
            held,
        }
    }

    /// A server that answers every request like Open-Meteo would for Paris
    /// and Lyon: geocoding knows "Lyon" and "Paris", the forecast depends on
    /// the latitude asked (Lyon's is below 46°) and the units.
    pub fn open_meteo() -> Replay {
        Replay::start(open_meteo)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests had this path.
    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.address);
        for stream in self.held.lock().unwrap().drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// Answers like Open-Meteo for Paris and Lyon (see [`Replay::open_meteo`]).
pub fn open_meteo(request: &Request) -> Answer {
    match request.path.as_str() {
        "/v1/search" => match request.param("name").to_lowercase().as_str() {
            "lyon" => Answer::Json(200, GEOCODING_LYON.to_string()),
            "" => Answer::Json(400, ERROR_BAD_REQUEST.to_string()),
            _ => Answer::Json(200, GEOCODING_NONE.to_string()),
        },
        "/v1/forecast" => {
            let latitude: f64 = request.param("latitude").parse().unwrap_or(f64::NAN);
            let imperial = request.param("temperature_unit") == "fahrenheit";
            match (latitude.is_nan(), latitude < 46.0, imperial) {
                (true, _, _) => Answer::Json(400, ERROR_BAD_REQUEST.to_string()),
                (false, true, _) => Answer::Json(200, FORECAST_LYON.to_string()),
                (false, false, true) => Answer::Json(200, FORECAST_PARIS_IMPERIAL.to_string()),
                (false, false, false) => Answer::Json(200, FORECAST_PARIS.to_string()),
            }
        }
        _ => Answer::Json(404, r#"{"error":true,"reason":"Not Found"}"#.to_string()),
    }
}

/// An address nothing listens on: connecting to it is refused.
pub fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("its address");
    drop(listener);
    format!("http://{address}")
}

fn serve(
    stream: TcpStream,
    handler: &Handler,
    seen: &Mutex<Vec<Request>>,
    held: &Mutex<Vec<TcpStream>>,
) {
    let Ok(reading) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(reading);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    // The head's other lines; no request here has a body.
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let request = Request {
        path: path.to_string(),
        query: query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(k), decode(v))
            })
            .collect(),
    };
    seen.lock().unwrap().push(request.clone());
    match handler(&request) {
        Answer::Hang => held.lock().unwrap().push(stream),
        Answer::Json(status, body) => {
            let mut stream = stream;
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                if status == 200 { "OK" } else { "Error" },
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
            let _ = stream.flush();
        }
    }
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
