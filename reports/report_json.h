// report.json (schema simvus.report/1, see report_schema.md) and summary.md of a run.
#pragma once

#include <string>

#include "reports/run_record.h"

namespace simvus::reports {

// The whole report as JSON: run, verdict, judges, figures, lanes, events, fault windows,
// operations and sampled metrics. Keys in a fixed order: the same run writes the same bytes.
std::string ReportJson(const RunRecord& record);

// A Markdown summary for CI: the verdict, each judge, the figures and the reproduce command.
std::string ReportMarkdown(const RunRecord& record);

// One trace event as a JSON object (the line format of `simvus run --trace FILE`).
std::string EventJson(const TimedEvent& event);

}  // namespace simvus::reports
