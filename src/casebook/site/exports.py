"""Data downloads: ``casebook.json`` (the whole corpus and its edition), ``checklist.csv``, the schemas."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import (
    Band,
    CaseStudy,
    Chapter,
    CheckItem,
    Clause,
    Corpus,
    Instrument,
    Metric,
    Mitigation,
    Provision,
    Risk,
    Scale,
    Text,
)
from ..schemas import all_schemas
from .adoption import CheckRow, article_numbers, check_rows, clause_label, messages

DATA_DIR = "data"
FORMAT_VERSION = 1

# Records referenced from inside another record are written as their id.
_REFERENCED = (CaseStudy, Risk, Mitigation, Instrument, Provision, Metric, Clause, Chapter, Scale, Band)
# Back-pointers and computed reverse lists that would repeat (or loop) what is written elsewhere.
_SKIP = {
    ("Assessment", "case"), ("AppliedMitigation", "assessment"), ("Clause", "chapter"),
    ("Risk", "assessments"), ("Provision", "assessments"), ("Provision", "declarations"),
    ("Mitigation", "applications"),
    ("CaseStudy", "folder"), ("Image", "path"),
}


def _dump(value: Any, root: Path, top: bool = False) -> Any:
    if isinstance(value, Text):
        return {"ja": value.ja, "en": value.en} if value.en is not None else {"ja": value.ja}
    if isinstance(value, CheckItem):
        return {"id": value.id, **_dump(value.text, root), "status": value.status}
    if isinstance(value, _REFERENCED) and not top:
        return value.id
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            if (name, f.name) in _SKIP:
                continue
            item = getattr(value, f.name)
            if f.name == "origin":
                out["source"] = _rel(item.path, root)
                continue
            out[f.name] = _dump(item, root)
        return out
    if isinstance(value, dict):
        return {str(k): _dump(v, root) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_dump(v, root) for v in value]
    if isinstance(value, Path):
        return _rel(value, root)
    return value


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def corpus_data(corpus: Corpus) -> dict[str, Any]:
    """The whole corpus as plain JSON data; cross-references are ids."""
    root = corpus.root

    def records(table: dict) -> list:
        return [_dump(r, root, top=True) for r in table.values()]

    cases = []
    for case in corpus.cases.values():
        data = _dump(case, root, top=True)
        data["readiness"] = {k: {"scale": e.scale.id, "level": e.level, "basis": _dump(e.basis, root)}
                             for k, e in case.readiness.items()}
        for a_data, a in zip(data["assessments"], case.assessments, strict=True):
            for e_data, e in zip(a_data["evaluations"], a.evaluations, strict=True):
                for key in ("before_interval", "after_interval"):
                    iv = getattr(e, key)
                    e_data[key] = [round(iv.low, 6), round(iv.high, 6)] if iv else None
        cases.append(data)
    policy = None
    if corpus.policy:
        policy = _dump(corpus.policy, root, top=True)
        policy["chapters"] = [_dump(ch, root, top=True) for ch in corpus.policy.chapters]
        for ch_data, ch in zip(policy["chapters"], corpus.policy.chapters, strict=True):
            ch_data["clauses"] = [_dump(cl, root, top=True) for cl in ch.clauses]
    return {
        "format_version": FORMAT_VERSION,
        "edition": corpus.publication.edition,
        "date": corpus.publication.date,
        "publication": _dump(corpus.publication, root, top=True),
        "vocabularies": _dump(corpus.vocabularies, root),
        "scoring": {**_dump(corpus.scoring, root, top=True),
                    "bands": [_dump(b, root, top=True) for b in corpus.scoring.bands]},
        "scales": {k: _dump(s, root, top=True) for k, s in corpus.scales.items()},
        "instruments": records(corpus.instruments),
        "provisions": records(corpus.provisions),
        "risks": records(corpus.risks),
        "mitigations": records(corpus.mitigations),
        "metrics": records(corpus.metrics),
        "glossary": [_dump(g, root, top=True) for g in corpus.glossary],
        "policy": policy,
        "check_items": check_items_data(corpus),
        "casestudies": cases,
    }


def casebook_json(corpus: Corpus) -> bytes:
    return (json.dumps(corpus_data(corpus), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# checklist.csv columns (message keys); the last four are the ones the adoption guide asks a bank to fill in.
CSV_COLUMNS = ["item_id", "item", "mitigation_id", "mitigation", "risk_ids", "risks", "kind", "type", "evidence",
               "clauses", "owner", "status", "evidence_location", "checked_on"]


def check_items_data(corpus: Corpus) -> list[dict[str, Any]]:
    """The checklist as JSON data: one entry per check item, with the risks it serves."""
    numbers = article_numbers(corpus.policy)
    return [{"id": r.item.id, "ja": r.item.ja, **({"en": r.item.en} if r.item.en else {}),
             "mitigation": r.mitigation.id, "risks": [x.id for x in r.risks], "kind": r.mitigation.kind,
             "type": r.mitigation.type, "clauses": [c.id for c in r.clauses],
             "articles": [numbers[c.id] for c in r.clauses]} for r in check_rows(corpus)]


def checklist_csv(corpus: Corpus) -> bytes:
    """The adoption checklist, one check item a row, Japanese headers; UTF-8 with BOM and CRLF for Excel."""
    labels = messages()["columns"]
    numbers = article_numbers(corpus.policy)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([labels[k] for k in CSV_COLUMNS])
    for r in check_rows(corpus):
        writer.writerow([_cell(v) for v in (*checklist_values(r, numbers), "", "", "", "")])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def checklist_values(r: CheckRow, numbers: dict[str, int]) -> list[str]:
    """The columns of ``checklist.csv`` the records fill (up to 利用方針の条項); the bank fills the rest.
    The self-check page's CSV export writes the same columns, so its file goes where checklist.csv goes."""
    return [r.item.id, r.item.ja, r.mitigation.id, r.mitigation.name.ja, " ".join(x.id for x in r.risks),
            "、".join(x.name.ja for x in r.risks), r.kind, r.type, " / ".join(r.evidence),
            "、".join(clause_label(c, numbers) for c in r.clauses)]


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas (a cell starting with = + - @ tab or CR is data, not a formula)."""
    text = " ".join(text.split())
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@dataclass(frozen=True)
class Export:
    """One download: where it goes, who it is for, and how it is made. Descriptions live in the data page."""

    id: str
    path: str  # docs-relative
    audience: str  # "reader" or "developer"
    build: Callable[[Corpus], bytes]


def _schemas(corpus: Corpus) -> dict[str, bytes]:
    return {f"{DATA_DIR}/schemas/{name}": (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode()
            for name, schema in sorted(all_schemas().items())}


def _workbook(corpus: Corpus) -> bytes:
    from .workbook import workbook

    return workbook(corpus)


def _rules(corpus: Corpus) -> bytes:
    from .rulesdoc import rules_docx

    return rules_docx(corpus)


def _comparison(corpus: Corpus) -> bytes:
    from .comparisondoc import comparison_docx

    return comparison_docx(corpus)


# The one list of downloads: the plugin publishes them, the data page describes them, SHA256SUMS lists them.
REGISTRY: tuple[Export, ...] = (
    Export("workbook", f"{DATA_DIR}/self-assessment.xlsx", "reader", _workbook),
    Export("rules", f"{DATA_DIR}/rules-template.docx", "reader", _rules),
    Export("comparison", f"{DATA_DIR}/comparison.docx", "reader", _comparison),
    Export("checklist-csv", f"{DATA_DIR}/checklist.csv", "reader", checklist_csv),
    Export("json", f"{DATA_DIR}/casebook.json", "developer", casebook_json),
)


def exports(corpus: Corpus) -> dict[str, bytes]:
    """Docs-relative path → file content for every data download (the registry, then the schemas)."""
    out = {e.path: e.build(corpus) for e in REGISTRY}
    out.update(_schemas(corpus))
    return out
