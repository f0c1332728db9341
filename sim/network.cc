#include "sim/network.h"

namespace simvus::sim {

SimNetwork::SimNetwork(Scheduler& scheduler, Rng rng, DeliverFn deliver)
    : scheduler_(scheduler), rng_(rng), deliver_(std::move(deliver)) {}

void SimNetwork::SetLinkProfile(NodeId from, NodeId to, const LinkProfile& profile) {
  links_[{from, to}] = profile;
}

void SimNetwork::Split(const std::vector<NodeId>& a, const std::vector<NodeId>& b, bool one_way) {
  for (NodeId x : a) {
    for (NodeId y : b) {
      if (x == y) continue;
      blocked_.insert({x, y});
      if (!one_way || one_way_blocks_both_) blocked_.insert({y, x});
    }
  }
}

void SimNetwork::Isolate(NodeId node, const std::vector<NodeId>& all) { Split({node}, all); }

void SimNetwork::Heal() { blocked_.clear(); }

const LinkProfile& SimNetwork::ProfileFor(NodeId from, NodeId to) const {
  auto it = links_.find({from, to});
  return it == links_.end() ? default_profile_ : it->second;
}

Duration SimNetwork::SampleDelay(const LinkProfile& profile, int64_t size_bytes) {
  int64_t ns = profile.latency_base.ns;
  if (profile.latency_jitter_mean.ns > 0) ns += rng_.Exponential(profile.latency_jitter_mean.ns);
  if (profile.bandwidth_bytes_per_sec > 0) {
    ns += size_bytes * 1'000'000'000 / profile.bandwidth_bytes_per_sec;
  }
  if (profile.reorder_probability > 0 && rng_.Bernoulli(profile.reorder_probability)) {
    ns += rng_.UniformInt(0, profile.reorder_delay_max.ns);
  }
  return Duration::Nanos(ns);
}

void SimNetwork::Transmit(NodeId from, NodeId to, int64_t size_bytes, const std::string& label,
                          std::function<void()> on_arrival) {
  ++counters_.sent;
  counters_.bytes_sent += static_cast<uint64_t>(size_bytes);
  if (Blocked(from, to)) {
    ++counters_.dropped_by_split;
    Observe("drop-split", from, to, label, size_bytes);
    return;
  }
  const LinkProfile& profile = ProfileFor(from, to);
  // Draws happen in a fixed order per message: loss, duplication, then delays.
  if (rng_.Bernoulli(profile.drop_probability)) {
    ++counters_.dropped_by_loss;
    Observe("drop-loss", from, to, label, size_bytes);
    return;
  }
  const int copies = rng_.Bernoulli(profile.duplicate_probability) ? 2 : 1;
  if (copies == 2) ++counters_.duplicated;
  Observe("send", from, to, label, size_bytes);
  for (int copy = 0; copy < copies; ++copy) {
    const Duration delay = SampleDelay(profile, size_bytes);
    scheduler_.After(delay, [this, from, to, label, size_bytes, work = on_arrival] {
      Arrive(from, to, size_bytes, label, work);
    });
  }
}

void SimNetwork::Arrive(NodeId from, NodeId to, int64_t size_bytes, const std::string& label,
                        std::function<void()> work) {
  if (Blocked(from, to)) {
    ++counters_.dropped_by_split;
    Observe("drop-split", from, to, label, size_bytes);
    return;
  }
  if (!held_nodes_.empty() && (held_nodes_.count(from) || held_nodes_.count(to))) {
    Observe("hold", from, to, label, size_bytes);
    held_.push_back({from, to, size_bytes, label, std::move(work)});
    return;
  }
  ++counters_.delivered;
  Observe("deliver", from, to, label, size_bytes);
  deliver_(to, std::move(work));
}

void SimNetwork::Release(NodeId node) {
  held_nodes_.erase(node);
  std::vector<HeldMessage> keep, go;
  for (HeldMessage& m : held_) {
    const bool still_held = held_nodes_.count(m.from) || held_nodes_.count(m.to);
    (still_held ? keep : go).push_back(std::move(m));
  }
  held_ = std::move(keep);
  for (HeldMessage& m : go) {
    const Duration delay = SampleDelay(ProfileFor(m.from, m.to), m.size_bytes);
    scheduler_.After(
        delay, [this, m = std::move(m)] { Arrive(m.from, m.to, m.size_bytes, m.label, m.work); });
  }
}

void SimNetwork::ReleaseAll() {
  while (!held_nodes_.empty()) Release(*held_nodes_.begin());
}

}  // namespace simvus::sim
