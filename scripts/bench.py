#!/usr/bin/env python3
"""Every performance figure of issue 7 in one run: a table with the targets, and optionally JSON.

    .venv/bin/python scripts/bench.py --quick               # under two minutes; smaller N (it says which)
    .venv/bin/python scripts/bench.py                       # the issue's N (about 30 minutes on 2 cores)
    .venv/bin/python scripts/bench.py --json bench.json     # also write every figure and run to a file
    .venv/bin/python scripts/bench.py --only site,serve     # some sections only
    .venv/bin/python scripts/bench.py --only site,serve --baseline 4b5908b   # before/after, same run

Sections (each several runs; medians; ratios measured in this same run):

- validate — ``casebook validate`` (CLI wall) on 1,000 copies of the largest shipped case study and on
             1,000 generated ones, next to the floor — libyaml alone composing the same bytes in 1 and 2
             processes, interleaved in each run (``scripts/bench_validate.py``);
- site     — the plugin's build vs a plain ``mkdocs build`` of the same generated Markdown
             (``scripts/bench_site.py``), on the shipped project and, in full mode, 200 synthetic cases
             (``scripts/synth_corpus.py``); search index size and a case-study page's transfer size;
- pdf      — ``render_report`` vs WeasyPrint alone on the same HTML, N = 10 and 200 synthetic case
             studies: time, pages/s, peak RSS (``scripts/bench_report.py``'s child processes);
- serve    — save one case.yaml → the rebuilt page under ``casebook serve`` (``scripts/bench_serve.py``);
- search   — R@5 / P@1 / R@10 of the site's search box in headless Chromium on the page-phrase and the
             readers' words query sets, held-out part apart (``scripts/search_recall.py``); with
             ``--baseline`` the baseline's whole site is built and measured in the same run.

Every figure is printed with the machine state of its runs (load average, CPU count, Python version; a
warning when the load exceeded 1.5 per core): absolute times on a shared machine move with the load, so
each figure also has a ratio measured in the same run, runs interleaved (``scripts/bench_machine.py``).

Prints PASS/MISS next to each target; asserts nothing and exits 0 unless something crashes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import bench_machine  # noqa: E402
import bench_report  # noqa: E402
import bench_serve  # noqa: E402
import bench_site  # noqa: E402
from synth_corpus import write_project  # noqa: E402

FULL = {"validate_n": [1000], "validate_runs": 5, "site_n": 200, "site_runs": 3, "pdf_n": [10, 200],
        "pdf_runs": 3, "serve_edits": 5}
QUICK = {"validate_n": [300], "validate_runs": 3, "site_n": None, "site_runs": 2, "pdf_n": [5],
         "pdf_runs": 2, "serve_edits": 3}
SECTIONS = ("validate", "site", "pdf", "serve", "search")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def med(values: list[float]) -> float:
    return statistics.median(values)


# -- sections -------------------------------------------------------------------------------------------
def run_validate(ns: list[int], runs: int, work: Path, baseline: Path | None = None) -> list[dict]:
    import bench_validate

    out = []
    for n in ns:
        for corpus in bench_validate.CORPORA:
            root = bench_validate.make(corpus, n, work / f"validate-{corpus}-{n}")
            log(f"  validate {corpus} N={n}")
            r = bench_validate.bench(root, runs, baseline, log=lambda m: log("  " + m))
            out.append({"n": n, "corpus": corpus, **r})
            shutil.rmtree(root, ignore_errors=True)
    return out


def run_site(n: int | None, runs: int, work: Path, baseline: Path | None = None) -> dict:
    out = {}
    log("  site: shipped project")
    out["shipped"] = bench_site.bench(ROOT, work / "site-shipped", runs, log=lambda m: log("  " + m),
                                      baseline=baseline)
    if n:
        root = write_project(n, work / f"site-{n}" / "project")
        log(f"  site: {n} synthetic case studies")
        out["synthetic"] = bench_site.bench(root, work / f"site-{n}", runs, log=lambda m: log("  " + m),
                                            baseline=baseline)
        out["synthetic"]["n"] = n
    return out


def run_pdf(ns: list[int], runs: int, work: Path, baseline: Path | None = None) -> list[dict]:
    """The report in parts (ours, and the baseline's) next to one WeasyPrint render of the same HTML:
    time, peak RSS, file size; runs interleaved."""
    out = []
    for n in ns:
        root = write_project(n, work / f"pdf-{n}" / "project")
        w = work / f"pdf-{n}" / "out"
        w.mkdir()
        info = bench_report.run_child("html", str(root), str(w / "report.html"))
        css = str(Path(info["templates"]) / "report.css")
        ours, alone, before = [], [], []
        for i in range(runs):
            if baseline is not None:
                before.append(bench_report.run_child("casebook", str(root), str(w / "before.pdf"),
                                                     pythonpath=baseline))
            ours.append(bench_report.run_child("casebook", str(root), str(w / "report.pdf")))
            alone.append(bench_report.run_child("weasyprint", str(w / "report.html"), css, str(root),
                                                str(w / "weasyprint.pdf")))
            log(f"  pdf N={n} run {i + 1}/{runs}: casebook {ours[-1]['seconds']:.1f} s "
                f"({ours[-1]['pages']} pages, {ours[-1]['rss_mb']:.0f} MB, {ours[-1]['bytes'] / 1e6:.2f} MB file), "
                f"WeasyPrint alone {alone[-1]['seconds']:.1f} s ({alone[-1]['rss_mb']:.0f} MB, "
                f"{alone[-1]['bytes'] / 1e6:.2f} MB file)"
                + (f", before {before[-1]['seconds']:.1f} s ({before[-1]['rss_mb']:.0f} MB, "
                   f"{before[-1]['bytes'] / 1e6:.2f} MB file)" if before else "")
                + f"  [{bench_machine.text()}]")
        pages = ours[0]["pages"]
        r = {"n": n, "runs": runs, "pages": pages,
             "seconds": med([o["seconds"] for o in ours]), "render_s": med([o["render"] for o in ours]),
             "rss_mb": med([o["rss_mb"] for o in ours]), "max_rss_mb": max(o["rss_mb"] for o in ours),
             "bytes": ours[-1]["bytes"], "weasyprint_bytes": alone[-1]["bytes"],
             "weasyprint_s": med([a["seconds"] for a in alone]), "weasyprint_rss_mb": med([a["rss_mb"] for a in alone]),
             "all": {"casebook": ours, "weasyprint": alone, "before": before}}
        if before:
            r["before"] = {"seconds": med([b["seconds"] for b in before]), "rss_mb": med([b["rss_mb"] for b in before]),
                           "bytes": before[-1]["bytes"]}
        r["pages_per_s"] = pages / r["seconds"]
        r["render_pages_per_s"] = pages / r["render_s"]
        r["ratio"] = r["seconds"] / r["weasyprint_s"]
        r["rss_ratio"] = r["rss_mb"] / r["weasyprint_rss_mb"]
        r["size_ratio"] = r["bytes"] / r["weasyprint_bytes"]
        out.append(r)
        shutil.rmtree(work / f"pdf-{n}", ignore_errors=True)
    return out


def run_serve(edits: int, baseline: Path | None = None) -> dict:
    out = {}
    if baseline is not None:
        log("  serve with the baseline code")
        out["baseline"] = bench_serve.bench(ROOT, edits, log=lambda m: log("  " + m), pythonpath=baseline)
    out.update(bench_serve.bench(ROOT, edits, log=lambda m: log("  " + m)))
    return out


def run_search(work: Path, baseline_ref: str | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    import search_recall

    sets = {name: search_recall.load_queries(path) for name, path in search_recall.SETS.items()}
    site = search_recall.build_site(work / "search-site")
    before_site = search_recall.build_ref(baseline_ref, work / "search-before") if baseline_ref else None
    with sync_playwright() as pw:
        browser = search_recall.launch(pw)
        try:
            before = search_recall.measure(before_site, sets, browser)[0] if before_site else None
            after = search_recall.measure(site, sets, browser)[0]
        finally:
            browser.close()
    return {"after": after, "before": before}


def checkout_src(ref: str, work: Path) -> Path:
    """``src/`` (and ``templates/`` of older refs) of git ``ref`` extracted under ``work``; returns the src folder."""
    import subprocess

    dest = work / "baseline"
    dest.mkdir()
    # Before the templates moved into the package they sat at the top of the tree.
    old_layout = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{ref}:templates"],
                                capture_output=True).returncode == 0
    paths = ["src", "templates"] if old_layout else ["src"]
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, *paths], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest / "src"


# -- the table ------------------------------------------------------------------------------------------
def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "MISS")


def rows(res: dict, quick: bool) -> list[tuple[str, ...]]:
    """(figure, value, same-run comparison, target, verdict, machine state)."""
    out = []
    states = res.get("states", {})
    for v in res.get("validate", []):
        m = v["median"]
        before = (f"; before {m['before']:.2f} s = {v['before_per_floor2']:.2f}× floor, after/before "
                  f"{v['after_per_before']:.2f}× (CPU {v['after_per_before_cpu']:.2f}×)" if "before" in m else "")
        before = f"; CPU {v['cli_cpu_per_floor_cpu']:.2f}× the floor's CPU" + before
        out.append((f"validate CLI, {v['corpus']} N={v['n']} ({v['files']} files, {v['mb']:.0f} MB)",
                    f"{m['cli']:.2f} s", f"{v['cli_per_floor2']:.2f}× libyaml floor ×2 procs ({m['floor2']:.2f} s; "
                    f"×1 {m['floor1']:.2f} s){before}", "< 2 s", verdict(m["cli"] < 2), _short(v["state"])))
    start = len(out)
    site = res.get("site", {})
    for key, label in (("shipped", "shipped"), ("synthetic", f"N={site.get('synthetic', {}).get('n')}")):
        s = site.get(key)
        if not s:
            continue
        before = (f"; before {s['baseline_s']:.2f} s = {s['baseline_ratio']:.2f}×" if "baseline_s" in s else "")
        out.append((f"site build {label}: plugin / plain mkdocs", f"{s['plugin_s']:.2f} s / {s['plain_s']:.2f} s",
                    f"{s['ratio']:.2f}× (search cache warm); cold {s['cold_s']:.2f} s = {s['cold_ratio']:.2f}×"
                    f"{before}", "≤ 1.15×", verdict(s["ratio"] <= 1.15)))
    if site.get("shipped"):
        s = site["shipped"]
        si, cp = s["search_index"], s["case_page"]
        out.append(("search index, shipped (raw / gzip)", f"{si['raw'] / 1024:.0f} KB / {si['gzip'] / 1024:.0f} KB",
                    f"plain mkdocs {s['search_index_plain']['gzip'] / 1024:.0f} KB gzip", "< 150 KB gzip",
                    verdict(si["gzip"] < 150 * 1024)))
        out.append(("case-study page transfer, first visit",
                    f"{cp['raw'] / 1024:.0f} KB / {cp['gzip'] / 1024:.0f} KB gzip",
                    f"HTML {cp['html_raw'] / 1024:.0f} KB + {cp['assets']} CSS/JS", "", ""))
    if site.get("synthetic"):
        s = site["synthetic"]
        si = s["search_index"]
        out.append((f"search index, N={s['n']} (raw / gzip)", f"{si['raw'] / 1024:.0f} KB / {si['gzip'] / 1024:.0f} KB",
                    f"plain mkdocs {s['search_index_plain']['gzip'] / 1024:.0f} KB gzip", "", ""))
    out[start:] = [(*r, _short(states.get("site"))) for r in out[start:]]
    start = len(out)
    for p in res.get("pdf", []):
        target = p["n"] == 200
        out.append((f"PDF N={p['n']} ({p['pages']} pages): time", f"{p['seconds']:.1f} s",
                    f"{p['ratio']:.2f}× WeasyPrint alone ({p['weasyprint_s']:.1f} s)", "", ""))
        out.append((f"PDF N={p['n']}: pages/s (render only)", f"{p['pages_per_s']:.1f} ({p['render_pages_per_s']:.1f})",
                    f"WeasyPrint alone {p['pages'] / p['weasyprint_s']:.1f}", "≥ 5 at N=200" if target else "",
                    verdict(p["pages_per_s"] >= 5) if target else ""))
        b = p.get("before")
        out.append((f"PDF N={p['n']}: peak RSS", f"{p['rss_mb']:.0f} MB",
                    f"{p['rss_ratio']:.2f}× WeasyPrint alone ({p['weasyprint_rss_mb']:.0f} MB)"
                    + (f"; before {b['rss_mb']:.0f} MB" if b else ""),
                    "< 2 GB at N=200" if target else "", verdict(p["max_rss_mb"] < 2048) if target else ""))
        out.append((f"PDF N={p['n']}: file size", f"{p['bytes'] / 1e6:.2f} MB",
                    f"{p['size_ratio']:.2f}× one WeasyPrint render ({p['weasyprint_bytes'] / 1e6:.2f} MB)"
                    + (f"; before {b['bytes'] / 1e6:.2f} MB" if b else ""), "≤ 1.10×",
                    verdict(p["size_ratio"] <= 1.10)))
    out[start:] = [(*r, _short(states.get("pdf"))) for r in out[start:]]
    start = len(out)
    if res.get("serve"):
        s = res["serve"]
        before = f"; before {s['baseline']['page_s']:.2f} s" if "baseline" in s else ""
        out.append(("serve: save → rebuilt page (shipped)", f"{s['page_s']:.2f} s",
                    f"live reload {s['reload_s']:.2f} s{before}; initial build {s['startup_s']:.1f} s", "< 3 s",
                    verdict(s["page_s"] < 3)))
    out[start:] = [(*r, _short(states.get("serve"))) for r in out[start:]]
    start = len(out)
    if quick:
        missing = []
        if not any(v["n"] >= 1000 for v in res.get("validate", [])) and "validate" in res:
            missing.append("validate N=1000")
        if "pdf" in res and not any(p["n"] == 200 for p in res["pdf"]):
            missing.append("PDF at N=200")
        for m in missing:
            out.append((m, "not measured (quick mode)", "", "", verdict(None), ""))
    return out


def _short(state: dict | None) -> str:
    if not state:
        return ""
    return f"load {state['load'][0]:.1f}/{state['cpus']} CPUs" + (" BUSY" if state["busy"] else "")


def table(rs: list[tuple[str, ...]]) -> str:
    head = ("figure", "median", "same-run comparison", "target", "", "machine (1-min load)")
    widths = [max(len(r[i]) for r in [head, *rs]) for i in range(6)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([line(head), line(tuple("-" * w for w in widths)), *map(line, rs)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller N and fewer runs: under two minutes")
    ap.add_argument("--json", type=Path, help="write every figure (and each run) to this JSON file")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}")
    ap.add_argument("--runs", type=int, help="override the number of runs of every section")
    ap.add_argument("--baseline", metavar="GIT_REF", help="also time every figure with the code of this git ref "
                    "(before an optimisation), alternating with the current code in the same run")
    ap.add_argument("--validate-n", type=int, nargs="+", help="case studies for the validate figures")
    ap.add_argument("--pdf-n", type=int, nargs="+", help="case studies for the PDF figures")
    ap.add_argument("--site-n", type=int, help="synthetic case studies for the site figure (0: shipped only)")
    args = ap.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    plan = dict(QUICK if args.quick else FULL)
    for key in ("validate_n", "pdf_n", "site_n"):
        if getattr(args, key) is not None:
            plan[key] = getattr(args, key) or None
    if args.runs:
        for key in ("validate_runs", "site_runs", "pdf_runs", "serve_edits"):
            plan[key] = args.runs
    started = time.perf_counter()
    meta = {"date": dt.datetime.now().isoformat(timespec="seconds"), "mode": "quick" if args.quick else "full",
            "python": sys.version.split()[0], "machine": f"{platform.system()} {platform.machine()}",
            "cpus": os.cpu_count(), "load_average_start": os.getloadavg(), "plan": plan, "sections": only}
    log(f"casebook bench ({meta['mode']}): python {meta['python']}, {meta['machine']}, {meta['cpus']} CPUs, "
        f"load average at start {', '.join(f'{x:.2f}' for x in meta['load_average_start'])}")
    res: dict = {"meta": meta}
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as tmp:
        work = Path(tmp)
        baseline = checkout_src(args.baseline, work) if args.baseline else None
        meta["baseline"] = args.baseline
        states = res["states"] = {}
        if "validate" in only:
            log("validate …")
            res["validate"] = run_validate(plan["validate_n"], plan["validate_runs"], work, baseline)
        for name, run in (("site", lambda: run_site(plan["site_n"], plan["site_runs"], work, baseline)),
                          ("pdf", lambda: run_pdf(plan["pdf_n"], plan["pdf_runs"], work, baseline)),
                          ("serve", lambda: run_serve(plan["serve_edits"], baseline))):
            if name in only:
                log(f"{name} …  [{bench_machine.text()}]")
                before = bench_machine.state()
                res[name] = run()
                states[name] = bench_machine.merged([before, bench_machine.state()])
        if "search" in only:
            log("search …")
            res["search"] = run_search(work, args.baseline)
    meta["seconds"] = time.perf_counter() - started
    meta["load_average_end"] = os.getloadavg()
    print(f"\nCasebook benchmarks — {meta['mode']} mode, {meta['date']}, {meta['machine']}, {meta['cpus']} CPUs, "
          f"python {meta['python']}; load average at start "
          f"{', '.join(f'{x:.2f}' for x in meta['load_average_start'])}; took {meta['seconds']:.0f} s")
    if args.quick:
        print(f"QUICK MODE used smaller N than issue 7: PDF N={plan['pdf_n']} (full: 10 and 200); site on the "
              f"shipped project only (full: also 200 synthetic case studies); validate N={plan['validate_n']} "
              f"(full: 1000); fewer runs. Run without --quick for the issue's N.")
    print(f"medians of several runs per figure: validate {plan['validate_runs']}, site {plan['site_runs']}, "
          f"pdf {plan['pdf_runs']}, serve {plan['serve_edits']} edits\n")
    print(table(rows(res, args.quick)))
    if "search" in res:
        import search_recall

        print("\nsearch (R@5 / P@1 / R@10 through the search box, headless Chromium)")
        print(search_recall.comparison(res["search"]["after"], res["search"]["before"]))
        print(search_recall.machine_state())
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
