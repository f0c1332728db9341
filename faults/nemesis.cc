#include "faults/nemesis.h"

#include <algorithm>

namespace simvus::faults {
namespace {

sim::StorageFault StorageFaultOf(FaultKind kind) {
  switch (kind) {
    case FaultKind::kKafkaDown:
      return sim::StorageFault::kLogBrokerDown;
    case FaultKind::kS3Outage:
      return sim::StorageFault::kObjectStoreOutage;
    case FaultKind::kS3SlowDown:
      return sim::StorageFault::kObjectStoreSlowDown;
    case FaultKind::kEtcdLeaderLoss:
      return sim::StorageFault::kMetaLeaderLoss;
    default:
      return sim::StorageFault::kMetaLeaseExpiry;
  }
}

}  // namespace

Nemesis::Nemesis(sim::SimWorld& world, sim::SimStorage* storage, Rng rng)
    : world_(world), storage_(storage), rng_(rng) {
  world_.set_fault_points(this);
  world_.AddNetworkWatcher([this](std::string_view what, sim::NodeId from, sim::NodeId to,
                                  const std::string& label,
                                  int64_t) { Watch(what, from, to, label); });
}

Nemesis::~Nemesis() { world_.set_fault_points(nullptr); }

Status Nemesis::Install(const FaultSchedule& schedule) {
  std::vector<std::pair<std::vector<sim::NodeId>, std::vector<sim::NodeId>>> resolved;
  for (const FaultAction& action : schedule.actions()) {
    const FaultKindInfo& info = InfoOf(action.kind);
    std::vector<sim::NodeId> a, b;
    for (const auto* side : {&action.side_a, &action.side_b}) {
      for (const std::string& name : *side) {
        const sim::NodeId id = world_.Lookup(name);
        if (id < 0) {
          return InvalidArgument("fault '" + Describe(action) + "': no node '" + name + "'");
        }
        (side == &action.side_a ? a : b).push_back(id);
      }
    }
    if (info.fault_class == FaultClass::kStorage && storage_ == nullptr) {
      return InvalidArgument("fault '" + Describe(action) + "': this world has no storage");
    }
    if (info.point && !IsCrashPoint(action.point)) {
      return InvalidArgument("fault '" + Describe(action) + "': no crash point '" + action.point +
                             "'");
    }
    resolved.emplace_back(std::move(a), std::move(b));
  }
  // Storage faults go to SimStorage's own plan (it traces each when it begins), timed from now.
  std::vector<sim::StorageFaultEvent> storage_plan;
  for (const FaultAction& action : schedule.actions()) {
    if (InfoOf(action.kind).fault_class != FaultClass::kStorage) continue;
    storage_plan.push_back({StorageFaultOf(action.kind), action.at, action.duration});
  }
  if (!storage_plan.empty()) storage_->Apply(storage_plan);
  for (size_t i = 0; i < schedule.actions().size(); ++i) {
    const FaultAction action = schedule.actions()[i];
    // Named copies, not a structured binding: lambdas capture bindings only from C++20
    // compilers newer than clang 14 (the fuzz preset's).
    const std::vector<sim::NodeId> a = resolved[i].first;
    const std::vector<sim::NodeId> b = resolved[i].second;
    const FaultClass fault_class = InfoOf(action.kind).fault_class;
    if (fault_class == FaultClass::kNetwork) watching_ = true;
    world_.scheduler().At(world_.scheduler().now() + action.at, [this, action, a, b, fault_class] {
      if (fault_class == FaultClass::kStorage) {
        Count(InfoOf(action.kind).name);  // SimStorage applies and traces it
        return;
      }
      world_.trace().Record({TraceLevel::kStep, "nemesis", "fault", {}, {}, Describe(action)});
      if (action.kind != FaultKind::kCrashAt) Count(InfoOf(action.kind).name);
      Apply(action, a, b);
    });
  }
  return Status::Ok();
}

void Nemesis::Apply(const FaultAction& action, const std::vector<sim::NodeId>& a,
                    const std::vector<sim::NodeId>& b) {
  using K = FaultKind;
  sim::SimNetwork& net = world_.network();
  switch (action.kind) {
    case K::kSplit:
    case K::kSplitOneWay:
      ModelSplit(a, b, action.kind == K::kSplitOneWay);
      net.Split(a, b, action.kind == K::kSplitOneWay);
      break;
    case K::kIsolate:
      for (sim::NodeId id : a) {
        ModelSplit({id}, world_.AllNodes(), false);
        net.Isolate(id, world_.AllNodes());
      }
      break;
    case K::kHeal:
      model_blocked_.clear();
      net.Heal();
      break;
    case K::kLinkLoss:
    case K::kLinkDelay:
    case K::kLinkDuplicate:
    case K::kLinkReorder: {
      sim::LinkProfile profile = net.default_profile();
      if (action.kind == K::kLinkLoss) profile.drop_probability = action.probability;
      if (action.kind == K::kLinkDelay) profile.latency_base = profile.latency_base + action.delay;
      if (action.kind == K::kLinkDuplicate) profile.duplicate_probability = action.probability;
      if (action.kind == K::kLinkReorder) {
        profile.reorder_probability = action.probability;
        profile.reorder_delay_max = Duration::Millis(50);
      }
      SetLinks(a, profile);
      const std::vector<sim::NodeId> nodes = a;
      world_.scheduler().After(action.duration, [this, nodes] {
        world_.trace().Record({TraceLevel::kStep, "nemesis", "fault", {}, {}, "link faults end"});
        SetLinks(nodes, world_.network().default_profile());
      });
      break;
    }
    case K::kHold:
      for (sim::NodeId id : a) net.Hold(id);
      break;
    case K::kRelease:
      for (sim::NodeId id : a) net.Release(id);
      break;
    case K::kCrash:
      for (sim::NodeId id : a) world_.Crash(id);
      break;
    case K::kRestart:
      for (sim::NodeId id : a) {
        if (world_.Status(id) == sim::NodeStatus::kDown) {
          world_.Start(id);
        } else {
          world_.Restart(id);
        }
      }
      break;
    case K::kPause:
      for (sim::NodeId id : a) world_.Pause(id);
      break;
    case K::kResume:
      for (sim::NodeId id : a) world_.Resume(id);
      break;
    case K::kCrashAt:
      for (sim::NodeId id : a) armed_.push_back({id, action.point, action.duration});
      break;
    case K::kClockSkew:
      for (sim::NodeId id : a) {
        world_.SetClockSkew(id, action.skew);
        NoteSkew(id);
      }
      break;
    case K::kClockJump:
      for (sim::NodeId id : a) {
        world_.SetClockSkew(id, world_.ClockSkew(id) + action.jump);
        NoteSkew(id);
      }
      break;
    case K::kKafkaDown:
    case K::kS3Outage:
    case K::kS3SlowDown:
    case K::kEtcdLeaderLoss:
    case K::kEtcdLeaseExpiry:
      break;  // SimStorage's plan
  }
}

void Nemesis::NoteSkew(sim::NodeId id) {
  const Duration skew = world_.ClockSkew(id);
  const Duration error = skew < Duration::Zero() ? Duration::Zero() - skew : skew;
  Duration& max = max_clock_error_[world_.NodeName(id)];
  max = std::max(max, error);
}

Duration Nemesis::MaxClockError(const std::string& prefix) const {
  Duration max = Duration::Zero();
  for (const auto& [node, error] : max_clock_error_) {
    if (node.rfind(prefix, 0) == 0) max = std::max(max, error);
  }
  return max;
}

void Nemesis::SetLinks(const std::vector<sim::NodeId>& nodes, const sim::LinkProfile& profile) {
  for (sim::NodeId x : nodes) {
    for (sim::NodeId y : world_.AllNodes()) {
      if (x == y) continue;
      world_.network().SetLinkProfile(x, y, profile);
      world_.network().SetLinkProfile(y, x, profile);
    }
  }
}

void Nemesis::ModelSplit(const std::vector<sim::NodeId>& a, const std::vector<sim::NodeId>& b,
                         bool one_way) {
  for (sim::NodeId x : a) {
    for (sim::NodeId y : b) {
      if (x == y) continue;
      model_blocked_.insert({x, y});
      if (!one_way) model_blocked_.insert({y, x});
    }
  }
}

void Nemesis::Watch(std::string_view what, sim::NodeId from, sim::NodeId to,
                    const std::string& label) {
  if (!watching_ || !violation_.empty()) return;
  const bool blocked = model_blocked_.count({from, to}) > 0;
  const std::string direction = world_.NodeName(from) + " -> " + world_.NodeName(to);
  if (what == "drop-split" && !blocked) {
    violation_ = "the network dropped '" + label + "' (" + direction +
                 ") as split, but no fault blocks that direction";
    if (model_blocked_.count({to, from})) {
      violation_ += " (only " + world_.NodeName(to) + " -> " + world_.NodeName(from) +
                    " is blocked: a one-way split)";
    }
  } else if (what == "deliver" && blocked) {
    violation_ = "the network delivered '" + label + "' (" + direction +
                 ") across a split that blocks that direction";
  }
}

void Nemesis::Count(const std::string& kind) {
  std::vector<std::string> states = probe_ ? probe_() : std::vector<std::string>{};
  if (states.empty()) states.push_back("-");
  for (const std::string& state : states) ++coverage_[{kind, state}];
}

void Nemesis::HealAll() {
  sim::SimNetwork& net = world_.network();
  model_blocked_.clear();
  net.Heal();
  net.ReleaseAll();
  net.ClearLinkProfiles();
  armed_.clear();
  for (sim::NodeId id : world_.AllNodes()) {
    if (world_.Status(id) == sim::NodeStatus::kPaused) world_.Resume(id);
    if (world_.Status(id) == sim::NodeStatus::kDown &&
        world_.NodeName(id).rfind("client-", 0) != 0) {
      world_.Start(id);
    }
    if (world_.ClockSkew(id) != Duration::Zero()) world_.SetClockSkew(id, Duration::Zero());
  }
}

bool Nemesis::Buggify(const std::string& node, std::string_view site) {
  if (!buggify_) return false;
  auto it = sites_.find(site);
  if (it == sites_.end()) it = sites_.emplace(std::string(site), rng_.Bernoulli(0.25)).first;
  if (!it->second || !rng_.Bernoulli(0.25)) return false;
  ++fired_points_["buggify " + std::string(site)];
  world_.trace().Record(
      {TraceLevel::kStep, node, "buggify", {}, {}, "buggify: " + std::string(site)});
  return true;
}

bool Nemesis::CrashHere(const std::string& node, std::string_view point) {
  if (armed_.empty()) return false;  // role code passes its crash points all the time
  const sim::NodeId id = world_.Lookup(node);
  for (ArmedCrash& armed : armed_) {
    if (armed.fired || armed.node != id || armed.point != point) continue;
    armed.fired = true;
    ++fired_points_["crash-at " + armed.point];
    Count("crash-at");
    world_.trace().Record({TraceLevel::kStep,
                           "nemesis",
                           "fault",
                           {},
                           {},
                           "crash " + node + " at point " + armed.point});
    world_.CrashFromWithin(id);
    const uint64_t incarnation = world_.Incarnation(id);
    world_.scheduler().After(armed.down, [this, id, incarnation] {
      if (world_.Status(id) == sim::NodeStatus::kDown && world_.Incarnation(id) == incarnation) {
        world_.Start(id);
      }
    });
    return true;
  }
  return false;
}

}  // namespace simvus::faults
