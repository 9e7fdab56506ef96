//! The connection to one MPD server and the commands hark sends it.
//!
//! A [`Client`] holds at most one TCP connection, opened on first use and again after it
//! breaks (see the crate's top doc for when a command is sent twice). Its methods take
//! `&mut self`: MPD answers commands in order on one connection, so a caller that shares a
//! client between tasks puts it behind a mutex.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::protocol::{self, Limits, Pair};
use crate::types::{Song, Status};
use crate::{MpdError, Result};

/// The most bytes one command list carries. MPD refuses lists over its
/// `max_command_list_size` (2 MiB by default); [`Client::add_many`] splits longer ones.
const COMMAND_LIST_BYTES: usize = 512 * 1024;

/// A client of the MPD server at an address such as `127.0.0.1:6600`.
#[derive(Debug)]
pub struct Client {
    address: String,
    timeout: Duration,
    password: Option<String>,
    limits: Limits,
    connection: Option<Connection>,
}

#[derive(Debug)]
struct Connection {
    stream: BufReader<TcpStream>,
    version: String,
}

impl Connection {
    /// Whether the server has closed its end (or sent something unasked, which would make
    /// every later answer off by one): such a connection is not used again.
    fn is_stale(&self) -> bool {
        if !self.stream.buffer().is_empty() {
            return true;
        }
        let mut byte = [0u8; 1];
        match self.stream.get_ref().try_read(&mut byte) {
            Err(e) => e.kind() != io::ErrorKind::WouldBlock,
            Ok(_) => true,
        }
    }
}

impl Client {
    /// A client of the server at `address` (`host:port`) that waits at most `timeout` for
    /// each call, connecting included. Nothing is sent until the first call.
    pub fn new(address: impl Into<String>, timeout: Duration) -> Client {
        Client {
            address: address.into(),
            timeout,
            password: None,
            limits: Limits::default(),
            connection: None,
        }
    }

    /// A client of the server at `address`, connected now: fails if the server cannot be
    /// reached, or does not greet as MPD does, within `timeout`.
    pub async fn connect(address: impl Into<String>, timeout: Duration) -> Result<Client> {
        let mut client = Client::new(address, timeout);
        client.reconnect().await?;
        Ok(client)
    }

    /// The same client, sending `password` on every connection it opens (the connection open
    /// now, if any, is closed: the next call opens one with the password).
    pub fn with_password(mut self, password: impl Into<String>) -> Client {
        self.password = Some(password.into());
        self.connection = None;
        self
    }

    /// The same client with other limits on what the server may send.
    pub fn with_limits(mut self, limits: Limits) -> Client {
        self.limits = limits;
        self
    }

    /// Sends `password` now, and again on every connection this client opens later. A wrong
    /// password is an [`MpdError::Ack`] with code [`crate::ack::PASSWORD`], and is not kept.
    pub async fn password(&mut self, password: &str) -> Result<()> {
        let line = protocol::command("password", &[password])?;
        self.run(&line).await?;
        self.password = Some(password.to_owned());
        Ok(())
    }

    /// The server's address, as given.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The protocol version the server greeted with (`0.23.5`), while connected.
    pub fn server_version(&self) -> Option<&str> {
        self.connection.as_ref().map(|c| c.version.as_str())
    }

    /// Whether a connection is open (it may still have been closed by the server since).
    pub fn is_connected(&self) -> bool {
        self.connection.is_some()
    }

    /// Closes the connection, if any, and opens a new one (sending the password, if any).
    pub async fn reconnect(&mut self) -> Result<()> {
        self.connection = None;
        let timeout = self.timeout;
        let connection = tokio::time::timeout(timeout, self.open())
            .await
            .map_err(|_| MpdError::Timeout(timeout))??;
        self.connection = Some(connection);
        Ok(())
    }

    /// Closes the connection, if any; the next call opens a new one.
    pub fn disconnect(&mut self) {
        self.connection = None;
    }

    /// Checks that the server answers.
    pub async fn ping(&mut self) -> Result<()> {
        self.simple("ping", &[]).await
    }

    /// The player's state.
    pub async fn status(&mut self) -> Result<Status> {
        Status::from_pairs(&self.request("status", &[]).await?)
    }

