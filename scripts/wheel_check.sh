#!/usr/bin/env bash
# The package as users get it: build the wheel, install it into a fresh venv outside this checkout, and build
# the shipped publication with it (templates, schemas, scaffold and messages must all come from the wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m pip wheel --no-deps --quiet -w "$work/dist" . >/dev/null
wheel=$(ls "$work"/dist/casebook-*.whl)
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null
"$work/venv/bin/python" -m pip install --quiet "$wheel" >/dev/null
# A project folder with the records, prose and site configuration only: no src/, no templates/.
project="$work/project"
mkdir -p "$project"
cp -r "$repo/content" "$repo/casestudies" "$repo/overrides" "$repo/mkdocs.yml" "$project/"
if [ -d "$project/templates" ]; then echo "wheel_check: the project copy must not hold templates" >&2; exit 1; fi
cd "$project"
# mkdocstrings documents the installed package (paths: [src] does not exist here).
NO_MKDOCS_2_WARNING=1 "$work/venv/bin/casebook" build --strict
test -s site/report.pdf && test -s site/index.html
echo "wheel_check: OK — $(basename "$wheel") installed outside the checkout built the site and a $(stat -c %s site/report.pdf)-byte PDF"
