// Runner: builds a simulated cluster for one seed, runs a scenario, checks the history.
//
// The cluster: storage hosts (kafka, s3, etcd) plus rootcoord, datacoord, datanode-1, querynode-1,
// proxy-1 and client-1 as separate nodes on the simulated network. The run ends when the workload
// finishes (or the scenario's time limit passes: a liveness failure), then the consistency
// checker and the scenario's own check judge the history. Same seed, same binary: same events,
// same trace hash.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/consistency_checker.h"
#include "reports/run_record.h"
#include "scenarios/scenario.h"
#include "sim/trace_recorder.h"

namespace simvus::scenarios {

struct RunOptions {
  uint64_t seed = 1;
  // A deliberate bug to switch on (checker self-test); kNone in every normal run.
  roles::ClusterConfig::InjectedBug injected_bug = roles::ClusterConfig::InjectedBug::kNone;
  bool keep_events = false;  // keep every trace event in the report (determinism checks)
  // Sample every metric of the run's registry at each trace event into RunReport::metrics
  // (points only where a value changed). Reads only: the trace hash is the same either way.
  bool sample_metrics = false;
  // Changes the cluster after the scenario's setup (a tour's --set, a learner's experiment).
  std::function<void(roles::ClusterConfig&)> configure;
  // Called for every trace event as it happens (narration, trace files).
  std::function<void(const sim::RecordedEvent&)> on_event;
  // Called for each scenario-level story line.
  std::function<void(Duration at, const std::string&)> on_say;
};

struct RunReport {
  bool pass = false;
  std::string invariant;  // set when !pass
  std::string detail;
  uint64_t seed = 0;
  uint64_t events = 0;
  Duration sim_time;
  // When the run began, on the clock the history's times are read from (sim: the scheduler's
  // epoch; real: the wall clock at start): trace events are relative to it, history ops are not.
  Instant epoch;
  uint64_t trace_hash = 0;
  int64_t checked_reads = 0;
  reports::History history;
  std::vector<sim::RecordedEvent> trace;       // when keep_events
  std::vector<reports::MetricSeries> metrics;  // when sample_metrics
  // Each judge that ran (liveness, the consistency checker, the scenario's check, its audit)
  // with its result, in the order they judged (filled by JudgeRun).
  std::vector<reports::JudgeResult> judges;
  // The nemesis's coverage: (fault kind, lifecycle state at the firing) -> firings; and the crash
  // points and buggify sites that fired.
  std::map<std::pair<std::string, std::string>, int64_t> coverage;
  std::map<std::string, int64_t> fired_points;
};

RunReport RunScenario(const Scenario& scenario, const RunOptions& options);

// The verdict of a finished run, shared by the simulated and the real runner: liveness (no
// outcome), the workload's own error, the consistency checker (Bounded's bound stretched by the
// proxies' clock error), the scenario's check and its storage audit. Fills pass/invariant/detail.
void JudgeRun(const Scenario& scenario, const std::optional<Status>& outcome,
              const std::optional<reports::CheckResult>& audited, Duration proxy_clock_error,
              RunReport& report);

// "simvus run <scenario> --seed N [--inject-bug B]": the command that reproduces a run.
std::string ReproCommand(
    const std::string& scenario, uint64_t seed,
    roles::ClusterConfig::InjectedBug bug = roles::ClusterConfig::InjectedBug::kNone);

// Injected bugs by CLI name ("stale-read", "ignore-deletes", ...: InjectedBugNames() lists them
// all). nullopt for an unknown name.
std::optional<roles::ClusterConfig::InjectedBug> ParseInjectedBug(const std::string& name);
std::string InjectedBugName(roles::ClusterConfig::InjectedBug bug);
// Every injected bug's CLI name, comma-separated, for usage and error messages.
std::string InjectedBugNames();

}  // namespace simvus::scenarios
