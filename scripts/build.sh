#!/usr/bin/env bash
# Build the publication from the shipped content: site/ (website) and site/report.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/casebook build --strict "$@"
