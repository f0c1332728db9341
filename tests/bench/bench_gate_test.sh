#!/bin/sh
# The regression gate's proofs (bench/README.md, "The regression gate"):
#
#   bench_gate_test.sh aa-ingest|aa-search|aa-freshness|aa-recovery|aa-streaming|planted-search SIMVUS BASELINE_DIR
#   bench_gate_test.sh aa-wallclock SIMVUS BENCH_STORAGE
#
# aa-<bench> reruns the macro benchmark at its defaults and compares it with the
# checked-in baseline: every deterministic figure must match (exit 0). planted-search reruns search
# with a 5% slower search cost (SIMVUS_BENCH_PLANT_SEARCH_SLOWDOWN=0.05): compare must exit 1 and
# name det_sim_p50_ms. aa-wallclock runs one fast bench_storage case 15 times as a and 15 times as
# b, interleaved, and compares the pooled sides: the Mann-Whitney gate must not call noise a
# regression (an alarm must not survive a second A/A).
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
  aa-ingest | aa-search | aa-freshness | aa-recovery | aa-streaming | planted-search)
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
    # Fifteen rounds, each one repetition of a then one of b: interleaved, so that the machine's
    # drift (other tenants, frequency) falls on both sides rather than on whichever ran second.
    # A U test at alpha 0.05 calls an A/A pair different about once in twenty by construction,
    # so an alarm is confirmed by a second interleaved A/A, as one would confirm a real
    # regression before acting on it: the test fails only when both alarm.
    aa_once() {
      a_files="" b_files=""
      for round in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
        for run in a b; do
          "$arg" --benchmark_filter='^BM_LogState_Append/128$' --benchmark_repetitions=1 \
            --benchmark_min_time=0.05 --benchmark_out_format=json \
            --benchmark_out="$tmp/$run$round.json" >/dev/null 2>&1 || fail "bench_storage exited $?"
        done
        a_files="$a_files${a_files:+,}$tmp/a$round.json"
        b_files="$b_files${b_files:+,}$tmp/b$round.json"
      done
      "$simvus" bench compare "$a_files" "$b_files" >"$tmp/compare.txt" 2>&1
      status=$?
      cat "$tmp/compare.txt"
      grep -q "not enough repetitions" "$tmp/compare.txt" && fail "15 repetitions judged too few"
      return $status
    }
    if ! aa_once; then
      echo "an alarm on an A/A pair: confirming with a second interleaved A/A"
      aa_once || fail "compare exited 1 on two A/A wall-clock runs in a row, expected 0"
    fi
    ;;
  *)
    fail "unknown mode '$mode'; expected aa-ingest, aa-search, aa-freshness, aa-recovery, aa-streaming, planted-search or aa-wallclock"
    ;;
esac
echo "bench gate: $mode passed"
