// SimNetwork: message delivery between simulated nodes, with latency and faults.
//
// Every message (an RPC request or response, a storage request, a one-way message) is a datagram
// with a size. Its delay is latency_base + Exponential(latency_jitter_mean) + size / bandwidth,
// plus, with reorder_probability, an extra Uniform[0, reorder_delay_max] — so messages can overtake
// each other. With drop_probability it is lost; with duplicate_probability it arrives twice
// (independent delays). A NetSplit blocks a direction between two nodes: a message is dropped if
// its direction is blocked when it is sent or when it would arrive ("a partition drops everything
// across it"); a one-way split blocks one direction only.
// Hold(node) keeps every message to or from the node in flight, undelivered, until Release(node):
// then each is delivered after a fresh delay, so held messages arrive in a burst and out of order.
// Determinism: all draws come from the network's own Rng stream, in send order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "components/env/rng.h"
#include "components/env/time.h"
#include "sim/scheduler.h"

namespace simvus::sim {

using NodeId = int32_t;

struct LinkProfile {
  Duration latency_base = Duration::Micros(200);
  Duration latency_jitter_mean = Duration::Zero();
  int64_t bandwidth_bytes_per_sec = 1'250'000'000;  // 10 Gbit/s
  double drop_probability = 0;
  double duplicate_probability = 0;
  double reorder_probability = 0;
  Duration reorder_delay_max = Duration::Millis(5);
};

struct NetworkCounters {
  uint64_t sent = 0;
  uint64_t delivered = 0;
  uint64_t dropped_by_split = 0;
  uint64_t dropped_by_loss = 0;
  uint64_t duplicated = 0;
  uint64_t bytes_sent = 0;
};

class SimNetwork {
 public:
  // `deliver(to, work)` runs arrival work; the work itself checks the receiver's liveness.
  using DeliverFn = std::function<void(NodeId to, std::function<void()> work)>;
  // Observes every send / delivery / drop, for the trace.
  using ObserverFn = std::function<void(std::string_view what, NodeId from, NodeId to,
                                        const std::string& label, int64_t size_bytes)>;

  SimNetwork(Scheduler& scheduler, Rng rng, DeliverFn deliver);

  void set_observer(ObserverFn observer) { observer_ = std::move(observer); }
  void set_default_profile(const LinkProfile& profile) { default_profile_ = profile; }
  const LinkProfile& default_profile() const { return default_profile_; }
  void SetLinkProfile(NodeId from, NodeId to, const LinkProfile& profile);
  // Every link back to the default profile.
  void ClearLinkProfiles() { links_.clear(); }

  // Blocks from -> to (and to -> from unless one_way) for every pair across the two groups.
  void Split(const std::vector<NodeId>& a, const std::vector<NodeId>& b, bool one_way = false);
  // Blocks every direction between `node` and every other node in `all`.
  void Isolate(NodeId node, const std::vector<NodeId>& all);
  void Heal();
  bool Blocked(NodeId from, NodeId to) const { return blocked_.count({from, to}) > 0; }
  void Hold(NodeId node) { held_nodes_.insert(node); }
  void Release(NodeId node);  // delivers what was held for it (unless blocked by then)
  void ReleaseAll();
  bool Holding(NodeId node) const { return held_nodes_.count(node) > 0; }

  // Injected bug one-way-split-blocks-both: a one-way split blocks both directions.
  void set_one_way_split_blocks_both(bool on) { one_way_blocks_both_ = on; }

  // Sends one message; unless lost, on_arrival runs in the receiver's context at arrival time.
  void Transmit(NodeId from, NodeId to, int64_t size_bytes, const std::string& label,
                std::function<void()> on_arrival);

  const NetworkCounters& counters() const { return counters_; }

 private:
  const LinkProfile& ProfileFor(NodeId from, NodeId to) const;
  Duration SampleDelay(const LinkProfile& profile, int64_t size_bytes);
  struct HeldMessage {
    NodeId from, to;
    int64_t size_bytes;
    std::string label;
    std::function<void()> work;
  };
  void Arrive(NodeId from, NodeId to, int64_t size_bytes, const std::string& label,
              std::function<void()> work);
  void Observe(std::string_view what, NodeId from, NodeId to, const std::string& label,
               int64_t size_bytes) {
    if (observer_) observer_(what, from, to, label, size_bytes);
  }

  Scheduler& scheduler_;
  Rng rng_;
  DeliverFn deliver_;
  ObserverFn observer_;
  LinkProfile default_profile_;
  std::map<std::pair<NodeId, NodeId>, LinkProfile> links_;
  std::set<std::pair<NodeId, NodeId>> blocked_;
  NetworkCounters counters_;
  std::set<NodeId> held_nodes_;
  std::vector<HeldMessage> held_;  // in arrival order
  bool one_way_blocks_both_ = false;
};

}  // namespace simvus::sim
