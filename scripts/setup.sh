#!/usr/bin/env bash
# Set up plandiff on Debian/Ubuntu (as root, or with sudo): system packages,
# a virtual environment in .venv, and the project itself.  Idempotent: a second
# run checks and returns in about a second.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --test   also the test dependencies
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRAS=""
# libreoffice-writer-nogui: LibreOffice headless, which reads .doc, .rtf and .odt (ingest/office.py).
APT_PACKAGES="tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils fonts-liberation2 python3-venv libreoffice-writer-nogui"
if [ "${1:-}" = "--test" ]; then
  EXTRAS="[test]"
  # The report and workbench tests open pages in a real headless browser
  # (the workbench's through Selenium and Debian's chromedriver).
  APT_PACKAGES="$APT_PACKAGES chromium chromium-driver"
fi
missing=""
for pkg in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: plandiff needs Python 3.11 or newer (found $("$PYTHON" --version 2>&1)); set PYTHON=..." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi

# Reinstall only when the project's declared dependencies changed.
stamp=".venv/.plandiff-installed$EXTRAS-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing plandiff$EXTRAS into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".$EXTRAS"
  rm -f .venv/.plandiff-installed*
  touch "$stamp"
fi
