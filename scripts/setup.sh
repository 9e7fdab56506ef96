#!/usr/bin/env bash
# Prepares a Debian or Ubuntu machine to build and test hark.
#
# Safe to run again and again: each step first checks what is already there, so a machine that is
# ready costs well under a second, and `apt-get update` only runs when a package must be installed.
# Run it as root, or as a user who may sudo.
#
# What it sets up:
#   - Debian packages to build the workspace (C toolchain, pkg-config);
#   - the speech engines hark-speech links (PocketSphinx with its American English model,
#     espeak-ng), and the tools tests use: sox (resample, trim, convert) and PocketSphinx's own
#     decoder (pocketsphinx_continuous, which checks the exported recognizer grammar);
#   - the English word list trained intent models learn word classes from (wamerican-large), and
#     WordNet, whose supersenses they learn as word clusters (wordnet-base);
#   - a Rust toolchain through rustup, only when no cargo is found;
#   - a Python virtual environment at <repo>/.venv (or $HARK_VENV) with the packages pinned in
#     scripts/python-requirements.txt: hassil and Home Assistant's grammar, the reference hark's
#     intent engine is compared against. $HARK_SETUP_PYTHON picks the interpreter that creates it
#     (default: python3 on PATH).
#
# `scripts/setup.sh run` prepares only what running hark needs (no Python).
# To add a dependency, write a step_* function below and call it from main.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${HARK_VENV:-$repo/.venv}"
requirements="$repo/scripts/python-requirements.txt"

log() { printf 'setup: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root (or sudo) to run: $*"
	fi
}

is_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

apt_updated=0

# Installs those of the named Debian packages that are missing.
apt_install() {
	local pkg
	local missing=()
	for pkg in "$@"; do
		is_installed "$pkg" || missing+=("$pkg")
	done
	[ "${#missing[@]}" -eq 0 ] && return 0

	command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]}, and this is not a Debian-like system"
	log "installing ${missing[*]}"
	if [ "$apt_updated" -eq 0 ]; then
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		apt_updated=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

step_build_tools() {
	apt_install build-essential pkg-config
}

# hark-speech links the system's PocketSphinx (0.8, with sphinxbase) and espeak-ng; build.rs finds
# them with pkg-config.
step_speech() {
	apt_install pkg-config libpocketsphinx-dev pocketsphinx-en-us pocketsphinx libespeak-ng-dev espeak-ng sox
}

# hark-mpd's integration tests start a real Music Player Daemon (with a temporary configuration
# of their own, on a free port) and play files they make with sox. Only the binary is needed: the
# tests never use the system's mpd service.
step_mpd() {
	apt_install mpd
}

# The music library's tests and benchmark make tagged audio files: sox writes WAV, FLAC and Ogg
# Vorbis, lame MP3, opusenc (opus-tools) Opus and ffmpeg M4A (AAC).
step_music() {
	apt_install sox lame opus-tools ffmpeg
}

# `hark nlu train` learns how an English word list writes each word (a name or not), from Debian's
# wamerican-large (/usr/share/dict/american-english-large), and what each word means coarsely
# (its WordNet supersense), from wordnet-base (/usr/share/wordnet).
step_words() {
	apt_install wamerican-large wordnet-base
}

step_rust() {
	if command -v cargo >/dev/null 2>&1 || [ -x "$HOME/.cargo/bin/cargo" ]; then
		return 0
	fi
	apt_install ca-certificates curl
	log "no cargo found; installing Rust with rustup"
	curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
		sh -s -- -y --no-modify-path --profile minimal --component rustfmt,clippy
	log "Rust installed in $HOME/.cargo/bin; scripts/test.sh finds it there"
}

# Exits 0 when the interpreter given as $1 has every `name==version` of the requirements file.
venv_is_current() {
	"$1" - "$requirements" <<'PY' 2>/dev/null
import importlib.metadata as metadata
import re
import sys

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, version = line.split("==")
    try:
        installed = metadata.version(re.sub(r"[-_.]+", "-", name.strip()))
    except metadata.PackageNotFoundError:
        sys.exit(1)
    if installed != version.strip():
        sys.exit(1)
PY
}

step_python_venv() {
	local python="${HARK_SETUP_PYTHON:-python3}"

	if [ -x "$venv/bin/python" ] && venv_is_current "$venv/bin/python"; then
		return 0
	fi

	if ! command -v "$python" >/dev/null 2>&1; then
		apt_install python3
		python=python3
	fi

	# A venv whose interpreter no longer runs (its base Python was removed) is rebuilt.
	local clear=()
	if [ -e "$venv" ] && ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
		clear=(--clear)
	fi

	if [ ! -x "$venv/bin/python" ] || [ "${#clear[@]}" -gt 0 ]; then
		log "creating $venv with $python"
		# Debian's and Ubuntu's python3 ship venv's pip bootstrap in a separate package.
		if ! "$python" -m venv "${clear[@]}" "$venv" >/dev/null 2>&1; then
			local version
			version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
			apt_install python3-venv "python$version-venv"
			"$python" -m venv --clear "$venv"
		fi
	fi

	log "installing Python packages from ${requirements#"$repo"/}"
	"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$requirements"
	venv_is_current "$venv/bin/python" || die "$venv does not have the pinned packages after pip install"
}

postgres_up() {
	if command -v pg_isready >/dev/null 2>&1; then
		pg_isready -q -h 127.0.0.1 -p 5432
	else
		(exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
	fi
}

# The store's tests run against PostgreSQL on 127.0.0.1:5432 (database `test`, trust auth for
# local connections), as on the development and CI machines. Start it if it is down; install
# Debian's server on a machine that has none.
step_postgres() {
	postgres_up && return 0
	if ! command -v pg_ctlcluster >/dev/null 2>&1; then
		apt_install postgresql
	fi
	local version
	version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
	[ -n "$version" ] || die "PostgreSQL is installed but has no cluster in /etc/postgresql"
	log "starting PostgreSQL $version"
	as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
	local i
	for i in $(seq 1 30); do
		postgres_up && break
		sleep 1
	done
	postgres_up || die "PostgreSQL did not come up on 127.0.0.1:5432"
	# A fresh install has no `test` database and asks for passwords on TCP; the tests connect as
	# `postgres` to `test` over TCP with trust, as the development machines do.
	if command -v psql >/dev/null 2>&1; then
		if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
			log "creating the database 'test' and trusting local TCP connections"
			as_root su postgres -c "psql -q -c 'create database test'" >/dev/null 2>&1 || true
			local hba
			hba="$(as_root su postgres -c "psql -tAc 'show hba_file'" 2>/dev/null)"
			if [ -n "$hba" ] && ! as_root grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
				as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
				as_root su postgres -c "psql -q -c 'select pg_reload_conf()'" >/dev/null
			fi
		fi
	fi
}

main() {
	local purpose="${1:-test}"
	case "$purpose" in
	run | test) ;;
	*) die "usage: scripts/setup.sh [run|test] (default: test)" ;;
	esac
	step_build_tools
	step_speech
	step_music
	step_words
	step_rust
	# Only the tests and benchmarks compare against hassil and use PostgreSQL.
	if [ "$purpose" = test ]; then
		step_python_venv
		step_postgres
		step_mpd
	fi
	log "ready"
}

main "$@"
