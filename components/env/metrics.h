// Metrics: Prometheus counters, gauges and histograms for one node.
//
// Backed by a prometheus-cpp registry shared by the run (the simulated world's, or one real
// process's); every series carries a `node` label with the node's name, plus the labels given.
// Names follow Milvus's own where one exists (components/roles/role_metrics.h lists them all) and
// Prometheus conventions otherwise, units last (simvus_querynode_tsafe_ms).
//
// Each (name, labels) series is created on first use and cached here, so a later call is one map
// lookup under an uncontended mutex (real mode: a node's work can run on any strand thread).
// A name has one type: using it as two types, or a histogram with other buckets, is our bug.
//
// Determinism: metrics are written, never read, by roles; nothing here touches the clock, the
// Rng or the trace, so recording a metric cannot change a run (the trace hash stays the same).
// A node's series outlive its incarnation: a restarted node's counters go on counting, and its
// gauges hold their last value until the new incarnation sets them.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace simvus {

class Metrics {
 public:
  using Labels = std::map<std::string, std::string>;  // besides `node`
  using Buckets = std::vector<double>;                // upper bounds, increasing

  // Milvus's latency buckets (pkg/metrics: `buckets`), in milliseconds: 1, 2, 4, ... 131072.
  static const Buckets& LatencyBucketsMs();
  // Milvus's long-task buckets (`longTaskBuckets`), in milliseconds: 1, 100, 500 ... 1e7.
  static const Buckets& LongTaskBucketsMs();

  Metrics(std::shared_ptr<prometheus::Registry> registry, std::string node);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // REQUIRES: by >= 0 (counters only go up).
  void Increment(std::string_view name, double by = 1.0, const Labels& labels = {});
  void Set(std::string_view name, double value, const Labels& labels = {});
  void Observe(std::string_view name, double value, const Buckets& buckets,
               const Labels& labels = {});
  // Drops a gauge series (a segment collected, a channel released): no longer exposed.
  void RemoveGauge(std::string_view name, const Labels& labels);

  // The series themselves, for a hot path that keeps a reference. Valid while the registry is.
  prometheus::Counter& Counter(std::string_view name, const Labels& labels = {});
  prometheus::Gauge& Gauge(std::string_view name, const Labels& labels = {});
  prometheus::Histogram& Histogram(std::string_view name, const Buckets& buckets,
                                   const Labels& labels = {});

  prometheus::Registry& registry() { return *registry_; }
  const std::string& node() const { return node_; }

 private:
  std::string Key(std::string_view name, const Labels& labels) const;
  Labels WithNode(const Labels& labels) const;

  std::shared_ptr<prometheus::Registry> registry_;
  std::string node_;
  std::mutex mutex_;
  std::map<std::string, prometheus::Counter*, std::less<>> counters_;
  std::map<std::string, prometheus::Gauge*, std::less<>> gauges_;
  std::map<std::string, prometheus::Histogram*, std::less<>> histograms_;
  std::map<std::string, prometheus::Family<prometheus::Gauge>*, std::less<>> gauge_families_;
};

}  // namespace simvus
