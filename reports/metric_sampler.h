// MetricSampler: reads a run's Prometheus registry at chosen moments into MetricSeries, keeping a
// point only where a series' value changed. In simulation the runner samples on sim time (at
// trace events), so the charts and the step-through's state panel are a pure function of the
// seed. Sampling only reads: it cannot change a run.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "reports/run_record.h"

namespace prometheus {
class Registry;
}

namespace simvus::reports {

class MetricSampler {
 public:
  explicit MetricSampler(prometheus::Registry& registry) : registry_(registry) {}

  void Sample(Duration at);
  // Every series in the order first seen.
  std::vector<MetricSeries> Take();

 private:
  void Point(const std::string& name, const std::string& type,
             const std::vector<std::pair<std::string, std::string>>& labels, Duration at,
             double value);

  prometheus::Registry& registry_;
  std::map<std::string, size_t> index_;  // name{labels} -> series
  std::vector<MetricSeries> series_;
};

}  // namespace simvus::reports
