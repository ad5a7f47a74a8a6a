#!/usr/bin/env bash
# Runs the routing benchmarks as COUNT whole passes (default 6) rather than
# with -count, so a busy spell on a shared machine spreads over every
# router instead of landing on all runs of one. Output is go test's, for
# benchstat and internal/report. From bench/:
#   routing/bench.sh | tee results/routing.txt
#   COUNT=10 BENCHTIME=1s BENCH='Routing/Param' routing/bench.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=$(mktemp -d)/routing.test
go test -c -o "$bin" ./routing
for _ in $(seq "${COUNT:-6}"); do
	"$bin" -test.run '^$' -test.bench "${BENCH:-.}" -test.benchmem -test.cpu 1 \
		-test.benchtime "${BENCHTIME:-300ms}" -test.timeout 60m
done
