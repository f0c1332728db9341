#include "components/ann/metric.h"

#include <limits>
#include <string>

namespace simvus::ann {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'a' && a[i] <= 'z' ? static_cast<char>(a[i] - 'a' + 'A') : a[i];
    char y = b[i] >= 'a' && b[i] <= 'z' ? static_cast<char>(b[i] - 'a' + 'A') : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view MetricTypeName(MetricType metric) {
  switch (metric) {
    case MetricType::kL2:
      return "L2";
    case MetricType::kIP:
      return "IP";
    case MetricType::kCosine:
      return "COSINE";
  }
  return "?";
}

Result<MetricType> ParseMetricType(std::string_view name) {
  for (MetricType m : {MetricType::kL2, MetricType::kIP, MetricType::kCosine}) {
    if (EqualsIgnoreCase(name, MetricTypeName(m))) return m;
  }
  return InvalidArgument("metric_type: '" + std::string(name) +
                         "' is not supported, expected one of L2, IP, COSINE");
}

float WorstScore(MetricType metric) {
  return PositivelyRelated(metric) ? -std::numeric_limits<float>::infinity()
                                   : std::numeric_limits<float>::infinity();
}

}  // namespace simvus::ann
