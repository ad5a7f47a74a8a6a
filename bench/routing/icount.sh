#!/usr/bin/env bash
# Instructions per op of routing benchmarks, counted by callgrind: unlike
# ns/op, the count does not move when the machine is busy. Only what runs
# inside the harness functions (BenchFast, BenchHTTP, BenchLookup, ...) is
# counted, so the garbage collector's background work and the testing
# package are not; each benchmark runs twice, with N and 3N iterations
# (-benchtime Nx), and the difference divided by 2N cancels the harness's
# set-up. Repeated runs agree to a fraction of an instruction.
#
# Usage, from bench/:
#   routing/icount.sh Routing/GithubStatic/router=kk Dispatch/Param/router=kk ...
#   routing/icount.sh all     # every case of BenchmarkRouting on every router
# Prints "name<TAB>instructions/op". Needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=$(mktemp -d)/routing.test
go test -c -o "$bin" ./routing
count() { # regex iterations
	GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
		--toggle-collect='*routing.BenchHTTP' --toggle-collect='*routing.BenchFast' \
		--toggle-collect='*routing.BenchFastReparse' --toggle-collect='*routing.BenchLookup' \
		--toggle-collect='*routing.benchDecode*' \
		"$bin" -test.run '^$' -test.bench "$1" -test.benchtime "$2x" -test.cpu 1 2>&1 |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
if [ "${1:-}" = all ]; then
	# The cases of cases.go and the routers of routers.go.
	set --
	for c in GithubAll GithubAllConcrete GithubStatic GithubParam GPlusAll GPlusAllConcrete GPlus2Params \
		ParseAll ParseAllConcrete Parse2Params StaticAll Param Param5 Param20; do
		for r in kk fasthttp-router httprouter echo gin chi bunrouter servemux; do
			set -- "$@" "Routing/$c/router=$r"
		done
	done
fi
for name in "$@"; do
	regex="^Benchmark$(echo "$name" | sed 's#/#$/^#g')\$"
	case $name in *All*) n=100 ;; *) n=2000 ;; esac
	a=$(count "$regex" "$n")
	b=$(count "$regex" "$((3 * n))")
	[ -n "$a" ] && [ -n "$b" ] || { echo "$name: no count (does it exist?)" >&2; exit 1; }
	printf '%s\t%d\n' "$name" $(((b - a) / (2 * n)))
done
