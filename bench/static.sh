#!/usr/bin/env bash
# Static files and compression, side by side: kk.Static vs fasthttp.FS vs
# net/http.FileServer on loopback, kk.Compress vs fasthttp's
# CompressHandler in process. Runs the root module's benchmarks ROUNDS
# times (default 5), each round every server and encoder in turn, so a busy
# spell on a shared machine hits all of them; prints the median and the
# best of each. Usage, from the repository root: bench/static.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds=${1:-5}
out=$(mktemp)
for i in $(seq "$rounds"); do
	go test ./runtime -run '^$' -bench 'BenchmarkStatic|BenchmarkCompress' -benchtime 1s -count 1 | grep '^Benchmark' >>"$out"
done
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    name = f[0].replace("Benchmark", "").rsplit("-", 1)[0]
    m = {f[i + 1]: float(f[i]) for i in range(2, len(f) - 1, 2) if f[i].replace(".", "", 1).isdigit()}
    runs.setdefault(name, []).append(m)
for name, ms in runs.items():
    key = "req/s" if "req/s" in ms[0] else "ns/KiB"
    v = [m[key] for m in ms]
    best = max(v) if key == "req/s" else min(v)
    extra = f"  size {ms[0]['%size']:.1f}%" if "%size" in ms[0] else ""
    if "cpu-µs/req" in ms[0]:
        extra = f"  cpu-µs/req median {statistics.median(m['cpu-µs/req'] for m in ms):.1f}"
    print(f"{name:28s} {key:6s} median {statistics.median(v):9.0f}  best {best:9.0f}  (n={len(v)}){extra}")
PY
rm -f "$out"
