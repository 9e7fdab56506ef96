#!/usr/bin/env python3
"""Reference runs of hassil on Home Assistant's English grammar, to compare hark against.

Run it with the venv that scripts/setup.sh makes (.venv/bin/python), which has the pinned
hassil and home-assistant-intents. Three modes:

  sample --count N --seed S      print N distinct sentences drawn at random from the grammar,
                                 one per line; only sentences hassil parses are kept
  parse                          read sentences on stdin, print one JSON line each, in the same
                                 format as `hark nlu parse`:
                                 {"text": ..., "intent": {"name", "slots", "raw"} or null}
  bench --sentences FILE         time recognize_best per sentence after a warm-up pass; print
                                 one JSON object on stdout and a readable line on stderr

The grammar is home_assistant_intents/data/en.json from the installed package (or --grammar),
and the runtime lists {name}, {area} and {floor} come from bench/ha_lists.yaml (or --lists).
Matching passes no intent context, as for a request with no satellite area: templates that need
one (requires_context: {area: {slot: true}}) never match, so sampling skips them.
"""

from __future__ import annotations

import argparse
import collections
import importlib.metadata
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml
from hassil.expression import (
    Alternative,
    Expression,
    ListReference,
    Permutation,
    RuleReference,
    Sentence,
    Sequence,
    TextChunk,
)
from hassil.intents import (
    IntentData,
    Intents,
    RangeFractionType,
    RangeSlotList,
    SlotList,
    TextSlotList,
    WildcardSlotList,
)
from hassil.numbers import get_rbnf_engine
from hassil.recognize import RecognizeResult, recognize_best
from hassil.util import (
    check_excluded_context,
    check_required_context,
    normalize_whitespace,
)

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_LISTS = BENCH_DIR / "ha_lists.yaml"

# Text for wildcard lists, by list name. Plain phrases a user would say; a few hold words that
# also occur in templates ("and", "the"), which is where matchers tend to disagree.
WILDCARD_PHRASES: Dict[str, List[str]] = {
    "shopping_list_item": ["milk", "eggs", "eggs and bread", "paper towels", "olive oil"],
    "todo_list_item": ["milk", "dog food", "eggs and bread", "call the plumber", "batteries"],
    "search_query": ["the beatles", "abbey road", "some jazz", "bohemian rhapsody", "taylor swift"],
    "timer_name": ["pizza", "pasta", "laundry", "tea"],
    "timer_command": ["turn off the kitchen light", "open the garage door"],
    "message": ["dinner is ready", "time to go to school"],
    "zone": ["home", "work"],
}
DEFAULT_WILDCARD_PHRASES = ["something"]

# How often a range number is written as words ("twenty one") rather than digits ("21").
WORDS_SHARE = 0.3

# Attempts at a new sentence for one intent before counting the intent as exhausted.
ATTEMPTS_PER_SENTENCE = 60


def default_grammar_path() -> Path:
    import home_assistant_intents

    return Path(home_assistant_intents.__file__).parent / "data" / "en.json"


def load_grammar(grammar: Path, lists: Path) -> Tuple[Intents, Dict[str, SlotList]]:
    """Loads the grammar and the runtime lists that go with it."""
    with open(grammar, encoding="utf-8") as grammar_file:
        intents = Intents.from_dict(json.load(grammar_file))
    with open(lists, encoding="utf-8") as lists_file:
        lists_dict = yaml.safe_load(lists_file)
    lists_doc = {"language": intents.language, "intents": {}, "lists": lists_dict["lists"]}
    return intents, Intents.from_dict(lists_doc).slot_lists


def recognize(text: str, intents: Intents, slot_lists: Dict[str, SlotList]) -> Optional[RecognizeResult]:
    return recognize_best(text, intents, slot_lists=slot_lists)


def result_json(text: str, result: Optional[RecognizeResult]) -> Dict[str, Any]:
    """The answer in hark's format: slot values, and the text each was matched from."""
    if result is None:
        return {"text": text, "intent": None}
    slots: Dict[str, Any] = {}
    raw: Dict[str, str] = {}
    for name, entity in result.entities.items():
        slots[name] = entity.value
        raw[name] = entity.text
    return {"text": text, "intent": {"name": result.intent.name, "slots": slots, "raw": raw}}


# --- sampling ---------------------------------------------------------------------------------


@dataclass
class Block:
    """One `data:` block of an intent, with what sampling needs to expand its templates."""

    intent: str
    data: IntentData
    rules: Dict[str, Sentence]
    lists: Dict[str, SlotList]


