#!/bin/sh
# simvus run --report as a user runs it: a passing and a failing run each write report.html,
# report.json and summary.md; the failing one names its invariant and the event nearest the
# failure; --report leaves the trace hash as it is; a report to a place that cannot be written is
# exit 2 naming the place.
set -u
simvus="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

plain="$("$simvus" run timeline --seed 1 --quiet)" || fail "timeline seed 1 failed"
with="$("$simvus" run timeline --seed 1 --quiet --report "$dir/pass")" || fail "timeline --report failed"
hash() { echo "$1" | sed -n 's/.*trace_hash=\([0-9a-f]*\).*/\1/p'; }
[ "$(hash "$plain")" = "$(hash "$with")" ] || fail "--report changed the trace hash: $(hash "$plain") vs $(hash "$with")"
for f in report.html report.json summary.md; do
  [ -s "$dir/pass/$f" ] || fail "no $f"
done
grep -q '"schema":"simvus.report/1"' "$dir/pass/report.json" || fail "report.json lacks its schema"
grep -q '"verdict":{"pass":true' "$dir/pass/report.json" || fail "report.json lacks the PASS verdict"
grep -q "trace_hash\":\"$(hash "$plain")\"" "$dir/pass/report.json" || fail "report.json lacks the trace hash"
grep -q 'id="simvus-report"' "$dir/pass/report.html" || fail "report.html lacks the embedded report"
if grep -q '{{REPORT_JSON}}\|/\*{{STYLE}}\*/\|/\*{{SCRIPTS}}\*/' "$dir/pass/report.html"; then
  fail "report.html still has a template marker"
fi
grep -q 'PASS' "$dir/pass/summary.md" || fail "summary.md lacks the verdict"

"$simvus" run timeline --seed 1 --quiet --inject-bug ignore-deletes --report "$dir/fail" >/dev/null
[ $? -eq 1 ] || fail "the ignore-deletes run did not exit 1"
grep -q '"verdict":{"pass":false,"invariant":"deleted-row-returned"' "$dir/fail/report.json" ||
  fail "the failed run's report.json does not name deleted-row-returned"
grep -q '"failed_event":-1' "$dir/fail/report.json" && fail "the failed run's report points at no event"
grep -q 'deleted-row-returned' "$dir/fail/summary.md" || fail "summary.md does not name the invariant"
grep -q 'simvus run timeline --seed 1 --inject-bug ignore-deletes' "$dir/fail/summary.md" ||
  fail "summary.md lacks the reproduce command"

touch "$dir/a-file"
for bad in "$dir/a-file" /proc/no-such-dir; do
  out="$("$simvus" run timeline --seed 1 --quiet --report "$bad" 2>&1)"
  [ $? -eq 2 ] || fail "--report $bad is not exit 2"
  echo "$out" | grep -q -- "--report: .*$bad" || fail "--report $bad: the error does not name it: $out"
done
echo "report CLI: all checks passed"
