#!/usr/bin/env python3
"""Measure the site's real search (Material for MkDocs + lunr in headless Chromium) on reader queries.

Two query sets, each query with hand-labelled answer pages:

- ``tests/search_queries.yaml`` — page phrases: the publication's own words (laws, risk names, terms);
- ``tests/search_queries_readers.yaml`` — readers' words: how bank staff ask (誤回答, マネロン,
  レッドチーム, 個人情報保護法 第27条); its ``held_out`` queries were never used for tuning and are
  reported on their own;
- ``tests/search_queries_heldout.yaml`` — a second, larger held-out set in readers' words (misspelt
  katakana, 略語, law-and-article forms, English terms, questions); never read when tuning.

For each query the script types into ``input.md-search__input`` exactly as a reader would, waits for the
search worker's answer and records:

- R@5 / R@10: an expected page is among the first 5 / 10 result pages,
- P@1: the first result page is an expected page,
- the result-list length (pages listed by Material).

An expected page with a ``#fragment`` (one provision of a law, one glossary term) counts only when that
section is among the links Material shows for the page (not folded away under "more").

It prints a table, a summary per set and (``--json``) a JSON report. The site is built with ``mkdocs build``
into a temporary folder and served from ``http://127.0.0.1:<port>/casebook/`` (a sub-path, as on an
intranet), unless ``--site DIR`` names an already built site. ``--before DIR`` measures a second built site
(e.g. the ``main`` you started from) in the same run and prints both figures side by side.

Usage::

    .venv/bin/python scripts/search_recall.py                # build, measure both sets, print
    .venv/bin/python scripts/search_recall.py --site site --json /tmp/recall.json
    .venv/bin/python scripts/search_recall.py --site site --before /tmp/old-site
    .venv/bin/python scripts/search_recall.py --before-ref 4816300     # build both, same run
    .venv/bin/python scripts/search_recall.py --only 個人情報の漏えい -v

The helpers (``build_site``, ``serve``, ``launch``, ``run_query``) are shared with ``tests/browser``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "search_queries.yaml"
READER_QUERIES = ROOT / "tests" / "search_queries_readers.yaml"
#: A second held-out set in readers' words, never used for tuning (see its header).
HELDOUT_QUERIES = ROOT / "tests" / "search_queries_heldout.yaml"
#: Query sets measured by default: name → file.
#: A third, blind set: written before the ranker it measures, run only on the final result (see its header).
BLIND_QUERIES = ROOT / "tests" / "search_queries_blind.yaml"
SETS = {"pages": QUERIES, "readers": READER_QUERIES, "heldout": HELDOUT_QUERIES, "blind": BLIND_QUERIES}
SUBPATH = "casebook"
CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PLACEHOLDER_JA = "検索キーワードを入力してください"


# --------------------------------------------------------------------------- site, server, browser


def build_site(dest: Path, *, strict: bool = False) -> Path:
    """Build the site with ``mkdocs build`` into ``dest/<SUBPATH>`` and return that folder."""
    out = dest / SUBPATH
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
    if strict:
        cmd.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("CASEBOOK_SITE_URL", None)  # pages must work without a host in site_url
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return out


def build_ref(ref: str, dest: Path) -> Path:
    """Build the site of git ref ``ref`` (its records, templates, overrides and code) into ``dest/site``."""
    tree = dest / "tree"
    tree.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    out = dest / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(tree / "src")}
    env.pop("CASEBOOK_SITE_URL", None)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=tree, env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build of {ref} failed:\n{proc.stdout}\n{proc.stderr}")
    return out


def stage_site(site: Path, dest: Path) -> Path:
    """Expose an already built ``site`` as ``dest/<SUBPATH>`` (symlink) and return ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    link = dest / SUBPATH
    if not link.exists():
        link.symlink_to(site.resolve(), target_is_directory=True)
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser that closes a connection mid-response (it navigated on) is not an error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (random port); yield the base URL of the site's sub-path."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright):  # -> playwright.sync_api.Browser
    """Launch Debian's Chromium headless (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# --------------------------------------------------------------------------- searching


def page_path(href: str, base_url: str) -> str:
    """Site-relative page path of a result link: ``risks/r-x/`` (no fragment, no query)."""
    path = unquote(urlsplit(href).path)
    base = urlsplit(base_url).path
    if path.startswith(base):
        path = path[len(base):]
    path = path.lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path


def normalise_expected(url: str) -> str:
    """``/risks/R-X`` → ``risks/R-X/``; a fragment is kept (``regulations/APPI/#APPI-27``)."""
    path, sep, frag = url.partition("#")
    path = path.lstrip("/")
    if path and not path.endswith("/") and not path.endswith(".html"):
        path += "/"
    return f"{path}#{frag}" if sep else path


def open_search(page, base_url: str) -> None:
    """Load the home page and open the search box."""
    page.goto(base_url, wait_until="load")
    page.click("input.md-search__input")
    page.wait_for_selector(".md-search-result__meta")


def _meta(page) -> str:
    return page.inner_text(".md-search-result__meta").strip()


def run_query(page, query: str, *, timeout: float = 10.0) -> tuple[list[str], int]:
    """Type ``query`` into Material's search box; return (result hrefs in order, total result pages)."""
    box = page.locator("input.md-search__input")
    # Reset to the placeholder first so that a stale list from the previous query is never read.
    box.fill("")
    box.press("End")
    deadline = time.monotonic() + timeout
    while _meta(page) not in (PLACEHOLDER_JA, "") and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    box.fill(query)
    box.press("End")  # Material listens to keyup only; fill() sends none (TOOLCHAIN pitfall 3)
    while time.monotonic() < deadline:
        meta = _meta(page)
        if meta and meta != PLACEHOLDER_JA and "初期化" not in meta:
            break
        page.wait_for_timeout(20)
    else:
        raise TimeoutError(f"no search answer for {query!r}")
    page.wait_for_timeout(60)  # let the list render completely
    meta = _meta(page)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list > li.md-search-result__item > a.md-search-result__link:first-child",
        "els => els.map(e => e.href)",
    )
    digits = "".join(ch for ch in meta if ch.isdigit())
    total = int(digits) if digits else 0
    return hrefs, total