class Sampler:
    """Expands templates at random: one branch of each alternative, one value of each list."""

    def __init__(self, rng: random.Random, language: str) -> None:
        self.rng = rng
        self.engine = get_rbnf_engine(language)
        self._numbers: Dict[int, List[Any]] = {}

    def sentence(self, block: Block, template: Sentence) -> str:
        return normalize_whitespace(self.expand(block, template.expression)).strip()

    def expand(self, block: Block, expr: Expression) -> str:
        if isinstance(expr, TextChunk):
            return expr.original_text
        if isinstance(expr, Alternative):
            return self.expand(block, self.rng.choice(expr.items))
        if isinstance(expr, Permutation):
            items = list(expr.items)
            self.rng.shuffle(items)
            return normalize_whitespace("".join(self.expand(block, item) for item in items))
        if isinstance(expr, Sequence):
            return normalize_whitespace("".join(self.expand(block, item) for item in expr.items))
        if isinstance(expr, RuleReference):
            return self.expand(block, block.rules[expr.rule_name].expression)
        if isinstance(expr, ListReference):
            return self.list_value(block, expr)
        raise ValueError(f"unexpected expression: {expr!r}")

    def list_value(self, block: Block, ref: ListReference) -> str:
        inline = ref.get_inline_range()
        if inline is not None:
            start, stop, step = inline
            return self.number(RangeSlotList(name=None, start=start, stop=stop, step=step))
        slot_list = block.lists[ref.list_name]
        if isinstance(slot_list, TextSlotList):
            # The values the matcher would try here, as it filters them by the block's context.
            values = [
                value
                for value in slot_list.values
                if (
                    not block.data.requires_context
                    or check_required_context(block.data.requires_context, value.context, allow_missing_keys=True)
                )
                and (
                    not block.data.excludes_context
                    or check_excluded_context(block.data.excludes_context, value.context)
                )
            ]
            if not values:
                raise LookupError(f"no value of {{{ref.list_name}}} fits {block.intent}")
            return self.expand(block, self.rng.choice(values).text_in)
        if isinstance(slot_list, RangeSlotList):
            return self.number(slot_list)
        if isinstance(slot_list, WildcardSlotList):
            return self.rng.choice(WILDCARD_PHRASES.get(ref.list_name, DEFAULT_WILDCARD_PHRASES))
        raise ValueError(f"unexpected list type: {slot_list!r}")

    def number(self, range_list: RangeSlotList) -> str:
        key = id(range_list)
        if key not in self._numbers:
            self._numbers[key] = list(range_list.get_numbers())
        number = self.rng.choice(self._numbers[key])
        as_words = range_list.words and (not range_list.digits or self.rng.random() < WORDS_SHARE)
        if as_words:
            spellings = sorted(set(self.engine.format_number(number).text_by_ruleset.values()))
            return self.rng.choice(spellings)
        return str(number)


def sampling_blocks(intents: Intents, slot_lists: Dict[str, SlotList]) -> Dict[str, List[Block]]:
    """The blocks of each intent that can match without an intent context."""
    all_lists = {**intents.slot_lists, **slot_lists}

    # Context keys that matching a list value can supply; a block requiring any other key needs
    # context from the caller (the satellite's area), which the benchmark does not pass.
    provided = {
        key
        for slot_list in all_lists.values()
        if isinstance(slot_list, TextSlotList)
        for value in slot_list.values
        for key in (value.context or {})
    }

    blocks: Dict[str, List[Block]] = {}
    for name, intent in intents.intents.items():
        for data in intent.data:
            if any(key not in provided for key in data.requires_context):
                continue
            blocks.setdefault(name, []).append(
                Block(
                    intent=name,
                    data=data,
                    rules={**intents.expansion_rules, **data.expansion_rules},
                    lists={**all_lists, **data.slot_lists},
                )
            )
    return blocks


