#include "reports/metric_sampler.h"

#include <prometheus/registry.h>

#include <algorithm>

namespace simvus::reports {

void MetricSampler::Point(const std::string& name, const std::string& type,
                          const std::vector<std::pair<std::string, std::string>>& labels,
                          Duration at, double value) {
  std::string key = name + "{";
  for (const auto& [k, v] : labels) key += k + "=" + v + ",";
  auto [it, inserted] = index_.emplace(key, series_.size());
  if (inserted) series_.push_back({name, type, labels, {}});
  MetricSeries& s = series_[it->second];
  if (!s.points.empty() && s.points.back().second == value) return;
  if (!s.points.empty() && s.points.back().first == at) {
    s.points.back().second = value;  // several changes at one instant: keep the last
    return;
  }
  s.points.emplace_back(at, value);
}

void MetricSampler::Sample(Duration at) {
  for (const prometheus::MetricFamily& family : registry_.Collect()) {
    for (const prometheus::ClientMetric& metric : family.metric) {
      std::vector<std::pair<std::string, std::string>> labels;
      for (const prometheus::ClientMetric::Label& l : metric.label)
        labels.emplace_back(l.name, l.value);
      std::sort(labels.begin(), labels.end());
      switch (family.type) {
        case prometheus::MetricType::Counter:
          Point(family.name, "counter", labels, at, metric.counter.value);
          break;
        case prometheus::MetricType::Gauge:
          Point(family.name, "gauge", labels, at, metric.gauge.value);
          break;
        case prometheus::MetricType::Histogram:
          Point(family.name + "_sum", "histogram", labels, at, metric.histogram.sample_sum);
          Point(family.name + "_count", "histogram", labels, at,
                static_cast<double>(metric.histogram.sample_count));
          break;
        case prometheus::MetricType::Summary:
          Point(family.name + "_sum", "summary", labels, at, metric.summary.sample_sum);
          Point(family.name + "_count", "summary", labels, at,
                static_cast<double>(metric.summary.sample_count));
          break;
        default:
          Point(family.name, "untyped", labels, at, metric.untyped.value);
          break;
      }
    }
  }
}

std::vector<MetricSeries> MetricSampler::Take() {
  index_.clear();
  return std::move(series_);
}

}  // namespace simvus::reports
