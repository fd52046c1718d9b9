#!/usr/bin/env bash
# Japanese prose checks with textlint (npm devDependencies in package.json; rules in .textlintrc.yml and
# textlint/*.textlintrc.yml, one register per document type):
#   1. the hand-written site pages (content/*.md, content/guide/*.md): です・ます調;
#   2. the usage policy (content/catalog/policy.yaml) written out per chapter: である調 and 法令用語;
#   3. the evaluation report's generated HTML and its 概要版's (templates plus every record's prose): generation errors
#      and the spelling dictionary (see textlint/report.textlintrc.yml for the rules not yet enforced there).
# scripts/prose_for_lint.py writes 1-3 into a temporary folder, with cross-references resolved as the
# site shows them, so what is checked is what is published. Exits non-zero on any problem.
# --quick skips 3 (the slow part: minutes on two busy cores).
# Needs node + npm; installs package-lock.json's tools into node_modules/ when textlint is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
if [ ! -x node_modules/.bin/textlint ] || [ ! -d node_modules/textlint-rule-preset-ja-technical-writing ] \
    || [ ! -d node_modules/textlint-plugin-html ] || [ ! -d node_modules/textlint-rule-prh ]; then
  echo "textlint: installing the npm tools (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lint() {  # config, label, files...
  local config=$1 label=$2
  shift 2
  if node_modules/.bin/textlint --config "$config" "$@" > "$work/out.txt" 2>&1; then
    echo "textlint $label: ok"
  else
    sed "s|$work/||g" "$work/out.txt"
    echo "textlint $label: FAILED"
    status=1
  fi
}
quick=0
[ "${1:-}" = "--quick" ] && quick=1
if [ "$quick" = 1 ]; then "$PY" scripts/prose_for_lint.py "$work" --no-report; else "$PY" scripts/prose_for_lint.py "$work"; fi
status=0
lint .textlintrc.yml "site pages (です・ます調)" "$work"/site/*.md "$work"/site/guide/*.md
lint textlint/policy.textlintrc.yml "policy (である調)" "$work"/policy/*.md
if [ "$quick" = 0 ]; then
  lint textlint/report.textlintrc.yml "report HTML" "$work"/report/*.html  # the report and its 概要版
fi
exit "$status"
