"""What one record may cost: field lengths, list sizes, prose nesting, unbroken runs, numbers, images.

The figures are data (``content/catalog/limits.yaml``, schema ``limits.schema.json``); this module reads
them, measures a loaded document and reports every measure over its limit as a ``limit`` diagnostic that
names the field, the limit and the value. :func:`measure` is also what ``scripts/limits_margin.py`` uses to
print how far the shipped records are from each limit.

A field is named by the last key of its pointer that is not ``ja``/``en`` or a list index (``title`` for
``/title/ja``, ``findings`` for ``/assessments/0/findings/ja``); a rule for ``<kind>:<field>`` (``casestudy:
title``) wins over a rule for ``<field>`` alone, which wins over the default.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .load import Document, Pointer, pointer_text
from .messages import Term

_TEXT_LEAVES = ("ja", "en")


@dataclass(frozen=True)
class Images:
    max_bytes: int
    max_width: int
    max_height: int
    max_pixels: int
    max_decoded_bytes: int


@dataclass(frozen=True)
class Budgets:
    pdf_part_seconds: float
    pdf_part_memory_mb: int
    search_seconds: float


@dataclass(frozen=True)
class Limits:
    """The limits of ``limits.yaml`` (see its schema for what each one means)."""

    text_default: int
    text: dict[str, int]
    list_default: int
    lists: dict[str, int]
    prose_list_depth: int
    unbroken_run: int
    script_run: int
    integer_digits: int
    pages_per_case: int
    images: Images
    budgets: Budgets
    reasons: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: dict) -> Limits:
        """From the schema-valid ``limits:`` mapping."""
        text, lists = data["text"], data["lists"]
        return cls(
            text_default=text["default"], text={r["field"]: r["max"] for r in text.get("fields", [])},
            list_default=lists["default"], lists={r["field"]: r["max"] for r in lists.get("fields", [])},
            prose_list_depth=data["prose_list_depth"], unbroken_run=data["unbroken_run"],
            script_run=data["script_run"], integer_digits=data["integer_digits"],
            pages_per_case=data["pages_per_case"], images=Images(**data["images"]),
            budgets=Budgets(**data["budgets"]),
            reasons={r["field"]: r.get("reason", "") for r in [*text.get("fields", []), *lists.get("fields", [])]},
        )

    def text_limit(self, kind: str, name: str) -> int:
        return self.text.get(f"{kind}:{name}", self.text.get(name, self.text_default))

    def list_limit(self, kind: str, name: str) -> int:
        return self.lists.get(f"{kind}:{name}", self.lists.get(name, self.list_default))


def field_name(ptr: Pointer) -> str:
    """``title`` for ``("title", "ja")``; ``findings`` for ``("assessments", 0, "findings", "ja")``."""
    for part in reversed(ptr):
        if isinstance(part, str) and part not in _TEXT_LEAVES:
            return part
    return "(top)"


# A list item of prose: its indent decides its nesting (Python-Markdown nests by four columns).
_LIST_LINE = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
_UNBROKEN = re.compile(r"[!-~]+")  # printable ASCII without a space: a word, a URL, a run of marks
# One script with no break opportunity a reader would see: katakana (with ー), hiragana, kanji.
_SCRIPT_RUNS = {
    "katakana": re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]+"),
    "hiragana": re.compile(r"[\u3041-\u309f]+"),
    "kanji": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"),
}


def list_depth(text: str) -> int:
    """How deeply the prose nests lists (an upper bound: an indented list line counts as nested)."""
    if "\n" not in text and not _LIST_LINE.match(text):
        return 0
    deepest = 0
    for m in _LIST_LINE.finditer(text):
        indent = len(m.group(1).expandtabs(4))
        deepest = max(deepest, indent // 4 + 1)
    return deepest


def longest(pattern: re.Pattern, text: str) -> int:
    return max((len(m) for m in pattern.findall(text)), default=0)


@dataclass(frozen=True)
class Measure:
    what: str  # "text", "list", "prose_list_depth", "unbroken_run", "script_run"
    name: str  # the field (or "<field> (katakana)" for a script run)
    value: int
    ptr: Pointer


@lru_cache(maxsize=64)
def _longer_than(pattern: re.Pattern, limit: int) -> re.Pattern:
    """A run of ``pattern``'s characters longer than ``limit``: searched in C, no list of every run."""
    return re.compile(f"{pattern.pattern[:-1]}{{{limit + 1},}}")


def measure(data: Any, kind: str, within: Limits | None = None) -> Iterator[Measure]:
    """Every measure of a loaded document that has a limit (strings and lists, depth-first).

    With ``within``, the run measures a string cannot exceed are left out (a run of 81 katakana needs 81
    characters, and one regex search in C says whether any run is that long), so only what may be over a
    limit is measured; every measure over a limit is still yielded, in the same order.
    """
    stack: list[tuple[Pointer, Any]] = [((), data)]
    while stack:
        ptr, value = stack.pop()
        if isinstance(value, str):
            name = field_name(ptr)
            yield Measure("text", name, len(value), ptr)
            if value.isascii() and " " not in value and len(value) < 40:
                continue  # ids, codes, dates: nothing below can exceed a limit
            yield Measure("prose_list_depth", name, list_depth(value), ptr)
            if within is None or (len(value) > within.unbroken_run
                                  and _longer_than(_UNBROKEN, within.unbroken_run).search(value)):
                yield Measure("unbroken_run", name, longest(_UNBROKEN, value), ptr)
            if value.isascii() or (within is not None and len(value) <= within.script_run):
                continue
            for script, pattern in _SCRIPT_RUNS.items():
                if within is None or _longer_than(pattern, within.script_run).search(value):
                    yield Measure("script_run", f"{name} ({script})", longest(pattern, value), ptr)
        elif isinstance(value, dict):
            stack.extend(((*ptr, k), v) for k, v in value.items())
        elif isinstance(value, list):
            if ptr:
                yield Measure("list", field_name(ptr), len(value), ptr)
            stack.extend(((*ptr, i), v) for i, v in enumerate(value))


def limit_of(limits: Limits, m: Measure, kind: str) -> int:
    if m.what == "text":
        return limits.text_limit(kind, m.name)
    if m.what == "list":
        return limits.list_limit(kind, m.name)
    return {"prose_list_depth": limits.prose_list_depth, "unbroken_run": limits.unbroken_run,
            "script_run": limits.script_run}[m.what]


def check(doc: Document, limits: Limits, kind: str) -> None:
    """Report every measure of ``doc`` over its limit (one diagnostic per field and measure)."""
    if not isinstance(doc.data, dict):
        return
    flagged = {d.field for d in doc.diagnostics}
    data = doc.data
    # A catalogue's pointer starts with its key (risks/3/name/ja); rules name the record kind (risks:name).
    for m in measure(data, kind, limits):
        limit = limit_of(limits, m, kind)
        if m.value <= limit or pointer_text(m.ptr) in flagged:
            continue
        params = {"field": m.name, "value": f"{m.value:,}", "limit": f"{limit:,}"}
        if m.what == "script_run":  # "summary (katakana)" → `summary` has 100 katakana characters in a row
            name, script = m.name.split(" ", 1)
            params.update(field=name, script=Term(script.strip("()")))
        doc.error(m.ptr, "limit", params, variant="" if m.what == "text" else m.what)
        flagged.add(pointer_text(m.ptr))