    /// The song playing or paused now, if any.
    pub async fn current_song(&mut self) -> Result<Option<Song>> {
        let pairs = self.request("currentsong", &[]).await?;
        Ok(Song::list_from_pairs(&pairs)?.into_iter().next())
    }

    /// The queue, in order.
    pub async fn queue(&mut self) -> Result<Vec<Song>> {
        Song::list_from_pairs(&self.request("playlistinfo", &[]).await?)
    }

    /// Empties the queue (and stops).
    pub async fn clear(&mut self) -> Result<()> {
        self.simple("clear", &[]).await
    }

    /// Adds a song (a URI relative to MPD's music directory, or a URL) or a whole directory
    /// at the end of the queue. An unknown URI is an [`MpdError::Ack`] with code
    /// [`crate::ack::NO_EXIST`].
    pub async fn add(&mut self, uri: &str) -> Result<()> {
        self.simple("add", &[uri]).await
    }

    /// Adds songs at the end of the queue, in order, in as few command lists as MPD's limit on
    /// their size allows (each list within the client's timeout). MPD runs a list's commands
    /// one by one: when one fails (an [`MpdError::Ack`] whose `index` is that URI's index in
    /// `uris`), the songs before it stay added, and those after it are not. All arguments are
    /// checked before anything is sent.
    pub async fn add_many<S: AsRef<str>>(&mut self, uris: &[S]) -> Result<()> {
        let mut lines = Vec::with_capacity(uris.len());
        for uri in uris {
            lines.push(protocol::command("add", &[uri.as_ref()])?);
        }
        let mut list = String::new();
        // The index in `uris` of the list's first song.
        let mut first = 0;
        for (index, line) in lines.iter().enumerate() {
            if !list.is_empty() && list.len() + line.len() > COMMAND_LIST_BYTES {
                self.run_list(&list, first).await?;
                list.clear();
                first = index;
            }
            list.push_str(line);
        }
        if !list.is_empty() {
            self.run_list(&list, first).await?;
        }
        Ok(())
    }

    /// Plays the song at `pos` in the queue, or, with `None`, resumes the current song (or
    /// starts the queue when stopped).
    pub async fn play(&mut self, pos: Option<u32>) -> Result<()> {
        match pos {
            Some(pos) => self.simple("play", &[&pos.to_string()]).await,
            None => self.simple("play", &[]).await,
        }
    }

    /// Pauses (`true`) or resumes (`false`); either does nothing when stopped.
    pub async fn pause(&mut self, pause: bool) -> Result<()> {
        self.simple("pause", &[if pause { "1" } else { "0" }]).await
    }

    /// Stops playing.
    pub async fn stop(&mut self) -> Result<()> {
        self.simple("stop", &[]).await
    }

    /// Plays the next song of the queue.
    pub async fn next(&mut self) -> Result<()> {
        self.simple("next", &[]).await
    }

    /// Plays the previous song of the queue.
    pub async fn previous(&mut self) -> Result<()> {
        self.simple("previous", &[]).await
    }

    /// Moves to `position` in the current song (zero plays it again from the start).
    pub async fn seek_current(&mut self, position: Duration) -> Result<()> {
        let secs = format!("{:.3}", position.as_secs_f64());
        self.simple("seekcur", &[&secs]).await
    }

    /// Sets the volume, in percent (0 to 100).
    pub async fn set_volume(&mut self, volume: u8) -> Result<()> {
        if volume > 100 {
            return Err(MpdError::InvalidArgument(format!(
                "a volume is 0 to 100 percent, not {volume}"
            )));
        }
        self.simple("setvol", &[&volume.to_string()]).await
    }

    /// Turns random order on or off.
    pub async fn random(&mut self, on: bool) -> Result<()> {
        self.simple("random", &[if on { "1" } else { "0" }]).await
    }

    /// Turns repeating the queue on or off.
    pub async fn repeat(&mut self, on: bool) -> Result<()> {
        self.simple("repeat", &[if on { "1" } else { "0" }]).await
    }

