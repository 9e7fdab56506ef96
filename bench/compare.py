#!/usr/bin/env python3
"""Compares two engines' answers to the same sentences, line by line.

Each input is JSON lines in the format of `hark nlu parse` and `hassil_bench.py parse`:

    {"text": "...", "intent": {"name": "...", "slots": {...}, "raw": {...}} or null}

Two answers agree when both are null, or when they name the same intent and have the same
slots with equal values. Values compare loosely, since the engines' types differ: numbers as
floats (hassil gives 5.0 for "5" but 5 for "five"), strings case-insensitively with whitespace
collapsed, lists and objects item by item. The matched text ("raw") is compared only with --raw.

Prints a summary, the intents with the most disagreements, and the first disagreements. Exits 1
on a disagreement only with --strict, and 2 when the files do not line up.
Standard library only, so any python3 runs it.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import re
import sys
from typing import Any, Dict, List, Optional, Tuple

WHITESPACE = re.compile(r"\s+")


def load(path: str) -> List[Dict[str, Any]]:
    answers = []
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    answers.append(json.loads(line))
                except json.JSONDecodeError as error:
                    fail(f"{path}:{number}: not JSON: {error}")
    except OSError as error:
        fail(str(error))
    return answers


def fail(message: str) -> None:
    print(f"compare: {message}", file=sys.stderr)
    sys.exit(2)


def as_number(value: Any) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def normalize_text(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip().casefold()


def values_agree(left: Any, right: Any) -> bool:
    if isinstance(left, (int, float)) or isinstance(right, (int, float)):
        a, b = as_number(left), as_number(right)
        if a is not None and b is not None:
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(left, str) and isinstance(right, str):
        return normalize_text(left) == normalize_text(right)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(values_agree(a, b) for a, b in zip(left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(values_agree(left[k], right[k]) for k in left)
    return left == right


def difference(left: Optional[dict], right: Optional[dict], raw: bool) -> Optional[str]:
    """Why two intents disagree, or None when they agree."""
    if left is None and right is None:
        return None
    if left is None or right is None:
        return "only one parsed"
    if left.get("name") != right.get("name"):
        return "intent"
    fields = ["slots", "raw"] if raw else ["slots"]
    for field in fields:
        a, b = left.get(field) or {}, right.get(field) or {}
        if a.keys() != b.keys():
            return f"{field} names"
        if not all(values_agree(a[key], b[key]) for key in a):
            return f"{field} values"
    return None


def brief(answer: Optional[dict]) -> str:
    if answer is None:
        return "null"
    slots = json.dumps(answer.get("slots") or {}, ensure_ascii=False, sort_keys=True)
    return f"{answer.get('name')} {slots}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("left", help="reference answers, e.g. hassil's")
    parser.add_argument("right", help="answers to check, e.g. hark's")
    parser.add_argument("--names", nargs=2, default=("hassil", "hark"), metavar=("LEFT", "RIGHT"))
    parser.add_argument("--raw", action="store_true", help="also compare the matched text of each slot")
    parser.add_argument("--show", type=int, default=30, help="disagreements to list (default: %(default)s)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any answer disagrees")
    args = parser.parse_args()
    left_name, right_name = args.names

    left, right = load(args.left), load(args.right)
    if len(left) != len(right):
        print(f"compare: {args.left} has {len(left)} answers, {args.right} has {len(right)}", file=sys.stderr)
        return 2

    kinds: collections.Counter = collections.Counter()
    by_intent: Dict[str, List[int]] = collections.defaultdict(lambda: [0, 0])
    shown: List[Tuple[int, str, dict, dict]] = []
    for index, (a, b) in enumerate(zip(left, right), 1):
        if a.get("text") != b.get("text"):
            print(f"compare: line {index} is {a.get('text')!r} in one file, {b.get('text')!r} in the other", file=sys.stderr)
            return 2
        why = difference(a.get("intent"), b.get("intent"), args.raw)
        intent = (a.get("intent") or {}).get("name", "(none)")
        by_intent[intent][1] += 1
        if why is None:
            kinds["agree"] += 1
            by_intent[intent][0] += 1
            continue
        kinds[why] += 1
        if len(shown) < args.show:
            shown.append((index, why, a, b))

    total = len(left)
    agree = kinds.pop("agree", 0)
    # Rounded down, so one disagreement in 2000 does not read as 100%.
    share = math.floor(1000 * agree / total) / 10 if total else 100.0
    print(f"agree: {agree}/{total} ({share:.1f}%)")
    if kinds:
        print("disagree: " + ", ".join(f"{why} {count}" for why, count in kinds.most_common()))
        worst = sorted(
            ((name, ok, seen) for name, (ok, seen) in by_intent.items() if ok < seen),
            key=lambda item: (item[1] - item[2], item[0]),
        )
        print(f"\nby {left_name}'s intent (agree/sentences):")
        for name, ok, seen in worst:
            print(f"  {name:32} {ok}/{seen}")
        width = max(len(left_name), len(right_name))
        print(f"\nfirst {len(shown)} disagreements:")
        for index, why, a, b in shown:
            print(f"  line {index} ({why}): {a.get('text')}")
            print(f"    {left_name:{width}}  {brief(a.get('intent'))}")
            print(f"    {right_name:{width}}  {brief(b.get('intent'))}")

    if args.strict and agree != total:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
