// report.html: one self-contained page (no external requests) that shows a run to a person.
//
// The page is reports/html/template.html with uPlot's and report.css / report.js inlined and the
// run's report.json embedded; everything it draws it computes in the browser from that JSON.
#pragma once

#include <string>
#include <string_view>

namespace simvus::reports {

// The page for one report.json (ReportJson's output).
std::string ReportHtml(std::string_view report_json);

}  // namespace simvus::reports