def sample(intents: Intents, slot_lists: Dict[str, SlotList], count: int, seed: int) -> List[str]:
    """Draws `count` distinct sentences, taking intents in turn so each gets its share."""
    rng = random.Random(seed)
    sampler = Sampler(rng, intents.language)
    blocks = sampling_blocks(intents, slot_lists)

    order = list(blocks)
    rng.shuffle(order)
    seen: set = set()
    kept: List[Tuple[str, str]] = []
    per_intent: collections.Counter = collections.Counter()
    parsed_as_other: collections.Counter = collections.Counter()
    tries = failures = 0

    while len(kept) < count and order:
        for name in list(order):
            if len(kept) >= count:
                break
            for _ in range(ATTEMPTS_PER_SENTENCE):
                block = rng.choice(blocks[name])
                template = rng.choice(block.data.sentences)
                try:
                    text = sampler.sentence(block, template)
                except LookupError:
                    continue
                if text in seen:
                    continue
                seen.add(text)
                tries += 1
                result = recognize(text, intents, slot_lists)
                if result is None:
                    failures += 1
                    continue
                kept.append((name, text))
                per_intent[name] += 1
                if result.intent.name != name:
                    parsed_as_other[f"{name} -> {result.intent.name}"] += 1
                break
            else:
                order.remove(name)

    rng.shuffle(kept)
    report = {
        "sentences": len(kept),
        "drawn": tries,
        "not_parsed": failures,
        "per_intent": dict(sorted(per_intent.items())),
        "parsed_as_other_intent": dict(parsed_as_other.most_common()),
        "intents_without_sentences": sorted(set(intents.intents) - set(per_intent)),
    }
    print(json.dumps(report, indent=1), file=sys.stderr)
    return [text for _name, text in kept]


# --- benchmark --------------------------------------------------------------------------------


def percentile(sorted_values: List[int], p: float) -> int:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def bench(
    intents: Intents, slot_lists: Dict[str, SlotList], sentences: List[str], repeat: int, load_s: float
) -> Dict[str, Any]:
    # Warm-up: hassil parses templates and builds its number tries lazily, on first use.
    warmup_start = time.perf_counter()
    matched = sum(recognize(text, intents, slot_lists) is not None for text in sentences)
    warmup_s = time.perf_counter() - warmup_start
    times: List[int] = []
    for _ in range(repeat):
        for text in sentences:
            start = time.perf_counter_ns()
            recognize(text, intents, slot_lists)
            times.append(time.perf_counter_ns() - start)
    total_ns = sum(times)
    times.sort()
    return {
        "engine": "hassil",
        "version": importlib.metadata.version("hassil"),
        "grammar_version": importlib.metadata.version("home-assistant-intents"),
        "python": sys.version.split()[0],
        "sentences": len(sentences),
        "repeat": repeat,
        "matched": matched,
        "load_s": round(load_s, 3),
        "warmup_s": round(warmup_s, 3),
        "total_s": round(total_ns / 1e9, 3),
        "sentences_per_s": round(len(times) / (total_ns / 1e9), 1),
        "mean_us": round(total_ns / len(times) / 1e3, 1),
        "p50_us": round(percentile(times, 50) / 1e3, 1),
        "p99_us": round(percentile(times, 99) / 1e3, 1),
        "max_us": round(times[-1] / 1e3, 1),
    }


def read_sentences(lines) -> List[str]:
    return [line.strip() for line in lines if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grammar", type=Path, help="merged hassil grammar (default: installed en.json)")
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS, help="runtime lists (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)

    sample_cmd = commands.add_parser("sample", help="print random sentences that hassil parses")
    sample_cmd.add_argument("--count", type=int, default=2000)
    sample_cmd.add_argument("--seed", type=int, default=1)

    commands.add_parser("parse", help="parse stdin, one JSON line per sentence")

    bench_cmd = commands.add_parser("bench", help="time recognize_best")
    bench_cmd.add_argument("--sentences", type=Path, required=True)
    bench_cmd.add_argument("--repeat", type=int, default=1)

    args = parser.parse_args()
    grammar = args.grammar or default_grammar_path()

    load_start = time.perf_counter()
    intents, slot_lists = load_grammar(grammar, args.lists)
    load_s = time.perf_counter() - load_start

    if args.command == "sample":
        for text in sample(intents, slot_lists, args.count, args.seed):
            print(text)
    elif args.command == "parse":
        for text in read_sentences(sys.stdin):
            answer = result_json(text, recognize(text, intents, slot_lists))
            print(json.dumps(answer, ensure_ascii=False, default=str), flush=False)
    elif args.command == "bench":
        with open(args.sentences, encoding="utf-8") as sentences_file:
            sentences = read_sentences(sentences_file)
        if not sentences:
            parser.error(f"{args.sentences} has no sentences")
        stats = bench(intents, slot_lists, sentences, max(1, args.repeat), load_s)
        print(json.dumps(stats))
        print(
            f"hassil {stats['version']}: {stats['sentences_per_s']:.0f} sentences/s, "
            f"p50 {stats['p50_us']:.0f} us, p99 {stats['p99_us']:.0f} us "
            f"({stats['sentences']} sentences x {stats['repeat']}, {stats['matched']} matched)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
