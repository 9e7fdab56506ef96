#!/usr/bin/env bash
# Runs hark's whole test suite: the command the README and CI (.ci/run) use.
#
# It first runs scripts/setup.sh (a no-op when the machine is ready), then tells the Rust tests
# where the reference tools are:
#   HARK_PYTHON           the venv's python, with hassil installed
#   HARK_HA_INTENTS_JSON  Home Assistant's merged English grammar (home_assistant_intents/data/en.json)
# Tests that need them should skip with a message when these are unset, so plain `cargo test`
# still works on a machine without the venv.
#
# It checks formatting (cargo fmt) and lints (clippy, warnings are errors), then runs the tests.
# Tests run under cargo-nextest when it is installed (faster, per-test isolation), else cargo test.
# nextest does not run doctests, so they run separately. Extra arguments go to both runners
# (e.g. `scripts/test.sh -p hark-nlu`).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

"$repo/scripts/setup.sh"

# setup.sh may have installed Rust with rustup, which this shell's PATH does not know yet.
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
	PATH="$HOME/.cargo/bin:$PATH"
fi

venv="${HARK_VENV:-$repo/.venv}"
HARK_PYTHON="$venv/bin/python"
HARK_HA_INTENTS_JSON="$("$HARK_PYTHON" -c 'import home_assistant_intents, os; print(os.path.join(os.path.dirname(home_assistant_intents.__file__), "data", "en.json"))')"
[ -f "$HARK_HA_INTENTS_JSON" ] || {
	echo "test: $HARK_HA_INTENTS_JSON is missing" >&2
	exit 1
}
export HARK_PYTHON HARK_HA_INTENTS_JSON

status=0
# Style and lints first: they are quick and their failures are the cheapest to fix.
cargo fmt --all -- --check || status=$?
cargo clippy --workspace --all-targets --quiet -- -D warnings || status=$?
if cargo nextest --version >/dev/null 2>&1; then
	cargo nextest run --workspace --no-fail-fast "$@" || status=$?
else
	cargo test --workspace --no-fail-fast "$@" || status=$?
fi
cargo test --workspace --doc "$@" || status=$?
exit "$status"
