//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::Command;

use hark_nlu::{entity, ParseContext};

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// Home Assistant's merged English grammar from the `home-assistant-intents`
/// PyPI package, which `scripts/setup.sh` installs into `.venv`.
///
/// Found through `HARK_HA_INTENTS_JSON`, else by asking the project's Python.
/// A missing package fails the test: it would otherwise pass without testing.
pub fn home_assistant_english() -> PathBuf {
    if let Some(path) = std::env::var_os("HARK_HA_INTENTS_JSON") {
        return PathBuf::from(path);
    }
    let venv_python = repo_root().join(".venv/bin/python");
    let python = std::env::var_os("HARK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or(if venv_python.exists() {
            venv_python
        } else {
            PathBuf::from("python3")
        });
    let output = Command::new(&python)
        .args([
            "-c",
            "import home_assistant_intents, os; print(os.path.join(os.path.dirname(home_assistant_intents.__file__), 'data', 'en.json'))",
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; run scripts/setup.sh", python.display()));
    assert!(
        output.status.success(),
        "home-assistant-intents is not installed for {} (run scripts/setup.sh): {}",
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
}

/// A parse context at `now` (a zoned date-time such as
/// `2026-11-25T08:00:00+01:00[Europe/Paris]`).
pub fn context_at(now: &str) -> ParseContext {
    ParseContext::new(entity::Context {
        now: now.parse().expect("a zoned date-time"),
    })
}
