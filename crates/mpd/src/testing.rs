//! A real MPD for tests, behind the `testing` feature: [`TestMpd`] starts `mpd --no-daemon`
//! with a configuration of its own in a temporary folder (database, state, music folder), on
//! a free port of 127.0.0.1, with a null audio output whose software mixer makes the volume
//! work, and kills it when dropped. [`TestMpd::add_track`] makes tagged audio files with sox.
//!
//! Tests skip (with a message) only where no `mpd` binary is installed; scripts/setup.sh
//! installs Debian's. A missing sox is a failure, since setup.sh installs it for every test.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long MPD may take to start accepting connections.
const START_WITHIN: Duration = Duration::from_secs(20);

/// The tags of a generated track (each left out of the file when `None`).
#[derive(Debug, Clone, Default)]
pub struct Tags<'a> {
    /// `ARTIST`.
    pub artist: Option<&'a str>,
    /// `ALBUM`.
    pub album: Option<&'a str>,
    /// `TITLE`.
    pub title: Option<&'a str>,
    /// `GENRE`.
    pub genre: Option<&'a str>,
    /// `TRACKNUMBER`.
    pub track: Option<u32>,
}

/// How a [`TestMpd`] is configured.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A password with every permission; clients without it may only read.
    pub password: Option<String>,
    /// MPD's `connection_timeout` in seconds: it closes a connection idle that long.
    pub connection_timeout: Option<u32>,
}

/// A running `mpd --no-daemon` of a test's own; killed when dropped.
#[derive(Debug)]
pub struct TestMpd {
    dir: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

impl TestMpd {
    /// Whether an `mpd` binary can be run; if not, says on stderr that `test` is skipped.
    pub fn available(test: &str) -> bool {
        match Command::new("mpd")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
        {
            Ok(_) => true,
            Err(_) => {
                eprintln!(
                    "skipping {test}: no `mpd` binary on PATH (scripts/setup.sh installs Debian's mpd)"
                );
                false
            }
        }
    }

    /// A folder for the music, config and state, not started yet: add tracks, then
    /// [`TestMpd::start`]. `None` (with a message) where no `mpd` is installed.
    pub fn new(test: &str, options: Options) -> Option<TestMpd> {
        if !TestMpd::available(test) {
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("hark-mpd-")
            .tempdir()
            .expect("a temporary folder");
        std::fs::create_dir(dir.path().join("music")).unwrap();
        std::fs::create_dir(dir.path().join("playlists")).unwrap();
        let port = free_port();
        let server = TestMpd {
            dir,
            port,
            child: None,
        };
        server.write_config(&options);
        Some(server)
    }

    /// The address clients connect to.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// MPD's music folder: a URI is a path relative to it.
    pub fn music_dir(&self) -> PathBuf {
        self.dir.path().join("music")
    }

    /// Makes a track of `seconds` of silence at `path` under the music folder (its extension,
    /// `flac`, `ogg` or `wav`, picks the format), with `tags` as Vorbis comments (WAV files
    /// get none). Returns its URI.
    pub fn add_track(&self, path: &str, seconds: u32, tags: &Tags<'_>) -> String {
        let file = self.music_dir().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let mut comments = Vec::new();
        let texts = [
            ("ARTIST", tags.artist.map(str::to_owned)),
            ("ALBUM", tags.album.map(str::to_owned)),
            ("TITLE", tags.title.map(str::to_owned)),
            ("GENRE", tags.genre.map(str::to_owned)),
            ("TRACKNUMBER", tags.track.map(|n| n.to_string())),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                let option = if comments.is_empty() {
                    "--comment"
                } else {
                    "--add-comment"
                };
                comments.push(option.to_owned());
                comments.push(format!("{key}={value}"));
            }
        }
        let wav = path.ends_with(".wav");
        let status = Command::new("sox")
            .args(["-n", "-r", "8000", "-c", "1"])
            .args(if wav { &["-b", "16"][..] } else { &[][..] })
            .args(if wav { &[][..] } else { &comments[..] })
            .arg(&file)
            .args(["trim", "0", &seconds.to_string()])
            .status()
            .expect("sox runs (scripts/setup.sh installs it)");
        assert!(status.success(), "sox could not make {}", file.display());
        path.to_owned()
    }

    /// Starts MPD and waits until it accepts connections.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "MPD runs already");
        let mut child = Command::new("mpd")
            .arg("--no-daemon")
            .arg(self.dir.path().join("mpd.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mpd starts");
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                break;
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!(
                    "mpd exited ({status}) before accepting connections; its log:\n{}",
                    self.log()
                );
            }
            if started.elapsed() > START_WITHIN {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "mpd did not accept connections within {START_WITHIN:?}; its log:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.child = Some(child);
    }

    /// Kills MPD at once (SIGKILL, as a crash), and waits until it is gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts MPD again, with the same configuration and port, after [`TestMpd::kill`].
    pub fn restart(&mut self) {
        self.kill();
        self.start();
    }

    /// What MPD wrote to its log so far.
    pub fn log(&self) -> String {
        let mut log = String::new();
        if let Ok(mut file) = std::fs::File::open(self.dir.path().join("log")) {
            let _ = file.read_to_string(&mut log);
        }
        log
    }

    fn write_config(&self, options: &Options) {
        let dir = self.dir.path();
        let quoted = |path: &Path| format!("\"{}\"", path.display());
        let mut config = format!(
            "music_directory {}\nplaylist_directory {}\ndb_file {}\nstate_file {}\n\
             pid_file {}\nlog_file {}\nbind_to_address \"127.0.0.1\"\nport \"{}\"\n\
             zeroconf_enabled \"no\"\nauto_update \"no\"\n\
             audio_output {{\n  type \"null\"\n  name \"null\"\n  mixer_type \"software\"\n}}\n",
            quoted(&dir.join("music")),
            quoted(&dir.join("playlists")),
            quoted(&dir.join("database")),
            quoted(&dir.join("state")),
            quoted(&dir.join("pid")),
            quoted(&dir.join("log")),
            self.port,
        );
        if let Some(password) = &options.password {
            config.push_str(&format!(
                "password \"{password}@read,add,control,admin\"\ndefault_permissions \"read\"\n"
            ));
        }
        if let Some(seconds) = options.connection_timeout {
            config.push_str(&format!("connection_timeout \"{seconds}\"\n"));
        }
        std::fs::write(dir.join("mpd.conf"), config).unwrap();
    }
}

impl Drop for TestMpd {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port nobody listens on now. (Another process could take it before MPD does; the
/// kernel hands out ports in turn, so that is rare, and `start` then fails with MPD's log.)
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Reads from a raw connection to `address` until the server closes it, for at most
/// `within`: how a test learns that MPD's `connection_timeout` has passed without sleeping a
/// guessed time. Returns whether the server closed it.
pub fn wait_until_server_closes(address: &str, within: Duration) -> bool {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 256];
    let started = Instant::now();
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
        if started.elapsed() > within {
            return false;
        }
    }
}