    /// Starts updating MPD's database, of the whole music directory or of `path` under it;
    /// returns the update's job id. It runs in the background: see
    /// [`Client::wait_for_update`].
    pub async fn update(&mut self, path: Option<&str>) -> Result<u32> {
        let pairs = match path {
            Some(path) => self.request("update", &[path]).await?,
            None => self.request("update", &[]).await?,
        };
        let job = pairs
            .iter()
            .find(|(key, _)| key == "updating_db")
            .ok_or_else(|| MpdError::Protocol("`update` answered no `updating_db`".into()))?;
        job.1
            .parse()
            .map_err(|_| MpdError::Protocol(format!("`updating_db: {}` is not a job id", job.1)))
    }

    /// Waits until no database update runs (returns at once if none does), for at most
    /// `within`: then [`MpdError::Timeout`], and the connection is closed.
    ///
    /// It waits with MPD's `idle update`, which returns when an update starts or ends (or
    /// already has since the previous command on this connection), so it does not poll.
    pub async fn wait_for_update(&mut self, within: Duration) -> Result<()> {
        let deadline = Instant::now() + within;
        let status = protocol::command("status", &[])?;
        let idle = protocol::command("idle", &["update"])?;
        loop {
            let pairs = self.run_until(&status, deadline, within, true).await?;
            if Status::from_pairs(&pairs)?.updating_db.is_none() {
                return Ok(());
            }
            // On the connection that just answered `status` (no reconnecting in between), so
            // that the end of the update cannot fall between the two commands unseen; if that
            // connection is gone, `status` asks again on a new one.
            match self.run_until(&idle, deadline, within, false).await {
                Err(error) if protocol::is_unanswered(&error) => continue,
                other => other?,
            };
        }
    }

    /// The URIs of every song in MPD's database, or under the directory `path`, in the
    /// server's order (directories and playlists left out).
    pub async fn list_all(&mut self, path: Option<&str>) -> Result<Vec<String>> {
        let pairs = match path {
            Some(path) => self.request("listall", &[path]).await?,
            None => self.request("listall", &[]).await?,
        };
        Ok(pairs
            .into_iter()
            .filter(|(key, _)| key == "file")
            .map(|(_, value)| value)
            .collect())
    }

    /// The songs of MPD's database whose `tag` (`Artist`, `Album`, `Title`, `Genre`, or `file`
    /// for the URI itself) is exactly `value`. Needs MPD 0.21 or later (filter expressions).
    pub async fn find(&mut self, tag: &str, value: &str) -> Result<Vec<Song>> {
        let filter = protocol::filter_equals(tag, value)?;
        Song::list_from_pairs(&self.request("find", &[&filter]).await?)
    }

    /// Sends any command with its arguments (quoted and escaped here) and returns the
    /// answer's pairs: for what the typed methods do not cover. Commands that change how the
    /// connection itself works (`idle`, `noidle`, `close`, command lists) and those that
    /// answer with binary data (`albumart`, `readpicture`) are refused with
    /// [`MpdError::InvalidArgument`].
    pub async fn command(&mut self, name: &str, args: &[&str]) -> Result<Vec<Pair>> {
        const REFUSED: [&str; 8] = [
            "idle",
            "noidle",
            "close",
            "command_list_begin",
            "command_list_ok_begin",
            "command_list_end",
            "albumart",
            "readpicture",
        ];
        if REFUSED.contains(&name) {
            return Err(MpdError::InvalidArgument(format!(
                "`{name}` cannot be sent through Client::command"
            )));
        }
        self.request(name, args).await
    }

    async fn simple(&mut self, name: &str, args: &[&str]) -> Result<()> {
        self.request(name, args).await.map(drop)
    }

    async fn request(&mut self, name: &str, args: &[&str]) -> Result<Vec<Pair>> {
        let line = protocol::command(name, args)?;
        self.run(&line).await
    }

    /// Runs `commands` as one command list; an ACK's index is counted from `first`.
    async fn run_list(&mut self, commands: &str, first: usize) -> Result<()> {
        let list = format!("command_list_begin\n{commands}command_list_end\n");
        match self.run(&list).await {
            Ok(_) => Ok(()),
            Err(MpdError::Ack {
                code,
                index,
                command,
                message,
            }) => Err(MpdError::Ack {
                code,
                index: index.saturating_add(u32::try_from(first).unwrap_or(u32::MAX)),
                command,
                message,
            }),
            Err(error) => Err(error),
        }
    }

