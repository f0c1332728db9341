#!/usr/bin/env bash
# The long fuzz run: every target for RUNS executions (default 10 million) or MAX_SECONDS
# (default one hour), whichever comes first, starting from the checked-in corpus, with ASan,
# UBSan and LeakSanitizer on and a 5 s per-input timeout. Prints, per target, executions,
# executions/s and edges covered; a finding stops that target and is left as crash-*/leak-*/
# timeout-* in the work folder, to be minimized (-minimize_crash=1), fixed, and checked in under
# tests/fuzz/corpus/<target>/crash-<what-broke> with a regression test.
#
#   tests/fuzz/run_long.sh [RUNS] [MAX_SECONDS] [TARGET...]   (builds the fuzz preset first)
#
# New corpus entries are kept in build/fuzz/long-run/<target>/ (not checked in).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-10000000}"
max_seconds="${2:-3600}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
status=0
printf '%-18s %12s %10s %8s %8s  %s\n' target executions exec/s edges seconds verdict
shift 2 2>/dev/null || shift $#
targets="${*:-filter_expression segment_files log_message insert_validation scenario_file}"
for target in $targets; do
  work="build/fuzz/long-run/${target}"
  mkdir -p "$work/corpus"
  cp -n tests/fuzz/corpus/"$target"/* "$work/corpus/" 2>/dev/null || true
  log="$work/fuzz.log"
  start=$(date +%s)
  verdict=clean
  if ! (cd "$work" && "../../tests/fuzz/${target}_fuzzer" -runs="$runs" \
          -max_total_time="$max_seconds" -timeout=5 -print_final_stats=1 corpus > fuzz.log 2>&1); then
    verdict="FINDING (see $log)"
    status=1
  fi
  seconds=$(( $(date +%s) - start ))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-18s %12s %10s %8s %8s  %s\n' "$target" "${executions:-?}" "${rate:-?}" \
    "${edges:-?}" "$seconds" "$verdict"
done
exit "$status"
