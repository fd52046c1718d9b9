#!/usr/bin/env python3
"""`casebook validate` on N case studies, next to the floor: libyaml alone parsing the same bytes.

Two corpora from ``scripts/synth_corpus.py``: ``copies`` (the largest shipped case study copied N times,
byte for byte but its id and titles) and ``synth`` (N generated variants of the shipped cases). For each,
interleaved in every run (floor, floor, CLI, [baseline CLI]), medians of ``--runs``:

- floor ×1 — one process reads every YAML file validate reads and composes it with libyaml
  (``yaml.compose`` with ``CSafeLoader``: the parse tree, no Python objects built from it);
- floor ×2 — the same over a pool of 2 forked processes (pool start-up included, as validate pays it);
- CLI      — ``casebook validate`` run in the project folder as a user would, in a fresh process (imports,
             discovery, every check, the report) — wall time;
- before   — with ``--baseline REF``, the same CLI with the code of git ``REF`` (``bench.checkout_src``).

Each is timed as wall time and as CPU seconds of all its processes (the CLI's workers included): on a
shared machine the wall time moves with other people's load, the CPU seconds much less.

Prints each figure with the machine state, and CLI / floor ratios. Asserts nothing.

    .venv/bin/python scripts/bench_validate.py                     # N = 1000, 3 runs, both corpora
    .venv/bin/python scripts/bench_validate.py --n 200 --runs 5 --corpus copies
    .venv/bin/python scripts/bench_validate.py --baseline main     # before/after in the same run
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import bench_machine  # noqa: E402
from synth_corpus import write_copies, write_project  # noqa: E402

CORPORA = ("copies", "synth")


def yaml_files(root: Path) -> list[Path]:
    """The files `casebook validate` parses: every catalogue and every case.yaml."""
    return sorted((root / "content" / "catalog").rglob("*.yaml")) + sorted(root.glob("casestudies/*/case.yaml"))


def _compose(path: str) -> int:
    text = Path(path).read_bytes().decode("utf-8").removeprefix("\ufeff")
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    return 0 if node is None else len(node.value)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every waited-for descendant, workers included
    return usage.ru_utime + usage.ru_stime


def floor(files: list[Path], procs: int) -> tuple[float, float]:
    """Wall seconds for libyaml to compose every file in ``procs`` processes (pool start-up included), and
    the CPU seconds they used (all processes)."""
    names = [str(p) for p in files]
    start, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    if procs == 1:
        for name in names:
            _compose(name)
    else:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            pool.map(_compose, names, chunksize=max(1, len(names) // (procs * 4)))
    return time.perf_counter() - start, time.process_time() + _children_cpu() - cpu


def cli(root: Path, pythonpath: Path | None = None) -> tuple[float, float, str]:
    """Wall and CPU seconds (the process and its workers) of ``casebook validate`` in ``root`` (a fresh
    process), and its last output line."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    cmd = [sys.executable, "-c", "import sys; from casebook.cli import main; sys.exit(main())", "validate",
           "--lang", "en"]
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    elapsed, used = time.perf_counter() - start, _children_cpu() - cpu
    last = (proc.stdout + proc.stderr).strip().splitlines()[-1:] or ["(no output)"]
    return elapsed, used, last[0]


def make(corpus: str, n: int, out: Path) -> Path:
    return write_copies(n, out) if corpus == "copies" else write_project(n, out)


