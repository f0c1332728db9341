#include "reports/report_json.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace simvus::reports {
namespace {

using Json = nlohmann::ordered_json;

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string_view ConsistencyName(Consistency c) {
  switch (c) {
    case Consistency::kStrong:
      return "strong";
    case Consistency::kSession:
      return "session";
    case Consistency::kBounded:
      return "bounded";
    case Consistency::kEventually:
      return "eventually";
    case Consistency::kCustomized:
      return "customized";
  }
  return "";
}

bool IsRead(OpType t) { return t == OpType::kSearch || t == OpType::kQuery; }

Json EventObject(const TimedEvent& e) {
  return Json{{"i", e.index},
              {"t_ns", e.at.ns},
              {"level", e.event.level == TraceLevel::kStep ? "step" : "detail"},
              {"node", e.event.node},
              {"kind", e.event.kind},
              {"from", e.event.from},
              {"to", e.event.to},
              {"text", e.event.text}};
}

}  // namespace

// Trace text is the roles' own words; a stray byte must not cost the report (replace, not throw).
std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string EventJson(const TimedEvent& event) { return Dump(EventObject(event)); }

std::string ReportJson(const RunRecord& r) {
  Json j;
  j["schema"] = "simvus.report/1";
  j["run"] = {
      {"scenario", r.scenario}, {"description", r.description},   {"seed", r.seed},
      {"backend", r.backend},   {"injected_bug", r.injected_bug}, {"reproduce", r.reproduce}};
  j["verdict"] = {{"pass", r.pass},
                  {"invariant", r.invariant},
                  {"detail", r.detail},
                  {"failed_event", FailedEvent(r)}};
  Json judges = Json::array();
  for (const JudgeResult& judge : r.judges) {
    judges.push_back({{"name", judge.name},
                      {"result", judge.result},
                      {"invariant", judge.invariant},
                      {"detail", judge.detail},
                      {"covers", judge.covers}});
  }
  j["judges"] = std::move(judges);

  int64_t steps = 0, messages = 0;
  for (const TimedEvent& e : r.events) {
    if (e.event.level == TraceLevel::kStep) ++steps;
    if (e.event.kind == "net.send") ++messages;
  }
  const int64_t operations = r.history ? static_cast<int64_t>(r.history->ops().size()) : 0;
  j["figures"] = {{"events", r.events.size()},
                  {"step_events", steps},
                  {"messages", messages},
                  {"sim_time_ns", r.end.ns},
                  {"trace_hash", r.backend == "sim" ? Hex(r.trace_hash) : ""},
                  {"checked_reads", r.checked_reads},
                  {"operations", operations}};
  j["nodes"] = LaneOrder(r.events);

  Json events = Json::array();
  for (const TimedEvent& e : r.events) events.push_back(EventObject(e));
  j["events"] = std::move(events);

  Json faults = Json::array();
  for (const FaultWindow& w : FaultWindows(r.events, r.end)) {
    faults.push_back({{"kind", w.kind},
                      {"nodes", w.nodes},
                      {"start_ns", w.start.ns},
                      {"end_ns", w.end.ns},
                      {"text", w.text},
                      {"start_event", w.start_event},
                      {"end_event", w.end_event}});
  }
  j["faults"] = std::move(faults);

  Json ops = Json::array();
  if (r.history != nullptr) {
    for (const Operation& op : r.history->ops()) {
      const bool done = op.outcome != Outcome::kPending;
      ops.push_back({{"index", op.index},
                     {"client", op.client},
                     {"type", OpTypeName(op.type)},
                     {"label", op.label},
                     {"invoke_ns", (op.invoke_at - r.history_epoch).ns},
                     {"complete_ns", done ? (op.complete_at - r.history_epoch).ns : -1},
                     {"outcome", OutcomeName(op.outcome)},
                     {"consistency", IsRead(op.type) ? ConsistencyName(op.consistency) : ""},
                     {"error", op.error},
                     {"rows", op.pks.size()},
                     {"hits", op.type == OpType::kQuery ? op.result_pks.size() : op.hits.size()}});
    }
  }
  j["operations"] = std::move(ops);

  Json metrics = Json::array();
  for (const MetricSeries& s : r.metrics) {
    Json labels = Json::object();
    for (const auto& [k, v] : s.labels) labels[k] = v;
    Json points = Json::array();
    for (const auto& [t, v] : s.points) points.push_back(Json::array({t.ns, v}));
    metrics.push_back(
        {{"name", s.name}, {"type", s.type}, {"labels", std::move(labels)}, {"points", points}});
  }
  j["metrics"] = std::move(metrics);
  return Dump(j);
}

std::string ReportMarkdown(const RunRecord& r) {
  std::ostringstream out;
  out << "# simvus run: " << r.scenario << " seed " << r.seed << " — " << (r.pass ? "PASS" : "FAIL")
      << "\n\n";
  if (!r.description.empty()) out << r.description << "\n\n";
  if (!r.pass) {
    out << "**Failed invariant: `" << r.invariant << "`**\n\n> " << r.detail << "\n\n";
  }
  out << "| judge | result | invariant |\n|---|---|---|\n";
  for (const JudgeResult& judge : r.judges) {
    out << "| " << judge.name << " | " << judge.result << " | " << judge.invariant << " |\n";
  }
  int64_t steps = 0;
  for (const TimedEvent& e : r.events) steps += e.event.level == TraceLevel::kStep ? 1 : 0;
  out << "\n| figure | value |\n|---|---|\n"
      << "| backend | " << r.backend << " |\n"
      << "| events | " << r.events.size() << " (" << steps << " steps) |\n"
      << (r.backend == "sim" ? "| sim time | " : "| wall time | ") << ToString(r.end) << " |\n"
      << "| operations | " << (r.history ? r.history->ops().size() : 0) << " |\n"
      << "| checked reads | " << r.checked_reads << " |\n"
      << "| fault windows | " << FaultWindows(r.events, r.end).size() << " |\n"
      << "| trace hash | "
      << (r.backend == "sim" ? "`" + Hex(r.trace_hash) + "`"
                             : "none (a real run is not deterministic)")
      << " |\n";
  if (!r.injected_bug.empty()) out << "| injected bug | " << r.injected_bug << " |\n";
  out << "\nReproduce: `" << r.reproduce << "`\n";
  return out.str();
}

}  // namespace simvus::reports
