#!/usr/bin/env python3
"""Write a deterministic synthetic Casebook project with N case studies (for benchmarks).

The project is a copy of this repository's publication (catalogues, prose, templates, mkdocs.yml) whose
case studies are N variants of the shipped ones: same structure, realistic Japanese text lengths and
cross-references, with ids, titles, scores and figures varied by a seeded generator.

    python scripts/synth_corpus.py 200            # prints the folder it wrote
    python scripts/synth_corpus.py 1000 --out /tmp/cb1000
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COPY = ["content", "overrides", "mkdocs.yml"]


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the loader refuses aliases; write every value out
        return True


def _vary_score(rng: random.Random, score: dict, cap: dict | None = None) -> dict:
    out = {k: max(1, min(5, v + rng.choice((-1, 0, 0, 1)))) for k, v in score.items()}
    if cap:  # keep residual ≤ inherent, as the shipped cases do
        out = {k: min(v, cap[k]) for k, v in out.items()}
    return out


def make_case(template: dict, n: int, rng: random.Random) -> dict:
    case = yaml.safe_load(yaml.safe_dump(template, allow_unicode=True))  # deep copy
    case["id"] = f"synth-{n:04d}-{template['id'].removeprefix('sample-')}"
    case["title"]["ja"] = f"{case['title']['ja']}（合成事例 {n}）"
    if "en" in case["title"]:
        case["title"]["en"] = f"{case['title']['en']} (synthetic {n})"
    case["summary"]["ja"] = f"合成事例 {n}。" + case["summary"]["ja"]
    for a in case["assessments"]:
        a["inherent"] = _vary_score(rng, a["inherent"])
        a["residual"] = _vary_score(rng, a["residual"], a["inherent"])
        if a["residual"]["impact"] < a["inherent"]["impact"] and not a.get("residual_rationale"):
            # as the validator requires of any case: a lower impact says what limits the outcome
            a["residual_rationale"] = {"ja": f"合成事例 {n} の理由（例示）: 軽減策で最悪の結果が限られるとした。"}
        for e in a.get("evaluations", []):
            if 0 <= e["before"] <= 1 and 0 <= e["after"] <= 1:
                e["before"] = round(min(1.0, e["before"] * rng.uniform(0.8, 1.2)), 3)
                e["after"] = round(min(1.0, e["after"] * rng.uniform(0.8, 1.2)), 3)
            e["n"] = max(30, int(e["n"] * rng.uniform(0.7, 1.3)))
    for key in ("trl", "brl", "grl"):
        case["readiness"][key]["level"] = max(1, min(9, case["readiness"][key]["level"] + rng.choice((-1, 0, 1))))
    return case


def write_project(n: int, out: Path, seed: int = 20261128) -> Path:
    """Create ``out`` (must not exist) holding the synthetic project; returns it."""
    out.mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, out / name)
        elif src.is_file():
            shutil.copy2(src, out / name)
    templates = [yaml.safe_load(p.read_text(encoding="utf-8"))
                 for p in sorted((ROOT / "casestudies").glob("*/case.yaml"))]
    if not templates:
        raise SystemExit("no shipped case studies to vary")
    rng = random.Random(seed)
    for i in range(n):
        case = make_case(templates[i % len(templates)], i + 1, rng)
        folder = out / "casestudies" / case["id"]
        folder.mkdir(parents=True)
        body = yaml.dump(case, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
        (folder / "case.yaml").write_text(body, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of case studies")
    ap.add_argument("--out", type=Path, help="folder to create (default: a new temporary folder)")
    ap.add_argument("--seed", type=int, default=20261128)
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix=f"casebook-synth-{args.n}-")) / "project"
    print(write_project(args.n, out, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
