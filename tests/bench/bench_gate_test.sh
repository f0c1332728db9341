#!/bin/sh
# The regression gate's proofs (bench/README.md, "The regression gate"):
#
#   bench_gate_test.sh aa-ingest|aa-search|aa-freshness|aa-recovery|aa-streaming|planted-search SIMVUS BASELINE_DIR
#   bench_gate_test.sh aa-wallclock SIMVUS BENCH_STORAGE
#   bench_gate_test.sh planted-wallclock SIMVUS BENCH_SEARCH_PATH BENCH_SEARCH_PATH_PLANTED
#
# aa-<bench> reruns the macro benchmark at its defaults and compares it with the
# checked-in baseline: every deterministic figure must match (exit 0). planted-search reruns search
# with a 5% slower search cost (SIMVUS_BENCH_PLANT_SEARCH_SLOWDOWN=0.05): compare must exit 1 and
# name a det_sim_p50_ms_ef_E figure (one per ef of the sweep). aa-wallclock runs one fast
# bench_storage case 15 times as a and 15 times as b, interleaved, and compares the pooled sides:
# the Mann-Whitney gate must not call noise a regression (an alarm must not survive a second A/A).
# planted-wallclock runs the segment search path 25 times in the normal build as a and 25 times
# in the test build with a planted 20% slowdown (bench_search_path_planted) as b, interleaved:
# compare must exit 1 and name real_time SLOWER (a miss is retried once).
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

# Fifteen rounds, each one repetition of BENCH_A as a then one of BENCH_B as b, of the benchmarks
# FILTER selects: interleaved, so that the machine's drift (other tenants, frequency) falls on
# both sides rather than on whichever ran second. Compares the pooled sides, prints the
# comparison (also left in $tmp/compare.txt) and returns compare's exit status.
compare_interleaved() {  # BENCH_A BENCH_B FILTER MIN_TIME ROUNDS
  a_files="" b_files=""
  for round in $(seq "$5"); do
    for run in a b; do
      bench="$1"
      [ "$run" = b ] && bench="$2"
      "$bench" --benchmark_filter="$3" --benchmark_repetitions=1 \
        --benchmark_min_time="$4" --benchmark_out_format=json \
        --benchmark_out="$tmp/$run$round.json" >/dev/null 2>&1 || fail "$bench exited $?"
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
      grep -q "REGRESSION.*det_sim_p50_ms_ef_[0-9]* (CHANGED)" "$tmp/compare.txt" ||
        fail "no regression line names a det_sim_p50_ms_ef_E figure"
    else
      [ "$status" -eq 0 ] || fail "compare exited $status on an A/A run, expected 0"
    fi
    ;;
  aa-wallclock)
    # A U test at alpha 0.05 calls an A/A pair different about once in twenty by construction,
    # so an alarm is confirmed by a second interleaved A/A, as one would confirm a real
    # regression before acting on it: the test fails only when both alarm.
    aa_once() { compare_interleaved "$arg" "$arg" '^BM_LogState_Append/128$' 0.05 15; }
    if ! aa_once; then
      echo "an alarm on an A/A pair: confirming with a second interleaved A/A"
      aa_once || fail "compare exited 1 on two A/A wall-clock runs in a row, expected 0"
    fi
    ;;
  planted-wallclock)
    # The test build repeats 20% of its searches (bench/bench_search_path.cc): 20% more real
    # work in the search path, which the U test over the runs of both sides must call SLOWER.
    # Bursts of load on this shared machine hid the plant in about one 15-round comparison in
    # six (+5% to +8%, p 0.05-0.09): 25 rounds a side, and a miss is retried once, as one reruns
    # a suspicious benchmark before trusting it; the test fails when both comparisons miss.
    name='search_path/bruteforce/rows:20000/dim:64'
    planted_once() {
      compare_interleaved "$arg" "${4:-}" "^$name\$" 0.2 25
      status=$?
      [ "$status" -eq 1 ] && grep -q "REGRESSION.*$name real_time (SLOWER)" "$tmp/compare.txt"
    }
    if ! planted_once "$@"; then
      echo "the planted slowdown was not flagged: retrying once"
      planted_once "$@" || fail "compare did not flag $name real_time (SLOWER) twice in a row"
    fi
    ;;
  *)
    fail "unknown mode '$mode'; expected aa-ingest, aa-search, aa-freshness, aa-recovery, aa-streaming, planted-search, aa-wallclock or planted-wallclock"
    ;;
esac
echo "bench gate: $mode passed"
