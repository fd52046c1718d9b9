"""How far the shipped records are from each limit of content/catalog/limits.yaml.

    .venv/bin/python scripts/limits_margin.py [ROOT]

Prints, for every limit that some record comes near to, the largest value in the shipped records, the
limit and the margin (limit / shipped maximum). Figures, not assertions: tests/test_limits.py checks that
the shipped records pass. Also prints the largest images and integers.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from casebook import limits as lim
from casebook.load import load_file
from casebook.validate import CASE_FILE, CASES_DIR, CATALOG_DIR, catalog_kind_of, load_limits


def main(root: Path) -> int:
    limits, problems = load_limits(root)
    if limits is None:
        print(f"no usable limits: {problems}")
        return 1
    files = sorted((root / CATALOG_DIR).glob("*.yaml")) + sorted((root / CASES_DIR).glob(f"*/{CASE_FILE}"))
    best: dict[tuple[str, str, str], tuple[int, str]] = defaultdict(lambda: (0, ""))
    digits = (0, "")
    for path in files:
        doc = load_file(path)
        if not isinstance(doc.data, dict):
            continue
        kind = "casestudy" if path.name == CASE_FILE else catalog_kind_of(doc.data)
        for m in lim.measure(doc.data, kind or "?"):
            key = (m.what, kind or "?", m.name)
            if m.value > best[key][0]:
                best[key] = (m.value, f"{path.relative_to(root)}#{lim.pointer_text(m.ptr)}")
        for value, ptr in _integers(doc.data) if kind != "limits" else ():
            if len(str(abs(value))) > digits[0]:
                digits = (len(str(abs(value))), f"{path.relative_to(root)}#{lim.pointer_text(ptr)}")
    rows = []
    for (what, kind, name), (value, where) in best.items():
        limit = lim.limit_of(limits, lim.Measure(what, name, value, ()), kind)
        rows.append((value / limit, what, kind, name, value, limit, where))
    rows.sort(reverse=True)
    print(f"{'measure':<18} {'kind:field':<44} {'shipped max':>11} {'limit':>7} {'margin':>7}  where")
    seen: set[str] = set()
    for ratio, what, kind, name, value, limit, where in rows:
        if what in seen and ratio < 0.2:
            continue  # one line per measure is enough for the far-off ones
        seen.add(what)
        print(f"{what:<18} {kind + ':' + name:<44} {value:>11,} {limit:>7,} {limit / max(value, 1):>6.1f}x  {where}")
    print(f"{'integer_digits':<18} {'(any number)':<44} {digits[0]:>11,} {limits.integer_digits:>7,} "
          f"{limits.integer_digits / max(digits[0], 1):>6.1f}x  {digits[1]}")
    return 0


def _integers(value, ptr=()):
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value, ptr
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _integers(v, (*ptr, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _integers(v, (*ptr, i))


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]))
