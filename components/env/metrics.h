// Metrics: Prometheus-convention counters and gauges for one node.
//
// Backed by a prometheus-cpp registry shared by the run; every series carries a `node` label.
// Metric names follow Prometheus conventions with units last (simvus_proxy_insert_rows_total).
// Metrics never feed back into behaviour, so they cannot affect determinism.
#pragma once

#include <memory>
#include <string>

namespace prometheus {
class Registry;
}

namespace simvus {

class Metrics {
 public:
  Metrics(std::shared_ptr<prometheus::Registry> registry, std::string node);
  void Increment(const std::string& name, double by = 1.0);
  void Set(const std::string& name, double value);
  prometheus::Registry& registry() { return *registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::string node_;
};

}  // namespace simvus
