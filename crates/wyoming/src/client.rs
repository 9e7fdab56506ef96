//! The exchanges hark runs with a Wyoming server: speech to text, text to speech, describe.
//! One TCP connection per exchange, as Home Assistant does.

use std::time::Duration;

use serde_json::{json, Map, Value};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::event::{read_event, write_event, Event, Limits};
use crate::{Result, WyomingError};

/// Audio as a Wyoming server sends or takes it: interleaved little-endian PCM.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pcm {
    /// Samples per second.
    pub rate: u32,
    /// Bytes per sample (2 for 16-bit).
    pub width: u16,
    /// Channels, interleaved.
    pub channels: u16,
    /// The samples.
    pub bytes: Vec<u8>,
}

impl Pcm {
    /// 16-bit mono samples at `rate`.
    pub fn mono16(rate: u32, samples: &[i16]) -> Pcm {
        Pcm {
            rate,
            width: 2,
            channels: 1,
            bytes: samples.iter().flat_map(|s| s.to_le_bytes()).collect(),
        }
    }

    fn format(&self) -> Value {
        json!({"rate": self.rate, "width": self.width, "channels": self.channels})
    }
}

/// A Wyoming server at an address such as `127.0.0.1:10300`.
#[derive(Debug, Clone)]
pub struct Client {
    address: String,
    timeout: Duration,
    limits: Limits,
}

/// Audio goes out in chunks of this many bytes (a tenth of a second of 16 kHz mono 16-bit).
const CHUNK_BYTES: usize = 3200;

impl Client {
    /// A client of the server at `address`, waiting at most `timeout` for each step (connect,
    /// and each event of the answer).
    pub fn new(address: &str, timeout: Duration) -> Client {
        Client {
            address: address.to_owned(),
            timeout,
            limits: Limits::default(),
        }
    }

    /// The same client with other limits on what the server may send.
    pub fn with_limits(mut self, limits: Limits) -> Client {
        self.limits = limits;
        self
    }

    /// The server's description (the `info` event's fields: `asr`, `tts`, ...).
    pub async fn describe(&self) -> Result<Map<String, Value>> {
        let mut connection = self.connect().await?;
        connection
            .send(&Event::new("describe", Value::Null))
            .await?;
        Ok(connection.wait_for("info").await?.data)
    }

    /// The text of `audio`, in `language` if given (the server's default otherwise).
    pub async fn transcribe(&self, audio: &Pcm, language: Option<&str>) -> Result<String> {
        let mut connection = self.connect().await?;
        let request = match language {
            Some(language) => json!({"language": language}),
            None => json!({}),
        };
        connection.send(&Event::new("transcribe", request)).await?;
        connection
            .send(&Event::new("audio-start", audio.format()))
            .await?;
        for chunk in audio.bytes.chunks(CHUNK_BYTES) {
            let event = Event::new("audio-chunk", audio.format()).with_payload(chunk.to_vec());
            connection.send(&event).await?;
        }
        connection
            .send(&Event::new("audio-stop", json!({})))
            .await?;
        let transcript = connection.wait_for("transcript").await?;
        transcript
            .text("text")
            .map(str::to_owned)
            .ok_or_else(|| WyomingError::Protocol("a transcript without text".into()))
    }

    /// `text` spoken, by `voice` if given.
    pub async fn synthesize(&self, text: &str, voice: Option<&str>) -> Result<Pcm> {
        let mut connection = self.connect().await?;
        let mut request = json!({"text": text});
        if let Some(voice) = voice {
            request["voice"] = json!({"name": voice});
        }
        connection.send(&Event::new("synthesize", request)).await?;
        let start = connection.wait_for("audio-start").await?;
        let mut audio = format_of(&start)?;
        loop {
            let event = connection.next().await?;
            match event.kind.as_str() {
                "audio-chunk" => {
                    let format = format_of(&event)?;
                    if (format.rate, format.width, format.channels)
                        != (audio.rate, audio.width, audio.channels)
                    {
                        return Err(WyomingError::Protocol(
                            "the audio's format changed in the middle".into(),
                        ));
                    }
                    if audio.bytes.len() + event.payload.len() > self.limits.payload_bytes * 16 {
                        return Err(WyomingError::Protocol(
                            "more synthesized audio than the limits allow".into(),
                        ));
                    }
                    audio.bytes.extend_from_slice(&event.payload);
                }
                "audio-stop" => return Ok(audio),
                _ => {}
            }
        }
    }

    async fn connect(&self) -> Result<Connection> {
        let stream = tokio::time::timeout(self.timeout, TcpStream::connect(&self.address))
            .await
            .map_err(|_| WyomingError::Timeout(self.timeout))??;
        stream.set_nodelay(true)?;
        let (read, write) = stream.into_split();
        Ok(Connection {
            reader: BufReader::new(read),
            writer: write,
            timeout: self.timeout,
            limits: self.limits,
        })
    }
}

/// An audio event's format, with no samples yet.
fn format_of(event: &Event) -> Result<Pcm> {
    let field = |name: &str| {
        event
            .int(name)
            .filter(|n| *n > 0)
            .ok_or_else(|| WyomingError::Protocol(format!("{} without a {name}", event.kind)))
    };
    let narrow = |name: &str, n: u64| {
        u16::try_from(n).map_err(|_| WyomingError::Protocol(format!("a {name} of {n}")))
    };
    Ok(Pcm {
        rate: u32::try_from(field("rate")?)
            .map_err(|_| WyomingError::Protocol("an impossible rate".into()))?,
        width: narrow("width", field("width")?)?,
        channels: narrow("channels", field("channels")?)?,
        bytes: Vec::new(),
    })
}

struct Connection {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
    timeout: Duration,
    limits: Limits,
}

impl Connection {
    async fn send(&mut self, event: &Event) -> Result<()> {
        write_event(&mut self.writer, event).await?;
        self.writer.flush().await?;
        Ok(())
    }

    async fn next(&mut self) -> Result<Event> {
        let read = read_event(&mut self.reader, &self.limits);
        tokio::time::timeout(self.timeout, read)
            .await
            .map_err(|_| WyomingError::Timeout(self.timeout))??
            .ok_or(WyomingError::Closed)
    }

    /// The next event of `kind`, skipping others (a streaming server's partial results).
    async fn wait_for(&mut self, kind: &str) -> Result<Event> {
        loop {
            let event = self.next().await?;
            if event.kind == kind {
                return Ok(event);
            }
            if event.kind == "error" {
                let text = event.text("text").unwrap_or("no reason given");
                return Err(WyomingError::Protocol(format!("the server said: {text}")));
            }
        }
    }
}
