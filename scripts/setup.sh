#!/usr/bin/env bash
# Installs everything roadsafe needs on a fresh Debian/Ubuntu machine, then builds and installs
# roadsafe into ./.venv. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config python3 python3-dev python3-venv
          libgdal-dev gdal-bin libproj-dev proj-data proj-bin libeigen3-dev libboost-dev
          libgtest-dev libgmock-dev libbenchmark-dev poppler-utils
          chromium chromium-driver   # the dashboard's real-browser tests (selenium)
          clang libclang-rt-dev)     # clang and libFuzzer's runtime: the fuzz stage of scripts/test.sh
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "roadsafe setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    apt_get=(sudo apt-get)
  else
    echo "roadsafe setup: these packages are missing and installing them needs root or sudo:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    echo "Run that as root (or ask your administrator), then run this script again." >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# The engine and the module are compiled here (scikit-build-core + CMake); about two minutes on 2 cores.
.venv/bin/python -m pip install -q ".[test,bench]"
echo "roadsafe setup: done (activate with: source .venv/bin/activate)"
