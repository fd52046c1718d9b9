#!/usr/bin/env bash
# The package as a user installs it: build the wheel, install it into a fresh venv outside the checkout,
# and build the shipped content with it (site + PDF). Fails if the wheel lacks templates, schemas,
# message catalogues or anything else `casebook build` reads from the package.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/casebook-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m pip wheel -q --no-deps -w "$work/dist" . >"$work/pip.log" 2>&1 \
  || { cat "$work/pip.log" >&2; exit 1; }
wheel=$(ls "$work"/dist/casebook-*.whl)
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel" >"$work/pip.log" 2>&1 \
  || { cat "$work/pip.log" >&2; exit 1; }
cd "$work"  # nothing from the checkout on the import path
where=$("$work/venv/bin/python" -c 'import casebook, pathlib; print(pathlib.Path(casebook.__file__).parent)')
case "$where" in
  "$work"/venv/*) ;;
  *) echo "wheel check: casebook imported from $where, not from the wheel" >&2; exit 1 ;;
esac
for need in templates/site/casestudy.md.j2 templates/report/report.css schemas scaffold messages/diagnostics.yaml; do
  [ -e "$where/$need" ] || { echo "wheel check: the wheel has no $need" >&2; exit 1; }
done
NO_MKDOCS_2_WARNING=1 "$work/venv/bin/casebook" --root "$repo" build --strict --site-dir "$work/site" 2>"$work/build.log" \
  || { cat "$work/build.log" >&2; echo "wheel check: the build from the wheel failed" >&2; exit 1; }
for out in index.html report.pdf report-summary.pdf casestudies data/casebook.json; do
  [ -e "$work/site/$out" ] || { echo "wheel check: the build from the wheel has no $out" >&2; exit 1; }
done
echo "wheel check: ok ($(basename "$wheel"), $(find "$work/site" -name index.html | wc -l) pages, report.pdf $(stat -c %s "$work/site/report.pdf") bytes)"
