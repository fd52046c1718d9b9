#!/usr/bin/env bash
# Make this checkout ready: Debian packages (as root, or print the command), a .venv with the package.
# Safe to repeat: each step checks first and does nothing when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils chromium
              libreoffice-calc libreoffice-writer)  # LibreOffice: the adoption-kit tests open the XLSX and DOCX
# The HTML checks (scripts/check_html.sh) need Java for the Nu Html Checker and Node.js for Lighthouse.
if [ "${CASEBOOK_NEED_JAVA:-0}" = 1 ] && ! command -v java >/dev/null; then APT_PACKAGES+=(default-jre-headless); fi
if [ "${CASEBOOK_NEED_NODE:-0}" = 1 ] && ! command -v npm >/dev/null; then APT_PACKAGES+=(nodejs npm); fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: missing Debian packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.casebook-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: installing the package and its test tools into .venv" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi
