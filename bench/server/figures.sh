#!/usr/bin/env bash
# figures.sh: the server's figures on this machine, measured in one run: insert rows/s and search
# QPS through the official Milvus Node SDK against `simvus up` (one process per role, gRPC
# between them) and against the same roles in one process (`simvus up --single-process`), each
# REPEAT times, alternating; prints every run's JSON line and the medians.
#
#   bench/server/figures.sh [SIMVUS_BINARY] [REPEAT] [-- sdk_bench.mjs options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
simvus="${1:-$here/../../build/release/simvus}"
repeat="${2:-3}"
shift $(( $# < 2 ? $# : 2 )) || true
[ "${1:-}" = "--" ] && shift
port=$(( 21000 + $$ % 20000 ))
out="$(mktemp -d /tmp/simvus-figures-XXXXXX)"
trap '"$simvus" down --dir "$out/cluster" >/dev/null 2>&1 || true' EXIT
for run in $(seq 1 "$repeat"); do
  for mode in processes single-process; do
    flag=""
    [ "$mode" = single-process ] && flag="--single-process"
    "$simvus" up --detach --dir "$out/cluster" --port "$port" $flag >/dev/null
    node "$here/sdk_bench.mjs" "127.0.0.1:$port" --label "$mode" "$@" | tee -a "$out/runs.jsonl"
    "$simvus" down --dir "$out/cluster" >/dev/null
    rm -rf "$out/cluster"
  done
done
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const mode of ["processes", "single-process"]) {
  const runs = lines.filter(l => l.label === mode);
  const m = key => median(runs.map(r => r[key]));
  console.log(`${mode.padEnd(15)} insert ${m("insert_rows_per_s")} rows/s  search ${m("search_qps")} QPS ` +
              `(p50 ${m("search_p50_ms")} ms, p99 ${m("search_p99_ms")} ms)  median of ${runs.length}`);
}' "$out/runs.jsonl"
rm -rf "$out"
