// Small pieces the scenarios share: the collection they create and the per-seed network shape.
#pragma once

#include <string>

#include "components/env/rng.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"
#include "components/roles/row_conversion.h"
#include "sim/world.h"

namespace simvus::scenarios {

// A collection with an INT64 primary key "pk" and a FLOAT_VECTOR field "vec" of `dim` (L2).
using roles::PkVectorSchema;

// Random network latency per seed: a base of 0.1-2 ms plus exponential jitter of up to 1 ms mean.
void RandomLatency(sim::WorldOptions& world, roles::ClusterConfig& config, Rng& rng);

}  // namespace simvus::scenarios
