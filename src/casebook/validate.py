"""Validate a Casebook project: load → schema → link → corpus checks → PII scan, all problems at once."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import crosswalk, keyboard, pii, schema
from . import limits as lim
from .build import Builder, each_string
from .checks import (
    check_case,
    check_case_ids,
    check_case_refs,
    check_case_titles,
    check_corpus,
    check_ids_across_kinds,
    check_markdown_refs,
    check_refs,
    check_strings,
    known_ref_ids,
)
from .checks_legal import check_legal
from .diagnostics import Diagnostic, Report
from .errors import Location
from .load import MAX_INT_DIGITS, Document, Pointer, load_file, pointer_text
from .model import Corpus
from .schemas import CATALOG_KINDS

CATALOG_DIR = Path("content/catalog")
CASES_DIR = Path("casestudies")
CASE_FILE = "case.yaml"
_FOLDER_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class Result:
    """What validation produced: the report and, when there were no errors, the corpus."""

    report: Report
    corpus: Corpus | None
    documents: list[Document] = field(default_factory=list)

    @property
    def notes(self) -> list[Diagnostic]:
        """What a reviewer must see although it is allowed (each PII finding a pii_allow entry covers)."""
        return sorted((n for doc in self.documents for n in doc.notes), key=Diagnostic.sort_key)

    @property
    def ok(self) -> bool:
        return not self.report.errors


def discover(root: Path) -> tuple[list[Path], list[Path], list[Diagnostic]]:
    """Catalogue files and case files under ``root``; odd entries become diagnostics, never skipped."""
    diags: list[Diagnostic] = []
    catalog_dir = root / CATALOG_DIR
    catalog = sorted(catalog_dir.rglob("*.yaml")) if catalog_dir.is_dir() else []
    for stray in sorted(catalog_dir.rglob("*.yml")) if catalog_dir.is_dir() else []:
        diags.append(Diagnostic(Location(stray), "file-name", {"name": stray.with_suffix(".yaml").name}))
    cases: list[Path] = []
    cases_dir = root / CASES_DIR
    if cases_dir.is_dir():
        for entry in sorted(cases_dir.iterdir()):
            if entry.name.lower() in ("readme.md", ".gitkeep", ".ds_store"):
                continue
            if entry.name.startswith(".") and entry.is_dir() and not entry.is_symlink():
                # a hidden folder is never published; say so rather than skip a contribution silently
                diags.append(Diagnostic(Location(entry), "folder-name", {"name": entry.name}, variant="hidden"))
                continue
            if entry.is_symlink():
                diags.append(Diagnostic(Location(entry), "symlink", variant="folder"))
                continue
            if not entry.is_dir():
                diags.append(Diagnostic(Location(entry), "stray-file"))
                continue
            if not _FOLDER_NAME.fullmatch(entry.name):  # `$` alone would accept a final newline
                odd = "".join(sorted({c for c in entry.name if ord(c) > 127 or not c.isalnum()} - {"-"}))
                diags.append(Diagnostic(Location(entry), "folder-name",
                                        {"name": entry.name, "odd": repr(odd)}, variant="" if odd else "form"))
                continue
            case_file = entry / CASE_FILE
            if not case_file.is_file():
                diags.append(Diagnostic(Location(entry), "missing-case-file", {"name": entry.name}))
                continue
            for link in (p for p in entry.rglob("*") if p.is_symlink()):
                diags.append(Diagnostic(Location(link), "symlink", variant="inside"))
            cases.append(case_file)
    return catalog, cases, diags


def validate(root: Path, today: dt.date | None = None, only_cases: list[Path] | None = None) -> Result:
    """Validate the project at ``root``; ``only_cases`` limits the case studies (for previews)."""
    # Thousands of loaded records stay alive until the end; the cyclic GC would rescan them again and
    # again (it doubled the time for 1,000 case studies). Nothing here creates reference cycles to free.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate(root, today, only_cases)
    finally:
        if was_enabled:
            gc.enable()


def _validate(root: Path, today: dt.date | None, only_cases: list[Path] | None) -> Result:
    today = today or dt.date.today()
    catalog_files, case_files, diags = discover(root)
    left_out: set[str] = set()  # case studies a preview does not load: references to them are not dangling
    if only_cases is not None:
        wanted = {p.resolve() for p in only_cases}
        kept = [p for p in case_files if p.resolve() in wanted or p.parent.resolve() in wanted]
        left_out = {p.parent.name for p in case_files if p not in kept}
        case_files = kept
    labels = vocabulary_labels(root)
    limits = load_limits(root)[0]
    public = load_public_numbers(root)
    jobs = [(p, False, today, labels, limits, public) for p in catalog_files] \
        + [(p, True, today, labels, limits, public) for p in case_files]
    staged = _run_stages(jobs)
    documents = [doc for doc, _ok in staged]
    cases = [doc for doc in documents if doc.kind == "casestudy" and doc.data is not None]
    check_case_ids(cases)
    check_case_titles(cases)
    check_ids_across_kinds([doc for doc in documents if doc.kind], _reserved(documents))
    builder = Builder(root)
    broken_cases: list[Document] = []
    refused_ids: set[str] = set(left_out)  # records refused on their own errors: references say nothing more
    refused_kinds: set[str] = set()
    for doc, built_on in staged:
        if doc.kind is None:
            continue
        if not built_on or _has_errors(doc, ("duplicate-id",)):
            # A record that failed its schema is not built on, but its references are still checked
            # below so that one run reports every problem.
            if doc.kind == "casestudy":
                broken_cases.append(doc)
                continue
            bad = _bad_records(doc)
            if bad is None:  # an error outside any one record: the whole file is refused
                refused_kinds.add(doc.kind)
                builder.refused_kinds.add(doc.kind)
                refused_ids.update(_record_ids(doc, None))
                continue
            # One bad record must not take the other records of its file with it.
            refused_ids.update(_record_ids(doc, bad))
            builder.add_catalog(doc, doc.kind, skip=bad)
            continue
        if doc.kind == "casestudy":
            builder.add_case(doc)
        else:
            builder.add_catalog(doc, doc.kind)
    corpus = builder.build()
    if corpus is None:
        missing = [k for k in ("publication", "scoring", "scales", "vocabularies")
                   if k not in builder.singletons and k not in builder.items and k not in refused_kinds]
        for kind in missing:
            diags.append(Diagnostic(Location(root / CATALOG_DIR), "missing-catalog",
                                    {"kind": kind, "folder": str(CATALOG_DIR)}))
    if "limits" not in builder.singletons and "limits" not in refused_kinds:
        diags.append(Diagnostic(Location(root / CATALOG_DIR), "missing-catalog",
                                {"kind": "limits", "folder": str(CATALOG_DIR)}))
    if corpus is not None:
        docs_by_path = {d.path: d for d in documents}
        check_corpus(corpus, docs_by_path)
        check_legal(corpus, docs_by_path)
        crosswalk.check_coverage(corpus)
        known = known_ref_ids(corpus)
        check_refs(documents, known)
        from .report.structure import TEXT_DIR, check_inserts, check_layout, report_ids

        pages = content_pages(root)
        report_dir = (root / TEXT_DIR).resolve()
        in_report = [p for p in pages if p.resolve().parent == report_dir]
        diags.extend(check_markdown_refs([p for p in pages if p not in in_report], known))
        diags.extend(check_markdown_refs(in_report, known | report_ids(corpus)))
        for page in in_report:
            diags.extend(check_inserts(page))
        publication = next((d for d in documents if d.kind == "publication"), None)
        diags.extend(check_layout(corpus, publication.path if publication else None,
                                  publication.location if publication else None))
        for doc in broken_cases:
            check_case_refs(doc, corpus)
    for doc in documents:
        diags.extend(d for d in doc.diagnostics if not _refers_to(doc, d, refused_ids))
    report = Report(sorted(diags, key=Diagnostic.sort_key))
    return Result(report, corpus if not report.errors else None, documents)


def content_pages(root: Path) -> list[Path]:
    """Hand-written Markdown pages under ``content/`` (their cross-references are checked too)."""
    folder = root / "content"
    return sorted(p for p in folder.rglob("*.md") if p.is_file()) if folder.is_dir() else []


Job = tuple[Path, bool, dt.date, schema.Labels, "lim.Limits | None", "pii.Public | None"]


def vocabulary_labels(root: Path) -> schema.Labels:
    """Each closed vocabulary's display labels and aliases (content/catalog/vocabularies.yaml), so that a
    contributor who writes what the site shows (関西, 信用金庫, 実施済み) is told the code to write."""
    path = root / CATALOG_DIR / "vocabularies.yaml"
    doc = load_file(path) if path.is_file() else None
    body = doc.data.get("vocabularies") if doc is not None and isinstance(doc.data, dict) else None
    out: schema.Labels = {}
    for values in (body.values() if isinstance(body, dict) else []):
        if not isinstance(values, dict):
            continue  # the schema check of the file itself reports it
        by_label: dict[str, str] = {}
        for code, entry in values.items():
            if not isinstance(entry, dict):
                continue
            names = [entry.get("ja"), entry.get("en"), *(entry.get("aliases") or [])]
            for name in names:
                if isinstance(name, str) and name.strip():
                    by_label.setdefault(keyboard.fold(name).strip().lower(), str(code))
        out[frozenset(str(c) for c in values)] = by_label
    return out


# Below this many files the start-up of worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200


def _run_stages(jobs: list[Job]) -> list[tuple[Document, bool]]:
    """Run the per-file stage for every file, on every core when there are many files."""
    workers = min(os.cpu_count() or 1, 8)
    workers = int(os.environ.get("CASEBOOK_WORKERS", workers))
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        return [_stage_detached(job) for job in jobs]
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork (Windows): serial is faster than spawning interpreters
        return [_stage_detached(job) for job in jobs]
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_stage_detached, jobs, chunksize=chunk))


def _stage(job: Job) -> tuple[Document, bool]:
    """Everything that needs only one file: load, schema, single-record checks, PII.

    Returns the document and whether it may be built on (no load or schema errors).
    """
    path, is_case, today, labels, limits, public = job
    doc = load_file(path, max_int_digits=limits.integer_digits if limits else MAX_INT_DIGITS)
    if doc.data is None:
        return doc, False
    if is_case:
        doc.kind = "casestudy"
        schema.check(doc, "casestudy", labels)
        check_case(doc, today)
    else:
        doc.kind = _catalog_kind(doc)
        if doc.kind:
            schema.check(doc, CATALOG_KINDS[doc.kind])
    built_on = not _has_errors(doc)
    strings = each_string(doc.data) if isinstance(doc.data, dict) else []
    doc.ref_strings = [(ptr, value) for ptr, value in strings if "[[" in value or "第" in value]
    check_strings(doc, strings)
    if limits is not None and doc.kind:
        lim.check(doc, limits, doc.kind)
        if is_case and isinstance(doc.data, dict):
            _check_images(doc, limits, public)
    _scan_pii(doc, strings, public)
    return doc, built_on


def _stage_detached(job: Job) -> tuple[Document, bool]:
    """The stage, dropping the parse tree: keeping 1,000 trees alive cost 500 MB and most of the time.

    The few records that later need a position (a cross-record error) re-read their file.
    """
    doc, built_on = _stage(job)
    doc.root = None
    return doc, built_on


LIMITS_FILE = "limits.yaml"


def load_limits(root: Path) -> tuple[lim.Limits | None, list[Diagnostic]]:
    """The limits of ``content/catalog/limits.yaml``, read before the records they bound.

    None when the file is missing or invalid: validation of the file itself reports why (and the run fails).
    """
    path = root / CATALOG_DIR / LIMITS_FILE
    if not path.is_file():
        return None, []
    doc = load_file(path)
    if isinstance(doc.data, dict) and list(doc.data) == ["limits"]:
        schema.check(doc, "limits")
    if doc.diagnostics or not isinstance(doc.data, dict) or "limits" not in doc.data:
        return None, doc.diagnostics
    return lim.Limits.from_data(doc.data["limits"]), []


def _check_images(doc: Document, limits: lim.Limits, public: pii.Public | None) -> None:
    """Each declared image that passed the path checks: decoded within limits, its metadata scanned."""
    from . import images

    flagged = {d.field for d in doc.diagnostics}
    declared = doc.data.get("images")
    for i, img in enumerate(declared if isinstance(declared, list) else []):
        rel = img.get("path") if isinstance(img, dict) else None
        ptr = ("images", i, "path")
        if not isinstance(rel, str) or pointer_text(ptr) in flagged:
            continue
        target = doc.path.parent / rel
        if problem := images.problem(target, limits.images):
            doc.error(ptr, "image-content", {"path": rel, **problem[1]}, variant=problem[0])
            continue
        for text in images.metadata_texts(target):
            for finding in pii.scan(text, public):
                doc.error(ptr, "image-pii", {"path": rel, "text": finding.text})
        if images.has_gps(target):
            doc.error(ptr, "image-gps", {"path": rel})


def load_public_numbers(root: Path) -> pii.Public | None:
    """Organisations' numbers and ranges from ``content/catalog/pii_public.yaml`` (None if missing or invalid;
    validation of the file itself says why)."""
    path = root / CATALOG_DIR / "pii_public.yaml"
    if not path.is_file():
        return None
    doc = load_file(path)
    if isinstance(doc.data, dict) and list(doc.data) == ["pii_public"]:
        schema.check(doc, "pii_public")
        if not doc.diagnostics:
            return pii.Public.from_data(doc.data["pii_public"])
    return None


def _reserved(documents: list[Document]) -> dict[str, str]:
    """Reserved id (case-folded) → reason, from the `reserved_ids` catalogue."""
    out: dict[str, str] = {}
    for doc in documents:
        if doc.kind == "reserved_ids" and isinstance(doc.data, dict) and isinstance(doc.data.get("reserved_ids"), list):
            for entry in doc.data["reserved_ids"]:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    out[entry["id"].casefold()] = str(entry.get("reason", ""))
    return out


def catalog_kind_of(data: object) -> str | None:
    """The catalogue kind of a loaded file (its single top-level key), or None."""
    keys = list(data) if isinstance(data, dict) else []
    return keys[0] if len(keys) == 1 and keys[0] in CATALOG_KINDS else None


def _catalog_kind(doc: Document) -> str | None:
    data = doc.data
    keys = list(data) if isinstance(data, dict) else []
    kinds = [k for k in keys if k in CATALOG_KINDS]
    if len(keys) == 1 and kinds:
        return kinds[0]
    kinds_text = ", ".join(CATALOG_KINDS)
    if not keys:
        doc.error((), "catalog-kind", {"kinds": kinds_text}, variant="shape")
    else:
        import difflib

        for key in keys:
            if key not in CATALOG_KINDS:
                guess = difflib.get_close_matches(key, list(CATALOG_KINDS), n=1)
                doc.error((key,), "catalog-kind",
                          {"name": key, "guess": guess[0] if guess else "", "kinds": kinds_text}, key=True,
                          variant="" if guess else "list")
        if len(kinds) > 1:
            doc.error((kinds[1],), "catalog-kind", {"kinds": kinds_text}, key=True, variant="count")
    return None


def _bad_records(doc: Document) -> set[int] | None:
    """Indexes of the records of a list catalogue that carry errors, or None when an error is not inside
    one record (the file's shape, a singleton catalogue, a YAML error)."""
    body = doc.data.get(doc.kind) if isinstance(doc.data, dict) else None
    if not isinstance(body, list):
        return None
    bad: set[int] = set()
    for d in doc.diagnostics:
        if d.severity != "error":
            continue
        parts = d.field.split("/") if d.field else []
        if len(parts) < 3 or parts[1] != doc.kind or not parts[2].isdigit():
            return None
        bad.add(int(parts[2]))
    return bad


def _record_ids(doc: Document, indexes: set[int] | None) -> set[str]:
    body = doc.data.get(doc.kind) if isinstance(doc.data, dict) else None
    items = body if isinstance(body, list) else []
    return {item["id"] for i, item in enumerate(items)
            if (indexes is None or i in indexes) and isinstance(item, dict) and isinstance(item.get("id"), str)}


def _refers_to(doc: Document, diag: Diagnostic, refused: set[str]) -> bool:
    """True for a dangling reference to a record that was refused for its own error (already reported)."""
    if diag.code != "dangling-ref" or not refused or not diag.field:
        return False
    value: object = doc.data
    for part in diag.field.split("/")[1:]:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    return isinstance(value, str) and value in refused


def _has_errors(doc: Document, codes: tuple[str, ...] | None = None) -> bool:
    return any(d.severity == "error" and (codes is None or d.code in codes) for d in doc.diagnostics)


def _scan_pii(doc: Document, strings: list[tuple[Pointer, str]], public: pii.Public | None = None) -> None:
    if not isinstance(doc.data, dict):
        return
    allowed = doc.data.get("pii_allow")
    # Malformed entries are the schema's to report; only well-formed ones may allow anything.
    allow_texts = {pii.normalise(a["text"]): i
                   for i, a in enumerate(allowed if isinstance(allowed, list) else [])
                   if isinstance(a, dict) and isinstance(a.get("text"), str)}
    used: set[int] = set()
    for ptr, value in strings:
        if ptr and ptr[0] == "pii_allow":
            continue
        for finding in pii.scan(value, public):
            # The entry must quote the whole finding (context around it is fine): a fragment such as
            # "1234" would otherwise silence every number that happens to contain it.
            hit = next((i for t, i in allow_texts.items() if finding.text in t), None)
            if hit is not None:
                used.add(hit)
                # Not silent: an allowance can hide real personal data, so every use is shown to the
                # reviewer (a note, which does not fail the run) with the reason given for it.
                reason = allowed[hit].get("reason") if isinstance(allowed[hit].get("reason"), str) else ""
                doc.notes.append(Diagnostic(doc.location(ptr), "pii-allowed",
                                            {"text": finding.text, "index": hit, "reason": reason or "—"},
                                            field=pointer_text(ptr)))
                continue
            doc.error(ptr, finding.code, {"text": finding.text})
    for t, i in allow_texts.items():
        if i not in used:
            doc.error(("pii_allow", i), "unused-allowance", {"text": t})
