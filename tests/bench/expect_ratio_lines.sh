#!/bin/sh
# Runs a benchmark and checks its "ratio <name> <value>" lines, so a smoke test fails on a ratio
# that is missing, is not a finite number, or claims a value that was never measured.
#
#   expect_ratio_lines.sh "<measured names>" "<not-measured names>" -- <benchmark> [args...]
#
# Each measured name must appear on exactly one line as `ratio NAME X` with X a finite decimal
# number; each not-measured name as `ratio NAME not-measured (...)`. The benchmark must exit 0.
set -u
measured="$1"
unmeasured="$2"
shift 2
[ "$1" = "--" ] && shift

out=$("$@" 2>&1)
status=$?
printf '%s\n' "$out" | grep '^ratio '
if [ "$status" -ne 0 ]; then
  printf '%s\n' "$out" | tail -20
  echo "FAIL: benchmark exited $status"
  exit 1
fi

fail=0
for name in $measured; do
  lines=$(printf '%s\n' "$out" | grep -c "^ratio $name ")
  if [ "$lines" -ne 1 ]; then
    echo "FAIL: expected one 'ratio $name' line, found $lines"
    fail=1
    continue
  fi
  value=$(printf '%s\n' "$out" | sed -n "s/^ratio $name //p")
  if ! printf '%s\n' "$value" | grep -Eq '^[0-9]+(\.[0-9]+)?$'; then
    echo "FAIL: ratio $name is '$value', not a finite non-negative number"
    fail=1
  fi
done
for name in $unmeasured; do
  if ! printf '%s\n' "$out" | grep -q "^ratio $name not-measured"; then
    echo "FAIL: ratio $name should say not-measured (its benchmarks were filtered out)"
    fail=1
  fi
done
if printf '%s\n' "$out" | grep -Eiq '^ratio .*(nan|inf)'; then
  echo "FAIL: a ratio line prints nan or inf"
  fail=1
fi
[ "$fail" -eq 0 ] && echo "ratio lines OK"
exit "$fail"
