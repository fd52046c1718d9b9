#!/usr/bin/env python3
"""Site build time with the casebook plugin next to a plain ``mkdocs build`` of the same Markdown.

    .venv/bin/python scripts/bench_site.py                 # 200 synthetic case studies, 3 runs each
    .venv/bin/python scripts/bench_site.py --n 30 --runs 3
    .venv/bin/python scripts/bench_site.py --shipped       # the shipped project itself

The synthetic project comes from ``scripts/synth_corpus.py`` (``write_project``). The plugin build is the
real one (:func:`casebook.mkdocs_build.build_site`). The plain build uses a copy of ``content/`` into which
the plugin's generated pages, data downloads and images are written as ordinary files, and a copy of
``mkdocs.yml`` without the ``casebook`` plugin (search keeps its options, mkdocstrings stays), so the ratio
isolates the plugin: validation, page generation and the search index post-processing. Each build runs in
a fresh Python process (imports included, as a user's ``mkdocs build`` would); the runs alternate and the
medians are compared. The plugin is timed twice per run: with the search cache warm (its folder filled
by one untimed build first, as on a rebuild) and cold (an empty folder each time, as on a fresh CI
runner); both are printed. Also prints the search index size (raw and gzip) and the transfer size of one
case-study page: its HTML plus the same-origin CSS and JS it loads on a first visit. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import bench_machine  # noqa: E402
from synth_corpus import write_project  # noqa: E402

PY = sys.executable
_PLUGIN_BUILD = ("import sys; from pathlib import Path; from casebook.mkdocs_build import build_site; "
                 "build_site(Path(sys.argv[1]), Path(sys.argv[2]), strict=False)")


def _env(pythonpath: Path | None = None, cache: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if cache is not None:  # the search cache (casebook.search.cache_file) in this folder
        env["CASEBOOK_CACHE_DIR"] = str(cache)
    if pythonpath is not None:  # another casebook source tree (e.g. before an optimisation) shadows ours
        env["PYTHONPATH"] = str(pythonpath)
    env.pop("CASEBOOK_SITE_URL", None)
    env.pop("CASEBOOK_EDIT_BASE", None)
    return env


def without_casebook_plugin(text: str) -> str:
    """``mkdocs.yml`` text with the ``- casebook:`` plugin entry (and its option lines) removed."""
    out: list[str] = []
    skipping, indent = False, 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip(" ")
        here = len(line) - len(stripped)
        if not skipping and re.match(r"- casebook\s*:?\s*$", stripped.rstrip("\n")):
            skipping, indent = True, here
            continue
        if skipping:
            if stripped.strip() == "" or here > indent:
                continue
            skipping = False
        out.append(line)
    return "".join(out)


def make_plain(root: Path, plain: Path) -> Path:
    """A copy of ``root`` whose content/ holds the generated files and whose mkdocs.yml has no casebook."""
    from casebook import site
    from casebook.validate import validate

    result = validate(root)
    if result.corpus is None:
        raise SystemExit(f"{root} does not validate: {len(result.report.errors)} error(s)")
    corpus = result.corpus
    for name in ("content", "overrides", "src"):
        if (root / name).is_dir():
            shutil.copytree(root / name, plain / name)
    docs = plain / "content"
    # The same pages with record HTML written in place of the markers (plain MkDocs has no fragment stash).
    written: dict[str, str | bytes] = {p.path: p.resolved() for p in site.render_pages(corpus)}
    written.update(site.exports(corpus))
    for path, content in written.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    for case in corpus.cases.values():
        for image in case.images:
            target = docs / "casestudies" / case.id / image.relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image.path, target)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    plain_config = without_casebook_plugin(config)
    if "casebook:" in plain_config.split("plugins:", 1)[-1].split("\nnav:", 1)[0]:
        raise SystemExit("could not remove the casebook plugin from mkdocs.yml")
    (plain / "mkdocs.yml").write_text(plain_config, encoding="utf-8")
    return plain


def _timed(cmd: list[str], cwd: Path, pythonpath: Path | None = None, cache: Path | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=_env(pythonpath, cache), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(cmd[:4])} …):\n{proc.stderr[-3000:]}")
    return elapsed


def plugin_build(root: Path, site_dir: Path, pythonpath: Path | None = None, cache: Path | None = None) -> float:
    shutil.rmtree(site_dir, ignore_errors=True)
    return _timed([PY, "-c", _PLUGIN_BUILD, str(root), str(site_dir)], root, pythonpath, cache)


def plain_build(plain: Path, site_dir: Path) -> float:
    shutil.rmtree(site_dir, ignore_errors=True)
    return _timed([PY, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(site_dir)],
                  plain)


# -- sizes ----------------------------------------------------------------------------------------------
def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))  # a web server's usual level


def index_size(site_dir: Path) -> dict:
    data = (site_dir / "search" / "search_index.json").read_bytes()
    docs = len(json.loads(data)["docs"])
    return {"raw": len(data), "gzip": gz(data), "docs": docs}


_ASSET = re.compile(r"""<(?:link[^>]*\brel=["']?stylesheet["']?[^>]*\bhref|script[^>]*\bsrc)=["']?([^"' >]+)""",
                    re.I)


def page_transfer(site_dir: Path, page: Path) -> dict:
    """Bytes of one page plus the same-origin CSS and JS it loads (raw and gzip each, then summed)."""
    html = page.read_bytes()
    files = {"html": (len(html), gz(html))}
    for ref in dict.fromkeys(_ASSET.findall(html.decode("utf-8"))):
        if re.match(r"^[a-z]+:|^//", ref, re.I):
            continue  # another origin: not counted
        path = (page.parent / ref.split("?")[0].split("#")[0]).resolve()
        if path.is_file() and site_dir.resolve() in path.parents:
            data = path.read_bytes()
            files[path.relative_to(site_dir.resolve()).as_posix()] = (len(data), gz(data))
    return {"raw": sum(r for r, _ in files.values()), "gzip": sum(g for _, g in files.values()),
            "html_raw": files["html"][0], "html_gzip": files["html"][1], "assets": len(files) - 1,
            "page": page.relative_to(site_dir).as_posix()}


def case_page(site_dir: Path) -> Path:
    pages = sorted((site_dir / "casestudies").glob("*/index.html"))
    if not pages:
        raise SystemExit(f"no case-study page under {site_dir}/casestudies")
    return pages[0]


# -- the benchmark --------------------------------------------------------------------------------------
def bench(root: Path, work: Path, runs: int, log=print, baseline: Path | None = None) -> dict:
    """Plugin build vs plain mkdocs on ``root`` (a project), ``runs`` alternating runs each; sizes.

    With ``baseline`` (a folder holding another ``casebook`` package, e.g. ``git archive`` of an earlier
    commit's ``src``) the plugin build is also timed with that code, in the same alternation.
    """
    plain = make_plain(root, work / "plain")
    ours, cold, theirs, before = [], [], [], []
    warm_cache = work / "cache-warm"
    plugin_build(root, work / "site-plugin", cache=warm_cache)  # fills the search cache; not timed
    for i in range(runs):
        state = bench_machine.state()
        if baseline is not None:
            before.append(plugin_build(root, work / "site-baseline", baseline))
        ours.append(plugin_build(root, work / "site-plugin", cache=warm_cache))
        cold.append(plugin_build(root, work / "site-cold", cache=work / f"cache-cold-{i}"))  # empty
        theirs.append(plain_build(plain, work / "site-plain"))
        log(f"  run {i + 1}/{runs}: plugin {ours[-1]:.2f} s (search cache cold {cold[-1]:.2f} s), plain mkdocs "
            f"{theirs[-1]:.2f} s" + (f", plugin before {before[-1]:.2f} s" if before else "")
            + f"  [{bench_machine.text(state)}]")
    site_dir = work / "site-plugin"
    result = {
        "runs": runs,
        "plugin_s": statistics.median(ours), "plain_s": statistics.median(theirs),
        "plugin_all": ours, "plain_all": theirs,
        "cold_s": statistics.median(cold), "cold_all": cold,
        "search_index": index_size(site_dir),
        "search_index_plain": index_size(work / "site-plain"),
        "case_page": page_transfer(site_dir, case_page(site_dir)),
    }
    result["ratio"] = result["plugin_s"] / result["plain_s"]
    result["cold_ratio"] = result["cold_s"] / result["plain_s"]
    if before:
        result["baseline_s"], result["baseline_all"] = statistics.median(before), before
        result["baseline_ratio"] = result["baseline_s"] / result["plain_s"]
        result["search_index_baseline"] = index_size(work / "site-baseline")
    return result


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def report(label: str, r: dict) -> None:
    si, cp = r["search_index"], r["case_page"]
    print(f"## {label}")
    print(f"  site build (median of {r['runs']}): plugin {r['plugin_s']:.2f} s, plain mkdocs {r['plain_s']:.2f} s"
          f" → {r['ratio']:.2f}× (target ≤ 1.15×); search cache cold {r['cold_s']:.2f} s → {r['cold_ratio']:.2f}×")
    if "baseline_s" in r:
        print(f"  before (baseline code, same run): plugin {r['baseline_s']:.2f} s → {r['baseline_ratio']:.2f}×")
    print(f"  search index: {kb(si['raw'])} raw, {kb(si['gzip'])} gzip ({si['docs']} entries; plain mkdocs "
          f"{kb(r['search_index_plain']['raw'])} raw, {kb(r['search_index_plain']['gzip'])} gzip)")
    print(f"  case-study page {cp['page']}: {kb(cp['raw'])} raw, {kb(cp['gzip'])} gzip first visit "
          f"(HTML {kb(cp['html_raw'])} / {kb(cp['html_gzip'])} gzip + {cp['assets']} CSS/JS files)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200, help="synthetic case studies (default 200)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each build; medians (default 3)")
    ap.add_argument("--shipped", action="store_true", help="benchmark the shipped project instead")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--baseline", type=Path, help="also time the plugin build with the casebook package "
                    "under this folder (e.g. an earlier commit's src/, from git archive)")
    args = ap.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="casebook-bench-site-") as tmp:
        work = Path(tmp)
        if args.shipped:
            root, label = ROOT, "shipped project"
        else:
            root, label = write_project(args.n, work / "project"), f"synthetic project, {args.n} case studies"
        result = bench(root, work, args.runs, baseline=args.baseline)
    report(label, result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
