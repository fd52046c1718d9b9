#!/usr/bin/env bash
# Run every check: lint, validation of the shipped content, the Japanese prose checks (scripts/textlint.sh),
# the test suite (incl. browser and PDF tests),
# and the HTML/Lighthouse checks when their script is present. `--fast`: the quick tier only (see tests/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
CASEBOOK_NEED_JAVA=1 CASEBOOK_NEED_NODE=1 bash scripts/bootstrap.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/ruff check src tests scripts
.venv/bin/casebook validate --strict
if [ "${CASEBOOK_SKIP_TEXTLINT:-0}" != 1 ]; then
  # --fast checks the site pages and the policy only; the report's generated text takes minutes.
  if [ "${1:-}" = "--fast" ]; then bash scripts/textlint.sh --quick; else bash scripts/textlint.sh; fi
fi
if [ "${1:-}" = "--fast" ]; then
  # The tier for every few minutes: no site/PDF builds, no browser, no HTML checks (CI runs everything).
  shift
  exec .venv/bin/python -m pytest -q -m "not slow and not browser" "$@"
fi
.venv/bin/python -m pytest -q --durations=25 "$@"  # the slowest tests, to keep the full run short
bash scripts/wheel_check.sh  # the installed package, outside the checkout, builds the shipped content
if [ -f scripts/check_html.sh ] && [ "${CASEBOOK_SKIP_HTML_CHECKS:-0}" != 1 ]; then
  bash scripts/check_html.sh
fi
