// --report DIR for `simvus run` and `simvus tour`: the files a person (report.html), CI
// (summary.md) and a machine (report.json, schema in reports/report_schema.md) read after a run.
#pragma once

#include <optional>
#include <string>

#include "components/env/status.h"
#include "scenarios/runner.h"

namespace simvus::scenarios {

// Creates DIR if needed and checks that a file can be written there. nullopt when it can; else
// the usage error to print (exit 2), naming the directory and why.
std::optional<std::string> PrepareReportDir(const std::string& dir);

// What a report needs of a run: every trace event kept and the metrics sampled on sim time.
void EnableReport(RunOptions& options);

// Writes DIR/report.json, DIR/summary.md and DIR/report.html for a finished run made with
// EnableReport(options). `label` is the scenario's name or its file's path; `backend` "sim" or
// "real" (wall-clock times, no trace hash). A failed run's report highlights the failure.
Status WriteRunReport(const std::string& dir, const std::string& label, const Scenario& scenario,
                      const RunOptions& options, const RunReport& report,
                      const std::string& backend = "sim");

}  // namespace simvus::scenarios
