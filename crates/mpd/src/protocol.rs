//! MPD's wire format, with no socket: how a command line is written (arguments quoted and
//! escaped) and how an answer is read (`key: value` lines ended by `OK`, or an `ACK` line).
//!
//! The reader takes any [`AsyncBufRead`], so the unit tests below feed it bytes. It never
//! reads more than [`Limits`] allow: a line without an end, or an answer that never ends,
//! becomes a [`MpdError::Protocol`] naming the limit instead of an ever-growing buffer.

use std::fmt::Write as _;
use std::io;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use crate::{MpdError, Result};

/// The most an MPD server may send in one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// One line, newline included.
    pub line_bytes: usize,
    /// A whole answer, every line included.
    pub response_bytes: usize,
}

impl Default for Limits {
    /// 64 KiB a line (MPD's paths and tags are far shorter), 64 MiB an answer (the whole
    /// listing of a 50,000-track library with its tags is about 15 MiB).
    fn default() -> Self {
        Limits {
            line_bytes: 64 * 1024,
            response_bytes: 64 * 1024 * 1024,
        }
    }
}

/// One `key: value` line of an answer, in the order the server sent them.
pub type Pair = (String, String);

/// One line of an answer.
#[derive(Debug)]
pub(crate) enum Line {
    /// `OK`: the answer is complete.
    Ok,
    /// `ACK [code@index] {command} message`: the command failed.
    Ack(MpdError),
    /// `key: value`.
    Pair(String, String),
}

/// Appends `arg` to `line` as one quoted argument: in double quotes, with `"` and `\`
/// escaped by a backslash. MPD's tokenizer reads every argument this way, so quoting all of
/// them (not only those with spaces) is always right. A newline, carriage return or NUL
/// cannot be sent at all: it would end the command early and let the rest of the argument
/// be read as another command.
pub(crate) fn push_arg(line: &mut String, arg: &str) -> Result<()> {
    if let Some(c) = arg.chars().find(|c| matches!(c, '\n' | '\r' | '\0')) {
        return Err(MpdError::InvalidArgument(format!(
            "an MPD argument cannot contain {c:?}: {arg:?}"
        )));
    }
    line.push_str(" \"");
    for c in arg.chars() {
        if c == '"' || c == '\\' {
            line.push('\\');
        }
        line.push(c);
    }
    line.push('"');
    Ok(())
}

/// The command line `name "arg1" "arg2"...`, newline included.
pub(crate) fn command(name: &str, args: &[&str]) -> Result<String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(MpdError::InvalidArgument(format!(
            "not an MPD command name: {name:?}"
        )));
    }
    let mut line = String::from(name);
    for arg in args {
        push_arg(&mut line, arg)?;
    }
    line.push('\n');
    Ok(line)
}

/// A filter expression (MPD 0.21 and later) matching songs whose `tag` equals `value`:
/// `(tag == "value")`, the value escaped for the filter's own parser. The whole expression
/// is then one argument of `find`, and is escaped again by [`push_arg`].
pub(crate) fn filter_equals(tag: &str, value: &str) -> Result<String> {
    if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(MpdError::InvalidArgument(format!(
            "not an MPD tag: {tag:?}"
        )));
    }
    let mut filter = String::new();
    let _ = write!(filter, "({tag} == \"");
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '\'') {
            filter.push('\\');
        }
        filter.push(c);
    }
    filter.push_str("\")");
    Ok(filter)
}

/// The server's version from its greeting `OK MPD 0.23.5`.
pub(crate) fn parse_greeting(line: &str) -> Result<String> {
    match line.strip_prefix("OK MPD ") {
        Some(version) if !version.is_empty() && !version.contains(' ') => Ok(version.to_owned()),
        _ => Err(MpdError::Protocol(format!(
            "not an MPD server: its greeting is {:?}",
            shorten(line)
        ))),
    }
}

/// One line of an answer, without its newline.
pub(crate) fn parse_line(line: &str) -> Result<Line> {
    if line == "OK" {
        return Ok(Line::Ok);
    }
    if let Some(rest) = line.strip_prefix("ACK ") {
        return parse_ack(rest).map(Line::Ack).ok_or_else(|| {
            MpdError::Protocol(format!("a malformed ACK line: {:?}", shorten(line)))
        });
    }
    match line.split_once(": ") {
        // Binary chunks (`albumart`, `readpicture`) are raw bytes after a `binary: N` line;
        // this client sends no command that answers with them.
        Some(("binary", _)) => Err(MpdError::Protocol(
            "the server sent binary data, which this client never asks for".into(),
        )),
        Some((key, value)) if !key.is_empty() => Ok(Line::Pair(key.to_owned(), value.to_owned())),
        _ => Err(MpdError::Protocol(format!(
            "expected `key: value`, `OK` or `ACK`, got {:?}",
            shorten(line)
        ))),
    }
}

