"""Benchmark the PDF report: render time, pages/s and peak RSS, next to WeasyPrint alone on the same HTML.

    .venv/bin/python scripts/bench_report.py                 # shipped corpus + 200 synthetic case studies
    .venv/bin/python scripts/bench_report.py --cases 50      # a smaller synthetic corpus
    .venv/bin/python scripts/bench_report.py --no-synthetic  # shipped corpus only

Every measurement runs in its own child process so peak RSS is that render's alone. The synthetic corpus
is made in a temporary folder by cloning the project's case studies (the fixture's when the project has
none) with deterministic variations of ids, titles, scores and measured values. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
FIXTURE = PROJECT / "tests" / "fixtures" / "corpus"


# -- synthetic corpus -----------------------------------------------------------------------------------
def make_synthetic(source: Path, target: Path, count: int) -> Path:
    """Copy ``source``'s catalogue and report templates; make ``count`` case studies from its cases."""
    shutil.copytree(source / "content" / "catalog", target / "content" / "catalog")
    templates = source / "templates" / "report"
    if templates.is_dir():
        shutil.copytree(templates, target / "templates" / "report")
    cases = sorted((source / "casestudies").glob("*/case.yaml"))
    if not cases:
        raise SystemExit(f"no case studies under {source}/casestudies")
    originals = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in cases]
    for i in range(count):
        base = originals[i % len(originals)]
        case = _vary(copy.deepcopy(base), i)
        folder = target / "casestudies" / case["id"]
        folder.mkdir(parents=True)
        src_folder = cases[i % len(cases)].parent
        for img in case.get("images", []):
            dest = folder / img["path"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src_folder / img["path"], dest)
        (folder / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return target


def _vary(case: dict, i: int) -> dict:
    case["id"] = f"synthetic-{i + 1:03d}-{case['id']}"[:60].rstrip("-")
    case["title"]["ja"] = f"{case['title']['ja']}（合成 {i + 1:03d}）"
    if case["title"].get("en"):
        case["title"]["en"] = f"{case['title']['en']} (synthetic {i + 1:03d})"
    for k, a in enumerate(case.get("assessments", [])):
        shift = (i + k) % 3 - 1  # -1, 0, +1
        inh, res = a["inherent"], a["residual"]
        inh["likelihood"] = min(5, max(1, inh["likelihood"] + shift))
        res["likelihood"] = min(inh["likelihood"], max(1, res["likelihood"] + ((i + 2 * k) % 3) - 1))
        res["impact"] = min(res["impact"], inh["impact"])
        for e in a.get("evaluations", []):
            factor = 1 + ((i * 7 + k) % 11 - 5) / 50  # ±10%
            for key in ("before", "after"):
                value = e[key] * factor
                e[key] = round(min(value, 1.0) if 0 <= e[key] <= 1 else value, 4)
    return case


# -- children -------------------------------------------------------------------------------------------
def child_casebook(root: Path, out: Path) -> dict:
    from casebook.report import render_report
    from casebook.validate import validate

    start = time.perf_counter()
    result = validate(root)
    if result.corpus is None:
        raise SystemExit(f"{root} does not validate: {len(result.report.errors)} error(s)")
    validated = time.perf_counter()
    info = render_report(result.corpus, out)
    end = time.perf_counter()
    return {"seconds": end - start, "validate": validated - start, "render": end - validated,
            "pages": info.pages}


def child_html(root: Path, out: Path) -> dict:
    from casebook.report.html import build_html, templates_dir
    from casebook.validate import validate

    corpus = validate(root).corpus
    html, _ = build_html(corpus)
    out.write_text(html, encoding="utf-8")
    return {"templates": str(templates_dir(corpus.root))}


def child_weasyprint(html_file: Path, css: Path, base: Path, out: Path) -> dict:
    import weasyprint

    start = time.perf_counter()
    doc = weasyprint.HTML(filename=str(html_file), base_url=base.as_uri() + "/")
    rendered = doc.render(stylesheets=[weasyprint.CSS(filename=str(css))], pdf_variant="pdf/ua-1", pdf_tags=True)
    rendered.write_pdf(out, pdf_variant="pdf/ua-1", pdf_tags=True)
    return {"seconds": time.perf_counter() - start, "pages": len(rendered.pages)}


def run_child(*args: str, pythonpath: Path | None = None) -> dict:
    """Run this script as a child; return its JSON answer plus its own peak RSS (MB).

    ``pythonpath``: another ``casebook`` source tree (e.g. a git ref's, before an optimisation) shadows ours.
    """
    env = dict(os.environ, PYTHONPATH=str(pythonpath)) if pythonpath is not None else None
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = proc.stdout.read(), proc.stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{err[-2000:]}")
    answer = json.loads(out.strip().splitlines()[-1])
    answer["rss_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    if args[0] in ("casebook", "weasyprint"):
        answer["bytes"] = Path(args[-1]).stat().st_size  # the PDF it wrote
    return answer


def bench(name: str, root: Path, work: Path, cases: int | None = None) -> None:
    work.mkdir(parents=True, exist_ok=True)
    ours = run_child("casebook", str(root), str(work / "report.pdf"))
    info = run_child("html", str(root), str(work / "report.html"))
    templates = Path(info["templates"])
    alone = run_child("weasyprint", str(work / "report.html"), str(templates / "report.css"), str(root),
                      str(work / "weasyprint.pdf"))
    pages = ours["pages"]
    print(f"\n## {name}  ({root})")
    print(f"  casebook   : {ours['seconds']:7.2f} s total (validate {ours['validate']:.2f} s, render "
          f"{ours['render']:.2f} s)  {pages} pages  {pages / ours['render']:6.1f} pages/s (render)  "
          f"{pages / ours['seconds']:6.1f} pages/s (total)  peak RSS {ours['rss_mb']:7.1f} MB")
    print(f"  weasyprint : {alone['seconds']:7.2f} s            {alone['pages']} pages  "
          f"{alone['pages'] / alone['seconds']:6.1f} pages/s           peak RSS {alone['rss_mb']:7.1f} MB")
    per_page = max(ours["rss_mb"] - 100, 0) / pages
    print(f"  scale      : {per_page:.2f} MB of peak RSS per page above a ~100 MB base"
          + (f", {pages / cases:.1f} pages per case study" if cases else ""))
    print(f"  overhead   : render {ours['render'] / alone['seconds']:.2f}×, total "
          f"{ours['seconds'] / alone['seconds']:.2f}× WeasyPrint alone")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *args = sys.argv[2:]
        paths = [Path(a) for a in args]
        answer = {"casebook": child_casebook, "html": child_html, "weasyprint": child_weasyprint}[kind](*paths)
        print(json.dumps(answer))
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", type=Path, default=PROJECT, help="project to benchmark (default: this one)")
    p.add_argument("--cases", type=int, default=200, help="case studies in the synthetic corpus")
    p.add_argument("--no-synthetic", action="store_true", help="benchmark the shipped corpus only")
    p.add_argument("--source", choices=["fixture", "project"], default="fixture",
                   help="clone the fixture's small case (default) or the project's own case studies")
    p.add_argument("--keep", type=Path, help="keep the outputs (and the synthetic corpus) in this folder")
    args = p.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as tmp:
        work = args.keep or Path(tmp)
        bench("shipped corpus", args.root.resolve(), work / "shipped")
        if not args.no_synthetic:
            project_cases = any((args.root / "casestudies").glob("*/case.yaml"))
            source = args.root if args.source == "project" and project_cases else FIXTURE
            synthetic = make_synthetic(source.resolve(), work / f"synthetic-{args.cases}", args.cases)
            bench(f"synthetic corpus, {args.cases} case studies cloned from {source.name}", synthetic,
                  work / f"synthetic-{args.cases}-out", args.cases)


if __name__ == "__main__":
    main()
