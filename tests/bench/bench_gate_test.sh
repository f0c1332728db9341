#!/bin/sh
# The regression gate's proofs (bench/README.md, "The regression gate"):
#
#   bench_gate_test.sh aa-ingest|aa-search|planted-search SIMVUS BASELINE_DIR
#   bench_gate_test.sh aa-wallclock SIMVUS BENCH_STORAGE
#
# aa-ingest / aa-search rerun the macro benchmark at its defaults and compare it with the
# checked-in baseline: every deterministic figure must match (exit 0). planted-search reruns search
# with a 5% slower search cost (SIMVUS_BENCH_PLANT_SEARCH_SLOWDOWN=0.05): compare must exit 1 and
# name det_sim_p50_ms. aa-wallclock runs one fast bench_storage case twice with 9 repetitions:
# the Mann-Whitney gate must not call noise a regression (exit 0).
set -u
mode="$1"
simvus="$2"  # the simvus binary
arg="$3"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*"
  exit 1
}

case "$mode" in
  aa-ingest | aa-search | planted-search)
    what=${mode#*-}
    if [ "$mode" = planted-search ]; then
      SIMVUS_BENCH_PLANT_SEARCH_SLOWDOWN=0.05 "$simvus" bench "$what" --out "$tmp/current.json" ||
        fail "bench $what exited $?"
    else
      "$simvus" bench "$what" --out "$tmp/current.json" || fail "bench $what exited $?"
    fi
    "$simvus" bench compare "$arg/$what.json" "$tmp/current.json" >"$tmp/compare.txt" 2>&1
    status=$?
    cat "$tmp/compare.txt"
    if [ "$mode" = planted-search ]; then
      [ "$status" -eq 1 ] || fail "compare exited $status on a planted 5% slowdown, expected 1"
      grep -q "REGRESSION.*det_sim_p50_ms (CHANGED)" "$tmp/compare.txt" ||
        fail "the regression line does not name det_sim_p50_ms"
    else
      [ "$status" -eq 0 ] || fail "compare exited $status on an A/A run, expected 0"
    fi
    ;;
  aa-wallclock)
    for run in a b; do
      "$arg" --benchmark_filter='^BM_LogState_Append/128$' --benchmark_repetitions=9 \
        --benchmark_min_time=0.05 --benchmark_out_format=json \
        --benchmark_out="$tmp/$run.json" >/dev/null 2>&1 || fail "bench_storage exited $?"
    done
    "$simvus" bench compare "$tmp/a.json" "$tmp/b.json" >"$tmp/compare.txt" 2>&1
    status=$?
    cat "$tmp/compare.txt"
    [ "$status" -eq 0 ] || fail "compare exited $status on an A/A wall-clock run, expected 0"
    grep -q "not enough repetitions" "$tmp/compare.txt" && fail "9 repetitions judged too few"
    ;;
  *)
    fail "unknown mode '$mode'; expected aa-ingest, aa-search, planted-search or aa-wallclock"
    ;;
esac
echo "bench gate: $mode passed"
