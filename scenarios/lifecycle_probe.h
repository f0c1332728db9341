// LifecycleProbe: which lifecycle states a simulated cluster is in right now, for the nemesis's
// coverage table (fault kind x state).
//
// Reads the simulated etcd directly (no request, no trace event, no effect on the run): segment
// states Growing / Sealed / Flushing / Flushed / Dropped from DataCoord's segment keys, plus
// "Indexing" while an index build is in progress. Compactions and loads show as the segment states
// they produce (a compaction's inputs go Dropped; a load follows Flushed).
#pragma once

#include <string>
#include <vector>

#include "sim/storage/sim_storage.h"

namespace simvus::scenarios {

std::vector<std::string> LifecycleStates(sim::SimStorage& storage);

}  // namespace simvus::scenarios
