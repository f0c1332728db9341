#include "components/env/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace simvus {

Metrics::Metrics(std::shared_ptr<prometheus::Registry> registry, std::string node)
    : registry_(std::move(registry)), node_(std::move(node)) {}

void Metrics::Increment(const std::string& name, double by) {
  prometheus::BuildCounter().Name(name).Register(*registry_).Add({{"node", node_}}).Increment(by);
}

void Metrics::Set(const std::string& name, double value) {
  prometheus::BuildGauge().Name(name).Register(*registry_).Add({{"node", node_}}).Set(value);
}

}  // namespace simvus
