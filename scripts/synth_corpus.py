#!/usr/bin/env python3
"""Write a deterministic synthetic Casebook project with N case studies (for benchmarks).

The project is a copy of this repository's publication (catalogues, prose, templates, mkdocs.yml, and the
shipped case studies, which catalogues refer to) plus N case studies that are variants of the shipped ones:
same structure, realistic Japanese text lengths and cross-references, with ids, titles, inherent scores and
readiness levels varied by a seeded generator (it validates with no error or warning).

    python scripts/synth_corpus.py 200            # prints the folder it wrote
    python scripts/synth_corpus.py 1000 --out /tmp/cb1000
    python scripts/synth_corpus.py 1000 --copies  # the largest shipped case study copied 1,000 times

``--copies`` keeps the largest shipped case's text byte for byte (only its id and titles change, so the
project still validates): the real-size worst case for parsing, next to the generator's varied cases.
Every benchmark and test that needs a generated corpus takes it from here.
"""

from __future__ import annotations

import argparse
import random
import re
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


def _vary_score(rng: random.Random, score: dict) -> dict:
    return {k: max(1, min(5, v + rng.choice((-1, 0, 0, 1)))) for k, v in score.items()}


def make_case(template: dict, n: int, rng: random.Random) -> dict:
    case = yaml.safe_load(yaml.safe_dump(template, allow_unicode=True))  # deep copy
    case["id"] = f"synth-{n:04d}-{template['id'].removeprefix('sample-')}"
    case["title"]["ja"] = f"{case['title']['ja']}（合成事例 {n}）"
    if "en" in case["title"]:
        case["title"]["en"] = f"{case['title']['en']} (synthetic {n})"
    case["summary"]["ja"] = f"合成事例 {n}。" + case["summary"]["ja"]
    for a in case["assessments"]:
        # Only the inherent score moves (never below the shipped one): the residual score and the
        # evaluations stay as shipped, so the residual still agrees with its evidence and the generated
        # project validates without a warning.
        a["inherent"] = {k: max(v, _vary_score(rng, a["inherent"])[k]) for k, v in a["inherent"].items()}
        if a["residual"]["impact"] < a["inherent"]["impact"] and not a.get("residual_rationale"):
            # as the validator requires of any case: a lower impact says what limits the outcome
            a["residual_rationale"] = {"ja": f"合成事例 {n} の理由（例示）: 軽減策で最悪の結果が限られるとした。"}
    for key in ("trl", "brl", "grl"):
        case["readiness"][key]["level"] = max(1, min(9, case["readiness"][key]["level"] + rng.choice((-1, 0, 1))))
    return case


def write_project(n: int, out: Path, seed: int = 20261128) -> Path:
    """Create ``out`` (must not exist) holding the synthetic project; returns it."""
    out.mkdir(parents=True)
    for name in [*COPY, "casestudies"]:  # the shipped cases too: catalogues (aliases, self-check) name them
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


def largest_case() -> Path:
    """The largest shipped ``case.yaml`` (by bytes)."""
    cases = sorted((ROOT / "casestudies").glob("*/case.yaml"))
    if not cases:
        raise SystemExit("no shipped case studies to copy")
    return max(cases, key=lambda p: (p.stat().st_size, p.as_posix()))


def write_copies(n: int, out: Path) -> Path:
    """Create ``out`` (must not exist): the shipped project plus ``n`` copies of its largest case study.

    Each copy differs only in its id (``copy-0001-<id>``) and in a prefix to its titles, which must be
    unique; every other byte is the shipped file's.
    """
    out.mkdir(parents=True)
    for name in [*COPY, "casestudies"]:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, out / name)
        elif src.is_file():
            shutil.copy2(src, out / name)
    source = largest_case()
    text = source.read_text(encoding="utf-8")
    case_id = source.parent.name
    title = re.compile(r"\ntitle:\n  ja: ([^\n]*)\n(?:  en: ([^\n]*)\n)?")
    if f"\nid: {case_id}\n" not in text or not title.search(text):
        raise SystemExit(f"{source}: cannot find its id and title lines to make the copies unique")
    for i in range(1, n + 1):
        new_id = f"copy-{i:04d}-{case_id}"

        def retitle(m: re.Match, i: int = i) -> str:
            en = f"  en: Copy {i} {m.group(2)}\n" if m.group(2) is not None else ""
            return f"\ntitle:\n  ja: 複製{i} {m.group(1)}\n{en}"

        body = title.sub(retitle, text.replace(f"\nid: {case_id}\n", f"\nid: {new_id}\n", 1), count=1)
        folder = out / "casestudies" / new_id
        folder.mkdir()
        (folder / "case.yaml").write_text(body, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of case studies")
    ap.add_argument("--out", type=Path, help="folder to create (default: a new temporary folder)")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--copies", action="store_true", help="copies of the largest shipped case instead")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix=f"casebook-synth-{args.n}-")) / "project"
    print(write_copies(args.n, out) if args.copies else write_project(args.n, out, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
