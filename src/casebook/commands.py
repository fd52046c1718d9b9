"""The commands that produce output: build, serve, pdf, preview, diff.

``build`` is atomic: site and PDF are written into a temporary folder next to the output and swapped in
only when both succeeded, so a failed build leaves the previous ``site/`` untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .diagnostics import format_report
from .errors import RenderError, UsageError, ValidationError
from .model import Corpus
from .validate import validate

SUMS_FILE = "SHA256SUMS"


def load_corpus(root: Path, strict: bool = False, show_warnings: bool = True) -> Corpus:
    """Validate ``root`` and return the corpus; print warnings; raise ValidationError on failure."""
    result = validate(root)
    if show_warnings and result.report.warnings and not result.report.errors:
        print(format_report(result.report.warnings, "text", root), file=sys.stderr)
    if result.report.failed(strict) or result.corpus is None:
        raise ValidationError(result.report.diagnostics)
    return result.corpus


def final_ready(corpus, root: Path) -> bool:
    """True when nothing keeps the edition a draft; otherwise name every open item on stderr."""
    from .report.edition import open_items

    items = open_items(corpus)
    for item in items:
        print(item.text(root), file=sys.stderr)
    if items:
        print(f"casebook build --final: refused — {len(items)} item(s) still 要確認 or draft; check them against "
              "their primary sources (verified: true), finish draft cases and remove [[check:…]] notes, or build "
              "the draft without --final", file=sys.stderr)
    return not items


def build(root: Path, args: argparse.Namespace) -> int:
    from .mkdocs_build import build_site
    from .report import render_report

    corpus = load_corpus(root, args.strict)  # validated once: the site build reuses this corpus
    if getattr(args, "final", False) and not final_ready(corpus, root):
        return 1
    site_dir = (args.site_dir or root / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the published site must be readable by a web server
    try:
        build_site(root, staging, args.strict, corpus=corpus)
        if not args.no_pdf:
            info = render_report(corpus, staging / "report.pdf")
            check_chapters(corpus, info.bookmarks)
            if info.warnings:
                text = "\n".join(f"  {w}" for w in info.warnings)
                if args.strict:
                    raise RenderError(f"{len(info.warnings)} PDF warning(s) in strict mode:\n{text}")
                print(f"report.pdf: {len(info.warnings)} warning(s):\n{text}", file=sys.stderr)
            print(f"report.pdf: {info.pages} pages", file=sys.stderr)
            write_overview(corpus, staging, args.strict)
        from .site.offline import write_offline_zip

        offline = write_offline_zip(root, staging, args.strict, corpus=corpus)  # the site for file://
        print(f"{offline.relative_to(staging).as_posix()}: {offline.stat().st_size:,} bytes", file=sys.stderr)
        write_checksums(staging)
        _swap(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print(f"built {site_dir}", file=sys.stderr)
    return 0


def write_overview(corpus: Corpus, site: Path, strict: bool) -> Path | None:
    """The 概要版 beside report.pdf, when the project has its summary text (content/report/overview.md)."""
    from .report.overview import FILE_NAME, has_overview, render_overview

    if not has_overview(corpus):
        return None
    summary = render_overview(corpus, site / FILE_NAME)
    if summary.warnings:
        text = "\n".join(f"  {w}" for w in summary.warnings)
        if strict:
            raise RenderError(f"{len(summary.warnings)} PDF warning(s) in strict mode ({FILE_NAME}):\n{text}")
        print(f"{FILE_NAME}: {len(summary.warnings)} warning(s):\n{text}", file=sys.stderr)
    print(f"{FILE_NAME}: {summary.pages} pages", file=sys.stderr)
    return summary.path


def check_chapters(corpus: Corpus, bookmarks: list[str]) -> None:
    """Records in = PDF chapters: every case study has an entry in the PDF outline, or the build fails."""
    # The PDF engine collapses whitespace in outline labels; a chapter's label is "第N章 <title>".
    labels = {" ".join(label.split()) for label in bookmarks}
    suffixes = {label.split(" ", 1)[-1] for label in labels} | labels

    def has_chapter(title: str) -> bool:
        return " ".join(title.split()) in suffixes

    missing = [c.id for c in corpus.cases.values() if not has_chapter(c.title.ja)]
    if missing:
        raise RenderError("case studies without a chapter in the PDF outline (records in = chapters out): "
                          + ", ".join(missing))


def write_checksums(site: Path) -> Path:
    """SHA-256 of the PDFs (the report and its 概要版) and every data download, in ``sha256sum -c`` format."""
    from .report.overview import FILE_NAME as OVERVIEW_PDF

    pdfs = [site / "report.pdf", site / OVERVIEW_PDF]
    files = [p for p in [*pdfs, *sorted((site / "data").rglob("*"))] if p.is_file()]
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(site).as_posix()}" for p in files]
    out = site / SUMS_FILE
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _swap(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def serve(root: Path, args: argparse.Namespace) -> int:
    """``mkdocs serve`` with live reload, showing only what a contributor needs: the address, each rebuild
    and every warning or error (``--verbose`` shows MkDocs' own log)."""
    import os

    load_corpus(root)  # fail fast with the validator's messages
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(root / "mkdocs.yml"),
           "-a", args.dev_addr]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    lang = getattr(args, "lang", None)
    if lang:  # the rebuilds' own diagnostics (printed by the plugin inside MkDocs) in the language asked for
        env["CASEBOOK_LANG"] = lang
    if getattr(args, "verbose", False):
        return subprocess.call(cmd, cwd=root, env=env)
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, encoding="utf-8", errors="replace")
    shown = ServeLog(lang)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            for out in shown.feed(line):
                print(out, file=sys.stderr, flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        return 0


class ServeLog:
    """Turns MkDocs' serve log (about 90 lines a build) into the few lines a contributor reads: the address,
    each build with what it made, every warning and error with its continuation lines."""

    _RECORD = re.compile(r"^(INFO|WARNING|ERROR|DEBUG)\s+-\s+(?:\[[0-9:]+\]\s+)?(.*)$")
    _RECORD_ERRORS = re.compile(r"^casebook: the records have (\d+) error\(s\):$")
    _PAGES = re.compile(r"casebook: (\d+) generated pages from (\d+) case stud")
    _BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")

    def __init__(self, lang: str | None = None) -> None:
        self.lang = lang
        self.level = ""
        self.rebuilding = False
        self.counts = ("?", "?")

    def feed(self, line: str) -> list[str]:
        from . import messages

        def say(key: str, **params) -> list[str]:
            return [messages.text(key, self.lang, **params)]

        line = line.rstrip("\n")
        m = self._RECORD.match(line)
        if m is None:  # a continuation line: shown only under a warning or an error
            if line.strip() == "Aborted with a BuildError!":
                return []  # MkDocs' own words for the failed rebuild reported just before
            return [line] if self.level in ("WARNING", "ERROR") and line.strip() else []
        self.level, text = m.group(1), m.group(2)
        if self.level == "ERROR" and (errors := self._RECORD_ERRORS.match(text)):
            self.rebuilding = False
            return say("serve-record-errors", errors=errors.group(1))
        if self.level == "ERROR" and text.startswith("An error happened during the rebuild"):
            return say("serve-kept")
        if self.level in ("WARNING", "ERROR"):
            # the validator's own lines (file:line:col: severity[code]: …) as `casebook validate` prints them
            return [text.removeprefix("casebook: ")] if text.startswith("casebook: ") else [line]
        if text.startswith("Serving on "):
            return say("serve-url", url=text.removeprefix("Serving on ").strip())
        if text.startswith("Detected file changes"):
            self.rebuilding = True
            return say("serve-changed")
        if text.startswith("Building documentation"):
            return [] if self.rebuilding else say("serve-building")
        if pages := self._PAGES.search(text):
            self.counts = (pages.group(2), pages.group(1))
        elif built := self._BUILT.match(text):
            self.rebuilding = False
            return say("serve-built", cases=self.counts[0], pages=self.counts[1], seconds=built.group(1))
        elif text.startswith("Reloading browsers"):
            return say("serve-reloaded")
        return []


def pdf(root: Path, args: argparse.Namespace) -> int:
    from .report import render_report

    corpus = load_corpus(root)
    output = (args.output or root / "site" / "report.pdf").resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    variant = None if args.pdf_variant in ("none", "") else args.pdf_variant
    info = render_report(corpus, output, variant=variant)
    print(f"wrote {output} ({info.pages} pages)", file=sys.stderr)
    return 0


def preview(root: Path, args: argparse.Namespace) -> int:
    """One case study with the catalogues: its site page and its PDF chapter, in a few seconds."""
    from .mkdocs_build import build_site
    from .report import render_report

    target = (args.case if args.case.is_absolute() else Path.cwd() / args.case).resolve()
    folder = target.parent if target.is_file() else target
    if not (folder / "case.yaml").is_file():
        raise UsageError(f"{args.case} is not a case-study folder (no case.yaml)")
    started = time.perf_counter()
    result = validate(root, only_cases=[folder])
    if result.report.diagnostics:
        print(format_report(result.report.diagnostics, "text", root), file=sys.stderr)
    if result.corpus is None:
        raise ValidationError(result.report.diagnostics)
    case_id = next(iter(result.corpus.cases))
    out = (args.output or root / "build" / "preview").resolve()
    shutil.rmtree(out / "site", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    build_site(root, out / "site", strict=False, only_cases=[folder.relative_to(root)])
    pdf_path = out / f"{case_id}.pdf"
    info = render_report(result.corpus, pdf_path, variant=None, case=case_id)
    page = out / "site" / "casestudies" / case_id / "index.html"
    print(f"page: {page}\npdf:  {pdf_path} ({info.pages} pages)\n"
          f"preview built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def diff(root: Path, args: argparse.Namespace) -> int:
    from .diff import diff_against_ref, format_changes

    changes = diff_against_ref(root, args.ref)
    print(format_changes(changes, args.format))
    return 0


__all__ = ["build", "check_chapters", "diff", "load_corpus", "pdf", "preview", "serve", "write_checksums"]
