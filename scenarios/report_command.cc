#include "scenarios/report_command.h"

#include <filesystem>
#include <fstream>

#include "reports/report_html.h"
#include "reports/report_json.h"

namespace simvus::scenarios {
namespace {

Status WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Unavailable("cannot write '" + path.string() + "'");
  return Status::Ok();
}

}  // namespace

std::optional<std::string> PrepareReportDir(const std::string& dir) {
  if (dir.empty())
    return std::string(
        "--report: missing DIR (a directory to write report.html, "
        "report.json and summary.md into)");
  std::error_code ec;
  const std::filesystem::path path(dir);
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_directory(path, ec)) {
    return "--report: '" + dir + "' is a file; expected a directory to write the report into";
  }
  std::filesystem::create_directories(path, ec);
  if (ec) return "--report: cannot create directory '" + dir + "': " + ec.message();
  const std::filesystem::path probe = path / ".simvus-write-probe";
  {
    std::ofstream out(probe);
    if (!out) return "--report: cannot write into '" + dir + "'; expected a writable directory";
  }
  std::filesystem::remove(probe, ec);
  return std::nullopt;
}

void EnableReport(RunOptions& options) {
  options.keep_events = true;
  options.sample_metrics = true;
}

Status WriteRunReport(const std::string& dir, const std::string& label, const Scenario& scenario,
                      const RunOptions& options, const RunReport& report,
                      const std::string& backend) {
  reports::RunRecord record;
  record.backend = backend;
  record.scenario = label;
  record.description = scenario.description;
  record.seed = report.seed;
  record.injected_bug = options.injected_bug == roles::ClusterConfig::InjectedBug::kNone
                            ? ""
                            : InjectedBugName(options.injected_bug);
  record.reproduce = ReproCommand(label, report.seed, options.injected_bug);
  if (backend == "real") record.reproduce = "simvus run " + label + " --backend real";
  record.pass = report.pass;
  record.invariant = report.invariant;
  record.detail = report.detail;
  record.judges = report.judges;
  record.trace_hash = report.trace_hash;
  record.end = report.sim_time;
  record.checked_reads = report.checked_reads;
  record.events.reserve(report.trace.size());
  for (const sim::RecordedEvent& e : report.trace)
    record.events.push_back({e.index, e.at, e.event});
  record.metrics = report.metrics;
  record.history = &report.history;
  record.history_epoch = Duration::Nanos(report.epoch.unix_ns);

  const std::filesystem::path path(dir);
  const std::string json = reports::ReportJson(record);
  for (Status s : {WriteFile(path / "report.json", json),
                   WriteFile(path / "summary.md", reports::ReportMarkdown(record)),
                   WriteFile(path / "report.html", reports::ReportHtml(json))}) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace simvus::scenarios
