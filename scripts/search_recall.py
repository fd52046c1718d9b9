#!/usr/bin/env python3
"""Measure the site's real search (Material for MkDocs + lunr in headless Chromium) on reader queries.

For each query in ``tests/search_queries.yaml`` the script types into ``input.md-search__input`` exactly
as a reader would, waits for the search worker's answer and records:

- R@10: an expected page is among the first 10 result pages,
- P@1: the first result page is an expected page,
- the result-list length (pages listed by Material).

It prints a table, a summary and (``--json``) a JSON report. The site is built with ``mkdocs build`` into a
temporary folder and served from ``http://127.0.0.1:<port>/casebook/`` (a sub-path, as on an intranet),
unless ``--site DIR`` names an already built site.

Usage::

    .venv/bin/python scripts/search_recall.py                # build, measure, print
    .venv/bin/python scripts/search_recall.py --site site --json /tmp/recall.json
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


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (random port); yield the base URL of the site's sub-path."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
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
    path = url.split("#", 1)[0].lstrip("/")
    if path and not path.endswith("/") and not path.endswith(".html"):
        path += "/"
    return path


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
        ".md-search-result__list > li.md-search-result__item > a.md-search-result__link",
        "els => els.map(e => e.href)",
    )
    digits = "".join(ch for ch in meta if ch.isdigit())
    total = int(digits) if digits else 0
    return hrefs, total


@dataclass
class QueryResult:
    query: str
    expected: list[str]
    results: list[str] = field(default_factory=list)
    total: int = 0
    hit_rank: int | None = None  # 1-based rank of the first expected page

    @property
    def r10(self) -> bool:
        return self.hit_rank is not None and self.hit_rank <= 10

    @property
    def p1(self) -> bool:
        return self.hit_rank == 1


def load_queries(path: Path = QUERIES) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["queries"]


def evaluate(page, base_url: str, queries: list[dict]) -> list[QueryResult]:
    open_search(page, base_url)
    out = []
    for item in queries:
        expected = [normalise_expected(u) for u in item["expect"]]
        hrefs, total = run_query(page, item["q"])
        pages = []
        for href in hrefs:
            p = page_path(href, base_url)
            if p not in pages:
                pages.append(p)
        res = QueryResult(item["q"], expected, pages, total)
        for rank, p in enumerate(pages, 1):
            if p in expected:
                res.hit_rank = rank
                break
        out.append(res)
    return out


def summarise(results: list[QueryResult], site: Path | None = None) -> dict:
    n = len(results) or 1
    summary = {
        "queries": len(results),
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
        mark = "✓" if r.p1 else ("~" if r.r10 else "✗")
        first = r.results[0] if r.results else "-"
        rank = str(r.hit_rank) if r.hit_rank else "-"
        print(f"{mark:2} {rank:>4} {r.total:>4}  {r.query} → {first}")
        if verbose or not r.r10:
            print(f"{'':13}expected {', '.join(r.expected)}; got {', '.join(r.results[:10]) or 'nothing'}")
    print(json.dumps(summary, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="an already built site folder (default: build one)")
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--json", type=Path, help="write the full report here")
    ap.add_argument("--only", action="append", help="run only these queries (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    queries = load_queries(args.queries)
    if args.only:
        queries = [q for q in queries if q["q"] in args.only] or [{"q": q, "expect": []} for q in args.only]
    with tempfile.TemporaryDirectory(prefix="casebook-recall-") as tmp:
        if args.site:
            site = args.site
            root = stage_site(site, Path(tmp))
        else:
            site = build_site(Path(tmp))
            root = Path(tmp)
        with serve(root) as base_url, sync_playwright() as pw:
            browser = launch(pw)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                results = evaluate(page, base_url, queries)
            finally:
                browser.close()
        summary = summarise(results, site)
    print_table(results, summary, verbose=args.verbose)
    if args.json:
        report = {"summary": summary, "results": [{**asdict(r), "r10": r.r10, "p1": r.p1} for r in results]}
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