def bench(root: Path, runs: int, baseline: Path | None = None, log=print) -> dict:
    files = yaml_files(root)
    size = sum(p.stat().st_size for p in files)
    times: dict[str, list[float]] = {"floor1": [], "floor2": [], "cli": [], "before": []}
    cpu: dict[str, list[float]] = {k: [] for k in times}
    states, outputs = [], {}

    def record(key: str, wall: float, used: float) -> None:
        times[key].append(wall)
        cpu[key].append(used)

    for i in range(runs):
        states.append(bench_machine.state())
        record("floor1", *floor(files, 1))
        record("floor2", *floor(files, 2))
        *measured, outputs["cli"] = cli(root)
        record("cli", *measured)
        if baseline is not None:
            *measured, outputs["before"] = cli(root, baseline)
            record("before", *measured)
        log(f"  run {i + 1}/{runs}: " + ", ".join(f"{k} {v[-1]:.2f} s (CPU {cpu[k][-1]:.2f} s)"
                                                  for k, v in times.items() if v)
            + f"  [{bench_machine.text(states[-1])}]")
    med = {k: statistics.median(v) for k, v in times.items() if v}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items() if v}
    out = {"files": len(files), "mb": size / 1e6, "runs": times, "median": med, "outputs": outputs,
           "cpu_runs": cpu, "cpu_median": med_cpu, "cli_cpu_per_floor_cpu": med_cpu["cli"] / med_cpu["floor1"],
           "state": bench_machine.merged(states),
           "cli_per_floor1": med["cli"] / med["floor1"], "cli_per_floor2": med["cli"] / med["floor2"]}
    if "before" in med:
        out["before_per_floor2"] = med["before"] / med["floor2"]
        out["after_per_before"] = med["cli"] / med["before"]
        out["after_per_before_cpu"] = med_cpu["cli"] / med_cpu["before"]
        out["before_cpu_per_floor_cpu"] = med_cpu["before"] / med_cpu["floor1"]
    return out


def report(corpus: str, n: int, r: dict) -> str:
    m = r["median"]
    lines = [f"{corpus} N={n}: {r['files']} files, {r['mb']:.1f} MB of YAML; medians of {len(r['runs']['cli'])} "
             f"interleaved runs [{bench_machine.text(r['state'])}]",
             f"  floor (libyaml compose): 1 process {m['floor1']:.2f} s, 2 processes {m['floor2']:.2f} s",
             f"  casebook validate (CLI wall): {m['cli']:.2f} s = {r['cli_per_floor2']:.2f}× floor×2 "
             f"({r['cli_per_floor1']:.2f}× floor×1) — {r['outputs']['cli']}",
             f"  CPU seconds (all processes, less sensitive to the load): floor {r['cpu_median']['floor1']:.2f} s, "
             f"casebook validate {r['cpu_median']['cli']:.2f} s = {r['cli_cpu_per_floor_cpu']:.2f}× floor"]
    if "before" in m:
        lines.append(f"  before (baseline code): {m['before']:.2f} s = {r['before_per_floor2']:.2f}× floor×2; "
                     f"after/before {r['after_per_before']:.2f}× — {r['outputs']['before']}")
        lines.append(f"  before, CPU: {r['cpu_median']['before']:.2f} s = {r['before_cpu_per_floor_cpu']:.2f}× floor; "
                     f"after/before {r['after_per_before_cpu']:.2f}×")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--n", type=int, default=1000, help="case studies (default 1000)")
    ap.add_argument("--runs", type=int, default=3, help="interleaved runs; medians reported (default 3)")
    ap.add_argument("--corpus", choices=[*CORPORA, "both"], default="both")
    ap.add_argument("--baseline", metavar="GIT_REF", help="also run the CLI with the code of this git ref")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    args = ap.parse_args(argv)
    corpora = CORPORA if args.corpus == "both" else (args.corpus,)
    results = {}
    with tempfile.TemporaryDirectory(prefix="casebook-bench-validate-") as tmp:
        work = Path(tmp)
        baseline = None
        if args.baseline:
            from bench import checkout_src

            baseline = checkout_src(args.baseline, work)
        for corpus in corpora:
            root = make(corpus, args.n, work / corpus)
            print(f"{corpus} N={args.n} …", file=sys.stderr, flush=True)
            results[corpus] = bench(root, args.runs, baseline, log=lambda m: print(m, file=sys.stderr, flush=True))
            shutil.rmtree(root, ignore_errors=True)
    for corpus, r in results.items():
        print(report(corpus, args.n, r))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
