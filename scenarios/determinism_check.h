// DeterminismCheck: runs each seed of a range twice and compares the two full traces.
//
// Two runs of one seed and one binary must record the same events in the same order, hence the
// same trace hash. When they do not, the check names the first event where the traces part —
// the earliest place a wall clock, an unseeded draw or an unordered iteration leaked into the
// run — with what each run recorded there, so the leak can be found from one report.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "scenarios/runner.h"
#include "scenarios/scenario.h"

namespace simvus::scenarios {

struct Divergence {
  uint64_t seed = 0;
  uint64_t event_index = 0;  // the first event the two runs recorded differently
  // What each run recorded at event_index; nullopt when that run had already ended there.
  std::optional<sim::RecordedEvent> run1, run2;
};

// The index of the first event whose running trace hash differs between the two traces, or the
// length of the shorter one when one is a prefix of the other; nullopt when they are the same.
std::optional<uint64_t> FirstDivergentEvent(const std::vector<sim::RecordedEvent>& a,
                                            const std::vector<sim::RecordedEvent>& b);

struct DeterminismProgress {
  uint64_t done = 0, total = 0;
  uint64_t first_seed = 0, last_seed_done = 0;
  uint64_t last_events = 0, last_trace_hash = 0;
};

// REQUIRES: first_seed <= last_seed. Stops at the first divergent seed and returns it; nullopt
// when every seed matched. `progress` (may be empty) is called after every seed.
std::optional<Divergence> CheckDeterminism(
    const Scenario& scenario, uint64_t first_seed, uint64_t last_seed,
    const std::function<void(const DeterminismProgress&)>& progress = {});

// The report `simvus check-determinism` prints for a divergence: the seed, the event index,
// both runs' narrated lines at that event, and the command that reproduces the seed.
std::string DescribeDivergence(const std::string& scenario_name, const Divergence& divergence);

}  // namespace simvus::scenarios