/// `[code@index] {command} message`, the part of an ACK line after `ACK `.
fn parse_ack(rest: &str) -> Option<MpdError> {
    let rest = rest.strip_prefix('[')?;
    let (numbers, rest) = rest.split_once(']')?;
    let (code, index) = numbers.split_once('@')?;
    let rest = rest.strip_prefix(" {")?;
    let (command, message) = rest.split_once('}')?;
    Some(MpdError::Ack {
        code: code.parse().ok()?,
        index: index.parse().ok()?,
        command: command.to_owned(),
        message: message.strip_prefix(' ').unwrap_or(message).to_owned(),
    })
}

/// A private marker in the [`io::Error`] for a command that never reached the server or was
/// never answered (the connection closed or broke before a single byte of the answer came):
/// the server never ran it, so it may be sent again on a new connection.
#[derive(Debug)]
struct Unanswered;

impl std::fmt::Display for Unanswered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the MPD server closed the connection before answering")
    }
}

impl std::error::Error for Unanswered {}

pub(crate) fn unanswered(kind: io::ErrorKind) -> MpdError {
    MpdError::Io(io::Error::new(kind, Unanswered))
}

/// Whether `error` says the command was never answered (see [`Unanswered`]).
pub(crate) fn is_unanswered(error: &MpdError) -> bool {
    matches!(error, MpdError::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<Unanswered>()))
}

/// Reads one line into `buf` (newline stripped); `Ok(false)` if the stream ended before it.
pub(crate) async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    limits: &Limits,
    buf: &mut Vec<u8>,
) -> Result<bool> {
    buf.clear();
    let n = (&mut *reader)
        .take(limits.line_bytes as u64)
        .read_until(b'\n', buf)
        .await?;
    if n == 0 {
        return Ok(false);
    }
    if buf.last() != Some(&b'\n') {
        return Err(if n >= limits.line_bytes {
            MpdError::Protocol(format!(
                "the server sent a line longer than {} bytes",
                limits.line_bytes
            ))
        } else {
            MpdError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the MPD server closed the connection in the middle of a line",
            ))
        });
    }
    buf.pop();
    Ok(true)
}

/// Reads one whole answer: its `key: value` pairs up to `OK`, or the ACK as an error.
pub(crate) async fn read_response<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    limits: &Limits,
) -> Result<Vec<Pair>> {
    let mut pairs = Vec::new();
    let mut buf = Vec::new();
    let mut total = 0usize;
    loop {
        let line = match read_line(reader, limits, &mut buf).await {
            Ok(true) => &buf,
            Ok(false) if total == 0 => return Err(unanswered(io::ErrorKind::UnexpectedEof)),
            Ok(false) => {
                return Err(MpdError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the MPD server closed the connection in the middle of an answer",
                )))
            }
            Err(MpdError::Io(e)) if total == 0 && e.kind() == io::ErrorKind::ConnectionReset => {
                return Err(unanswered(e.kind()))
            }
            Err(e) => return Err(e),
        };
        total += line.len() + 1;
        if total > limits.response_bytes {
            return Err(MpdError::Protocol(format!(
                "the server's answer is longer than {} bytes",
                limits.response_bytes
            )));
        }
        let line = std::str::from_utf8(line)
            .map_err(|_| MpdError::Protocol("the server sent a line that is not UTF-8".into()))?;
        match parse_line(line)? {
            Line::Ok => return Ok(pairs),
            Line::Ack(error) => return Err(error),
            Line::Pair(key, value) => pairs.push((key, value)),
        }
    }
}

