#!/usr/bin/env bash
# End-to-end benchmark on loopback: installs wrk (Debian) when missing,
# then builds, starts, loads and stops every server (see main.go).
# Usage, from anywhere: bench/e2e/run.sh [flags of main.go]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v wrk >/dev/null; then
	echo "installing wrk..."
	apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
exec go run ./e2e "$@"
