// RunRecord: everything a run's report shows, as plain values (schema in report_schema.md).
//
// The runner fills one after a run (simulated or real); report_json, report_markdown and
// report_html turn it into report.json, summary.md and report.html. Nothing here knows roles or
// the simulator: events are the Trace's own value type stamped with their time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "components/env/time.h"
#include "components/env/trace.h"
#include "reports/history.h"

namespace simvus::reports {

// One judge of a run and what it found. A judge stops at its first violation, so "fail" names
// the first violated invariant; the others it covers were not judged past it.
struct JudgeResult {
  std::string name;    // "liveness", "consistency-checker", "scenario-check", "storage-audit"
  std::string result;  // "pass" | "fail" | "skipped"
  std::string invariant;
  std::string detail;
  std::vector<std::string> covers;  // the invariants it checks
};

// A Prometheus series sampled over the run: [t, value] points where its value changed.
// The runner's judges in the order they judge: 0 liveness, 1 consistency-checker,
// 2 scenario-check, 3 storage-audit; and the invariants each covers.
std::string JudgeName(size_t i);
std::vector<std::string> JudgeCovers(size_t i);

// A Prometheus series sampled over the run: [t, value] points where its value changed.
struct MetricSeries {
  std::string name;
  std::string type;  // "counter" | "gauge" | "histogram" (its _sum and _count series)
  std::vector<std::pair<std::string, std::string>> labels;  // sorted by label name
  std::vector<std::pair<Duration, double>> points;
};

struct TimedEvent {
  uint64_t index = 0;
  Duration at;
  TraceEvent event;
};

// A fault window: from the event that opened it to the one that closed it (or the run's end).
struct FaultWindow {
  std::string kind;  // "node.crash", "node.pause", "network.split", "network.link", "storage"...
  std::vector<std::string> nodes;  // the lanes it shades; empty = the whole cluster
  Duration start;
  Duration end;
  std::string text;
  int64_t start_event = -1;
  int64_t end_event = -1;
};

struct RunRecord {
  std::string scenario;
  std::string description;
  uint64_t seed = 0;
  std::string backend = "sim";
  std::string injected_bug;
  std::string reproduce;

  bool pass = false;
  std::string invariant;
  std::string detail;
  std::vector<JudgeResult> judges;

  uint64_t trace_hash = 0;
  Duration end;  // the run's length in its own time
  int64_t checked_reads = 0;

  std::vector<TimedEvent> events;
  std::vector<MetricSeries> metrics;
  const History* history = nullptr;
  // The history's times are on the clients' clocks (since the Unix epoch); minus this, they are
  // since the run began, as the events are.
  Duration history_epoch;
};

// The fault windows of a run, from its trace: node.crash .. node.restart, node.pause ..
// node.resume, the nemesis's splits .. heal and link windows .. "link faults end", storage outages.
std::vector<FaultWindow> FaultWindows(const std::vector<TimedEvent>& events, Duration end);

// Lanes in a stable order: coordinators, then proxies, workers, clients, storage hosts, others.
std::vector<std::string> LaneOrder(const std::vector<TimedEvent>& events);

// The index of the event nearest the failure: the first event at or after the failed
// operation's completion that mentions it, else the last step event; -1 on a pass.
int64_t FailedEvent(const RunRecord& record);

}  // namespace simvus::reports
