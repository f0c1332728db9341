#include "scenarios/workload_helpers.h"

namespace simvus::scenarios {

void RandomLatency(sim::WorldOptions& world, roles::ClusterConfig&, Rng& rng) {
  world.link.latency_base = Duration::Micros(rng.UniformInt(100, 2000));
  world.link.latency_jitter_mean = Duration::Micros(rng.UniformInt(0, 1000));
}

}  // namespace simvus::scenarios
