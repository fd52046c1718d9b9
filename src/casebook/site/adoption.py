"""The adoption kit's shared model: one row per check item, 条 numbers of the policy, the kit's labels.

The checklist CSV, the self-assessment workbook, the rules template and the self-assessment page all read
these rows, so the three forms of the checklist cannot drift apart.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..model import CheckItem, Clause, Corpus, Mitigation, Policy, Risk


@functools.cache
def messages() -> dict[str, Any]:
    """The kit's interface strings (``messages/adoption.yaml``)."""
    text = resources.files("casebook.messages").joinpath("adoption.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class CheckRow:
    item: CheckItem
    mitigation: Mitigation
    risks: tuple[Risk, ...]
    kind: str
    type: str
    evidence: tuple[str, ...]
    clauses: tuple[Clause, ...]


def check_rows(corpus: Corpus) -> list[CheckRow]:
    """Every active check item once, in catalogue order, with the risks it serves and the clauses citing it."""
    citing: dict[str, list[Clause]] = {}
    for clause in corpus.policy.clauses if corpus.policy else []:
        for rec in clause.cites:
            if isinstance(rec, Mitigation):
                citing.setdefault(rec.id, []).append(clause)
    rows = []
    for item in corpus.check_items.values():
        m = item.mitigation
        assert m is not None
        rows.append(CheckRow(item, m, tuple(m.risks), corpus.label("mitigation_kind", m.kind),
                             corpus.label("mitigation_type", m.type), tuple(e.ja for e in m.evidence),
                             tuple(citing.get(m.id, ()))))
    return rows


def article_numbers(policy: Policy | None) -> dict[str, int]:
    """Clause id → 条 number (第1条 … counted through the whole policy)."""
    if policy is None:
        return {}
    return {clause.id: n for n, clause in enumerate(policy.clauses, 1)}


def clause_label(clause: Clause, numbers: dict[str, int]) -> str:
    """e.g. 第14条（P6-1）."""
    return f"第{numbers[clause.id]}条（{clause.id}）"


# A fixed time for every zip entry: the same records give the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalise_zip(data: bytes, when: str) -> bytes:
    """The same archive with fixed entry times and attributes (entry order kept: Office needs its order).

    Office writers stamp the save time into ``docProps/core.xml``; it becomes ``when`` (ISO date).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + f"{when}T00:00:00Z".encode() + rb"\g<2>", body)
            dst.writestr(entry, body)
    return out.getvalue()
