"""新旧対照表: the texts that changed between two editions, side by side, with the changed characters marked.

Built from :mod:`casebook.diff`'s record changes (a git ref of the previous edition against this one). Only
reader-facing Japanese text is compared: policy clauses first (the part a bank adopts), then the catalogue
records' texts. The diff works on characters, not words, because Japanese has no spaces between words.
Each output (site, PDF, DOCX) renders :class:`Row` with its own markup.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from .diff import EditionChanges, RecordChange
from .render.xref import REF

#: Catalogue kinds whose texts a reader compares, in the order the table shows them.
KINDS = ("policy", "risks", "mitigations", "provisions", "instruments", "glossary", "metrics")
#: Characters no output can show (and Word's XML refuses): an old edition is read from git, never validated.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Field names shown in the label of a row.
FIELD_LABELS = {
    "title": "見出し", "text": "本文", "intro": "前文", "preamble": "前文", "name": "名称", "description": "説明",
    "relevance": "関係", "summary": "概要", "definition": "定義", "term": "用語", "checklist": "確認項目",
    "evidence": "残す証跡", "method": "測り方",
}


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class Row:
    """One compared text: where it is, the new and old text as segments (a side is empty when absent)."""

    kind: str
    record: str
    label: str
    new: tuple[Segment, ...]
    old: tuple[Segment, ...]

    @property
    def new_text(self) -> str:
        return "".join(s.text for s in self.new)

    @property
    def old_text(self) -> str:
        return "".join(s.text for s in self.old)


def char_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """(new side, old side), each as runs of unchanged and changed characters."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    new_side: list[Segment] = []
    old_side: list[Segment] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            new_side.append(Segment(new[b0:b1], False))
            old_side.append(Segment(old[a0:a1], False))
            continue
        if b1 > b0:
            new_side.append(Segment(new[b0:b1], True))
        if a1 > a0:
            old_side.append(Segment(old[a0:a1], True))
    return _merge(new_side), _merge(old_side)


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for seg in segments:
        if out and out[-1].changed == seg.changed:
            out[-1] = Segment(out[-1].text + seg.text, seg.changed)
        elif seg.text:
            out.append(seg)
    return tuple(out)


def rows(changes: list[RecordChange]) -> list[Row]:
    """The 新旧対照表 rows for one edition's changes: every changed, added or removed Japanese text."""
    out: list[Row] = []
    order = {kind: i for i, kind in enumerate(KINDS)}
    for change in sorted((c for c in changes if c.kind in order), key=lambda c: order[c.kind]):
        if change.status == "changed":
            for f in change.fields:
                if not f.path.endswith("/ja") and f.path != "ja":
                    continue
                old, new = _text(f.old), _text(f.new)
                if old == new:
                    continue
                record, label = _place(change, f.path)
                new_side, old_side = char_diff(old, new)
                out.append(Row(change.kind, record, label, new_side, old_side))
        # Whole records added or removed have no old or new side: listed by the changelog, not compared here.
    return out


def _text(value: Any) -> str:
    """The text as a reader compares it: a cross-reference ``[[ref:P6]]`` shows its id, the same in every
    output and on both sides (each output numbers chapters its own way; the table compares wording)."""
    return _CONTROL.sub("", REF.sub(lambda m: m.group(2), value)) if isinstance(value, str) else ""


def _place(change: RecordChange, path: str) -> tuple[str, str]:
    """(record id shown, label) for a field path such as chapters/CH5/clauses/P5-5/text/ja."""
    parts = path.split("/")[:-1]  # drop the language
    if change.kind == "policy":
        # policy → chapters/<chapter>/clauses/<clause>/<field>, chapters/<chapter>/<field> or <field>
        if "clauses" in parts:
            clause = parts[parts.index("clauses") + 1]
            rest = parts[parts.index("clauses") + 2:]
            return clause, FIELD_LABELS.get(rest[0], rest[0]) if rest else "本文"
        if "chapters" in parts:
            chapter = parts[parts.index("chapters") + 1]
            rest = parts[parts.index("chapters") + 2:]
            return chapter, FIELD_LABELS.get(rest[0], rest[0]) if rest else "章"
        return "利用方針", FIELD_LABELS.get(parts[0], parts[0]) if parts else "本文"
    field = parts[0] if parts else ""
    label = FIELD_LABELS.get(field, field)
    if len(parts) > 1 and field in ("checklist", "evidence", "examples"):
        label += f"（{parts[1]}）"
    return change.id, label


@dataclass(frozen=True)
class EditionTable:
    """The 新旧対照表 of one edition against the previous one: its rows, or why there are none."""

    edition: Any  # model.EditionEntry
    previous: Any  # model.EditionEntry
    rows: tuple[Row, ...]
    reason: str = ""  # set when the previous edition cannot be read (no git ref, no history at hand)

    @property
    def computed(self) -> bool:
        return not self.reason


def edition_table(history: list[EditionChanges]) -> EditionTable | None:
    """The 新旧対照表 of the newest edition of :func:`casebook.diff.edition_history` (the changelog's source).

    None for a first edition: there is nothing to compare (the PDF appendix is left out, the DOCX says so)."""
    if not history or history[0].previous is None:
        return None
    newest = history[0]
    if newest.changes is None:
        return EditionTable(newest.edition, newest.previous, (), newest.reason or "算出できません")
    return EditionTable(newest.edition, newest.previous, tuple(rows(newest.changes)))
