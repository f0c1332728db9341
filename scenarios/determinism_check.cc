#include "scenarios/determinism_check.h"

#include "components/env/check.h"
#include "reports/narrator.h"

namespace simvus::scenarios {

std::optional<uint64_t> FirstDivergentEvent(const std::vector<sim::RecordedEvent>& a,
                                            const std::vector<sim::RecordedEvent>& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i].hash_after == b[i].hash_after) ++i;
  if (i == a.size() && i == b.size()) return std::nullopt;
  return static_cast<uint64_t>(i);
}

std::optional<Divergence> CheckDeterminism(
    const Scenario& scenario, uint64_t first_seed, uint64_t last_seed,
    const std::function<void(const DeterminismProgress&)>& progress) {
  SIMVUS_CHECK(first_seed <= last_seed, "CheckDeterminism: empty seed range");
  DeterminismProgress p;
  p.total = last_seed - first_seed + 1;
  p.first_seed = first_seed;
  for (uint64_t seed = first_seed;; ++seed) {
    RunOptions options;
    options.seed = seed;
    options.keep_events = true;
    const RunReport a = RunScenario(scenario, options);
    const RunReport b = RunScenario(scenario, options);
    SIMVUS_CHECK(a.trace.size() == a.events && b.trace.size() == b.events,
                 "CheckDeterminism: a kept trace must hold every event");
    const std::optional<uint64_t> at = FirstDivergentEvent(a.trace, b.trace);
    // Equal traces fold into equal hashes; a hash that differs over equal traces is our bug.
    SIMVUS_CHECK(at.has_value() || a.trace_hash == b.trace_hash,
                 "CheckDeterminism: equal traces with different hashes");
    if (at) {
      Divergence d;
      d.seed = seed;
      d.event_index = *at;
      if (*at < a.trace.size()) d.run1 = a.trace[*at];
      if (*at < b.trace.size()) d.run2 = b.trace[*at];
      return d;
    }
    ++p.done;
    p.last_seed_done = seed;
    p.last_events = a.events;
    p.last_trace_hash = a.trace_hash;
    if (progress) progress(p);
    if (seed == last_seed) return std::nullopt;
  }
}

std::string DescribeDivergence(const std::string& scenario_name, const Divergence& d) {
  auto line = [](const std::optional<sim::RecordedEvent>& e) {
    return e ? reports::NarrateLine(e->at, e->event) : std::string("(the run had ended)");
  };
  return "seed " + std::to_string(d.seed) + ": runs DIVERGE at event " +
         std::to_string(d.event_index) + "\n  run 1: " + line(d.run1) +
         "\n  run 2: " + line(d.run2) + "\nreproduce: " + ReproCommand(scenario_name, d.seed) +
         "\n";
}

}  // namespace simvus::scenarios
