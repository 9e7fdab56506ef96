//! What the tests of the `hark` binary share: a data folder and a database
//! of its own for each test (SQLite, or a fresh PostgreSQL schema), `hark
//! serve` started on a free port, and a small HTTP client.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

/// A running `hark serve` that is killed when dropped.
pub struct Running {
    pub child: Child,
    pub url: String,
    /// The first-start admin token (None when the data folder was not new).
    pub token: Option<String>,
}

impl Running {
    /// Runs `hark ARGS` against this server with `dir` as the data folder (where the admin
    /// token was saved): whether it succeeded, its stdout and its stderr.
    pub fn client(&self, dir: &Path, args: &[&str]) -> (bool, String, String) {
        let out = hark()
            .args(args)
            .args(["--server", &self.url, "--data-dir"])
            .arg(dir)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn data_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hark-server-test-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Where a test's server keeps its data: SQLite in its data folder, or a
/// fresh schema of the PostgreSQL database at `HARK_TEST_POSTGRES_URL`
/// (default `postgres://postgres@127.0.0.1:5432/test`), dropped afterwards.
pub struct Database {
    url: Option<String>,
    schema: Option<(String, String)>,
}

impl Database {
    pub fn sqlite() -> Self {
        Database {
            url: None,
            schema: None,
        }
    }

    pub fn postgres() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::var("HARK_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
        let schema = format!(
            "hark_cli_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        postgres_execute(&base, &format!("CREATE SCHEMA {schema}"));
        let glue = if base.contains('?') { '&' } else { '?' };
        Database {
            url: Some(format!("{base}{glue}options=-csearch_path%3D{schema}")),
            schema: Some((base, schema)),
        }
    }

    /// What `hark_store::Store::open` takes to reach the database of a
    /// server with `dir` as its data folder.
    pub fn store_url(&self, dir: &Path) -> String {
        match &self.url {
            Some(url) => url.clone(),
            None => format!("sqlite:{}", dir.join("hark.db").display()),
        }
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.url.is_some()
    }

    /// The flags that give `hark` this database.
    pub fn args(&self) -> Vec<String> {
        match &self.url {
            Some(url) => vec!["--database-url".to_string(), url.clone()],
            None => Vec::new(),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.schema {
            postgres_execute(base, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

pub fn postgres_execute(url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL at {url} is not reachable ({e}): start it with \
                 `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (scripts/setup.sh does)"
            )
        });
        let task = tokio::spawn(connection);
        client.batch_execute(sql).await.unwrap();
        drop(client);
        let _ = task.await;
    });
}

pub fn hark() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hark"));
    // The tests' settings come from flags alone.
    command
        .env_remove("HARK_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("RUST_LOG", "warn");
    for (key, _) in std::env::vars() {
        if key.starts_with("HARK_") {
            command.env_remove(key);
        }
    }
    command
}

/// Starts `hark serve` on a free port with `dir` as its data folder.
pub fn serve(dir: &Path) -> Running {
    serve_on(dir, &Database::sqlite())
}

/// Starts `hark serve` on a free port with `dir` as its data folder and `db`
/// as its database.
pub fn serve_on(dir: &Path, db: &Database) -> Running {
    serve_with(dir, &db.args(), &[], Stdio::inherit())
}

/// Starts `hark serve` on a free port with `dir` as its data folder, the
/// database flags `database` (see [`Database::args`]), these extra
/// environment variables (`HARK_CLOCK_OFFSET_MS`), and its log going to
/// `stderr`. Returns once it prints the line that shows how to talk to it.
pub fn serve_with(
    dir: &Path,
    database: &[String],
    env: &[(&str, String)],
    stderr: Stdio,
) -> Running {
    let mut child = hark()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .args(database)
        .envs(env.iter().map(|(key, value)| (key, value)))
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("hark serve starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut url = None;
    let mut token = None;
    let mut line = String::new();
    // The banner ends with the line that shows how to talk to it.
    while stdout.read_line(&mut line).expect("banner") > 0 {
        if let Some(rest) = line.strip_prefix("hark is listening on ") {
            url = Some(rest.split_whitespace().next().expect("url").to_string());
        }
        if let Some(rest) = line.strip_prefix("Admin token (shown once; keep it secret): ") {
            token = Some(rest.trim().to_string());
        }
        if line.contains("hark ask") && line.contains("\"what time is it\"") {
            break;
        }
        line.clear();
    }
    // Keep reading stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    Running {
        child,
        url: url.expect("the server printed its address"),
        token,
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// Sends a request; returns the status and the JSON body (Null if none).
pub fn call(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> (u16, Value) {
    let agent = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let response = match (method, body) {
        ("GET", _) | ("DELETE", _) => {
            let mut request = if method == "GET" {
                agent.get(url)
            } else {
                agent.delete(url)
            };
            if let Some(auth) = &auth {
                request = request.header("Authorization", auth);
            }
            request.call()
        }
        (_, body) => {
            let mut request = if method == "PATCH" {
                agent.patch(url)
            } else {
                agent.post(url)
            };
            if let Some(auth) = &auth {
                request = request.header("Authorization", auth);
            }
            request
                .header("Content-Type", "application/json")
                .send(body.unwrap_or(""))
        }
    };
    let mut response = response.expect("the server answers");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