def shown_sections(page) -> list[list[str]]:
    """For each result page in order, the hrefs Material shows for it (page first, then its sections)."""
    return page.eval_on_selector_all(
        ".md-search-result__list > li.md-search-result__item",
        "lis => lis.map(li => Array.from(li.querySelectorAll(':scope > a.md-search-result__link'))"
        ".map(a => a.href))",
    )


@dataclass
class QueryResult:
    query: str
    expected: list[str]
    results: list[str] = field(default_factory=list)
    total: int = 0
    hit_rank: int | None = None  # 1-based rank of the first expected page
    held_out: bool = False

    @property
    def r5(self) -> bool:
        return self.hit_rank is not None and self.hit_rank <= 5

    @property
    def r10(self) -> bool:
        return self.hit_rank is not None and self.hit_rank <= 10

    @property
    def p1(self) -> bool:
        return self.hit_rank == 1


def load_queries(path: Path = QUERIES) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["queries"]


def _fragment(href: str) -> str:
    return unquote(urlsplit(href).fragment)


def evaluate(page, base_url: str, queries: list[dict]) -> list[QueryResult]:
    open_search(page, base_url)
    out = []
    for item in queries:
        expected = [normalise_expected(u) for u in item["expect"]]
        _hrefs, total = run_query(page, item["q"])
        groups = shown_sections(page)
        pages: list[str] = []
        shown: list[set[str]] = []
        for links in groups:
            if not links:
                continue
            p = page_path(links[0], base_url)
            if p in pages:
                continue
            pages.append(p)
            shown.append({f"{p}#{_fragment(h)}" for h in links[1:] if _fragment(h)})
        res = QueryResult(item["q"], expected, pages, total, held_out=bool(item.get("held_out")))
        for rank, (p, sections) in enumerate(zip(pages, shown, strict=True), 1):
            if any(e == p or e in sections for e in expected):
                res.hit_rank = rank
                break
        out.append(res)
    return out


def summarise(results: list[QueryResult], site: Path | None = None) -> dict:
    n = len(results) or 1
    summary = {
        "queries": len(results),
        "r_at_5": round(sum(r.r5 for r in results) / n, 3),
        "r_at_10": round(sum(r.r10 for r in results) / n, 3),
        "p_at_1": round(sum(r.p1 for r in results) / n, 3),
        "mean_results": round(sum(r.total for r in results) / n, 1),
        "max_results": max((r.total for r in results), default=0),
        "zero_results": sum(1 for r in results if r.total == 0),
    }
    if site is not None:
        index = site / "search" / "search_index.json"
        if index.exists():
            raw = index.read_bytes()
            summary["index_bytes"] = len(raw)
            summary["index_gzip_bytes"] = len(gzip.compress(raw, 9))
    return summary


