#!/usr/bin/env bash
# End-to-end benchmark on loopback: installs wrk (Debian) when missing,
# then builds, starts, loads and stops every server (see main.go).
# Usage, from anywhere: bench/e2e/run.sh [flags of main.go], e.g.
#   bench/e2e/run.sh -reps 7 -duration 3s -c 1000   # 1,000 concurrent connections
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v wrk >/dev/null; then
	echo "installing wrk..."
	apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
# A run with -c 1000 needs a descriptor per connection on both sides
# (wrk's and the server's), beyond the common default of 1,024.
want=4096
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then
	hard=$(ulimit -Hn)
	if [ "$hard" = unlimited ] || [ "$hard" -ge "$want" ]; then
		ulimit -n "$want"
	else
		ulimit -n "$hard"
		echo "warning: open files limited to $hard; runs with more connections than that will fail" >&2
	fi
fi
exec go run ./e2e "$@"
