"""``python -m casebook.report ROOT OUTPUT [--variant V]``: validate, render, print ReportInfo as JSON.

Used by :func:`casebook.report.render_report_subprocess`; exit 0 on success, 1 on a Casebook error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import CasebookError, ValidationError
from ..validate import validate
from .pdf import render_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebook.report", description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--variant", default="pdf/ua-1")
    args = parser.parse_args(argv)
    try:
        result = validate(args.root)
        if result.corpus is None:
            raise ValidationError(result.report.diagnostics)
        info = render_report(result.corpus, args.output, None if args.variant == "none" else args.variant)
    except CasebookError as exc:
        print(f"casebook.report: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(info.to_dict(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
