#!/usr/bin/env bash
# Runs every test, on a fresh Debian or Ubuntu machine too: installs the Debian packages the tests use when they are
# missing, then runs `dotnet test Redundancy.Orleans.sln` (extra arguments go to dotnet test). Newcomers and CI
# (.ci/run) run this same script.
#
#   scripts/test.sh                                   # everything (the first run installs packages: root or sudo)
#   scripts/test.sh --filter "FullyQualifiedName~Cli" # a part
#
# Without root or sudo nothing is installed: the tests that need a missing tool are skipped and say what to install
# (under CI=true they fail instead). Needs the .NET 10 SDK (global.json).
set -uo pipefail
cd "$(dirname "$0")/.."

# package -> the command the tests look for
declare -A NEEDS=(
  [redis-server]=/usr/bin/redis-server    # Redis membership and persistence tests
  [chromium]=/usr/bin/chromium            # browser tests (Playwright drives Debian's chromium; it never downloads one)
  [docker-compose]=/usr/bin/docker-compose # validates docker-compose.yml without a Docker engine
  [prometheus]=/usr/bin/promtool          # promtool checks the alerting and recording rules
)
missing=()
for package in redis-server chromium docker-compose prometheus; do
  [ -x "${NEEDS[$package]}" ] || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    sudo=(none)
  fi

  if [ "${sudo[0]:-}" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: cannot install ${missing[*]} (needs apt-get as root or with sudo); the tests that need them are skipped."
    echo "scripts/test.sh: to run them: sudo apt-get install -y ${missing[*]}"
    if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
      echo "scripts/test.sh: CI=true: the missing packages are an error"
      exit 1
    fi
  else
    echo "scripts/test.sh: installing ${missing[*]} (first run only)"
    start=$(date +%s)
    "${sudo[@]}" apt-get update -qq \
      && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { echo "scripts/test.sh: apt-get install ${missing[*]} failed"; exit 1; }
    echo "scripts/test.sh: installed in $(( $(date +%s) - start )) s"
  fi
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
dotnet --version
exec dotnet test Redundancy.Orleans.sln "$@"