def print_table(results: list[QueryResult], summary: dict, *, verbose: bool = False) -> None:
    print(f"{'':2} {'rank':>4} {'n':>4}  query → first result")
    for r in results:
        mark = "✓" if r.p1 else ("~" if r.r5 else "✗")
        first = r.results[0] if r.results else "-"
        rank = str(r.hit_rank) if r.hit_rank else "-"
        held = " [held out]" if r.held_out else ""
        print(f"{mark:2} {rank:>4} {r.total:>4}  {r.query}{held} → {first}")
        if verbose or not r.r5:
            print(f"{'':13}expected {', '.join(r.expected)}; got {', '.join(r.results[:10]) or 'nothing'}")
    print(json.dumps(summary, ensure_ascii=False))


def split_summaries(name: str, results: list[QueryResult], site: Path | None) -> dict[str, dict]:
    """Summaries of one query set; a set with held-out queries is also reported as tuned / held out."""
    out = {name: summarise(results, site)}
    held = [r for r in results if r.held_out]
    if held:
        out[f"{name} (tuned on)"] = summarise([r for r in results if not r.held_out])
        out[f"{name} (held out)"] = summarise(held)
    return out


def measure(site: Path, sets: dict[str, list[dict]], browser) -> tuple[dict[str, dict], dict[str, list]]:
    """Every query set on one built site: (summaries by set name, results by set name)."""
    summaries: dict[str, dict] = {}
    results: dict[str, list[QueryResult]] = {}
    with tempfile.TemporaryDirectory(prefix="casebook-recall-") as tmp:
        root = stage_site(site, Path(tmp))
        with serve(root) as base_url:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            try:
                for name, queries in sets.items():
                    results[name] = evaluate(page, base_url, queries)
                    summaries.update(split_summaries(name, results[name], site))
            finally:
                page.close()
    return summaries, results


def comparison(after: dict[str, dict], before: dict[str, dict] | None) -> str:
    """A table of R@5, P@1 and R@10 per set, before and after when both were measured."""
    head = f"{'set':28} {'n':>3}  " + ("before R@5  P@1  R@10 | " if before else "") + "after R@5  P@1  R@10"
    lines = [head]
    for name, s in after.items():
        row = f"{name:28} {s['queries']:>3}  "
        if before:
            b = before.get(name)
            row += (f"     {b['r_at_5']:.3f} {b['p_at_1']:.3f} {b['r_at_10']:.3f} | " if b else f"{'':24}| ")
        row += f"    {s['r_at_5']:.3f} {s['p_at_1']:.3f} {s['r_at_10']:.3f}"
        lines.append(row)
    sizes = []
    for label, summaries in (("before", before), ("after", after)):
        s = next((s for s in (summaries or {}).values() if "index_gzip_bytes" in s), None)
        if s:
            sizes.append(f"{label} {s['index_bytes']} bytes, {s['index_gzip_bytes']} gzip")
    if sizes:
        lines.append("search index: " + "; ".join(sizes))
    return "\n".join(lines)


def machine_state() -> str:
    """Load, cores and Python of the measuring machine (figures from a shared machine need it)."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    now = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    return f"load {load}; nproc {os.cpu_count()}; python {sys.version.split()[0]}; {now}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="an already built site folder (default: build one)")
    ap.add_argument("--before", type=Path, help="a second built site (e.g. of main) measured in the same run")
    ap.add_argument("--before-ref", metavar="GIT_REF", help="build this git ref's site and measure it as --before")
    ap.add_argument("--queries", type=Path, action="append",
                    help="a query file (repeatable; default: both sets, page phrases and readers' words)")
    ap.add_argument("--json", type=Path, help="write the full report here")
    ap.add_argument("--only", action="append", help="run only these queries (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    files = {p.stem: p for p in args.queries} if args.queries else dict(SETS)
    sets = {name: load_queries(path) for name, path in files.items()}
    if args.only:
        picked = [q for qs in sets.values() for q in qs if q["q"] in args.only]
        sets = {"only": picked or [{"q": q, "expect": []} for q in args.only]}
    with tempfile.TemporaryDirectory(prefix="casebook-site-") as tmp:
        site = args.site or build_site(Path(tmp))
        before_site = build_ref(args.before_ref, Path(tmp) / "before") if args.before_ref else args.before
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                before = measure(before_site, sets, browser)[0] if before_site else None
                after, results = measure(site, sets, browser)
            finally:
                browser.close()
    for name, res in results.items():
        print(f"\n== {name} ({files.get(name, '')})")
        print_table(res, after[name], verbose=args.verbose)
    print()
    print(comparison(after, before))
    print(machine_state())
    if args.json:
        report = {"after": after, "before": before,
                  "results": {name: [{**asdict(r), "r5": r.r5, "r10": r.r10, "p1": r.p1} for r in res]
                              for name, res in results.items()}}
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
