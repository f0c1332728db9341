#include "components/env/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <exception>

#include "components/env/check.h"

namespace simvus {

namespace {

// prometheus-cpp throws on a bad name or label, or a name registered as another type: our bug,
// caught here so that no exception leaves the port.
template <typename Build>
auto Guarded(std::string_view name, Build build) -> decltype(build()) {
  try {
    return build();
  } catch (const std::exception& e) {
    CheckFailed(__FILE__, __LINE__, "prometheus-cpp accepted the metric",
                "metric " + std::string(name) + ": " + e.what());
  }
}

}  // namespace

const Metrics::Buckets& Metrics::LatencyBucketsMs() {
  static const Buckets buckets = [] {
    Buckets b;
    for (double ms = 1; ms <= 131072; ms *= 2) b.push_back(ms);
    return b;
  }();
  return buckets;
}

const Metrics::Buckets& Metrics::LongTaskBucketsMs() {
  static const Buckets buckets = {1,      100,    500,    1000,    5000,    10000,   20000,   50000,
                                  100000, 250000, 500000, 1000000, 3600000, 5000000, 10000000};
  return buckets;
}

Metrics::Metrics(std::shared_ptr<prometheus::Registry> registry, std::string node)
    : registry_(std::move(registry)), node_(std::move(node)) {
  SIMVUS_CHECK(registry_ != nullptr, "Metrics without a registry");
}

Metrics::~Metrics() = default;

std::string Metrics::Key(std::string_view name, const Labels& labels) const {
  std::string key(name);
  for (const auto& [label, value] : labels) {
    key += '\x1f';
    key += label;
    key += '=';
    key += value;
  }
  return key;
}

Metrics::Labels Metrics::WithNode(const Labels& labels) const {
  Labels all = labels;
  all["node"] = node_;
  return all;
}

prometheus::Counter& Metrics::Counter(std::string_view name, const Labels& labels) {
  const std::string key = Key(name, labels);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = counters_.find(key);
  if (it != counters_.end()) return *it->second;
  prometheus::Counter& counter = Guarded(name, [&]() -> prometheus::Counter& {
    return prometheus::BuildCounter()
        .Name(std::string(name))
        .Register(*registry_)
        .Add(WithNode(labels));
  });
  counters_.emplace(key, &counter);
  return counter;
}

prometheus::Gauge& Metrics::Gauge(std::string_view name, const Labels& labels) {
  const std::string key = Key(name, labels);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = gauges_.find(key);
  if (it != gauges_.end()) return *it->second;
  auto family = gauge_families_.find(name);
  if (family == gauge_families_.end()) {
    prometheus::Family<prometheus::Gauge>& built =
        Guarded(name, [&]() -> prometheus::Family<prometheus::Gauge>& {
          return prometheus::BuildGauge().Name(std::string(name)).Register(*registry_);
        });
    family = gauge_families_.emplace(std::string(name), &built).first;
  }
  prometheus::Family<prometheus::Gauge>* gauges = family->second;
  prometheus::Gauge& gauge =
      Guarded(name, [&]() -> prometheus::Gauge& { return gauges->Add(WithNode(labels)); });
  gauges_.emplace(key, &gauge);
  return gauge;
}

prometheus::Histogram& Metrics::Histogram(std::string_view name, const Buckets& buckets,
                                          const Labels& labels) {
  const std::string key = Key(name, labels);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = histograms_.find(key);
  if (it != histograms_.end()) return *it->second;
  prometheus::Histogram& histogram = Guarded(name, [&]() -> prometheus::Histogram& {
    return prometheus::BuildHistogram()
        .Name(std::string(name))
        .Register(*registry_)
        .Add(WithNode(labels), buckets);
  });
  histograms_.emplace(key, &histogram);
  return histogram;
}

void Metrics::Increment(std::string_view name, double by, const Labels& labels) {
  SIMVUS_CHECK(by >= 0, "counter " + std::string(name) + " decremented");
  Counter(name, labels).Increment(by);
}

void Metrics::Set(std::string_view name, double value, const Labels& labels) {
  Gauge(name, labels).Set(value);
}

void Metrics::Observe(std::string_view name, double value, const Buckets& buckets,
                      const Labels& labels) {
  Histogram(name, buckets, labels).Observe(value);
}

void Metrics::RemoveGauge(std::string_view name, const Labels& labels) {
  const std::string key = Key(name, labels);
  std::lock_guard<std::mutex> lock(mutex_);
  auto family = gauge_families_.find(name);
  if (family == gauge_families_.end()) return;
  // Another incarnation of this node may have created the series: ask the family for it.
  prometheus::Family<prometheus::Gauge>* gauges = family->second;
  const prometheus::Labels all = WithNode(labels);
  if (!gauges->Has(all)) return;
  gauges->Remove(&gauges->Add(all));
  gauges_.erase(key);
}

}  // namespace simvus