/// At most 80 characters of `line`, for error messages.
fn shorten(line: &str) -> String {
    match line.char_indices().nth(80) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(bytes: &[u8], limits: Limits) -> Result<Vec<Pair>> {
        let mut reader = bytes;
        read_response(&mut reader, &limits).await
    }

    fn pair(k: &str, v: &str) -> Pair {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn plain_arguments_are_quoted() {
        assert_eq!(command("add", &["a.flac"]).unwrap(), "add \"a.flac\"\n");
        assert_eq!(command("status", &[]).unwrap(), "status\n");
        assert_eq!(
            command("add", &["Jazz/01 So What.flac"]).unwrap(),
            "add \"Jazz/01 So What.flac\"\n"
        );
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(
            command("add", &[r#"Miles "D" \ Davis's.ogg"#]).unwrap(),
            r#"add "Miles \"D\" \\ Davis's.ogg""#.to_owned() + "\n"
        );
        assert_eq!(command("add", &[""]).unwrap(), "add \"\"\n");
        assert_eq!(command("add", &["é ü 日本"]).unwrap(), "add \"é ü 日本\"\n");
    }

    #[test]
    fn a_newline_in_an_argument_is_refused_not_sent() {
        for bad in ["a\nclear", "a\rb", "a\0b"] {
            assert!(matches!(
                command("add", &[bad]),
                Err(MpdError::InvalidArgument(_))
            ));
        }
        assert!(matches!(
            command("add x", &[]),
            Err(MpdError::InvalidArgument(_))
        ));
    }

    #[test]
    fn filter_values_are_escaped_twice() {
        let filter = filter_equals("Artist", r#"Miles "D" O'Brien\"#).unwrap();
        assert_eq!(filter, r#"(Artist == "Miles \"D\" O\'Brien\\")"#);
        assert_eq!(
            command("find", &[&filter]).unwrap(),
            r#"find "(Artist == \"Miles \\\"D\\\" O\\'Brien\\\\\")""#.to_owned() + "\n"
        );
        assert!(filter_equals("Art ist", "x").is_err());
    }

    #[test]
    fn greetings() {
        assert_eq!(parse_greeting("OK MPD 0.23.5").unwrap(), "0.23.5");
        assert!(matches!(
            parse_greeting("SSH-2.0-OpenSSH_9.2"),
            Err(MpdError::Protocol(_))
        ));
        assert!(parse_greeting("OK MPD ").is_err());
    }

    #[test]
    fn ack_lines_become_typed_errors() {
        let Line::Ack(error) = parse_line("ACK [50@0] {add} No such directory").unwrap() else {
            panic!("not an ACK");
        };
        assert!(matches!(
            error,
            MpdError::Ack { code: 50, index: 0, ref command, ref message }
                if command == "add" && message == "No such directory"
        ));
        let Line::Ack(error) = parse_line("ACK [5@2] {} unknown command \"foo\"").unwrap() else {
            panic!("not an ACK");
        };
        assert!(matches!(
            error,
            MpdError::Ack { code: 5, index: 2, ref command, ref message }
                if command.is_empty() && message == "unknown command \"foo\""
        ));
        for bad in [
            "ACK",
            "ACK [x@0] {add} m",
            "ACK [50] {add} m",
            "ACK [50@0] add m",
        ] {
            assert!(
                matches!(parse_line(bad), Err(MpdError::Protocol(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn lines_that_are_not_the_protocol_are_refused() {
        assert!(parse_line("no separator").is_err());
        assert!(parse_line(": empty key").is_err());
        assert!(matches!(
            parse_line("binary: 4096"),
            Err(MpdError::Protocol(m)) if m.contains("binary")
        ));
        assert!(matches!(
            parse_line("Title: a: b").unwrap(),
            Line::Pair(k, v) if k == "Title" && v == "a: b"
        ));
        assert!(matches!(
            parse_line("Title: ").unwrap(),
            Line::Pair(k, v) if k == "Title" && v.is_empty()
        ));
        assert!(matches!(parse_line("OK").unwrap(), Line::Ok));
    }

    #[tokio::test]
    async fn an_answer_is_its_pairs_in_order() {
        let pairs = read(
            b"volume: 50\nstate: play\nOK\nleft: over\n",
            Limits::default(),
        )
        .await
        .unwrap();
        assert_eq!(pairs, vec![pair("volume", "50"), pair("state", "play")]);
        assert_eq!(read(b"OK\n", Limits::default()).await.unwrap(), vec![]);
    }

    #[tokio::test]
    async fn an_ack_ends_the_answer() {
        let error = read(
            b"file: a\nACK [50@1] {add} No such song\n",
            Limits::default(),
        )
        .await
        .unwrap_err();
        assert!(matches!(
            error,
            MpdError::Ack {
                code: 50,
                index: 1,
                ..
            }
        ));
    }

    #[tokio::test]
    async fn a_closed_connection_before_any_answer_may_be_retried_but_not_after() {
        let error = read(b"", Limits::default()).await.unwrap_err();
        assert!(is_unanswered(&error), "{error}");
        for partial in [&b"volume: 50\n"[..], b"volume: 5"] {
            let error = read(partial, Limits::default()).await.unwrap_err();
            assert!(matches!(error, MpdError::Io(_)), "{error}");
            assert!(!is_unanswered(&error), "{error}");
        }
    }

    #[tokio::test]
    async fn a_line_over_the_limit_stops_the_reading() {
        let limits = Limits {
            line_bytes: 16,
            response_bytes: 1024,
        };
        let long = format!("Title: {}\nOK\n", "x".repeat(100));
        let error = read(long.as_bytes(), limits).await.unwrap_err();
        assert!(
            matches!(&error, MpdError::Protocol(m) if m.contains("16 bytes")),
            "{error}"
        );
        // A line of exactly the limit, newline included, is fine.
        let exact = b"Title: 12345678\nOK\n";
        assert_eq!(
            read(exact, limits).await.unwrap(),
            vec![pair("Title", "12345678")]
        );
    }

    #[tokio::test]
    async fn an_answer_over_the_limit_stops_the_reading() {
        let limits = Limits {
            line_bytes: 64,
            response_bytes: 100,
        };
        let endless: Vec<u8> = b"file: song.flac\n".repeat(1000);
        let error = read(&endless, limits).await.unwrap_err();
        assert!(
            matches!(&error, MpdError::Protocol(m) if m.contains("100 bytes")),
            "{error}"
        );
    }

    #[tokio::test]
    async fn text_that_is_not_utf8_is_a_protocol_error() {
        let error = read(b"Title: \xff\xfe\nOK\n", Limits::default())
            .await
            .unwrap_err();
        assert!(matches!(error, MpdError::Protocol(_)), "{error}");
    }
}
