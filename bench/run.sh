#!/usr/bin/env bash
# Compares hark's intent engine with hassil on Home Assistant's English grammar, end to end:
# the same sampled sentences go through both, then their answers and speeds are compared.
#
#   bench/run.sh                      2000 sentences, seed 1, timings over 3 passes
#   COUNT=500 SEED=7 REPEAT=1 bench/run.sh
#   STRICT=1 bench/run.sh             exit 1 when any answer differs from hassil's
#
# Everything lands in target/bench/ (or $HARK_BENCH_OUT): sentences.txt, sample-report.json
# (sentences per intent), hassil.jsonl, hark.jsonl, hassil-bench.json, hark-bench.json.
# Timings come from whatever machine this runs on: compare the two engines within one run only.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

count="${COUNT:-2000}"
seed="${SEED:-1}"
repeat="${REPEAT:-3}"
out="${HARK_BENCH_OUT:-$repo/target/bench}"

log() { printf '\n== %s\n' "$*" >&2; }

scripts/setup.sh
python="${HARK_VENV:-$repo/.venv}/bin/python"
grammar="$("$python" -c 'import home_assistant_intents, os; print(os.path.join(os.path.dirname(home_assistant_intents.__file__), "data", "en.json"))')"
lists="$repo/bench/ha_lists.yaml"
sentences="$out/sentences.txt"
mkdir -p "$out"
rm -f "$out/hark.jsonl" "$out/hark-bench.json"

log "sampling $count sentences (seed $seed) from $grammar"
"$python" bench/hassil_bench.py sample --count "$count" --seed "$seed" >"$sentences" 2>"$out/sample-report.json"
wc -l <"$sentences" >&2

log "hassil: parse"
"$python" bench/hassil_bench.py parse <"$sentences" >"$out/hassil.jsonl"

log "hassil: bench"
"$python" bench/hassil_bench.py bench --sentences "$sentences" --repeat "$repeat" >"$out/hassil-bench.json"

log "hark: build"
hark_ok=1
if ! cargo build --release -q -p hark; then
	hark_ok=0
fi

if [ "$hark_ok" -eq 1 ]; then
	log "hark: parse"
	cargo run --release -q -p hark -- nlu parse --grammar "$grammar" --grammar "$lists" \
		<"$sentences" >"$out/hark.jsonl" || hark_ok=0
fi

if [ "$hark_ok" -eq 1 ]; then
	log "hark: bench"
	cargo run --release -q -p hark -- nlu bench --grammar "$grammar" --grammar "$lists" \
		--sentences "$sentences" --repeat "$repeat" >"$out/hark-bench.json" || hark_ok=0
fi

log "speed"
"$python" - "$out/hassil-bench.json" "$out/hark-bench.json" <<'PY'
import json
import sys

print(f"{'engine':8} {'sentences/s':>12} {'p50 us':>10} {'p99 us':>10}")
for path, name in zip(sys.argv[1:], ("hassil", "hark")):
    try:
        with open(path, encoding="utf-8") as lines:
            # The last line that is a JSON object: the engine may print more around it.
            stats = [json.loads(line) for line in lines if line.lstrip().startswith("{")][-1]
        row = f"{stats['sentences_per_s']:>12.0f} {stats['p50_us']:>10.1f} {stats['p99_us']:>10.1f}"
    except (OSError, IndexError, ValueError, KeyError, TypeError):
        row = f"{'-':>12} {'-':>10} {'-':>10}"
    print(f"{name:8} {row}")
PY

if [ "$hark_ok" -ne 1 ]; then
	echo "bench: hark failed (does it have 'nlu parse' and 'nlu bench' yet?); hassil's results are in $out" >&2
	exit 1
fi

log "answers: hassil vs hark"
strict=()
if [ -n "${STRICT:-}" ]; then
	strict=(--strict)
fi
"$python" bench/compare.py "${strict[@]}" "$out/hassil.jsonl" "$out/hark.jsonl"
