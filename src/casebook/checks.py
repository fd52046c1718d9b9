"""Corpus checks that a JSON Schema cannot express: they need several records, the file system or a date."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from . import characters
from .diagnostics import Diagnostic
from .errors import Location
from .load import Document, Pointer, pointer_text
from .messages import Term, os_reason
from .model import Corpus
from .scaffold import PLACEHOLDER
from .schemas import schema_for

# vocabulary name → (schema stem, path of the property holding the enum inside the schema)
VOCABULARY_SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "risk_category": ("risks", ("$defs", "risk", "properties", "category")),
    "mitigation_kind": ("mitigations", ("$defs", "mitigation", "properties", "kind")),
    "mitigation_type": ("mitigations", ("$defs", "mitigation", "properties", "type")),
    "instrument_kind": ("instruments", ("$defs", "instrument", "properties", "kind")),
    "metric_unit": ("metrics", ("$defs", "metric", "properties", "unit")),
    "metric_better": ("metrics", ("$defs", "metric", "properties", "better")),
    "readiness_wording": ("readiness", ("$defs", "level", "properties", "wording")),
    "record_status": ("common", ("$defs", "status")),
    "provenance": ("casestudy", ("properties", "provenance")),
    "case_status": ("casestudy", ("properties", "status")),
    "institution_type": ("casestudy", ("properties", "institution", "properties", "type")),
    "region": ("casestudy", ("properties", "institution", "properties", "region")),
    "institution_size": ("casestudy", ("properties", "institution", "properties", "size")),
    "channel": ("casestudy", ("properties", "channels", "items")),
    "pattern": ("casestudy", ("properties", "system", "properties", "patterns", "items")),
    "model_hosting": ("casestudy", ("properties", "system", "properties", "model_hosting")),
    "hitl_mode": ("casestudy", ("properties", "system", "properties", "human_in_the_loop", "properties",
                                "mode")),
    "mitigation_status": ("casestudy", ("$defs", "assessment", "properties", "mitigations", "items",
                                        "properties", "status")),
    "contributor_role": ("casestudy", ("properties", "contributors", "items", "properties", "role")),
    "special_data_category": ("casestudy", ("properties", "special_data", "items", "properties", "category")),
    "special_data_basis": ("casestudy", ("properties", "special_data", "items", "properties", "basis")),
    "consent_form": ("casestudy", ("properties", "special_data", "items", "properties", "consent", "properties",
                                   "form")),
    "volume_period": ("casestudy", ("properties", "volume", "properties", "per")),
}

_NAME_FIELDS = ("name", "title", "term", "label")

def enum_values(vocabulary: str) -> list[str]:
    stem, path = VOCABULARY_SOURCES[vocabulary]
    node = schema_for(stem)
    for key in path:
        node = node[key]
    return list(node["enum"])


def check_strings(doc: Document, strings: list[tuple[Pointer, str]]) -> None:
    """Checks on every text of one document: template markers left in, names without English."""
    if isinstance(doc.data, dict):
        for ptr, value in strings:
            if PLACEHOLDER in value:
                doc.error(ptr, "placeholder")
            if (bad := characters.refused(value)) and not any(d.field == pointer_text(ptr) for d in doc.diagnostics):
                controls = [(i, c) for i, c in bad if characters.is_control(c)]
                if controls:
                    doc.error(ptr, "control-character", {"names": characters.describe(controls)})
                if invisible := [(i, c) for i, c in bad if not characters.is_control(c)]:
                    doc.error(ptr, "invisible-character", {"names": characters.describe(invisible)})
            if ptr and ptr[-1] == "ja" and len(ptr) >= 2 and ptr[-2] in _NAME_FIELDS:
                parent = _get(doc.data, ptr[:-1])
                if isinstance(parent, dict) and "en" not in parent:
                    doc.error(ptr[:-1], "missing-en")


def check_case_refs(doc: Document, corpus: Corpus) -> None:
    """Reference checks on a case study that failed its schema (tolerates any shape)."""
    from .build import _dangling

    if not isinstance(doc.data, dict):
        return  # a case file that is not a mapping has no references; the schema has reported it
    assessments = doc.data.get("assessments")
    for i, a in enumerate(assessments if isinstance(assessments, list) else []):
        if not isinstance(a, dict):
            continue
        if isinstance(a.get("risk"), str) and a["risk"] not in corpus.risks:
            _dangling(doc, ("assessments", i, "risk"), a["risk"], "risk", corpus.risks)
        for j, pid in enumerate(a.get("provisions") if isinstance(a.get("provisions"), list) else []):
            if isinstance(pid, str) and pid not in corpus.provisions:
                _dangling(doc, ("assessments", i, "provisions", j), pid, "provision", corpus.provisions)
        for j, m in enumerate(a.get("mitigations") if isinstance(a.get("mitigations"), list) else []):
            mid = m.get("id") if isinstance(m, dict) else None
            if isinstance(mid, str) and mid not in corpus.mitigations:
                _dangling(doc, ("assessments", i, "mitigations", j, "id"), mid, "mitigation",
                          corpus.mitigations)
        for j, e in enumerate(a.get("evaluations") if isinstance(a.get("evaluations"), list) else []):
            met = e.get("metric") if isinstance(e, dict) else None
            if isinstance(met, str) and met not in corpus.metrics:
                _dangling(doc, ("assessments", i, "evaluations", j, "metric"), met, "metric", corpus.metrics)


def check_case_ids(docs: list[Document]) -> None:
    """A copied case folder keeps the original's ``id``; say so, not only that id and folder differ.

    The builder never sees such a copy (its id-folder mismatch makes it unusable), so the duplicate is
    found here, over every case file, and reported on the copy rather than on the folder the id names.
    """
    by_id: dict[str, list[Document]] = {}
    for doc in docs:
        cid = doc.data.get("id") if isinstance(doc.data, dict) else None
        if isinstance(cid, str):
            by_id.setdefault(cid, []).append(doc)
    for cid, group in by_id.items():
        owner = next((d for d in group if d.path.parent.name == cid), group[0])
        for doc in group:
            if doc is not owner:
                doc.error(("id",), "duplicate-id",
                          {"id": cid, "other": f"casestudies/{owner.path.parent.name}/{owner.path.name}",
                           "folder": doc.path.parent.name}, variant="case-copy")


def check_case(doc: Document, today: dt.date) -> None:
    d = doc.data
    if not isinstance(d, dict):
        return  # e.g. a list or a bare string: the schema has reported it, nothing here applies
    folder = doc.path.parent
    if d.get("id") and d["id"] != folder.name:
        doc.error(("id",), "id-folder-mismatch", {"id": d["id"], "folder": folder.name})
    for ptr in _date_pointers(d):
        value = _get(d, ptr)
        try:
            day = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            continue  # the schema reports malformed dates
        if day > today:
            doc.error(ptr, "future-date", {"value": value, "today": today.isoformat()})
    period = d.get("period") if isinstance(d.get("period"), dict) else {}
    if isinstance(period.get("start"), str) and isinstance(period.get("end"), str) \
            and period["end"] < period["start"]:
        doc.error(("period", "end"), "date-order", {"end": period["end"], "start": period["start"]})
    images = d.get("images")
    for i, img in enumerate(images if isinstance(images, list) else []):
        rel = img.get("path") if isinstance(img, dict) else None
        if not isinstance(rel, str):
            continue
        target = (folder / rel)
        try:
            inside = target.resolve().is_relative_to(folder.resolve()) and not Path(rel).is_absolute()
        except (OSError, RuntimeError):
            inside = False
        if not inside or ".." in Path(rel).parts:
            doc.error(("images", i, "path"), "image-path", {"path": rel})
        elif target.is_symlink():
            doc.error(("images", i, "path"), "image-path", {"path": rel}, variant="link")
        elif not target.is_file():
            doc.error(("images", i, "path"), "image-missing", {"path": rel})
        elif problem := _image_problem(target):
            doc.error(("images", i, "path"), "image-content", {"path": rel, **problem[1]}, variant=problem[0])
    _check_folder_contents(doc, folder, images if isinstance(images, list) else [])
    inst = d.get("institution") if isinstance(d.get("institution"), dict) else {}
    consent = inst.get("consent") if isinstance(inst.get("consent"), dict) else {}
    if inst.get("name") and not consent.get("recorded"):
        doc.error(("institution", "name"), "name-without-consent")
    if d.get("provenance") == "sample":
        volume = d.get("volume")
        if isinstance(volume, dict) and volume.get("illustrative") is False:
            doc.error(("volume", "illustrative"), "sample-not-illustrative", variant="volume")
        for i, j, e in _evaluations(d):
            if e.get("illustrative") is not True:
                doc.error(("assessments", i, "evaluations", j, "illustrative"), "sample-not-illustrative")


_IMAGE_MAX = 5_000_000
def _check_folder_contents(doc: Document, folder: Path, images: list) -> None:
    """A case folder holds its case file and the images it declares, nothing else.

    Anything else (a hidden ``.notes.py``, a script, a document) is never published and has no business in
    a pull request; refusing it keeps files that tools might load out of reach of every build step.
    Symbolic links are reported by discovery, once.
    """
    declared = {Path(img["path"]).as_posix() for img in images
                if isinstance(img, dict) and isinstance(img.get("path"), str)}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or path.is_dir():
            continue
        rel = path.relative_to(folder).as_posix()
        if rel == doc.path.name or rel in declared:
            continue
        doc.error((), "stray-case-file", {"name": rel, "case_file": doc.path.name})


# Only raster images are published: an SVG is a document that can script, animate links and fetch from the
# network, and no filter short of a full sanitiser keeps up with that. The bytes must match the suffix, so
# an SVG (or HTML) renamed to .png is refused too.
_IMAGE_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}


def _image_problem(path: Path) -> tuple[str, dict[str, str]] | None:
    """Why an image may not be published (an `image-content` variant and its parameters), or None."""
    magic = _IMAGE_MAGIC.get(path.suffix.lower())
    if magic is None:
        return "type", {"suffix": path.suffix}
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return "unreadable", {"reason": os_reason(exc)}
    if size > _IMAGE_MAX:
        return "size", {"size": f"{size:,}", "limit": f"{_IMAGE_MAX:,}"}
    if not head.startswith(magic):
        return "magic", {"kind": path.suffix.lstrip(".").upper()}
    return None


def _evaluations(d: dict):
    assessments = d.get("assessments")
    for i, a in enumerate(assessments if isinstance(assessments, list) else []):
        evals = a.get("evaluations") if isinstance(a, dict) else None
        for j, e in enumerate(evals if isinstance(evals, list) else []):
            if isinstance(e, dict):
                yield i, j, e


def check_corpus(corpus: Corpus, docs_by_path: dict[Path, Document]) -> None:
    """Checks across records, run on the linked model."""
    doc_of = docs_by_path.__getitem__
    # the scoring catalogue's bands and levels are checked while it is built (Builder._scoring_sound)
    rdoc = _singleton_doc(docs_by_path, "scales")
    for key in ("trl", "brl", "grl"):
        scale = corpus.scales.get(key)
        if scale is None and rdoc:
            rdoc.error(("scales",), "missing-scale", {"name": key}, key=True)
        elif scale and [lv.level for lv in scale.levels] != list(range(1, 10)) and rdoc:
            rdoc.error(_scale_levels_ptr(rdoc, key), "levels", {"name": key.upper(), "low": 1, "high": 9}, key=True)
    vdoc = _singleton_doc(docs_by_path, "vocabularies")
    for vocab in VOCABULARY_SOURCES:
        missing = [v for v in enum_values(vocab) if v not in corpus.vocabularies.get(vocab, {})]
        if missing and vdoc:
            vdoc.error(("vocabularies", vocab) if vocab in vdoc.data["vocabularies"] else ("vocabularies",),
                       "vocabulary", {"vocabulary": vocab, "values": ", ".join(missing), "first": missing[0]},
                       key=True)

    tables = {"risk": corpus.risks, "mitigation": corpus.mitigations, "provision": corpus.provisions,
              "instrument": corpus.instruments, "metric": corpus.metrics}
    for what, table in tables.items():
        for rec in table.values():
            if rec.replaced_by and rec.replaced_by not in table:
                doc = doc_of(rec.origin.path)
                doc.diagnostics.append(Diagnostic(rec.origin.location, "dangling-ref",
                                                  {"what": Term(what), "id": rec.id, "target": rec.replaced_by},
                                                  variant="replaced"))
    for risk in corpus.risks.values():
        if risk.status != "retired" and not risk.mitigations:
            doc = doc_of(risk.origin.path)
            doc.diagnostics.append(Diagnostic(risk.origin.location, "no-mitigation", {"id": risk.id}))
    named = [r for r in corpus.risks.values() if r.programme_named and r.status != "retired"]
    for case in corpus.cases.values():
        doc = doc_of(case.origin.path)
        missing = [r.id for r in named if case.assessment_for(r) is None]
        if missing:
            doc.error(("assessments",), "named-risk-missing", {"ids": ", ".join(missing)}, key=True)
        for i, a in enumerate(case.assessments):
            ptr = _assessment_ptr(doc, a.risk.id, i)
            for j, applied in enumerate(a.mitigations):
                if a.risk not in applied.mitigation.risks:
                    doc.error((*ptr, "mitigations", j, "id"), "mitigation-mismatch",
                              {"mitigation": applied.mitigation.id, "risk": a.risk.id})
                if applied.mitigation.status == "retired":
                    doc.error((*ptr, "mitigations", j, "id"), "retired-ref",
                              {"id": applied.mitigation.id, "replacement": applied.mitigation.replaced_by})
            if a.residual.value > a.inherent.value and a.residual_rationale is None:
                doc.error((*ptr, "residual"), "residual-above-inherent",
                          {"residual": a.residual.value, "inherent": a.inherent.value})
            for j, e in enumerate(a.evaluations):
                if e.metric.is_proportion:
                    for key in ("before", "after"):
                        value = getattr(e, key)
                        if not 0 <= value <= 1:
                            doc.error((*ptr, "evaluations", j, key), "proportion",
                                      {"which": Term(key), "value": value, "metric": e.metric.id})
            if e_over := [e for e in a.evaluations if e.n_before is None and e.n < 30]:
                doc.error((*ptr, "evaluations"), "small-sample", {"n": e_over[0].n})


def _assessment_ptr(doc: Document, risk_id: str, fallback: int) -> Pointer:
    for i, a in enumerate(doc.data.get("assessments", [])):
        if isinstance(a, dict) and a.get("risk") == risk_id:
            return ("assessments", i)
    return ("assessments", fallback)


def _scale_levels_ptr(doc: Document, key: str) -> Pointer:
    scales = doc.data.get("scales")
    for i, s in enumerate(scales if isinstance(scales, list) else []):
        if isinstance(s, dict) and s.get("id") == key:
            return ("scales", i, "levels")
    return ("scales",)


def _singleton_doc(docs: dict[Path, Document], key: str) -> Document | None:
    return next((d for d in docs.values() if isinstance(d.data, dict) and key in d.data), None)


def _date_pointers(d: dict) -> list[Pointer]:
    out: list[Pointer] = [("updated",), ("period", "start"), ("period", "end"),
                          ("institution", "consent", "date")]
    imps = d.get("improvements")
    out += [("improvements", i, "date") for i in range(len(imps) if isinstance(imps, list) else 0)]
    return [p for p in out if isinstance(_get(d, p), str)]


def _get(data, ptr: Pointer):
    for key in ptr:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# Record kinds whose prose quotes law text, where 「第4章」 is the law's own chapter, not this publication's.
_LAW_TEXT_KINDS = ("provisions", "instruments")


def known_ref_ids(corpus: Corpus) -> set[str]:
    """Every id a cross-reference (``[[ref:ID]]``) in record prose may name."""
    ids: set[str] = set()
    for table in (corpus.cases, corpus.risks, corpus.mitigations, corpus.provisions, corpus.instruments,
                  corpus.metrics):
        ids.update(table)
    ids.update(t.id for t in corpus.glossary)
    if corpus.policy is not None:
        for chapter in corpus.policy.chapters:
            ids.add(chapter.id)
            ids.update(c.id for c in chapter.clauses)
    return ids


def check_refs(documents: list[Document], known: set[str]) -> None:
    """Cross-references to unknown ids, and chapter numbers typed by hand, in every record's text."""
    from .render import xref

    for doc in documents:
        if not isinstance(doc.data, dict) or doc.kind is None:
            continue
        refuse = doc.kind not in _LAW_TEXT_KINDS
        lines: list[str] | None = None
        strings = doc.ref_strings if doc.ref_strings is not None else each_string_of(doc)
        for ptr, value in strings:
            if "[[" not in value and not (refuse and "第" in value):
                continue
            found = xref.problems(value, known, refuse_numbers=refuse)
            if not found:
                continue
            if lines is None:
                lines = doc.path.read_text(encoding="utf-8").splitlines()
            start = doc.location(ptr)
            for problem in found:
                needle = value[problem.offset:].split("\n", 1)[0][:20]
                line = xref.line_of(lines, start.line, needle)
                column = lines[line - 1].find(needle) + 1 if 0 < line <= len(lines) else start.column
                doc.diagnostics.append(Diagnostic(Location(doc.path, line, max(column, 1)), problem.code,
                                                  problem.params, "error", pointer_text(ptr), problem.variant))


