//! One Wyoming event on the wire: a JSON header line, optional extra JSON data, optional
//! binary payload.

use serde_json::{Map, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::{Result, WyomingError};

/// One event: its type, its data (the header's `data` with the extra data merged over it),
/// and its payload (empty if none).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Event {
    /// The event type, such as `audio-chunk` or `transcript`.
    pub kind: String,
    /// Its fields.
    pub data: Map<String, Value>,
    /// Its binary payload (PCM audio for `audio-chunk`).
    pub payload: Vec<u8>,
}

impl Event {
    /// An event of `kind` with the fields of `data` (a JSON object; anything else is no
    /// fields) and no payload.
    pub fn new(kind: &str, data: Value) -> Event {
        Event {
            kind: kind.to_owned(),
            data: match data {
                Value::Object(map) => map,
                _ => Map::new(),
            },
            payload: Vec::new(),
        }
    }

    /// The same event carrying `payload`.
    pub fn with_payload(mut self, payload: Vec<u8>) -> Event {
        self.payload = payload;
        self
    }

    /// A whole-number field.
    pub fn int(&self, field: &str) -> Option<u64> {
        self.data.get(field).and_then(Value::as_u64)
    }

    /// A text field.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.data.get(field).and_then(Value::as_str)
    }
}

/// The most a peer may send in one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The header line, newline included.
    pub header_bytes: usize,
    /// The extra data after the header.
    pub data_bytes: usize,
    /// The payload.
    pub payload_bytes: usize,
}

impl Default for Limits {
    /// 64 KiB of header, 1 MiB of extra data, 4 MiB of payload (two minutes of 16 kHz mono
    /// 16-bit audio in one chunk, far more than servers send).
    fn default() -> Self {
        Limits {
            header_bytes: 64 * 1024,
            data_bytes: 1024 * 1024,
            payload_bytes: 4 * 1024 * 1024,
        }
    }
}

/// Reads one event; `Ok(None)` if the stream ended cleanly before a header began.
pub async fn read_event<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    limits: &Limits,
) -> Result<Option<Event>> {
    let mut line = Vec::new();
    let read = (&mut *reader)
        .take(limits.header_bytes as u64)
        .read_until(b'\n', &mut line)
        .await?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(if read >= limits.header_bytes {
            WyomingError::Protocol(format!(
                "a header line longer than {} bytes",
                limits.header_bytes
            ))
        } else {
            WyomingError::Closed
        });
    }
    let header: Value = serde_json::from_slice(&line)
        .map_err(|e| WyomingError::Protocol(format!("a header that is not JSON: {e}")))?;
    let Value::Object(mut header) = header else {
        return Err(WyomingError::Protocol(
            "a header that is not a JSON object".into(),
        ));
    };
    let kind = match header.remove("type") {
        Some(Value::String(kind)) => kind,
        _ => return Err(WyomingError::Protocol("a header without a type".into())),
    };
    let mut data = match header.remove("data") {
        Some(Value::Object(data)) => data,
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(WyomingError::Protocol("data that is not an object".into())),
    };
    let data_length = length(&header, "data_length", limits.data_bytes)?;
    let payload_length = length(&header, "payload_length", limits.payload_bytes)?;
    if data_length > 0 {
        let extra = read_exact(reader, data_length).await?;
        match serde_json::from_slice(&extra) {
            Ok(Value::Object(extra)) => data.extend(extra),
            _ => {
                return Err(WyomingError::Protocol(
                    "extra data that is not a JSON object".into(),
                ))
            }
        }
    }
    let payload = read_exact(reader, payload_length).await?;
    Ok(Some(Event {
        kind,
        data,
        payload,
    }))
}

/// A length field of the header: absent is 0; more than `limit` is refused before reading.
fn length(header: &Map<String, Value>, field: &str, limit: usize) -> Result<usize> {
    match header.get(field) {
        None | Some(Value::Null) => Ok(0),
        Some(value) => {
            let n = value
                .as_u64()
                .ok_or_else(|| WyomingError::Protocol(format!("{field} is not a length")))?;
            usize::try_from(n)
                .ok()
                .filter(|n| *n <= limit)
                .ok_or_else(|| {
                    WyomingError::Protocol(format!("{field} {n} is over the limit of {limit}"))
                })
        }
    }
}

async fn read_exact<R: AsyncBufRead + Unpin>(reader: &mut R, n: usize) -> Result<Vec<u8>> {
    let mut buffer = vec![0; n];
    match reader.read_exact(&mut buffer).await {
        Ok(_) => Ok(buffer),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(WyomingError::Closed),
        Err(e) => Err(e.into()),
    }
}

/// Writes one event: its data in the header, its payload after it.
pub async fn write_event<W: AsyncWrite + Unpin>(writer: &mut W, event: &Event) -> Result<()> {
    let mut header = Map::new();
    header.insert("type".into(), Value::String(event.kind.clone()));
    if !event.data.is_empty() {
        header.insert("data".into(), Value::Object(event.data.clone()));
    }
    if !event.payload.is_empty() {
        header.insert("payload_length".into(), Value::from(event.payload.len()));
    }
    let mut line = serde_json::to_vec(&Value::Object(header))
        .map_err(|e| WyomingError::Protocol(e.to_string()))?;
    line.push(b'\n');
    writer.write_all(&line).await?;
    writer.write_all(&event.payload).await?;
    Ok(())
}
