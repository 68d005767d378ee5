#!/usr/bin/env bash
# Installs what Dialbook needs to build and test, from Debian's packages. Idempotent and
# quiet when everything is already there.
set -euo pipefail
PKGS=(build-essential cmake ninja-build ccache pkg-config
  librestinio-dev libasio-dev libhttp-parser-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
  libcli11-dev libgtest-dev libphonenumber-dev libsqlite3-dev sqlite3 libsodium-dev
  libzip-dev libpugixml-dev libxlsxwriter-dev libcurl4-openssl-dev libre2-dev libprotobuf-dev
  curl wrk time chromium fonts-dejavu-core)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere (e.g. nodesource, which bundles npm): only add Debian's when absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