def check_markdown_refs(paths: list[Path], known: set[str]) -> list[Diagnostic]:
    """The same checks on hand-written content pages (Markdown), line by line."""
    from .render import xref

    out: list[Diagnostic] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for problem in xref.problems(line, known):
                out.append(Diagnostic(Location(path, number, problem.offset + 1), problem.code, problem.params,
                                      variant=problem.variant))
    return out


def each_string_of(doc: Document) -> list[tuple[Pointer, str]]:
    from .build import each_string

    return each_string(doc.data)


# -- ids across kinds, reserved ids, case titles -----------------------------------------------------

def record_ids(doc: Document) -> list[tuple[str, Pointer, str]]:
    """(id, pointer, what) of every record a document declares, whatever its shape (schema errors or not)."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    if doc.kind == "casestudy":
        return [(data["id"], ("id",), "case-study")] if isinstance(data.get("id"), str) else []
    out: list[tuple[str, Pointer, str]] = []
    kind = doc.kind
    if kind in _ID_KINDS:
        items = data.get(kind)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.append((item["id"], (kind, i, "id"), _ID_KINDS[kind]))
    elif kind == "policy":
        policy = data.get("policy") if isinstance(data.get("policy"), dict) else {}
        chapters = policy.get("chapters")
        for i, ch in enumerate(chapters if isinstance(chapters, list) else []):
            if not isinstance(ch, dict):
                continue
            if isinstance(ch.get("id"), str):
                out.append((ch["id"], ("policy", "chapters", i, "id"), "policy-chapter"))
            clauses = ch.get("clauses")
            for j, cl in enumerate(clauses if isinstance(clauses, list) else []):
                if isinstance(cl, dict) and isinstance(cl.get("id"), str):
                    out.append((cl["id"], ("policy", "chapters", i, "clauses", j, "id"), "policy-clause"))
    return out


_ID_KINDS = {"instruments": "instrument", "provisions": "provision", "risks": "risk", "mitigations": "mitigation",
             "metrics": "metric", "glossary": "glossary-term"}


def check_ids_across_kinds(docs: list[Document], reserved: dict[str, str]) -> None:
    """Every id is unique across all record kinds and is no reserved word (both compared case-folded).

    Prose links record ids written in text, and ids become URL paths: a case study named like a metric
    (`hallucination-rate`) would take over the metric's links, one named `index` the case list page.
    Catalogue records are taken first, so a contributed case study is the one told to change.
    Duplicates within one kind are reported by the builder (``duplicate-id``); only the first is kept here.
    """
    ordered = sorted(docs, key=lambda d: (d.kind == "casestudy", str(d.path)))
    first: dict[str, tuple[Document, Pointer, str, str]] = {}
    for doc in ordered:
        for rid, ptr, what in record_ids(doc):
            key = rid.casefold()
            if key in reserved:
                doc.error(ptr, "reserved-id", {"id": rid, "what": Term(what), "reason": reserved[key]})
                continue
            if key not in first:
                first[key] = (doc, ptr, what, rid)
                continue
            other_doc, other_ptr, other_what, other_id = first[key]
            if other_what == what:
                continue  # the same kind twice: the builder's duplicate-id / the case-folder check says so
            shown = "/".join(other_doc.path.parts[-3:])  # content/catalog/x.yaml or casestudies/<id>/case.yaml
            doc.error(ptr, "id-taken", {"id": rid, "what": Term(what), "other_what": Term(other_what),
                                        "other_id": other_id,
                                        "where": f"{shown}:{other_doc.location(other_ptr).line}"},
                      variant="" if other_id == rid else "case")


def check_case_titles(docs: list[Document]) -> None:
    """Two case studies may not share a title (compared after NFKC, case folding and spacing).

    Each of them is told, naming the others: which one should change is the editors' call.
    """
    groups: dict[tuple[str, str], list[tuple[Document, str]]] = {}
    for doc in sorted(docs, key=lambda d: str(d.path)):
        title = doc.data.get("title") if isinstance(doc.data, dict) else None
        for lang in ("ja", "en"):
            value = title.get(lang) if isinstance(title, dict) else None
            if isinstance(value, str):
                key = (lang, " ".join(unicodedata.normalize("NFKC", value).casefold().split()))
                groups.setdefault(key, []).append((doc, value))
    for (lang, _key), group in groups.items():
        for doc, value in group if len(group) > 1 else ():
            others = ", ".join(f"casestudies/{o.path.parent.name}/{o.path.name}" for o, _v in group if o is not doc)
            doc.error(("title", lang), "duplicate-title", {"title": value, "others": others})
