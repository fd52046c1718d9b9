"""Miss rate and false-positive rate of the PII scan, now and at an older git ref.

    .venv/bin/python scripts/pii_rates.py [--ref REF] [ROOT]

Miss rate: share of tests/fixtures/pii/positives.yaml (100 synthetic pieces of personal data in the forms
Japanese text uses) that the scan does not report with the expected code. False-positive rate: share of
texts with any finding among tests/fixtures/pii/bank_public_text.yaml (public bank text, no personal
data) and every text of the shipped records (case studies and catalogues; any finding there is a false
alarm or an allowance). ``--ref`` also runs ``src/casebook/pii.py`` as it was at that git ref (without the
organisations' numbers, which it did not know). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from casebook.build import each_string
from casebook.load import load_file
from casebook.validate import CASE_FILE, CASES_DIR, CATALOG_DIR, load_public_numbers

FIXTURES = Path("tests/fixtures/pii")


def _old_module(root: Path, ref: str):
    source = subprocess.run(["git", "show", f"{ref}:src/casebook/pii.py"], cwd=root, capture_output=True,
                            text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "pii_old.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("pii_old", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pii_old"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def shipped_texts(root: Path) -> list[tuple[str, str]]:
    out = []
    files = sorted((root / CATALOG_DIR).glob("*.yaml")) + sorted((root / CASES_DIR).glob(f"*/{CASE_FILE}"))
    for path in files:
        data = load_file(path).data
        if isinstance(data, dict):
            out += [(f"{path.relative_to(root)}#/{'/'.join(map(str, p))}", v) for p, v in each_string(data)
                    if not (p and p[0] == "pii_allow")]
    return out


def rates(scan, positives, negatives) -> tuple[list, list]:
    missed = [p for p in positives if p["code"] not in {f.code for f in scan(p["text"])}]
    alarms = [(where, text, [f.text for f in scan(text)]) for where, text in negatives if any(scan(text))]
    return missed, alarms


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--ref", help="also measure src/casebook/pii.py at this git ref (e.g. the old main)")
    parser.add_argument("--show", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args()
    root = args.root
    positives = yaml.safe_load((root / FIXTURES / "positives.yaml").read_text(encoding="utf-8"))["positives"]
    bank = yaml.safe_load((root / FIXTURES / "bank_public_text.yaml").read_text(encoding="utf-8"))["texts"]
    negatives = [(f"bank_public_text[{i}]", t) for i, t in enumerate(bank)]
    shipped = shipped_texts(root)

    from casebook import pii

    public = load_public_numbers(root)
    runs = [("now", lambda t: list(pii.scan(t, public)))]
    if args.ref:
        old = _old_module(root, args.ref)
        runs.insert(0, (f"at {args.ref}", lambda t: list(old.scan(t))))
    for name, scan in runs:
        missed, bank_alarms = rates(scan, positives, negatives)
        _m, shipped_alarms = rates(scan, [], shipped)
        by_code = Counter(p["code"] for p in positives)
        missed_by_code = Counter(p["code"] for p in missed)
        print(f"PII scan {name}:")
        print(f"  miss rate            {len(missed):3d} / {len(positives)} = {len(missed) / len(positives):6.1%}   "
              + ", ".join(f"{c} {missed_by_code[c]}/{n}" for c, n in sorted(by_code.items())))
        share = len(bank_alarms) / len(negatives)
        print(f"  false alarms (bank)  {len(bank_alarms):3d} / {len(negatives)} = {share:6.1%}")
        print(f"  false alarms (shipped records) {len(shipped_alarms)} / {len(shipped)} texts "
              f"= {len(shipped_alarms) / len(shipped):.2%}")
        if args.show:
            for p in missed:
                print(f"    missed {p['code']:<14} {p['form']}: {p['text']!r}")
            for where, _text, found in bank_alarms + shipped_alarms:
                print(f"    alarm  {where}: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
