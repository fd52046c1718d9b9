#!/usr/bin/env python3
"""Time `validate()` on N synthetic case studies (default 1,000).

The project is a copy of the shipped content (content/ and casestudies/) — or of tests/fixtures/corpus
when the shipped records do not validate — plus N generated case studies: 8–10 assessments each, realistic
Japanese text lengths, every reference valid (risks, their mitigations, provisions and metrics are taken
from the copied catalogue). Generation is deterministic (--seed). Prints the median of several runs, the
number of files and the time per file; asserts nothing.

    .venv/bin/python scripts/bench_validate.py            # N = 1000
    .venv/bin/python scripts/bench_validate.py --n 100 --runs 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "corpus"
sys.path.insert(0, str(ROOT / "src"))

from casebook.checks import enum_values  # noqa: E402
from casebook.model import Corpus  # noqa: E402
from casebook.validate import validate  # noqa: E402

TODAY = dt.date.today()  # the shipped records are checked against today, as `casebook validate` does

# Phrases in the register of the case studies; sentences are built from them to realistic lengths.
_SUBJECTS = ["問合せ対応の生成AI", "営業店の応対支援", "融資申込の受付補助", "検索拡張生成の回答", "担当者の確認工程",
             "顧客向けチャット", "社内規程の検索", "要約機能", "回答候補の提示", "評価用の質問集"]
_VERBS = ["を試行した", "の精度を確認した", "の運用手順を定めた", "の記録を残した", "を段階的に拡大した",
          "の誤りを分析した", "を担当部署と検証した", "の結果を経営会議に報告した"]
_DETAILS = ["出典の提示により誤回答が減った", "個人情報の入力を検知して警告する",
            "回答できない質問は有人窓口に引き継ぐ", "週次で回答ログを抽出して確認する",
            "評価用質問 200 問を二名で判定した", "判定の揺れは協議で解消した", "委託先との契約で学習利用を禁止した",
            "障害時は通常の問合せ窓口に切り替える", "説明資料を顧客向けに平易にした",
            "高齢の利用者にも配慮した表示にした", "改善の前後で同じ質問集を用いた", "手順書を改訂して研修を行った"]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(_SUBJECTS)}{rng.choice(_VERBS)}。{rng.choice(_DETAILS)}。"


def prose(rng: random.Random, low: int, high: int) -> str:
    """Japanese text of roughly low–high characters."""
    target = rng.randint(low, high)
    out = ""
    while len(out) < target:
        out += sentence(rng)
    return out


def text(rng: random.Random, low: int, high: int, en: str | None = None) -> dict:
    value = {"ja": prose(rng, low, high)}
    if en:
        value["en"] = en
    return value


def score(rng: random.Random, cap: dict | None = None) -> dict:
    if cap:  # residual: never above inherent, so no rationale is needed
        return {"likelihood": rng.randint(1, cap["likelihood"]), "impact": rng.randint(1, cap["impact"])}
    return {"likelihood": rng.randint(2, 5), "impact": rng.randint(2, 5)}


def make_case(i: int, corpus: Corpus, rng: random.Random) -> dict:
    risks = [r for r in corpus.risks.values() if r.status != "retired"
             and any(m.status != "retired" for m in r.mitigations)]
    start = dt.date(2025, 4, 1) + dt.timedelta(days=rng.randint(0, 300))
    end = start + dt.timedelta(days=rng.randint(30, 180))
    case = {
        "id": f"bench-{i:05d}",
        "title": {"ja": f"生成AIの活用事例 その{i}（{rng.choice(_SUBJECTS)}）", "en": f"Benchmark case {i}"},
        "provenance": "sample",
        "status": "published",
        "summary": text(rng, 150, 300),
        "institution": {"type": rng.choice(enum_values("institution_type")),
                        "region": rng.choice(enum_values("region"))},
        "use_level": rng.randint(1, 3),
        "channels": rng.sample(enum_values("channel"), rng.randint(1, 3)),
        "service": text(rng, 80, 200),
        "system": {
            "patterns": rng.sample(enum_values("pattern"), rng.randint(1, 2)),
            "model_hosting": rng.choice(enum_values("model_hosting")),
            "data_sources": [text(rng, 20, 60) for _ in range(rng.randint(1, 3))],
            "human_in_the_loop": {"mode": rng.choice(enum_values("hitl_mode")), "description": text(rng, 40, 120)},
            "description": text(rng, 150, 400),
        },
        "readiness": {key: {"level": rng.randint(1, 9), "basis": text(rng, 60, 150)} for key in ("trl", "brl", "grl")},
        "assessments": [],
        "lessons": [text(rng, 60, 160) for _ in range(rng.randint(2, 4))],
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "updated": (end + dt.timedelta(days=rng.randint(1, 30))).isoformat(),
        "contributors": [{"name": "地域金融機関 デジタル推進部", "role": "author"}],
    }
    # the programme's named risks are always assessed (as the validator expects), then others up to 8–10
    named = [r for r in risks if r.programme_named]
    others = [r for r in risks if not r.programme_named]
    chosen = named + rng.sample(others, max(0, min(len(others), rng.randint(8, 10) - len(named))))
    for risk in chosen:
        inherent = score(rng)
        mitigations = [m for m in risk.mitigations if m.status != "retired"]
        provisions = [p for p in risk.provisions if p.status != "retired"]
        metrics = [m for m in risk.metrics if m.status != "retired"]
        case["assessments"].append({
            "risk": risk.id,
            "context": text(rng, 80, 200),
            "inherent": inherent,
            "provisions": [p.id for p in rng.sample(provisions, min(len(provisions), rng.randint(0, 3)))],
            "mitigations": [{"id": m.id, "status": rng.choice(enum_values("mitigation_status")),
                             "note": text(rng, 40, 120)}
                            for m in rng.sample(mitigations, min(len(mitigations), rng.randint(1, 3)))],
            "evaluations": [evaluation(rng, m) for m in rng.sample(metrics, min(len(metrics), rng.randint(0, 2)))],
            "residual": score(rng, inherent),
            "findings": text(rng, 100, 250),
        })
    return case


def evaluation(rng: random.Random, metric) -> dict:
    if metric.is_proportion:
        before = round(rng.uniform(0.05, 0.3), 3)
        after = round(before * rng.uniform(0.2, 0.9), 3)
    else:
        before = round(rng.uniform(5, 120), 1)
        after = round(before * rng.uniform(0.3, 1.2), 1)
    return {"metric": metric.id, "method": text(rng, 60, 150), "n": rng.randint(50, 2000),
            "before": before, "after": after, "illustrative": True}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # the loader refuses aliases: write every value out
        return True


def build_project(n: int, seed: int, out: Path) -> tuple[Path, str]:
    shipped = validate(ROOT, today=TODAY)
    base, label = (ROOT, "shipped content") if shipped.ok else (FIXTURE, "fixture corpus (shipped has errors)")
    corpus = shipped.corpus if shipped.ok else validate(FIXTURE, today=TODAY).corpus
    assert corpus is not None
    root = out / "project"
    shutil.copytree(base / "content", root / "content")
    if (base / "casestudies").is_dir():
        shutil.copytree(base / "casestudies", root / "casestudies")
    rng = random.Random(seed)
    for i in range(1, n + 1):
        folder = root / "casestudies" / f"bench-{i:05d}"
        folder.mkdir(parents=True)
        body = yaml.dump(make_case(i, corpus, rng), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        (folder / "case.yaml").write_text(body, encoding="utf-8")
    return root, label


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of synthetic case studies (default 1000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs; the median is reported (default 5)")
    ap.add_argument("--seed", type=int, default=20261101, help="generator seed (default 20261101)")
    ap.add_argument("--keep", action="store_true", help="keep the generated project and print its folder")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="casebook-bench-"))
    try:
        t0 = time.perf_counter()
        root, label = build_project(args.n, args.seed, tmp)
        generated = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in root.rglob("*.yaml"))
        times, result = [], None
        for _ in range(args.runs):
            t = time.perf_counter()
            result = validate(root, today=TODAY)
            times.append(time.perf_counter() - t)
        assert result is not None
        files = len(result.documents)
        median = statistics.median(times)
        print(f"base: {label}; generated {args.n} case studies in {generated:.1f} s ({size / 1e6:.1f} MB of YAML)")
        print(f"validate(): median {median:.3f} s over {args.runs} runs (min {min(times):.3f} s, "
              f"max {max(times):.3f} s)")
        print(f"files: {files}; per file: {median / files * 1000:.2f} ms")
        print(f"result: {len(result.report.errors)} error(s), {len(result.report.warnings)} warning(s)")
        for d in result.report.diagnostics[:5]:
            print("  " + d.text(root).split("\n")[0])
        if args.keep:
            print(f"project kept at {root}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