    /// Sends `text` (one command line, or a command list) and reads its answer, within the
    /// client's timeout.
    async fn run(&mut self, text: &str) -> Result<Vec<Pair>> {
        let timeout = self.timeout;
        self.run_until(text, Instant::now() + timeout, timeout, true)
            .await
    }

    /// Sends `text` and reads its answer by `deadline` (at the end of `budget`, which a
    /// timeout reports); `may_reconnect` allows opening a new connection first (or once after
    /// an unanswered send). After any error but an ACK, the connection is dropped: what is left
    /// unread on it would be taken for the next answer.
    async fn run_until(
        &mut self,
        text: &str,
        deadline: Instant,
        budget: Duration,
        may_reconnect: bool,
    ) -> Result<Vec<Pair>> {
        let result = tokio::time::timeout_at(deadline, self.exchange(text, may_reconnect)).await;
        match result {
            Ok(Ok(pairs)) => Ok(pairs),
            Ok(Err(error)) => {
                if !matches!(error, MpdError::Ack { .. }) {
                    self.connection = None;
                }
                Err(error)
            }
            Err(_) => {
                self.connection = None;
                Err(MpdError::Timeout(budget))
            }
        }
    }

    async fn exchange(&mut self, text: &str, may_reconnect: bool) -> Result<Vec<Pair>> {
        if self.connection.as_ref().is_some_and(Connection::is_stale) {
            self.connection = None;
        }
        let reused = match &self.connection {
            Some(_) => true,
            None if may_reconnect => {
                self.connection = Some(self.open().await?);
                false
            }
            None => return Err(protocol::unanswered(io::ErrorKind::NotConnected)),
        };
        let limits = self.limits;
        let connection = self.connection.as_mut().expect("connected above");
        match send(connection, text, &limits).await {
            Err(error) if reused && may_reconnect && protocol::is_unanswered(&error) => {
                self.connection = None;
                let connection = self.connection.insert(self.open().await?);
                send(connection, text, &limits).await
            }
            result => result,
        }
    }

    /// Connects, reads the greeting and sends the password, if any.
    async fn open(&self) -> Result<Connection> {
        let stream = TcpStream::connect(&self.address).await?;
        stream.set_nodelay(true)?;
        let mut stream = BufReader::new(stream);
        let mut line = Vec::new();
        if !protocol::read_line(&mut stream, &self.limits, &mut line).await? {
            return Err(MpdError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection without greeting",
            )));
        }
        let greeting = String::from_utf8_lossy(&line);
        let version = protocol::parse_greeting(&greeting)?;
        let mut connection = Connection { stream, version };
        if let Some(password) = &self.password {
            let line = protocol::command("password", &[password])?;
            send(&mut connection, &line, &self.limits).await?;
        }
        Ok(connection)
    }
}

/// Writes `text` and reads the answer. A write that fails means the server never read the
/// command: it is reported as unanswered, like a close before the answer.
async fn send(connection: &mut Connection, text: &str, limits: &Limits) -> Result<Vec<Pair>> {
    let stream = connection.stream.get_mut();
    if let Err(e) = stream.write_all(text.as_bytes()).await {
        return Err(protocol::unanswered(e.kind()));
    }
    protocol::read_response(&mut connection.stream, limits).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_send<T: Send>(_: &T) {}

    /// The server drives a room's MPD from its tasks: the client and its calls must be `Send`.
    #[test]
    fn the_client_and_its_calls_can_move_between_threads() {
        let mut client = Client::new("127.0.0.1:6600", Duration::from_secs(1));
        is_send(&client);
        {
            let call = client.status();
            is_send(&call);
        }
        {
            let call = client.add_many(&["a.flac"]);
            is_send(&call);
        }
        {
            let call = client.wait_for_update(Duration::from_secs(1));
            is_send(&call);
        }
        let call = client.reconnect();
        is_send(&call);
    }
}
