#include "faults/fault_schedule.h"

#include <algorithm>
#include <cstdio>

namespace simvus::faults {
namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return "{" + out + "}";
}

std::string Percent(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", p * 100);
  return buf;
}

FaultAction Action(int64_t at_ms, FaultKind kind, std::vector<std::string> nodes = {}) {
  FaultAction a;
  a.at = Duration::Millis(at_ms);
  a.kind = kind;
  a.side_a = std::move(nodes);
  return a;
}

}  // namespace

std::string Describe(const FaultAction& a) {
  using K = FaultKind;
  const std::string nodes = Join(a.side_a);
  const std::string window = " for " + ToString(a.duration);
  switch (a.kind) {
    case K::kSplit:
      return "network split " + nodes + " | " + Join(a.side_b);
    case K::kSplitOneWay:
      return "one-way split " + nodes + " -> " + Join(a.side_b);
    case K::kIsolate:
      return "isolate " + nodes;
    case K::kHeal:
      return "network heals";
    case K::kLinkLoss:
      return "link loss " + Percent(a.probability) + " at " + nodes + window;
    case K::kLinkDelay:
      return "link delay +" + ToString(a.delay) + " at " + nodes + window;
    case K::kLinkDuplicate:
      return "link duplication " + Percent(a.probability) + " at " + nodes + window;
    case K::kLinkReorder:
      return "link reordering " + Percent(a.probability) + " at " + nodes + window;
    case K::kHold:
      return "hold messages of " + nodes;
    case K::kRelease:
      return "release held messages of " + nodes;
    case K::kCrash:
      return "crash " + nodes;
    case K::kRestart:
      return "restart " + nodes;
    case K::kPause:
      return "pause " + nodes;
    case K::kResume:
      return "resume " + nodes;
    case K::kCrashAt:
      return "crash " + nodes + " when it reaches point " + a.point + " (down " +
             ToString(a.duration) + ")";
    case K::kKafkaDown:
    case K::kS3Outage:
    case K::kS3SlowDown:
    case K::kEtcdLeaderLoss:
      return std::string(InfoOf(a.kind).name) + window;
    case K::kEtcdLeaseExpiry:
      return "etcd-lease-expiry";
    case K::kClockSkew:
      return "clock skew " + ToString(a.skew) + " on " + nodes;
    case K::kClockJump:
      return std::string("clock jump ") + (a.jump < Duration::Zero() ? "back " : "forward ") +
             ToString(a.jump < Duration::Zero() ? Duration::Zero() - a.jump : a.jump) + " on " +
             nodes;
  }
  return "?";
}

Duration FaultSchedule::End() const {
  Duration end = Duration::Zero();
  for (const FaultAction& a : actions_) {
    const bool windowed = InfoOf(a.kind).duration;
    end = std::max(end, windowed ? a.at + a.duration : a.at);
  }
  return end;
}

void DrawFaultWindow(Rng& rng, int64_t span_ms, FaultSchedule& schedule) {
  using K = FaultKind;
  const int64_t start = rng.UniformInt(0, span_ms);
  const int64_t length = rng.UniformInt(100, 2000);
  switch (rng.UniformInt(0, 5)) {
    case 0:
      schedule.Add(Action(start, K::kPause, {"querynode-1"}));
      schedule.Add(Action(start + length, K::kResume, {"querynode-1"}));
      break;
    case 1: {
      FaultAction split = Action(start, K::kSplit, {"proxy-1"});
      split.side_b = {"rootcoord"};
      schedule.Add(std::move(split));
      schedule.Add(Action(start + length, K::kHeal));
      break;
    }
    case 2:
      schedule.Add(Action(start, K::kCrash, {"rootcoord"}));
      if (rng.Bernoulli(0.5)) {
        // It comes back with its clock set back further than it was down: TSO must still
        // resume above its saved window.
        FaultAction skew = Action(start, K::kClockSkew, {"rootcoord"});
        skew.skew = Duration::Millis(-(length + rng.UniformInt(500, 3000)));
        schedule.Add(std::move(skew));
      }
      schedule.Add(Action(start + length, K::kRestart, {"rootcoord"}));
      break;
    case 3: {
      static const K kStorage[] = {K::kKafkaDown, K::kS3Outage, K::kS3SlowDown, K::kEtcdLeaderLoss,
                                   K::kEtcdLeaseExpiry};
      FaultAction f = Action(start, kStorage[rng.UniformInt(0, 4)]);
      if (f.kind != K::kEtcdLeaseExpiry) f.duration = Duration::Millis(length);
      schedule.Add(std::move(f));
      break;
    }
    case 5: {
      // The data node dies with unflushed buffers and replays from its checkpoints; or the data
      // coordinator dies with its segment assignments in memory and reloads its meta.
      const char* node = rng.Bernoulli(0.7) ? "datanode-1" : "datacoord";
      schedule.Add(Action(start, K::kCrash, {node}));
      schedule.Add(Action(start + length, K::kRestart, {node}));
      break;
    }
    default: {
      FaultAction skew = Action(start, K::kClockSkew, {"proxy-1"});
      skew.skew = Duration::Millis(rng.UniformInt(-500, 500));
      schedule.Add(std::move(skew));
      break;
    }
  }
}

void DrawExtraFaults(Rng rng, const DrawSpace& space, FaultSchedule& schedule) {
  using K = FaultKind;
  auto pick = [&rng](const std::string& role, int count) {
    return role + std::to_string(rng.UniformInt(1, std::max(1, count)));
  };
  auto when = [&rng, &space] { return rng.UniformInt(0, std::max<int64_t>(space.span_ms, 1)); };
  if (rng.Bernoulli(0.25)) {
    // A bad link at one node: lossy, slow, duplicating or reordering, for a window.
    const std::vector<std::string> targets = {pick("proxy-", space.proxies),
                                              pick("querynode-", space.query_nodes), "datanode-1",
                                              "rootcoord", "kafka"};
    // Not link-duplicate: it duplicates RPC requests, an at-least-once delivery that TCP and
    // gRPC never do (a duplicated Insert writes its rows twice at a second ts, swarm seed 125).
    static const K kLinks[] = {K::kLinkLoss, K::kLinkDelay, K::kLinkReorder};
    FaultAction link = Action(when(), kLinks[rng.UniformInt(0, 2)],
                              {targets[static_cast<size_t>(rng.UniformInt(0, 4))]});
    link.duration = Duration::Millis(rng.UniformInt(200, 2000));
    if (link.kind == K::kLinkDelay) {
      link.delay = Duration::Millis(rng.UniformInt(5, 200));
    } else {
      link.probability = static_cast<double>(rng.UniformInt(5, 30)) / 100.0;
    }
    schedule.Add(std::move(link));
  }
  if (rng.Bernoulli(0.15)) {
    // One node cut off from everyone, then the network heals.
    const std::vector<std::string> targets = {pick("proxy-", space.proxies),
                                              pick("querynode-", space.query_nodes), "datanode-1"};
    const int64_t start = when();
    schedule.Add(Action(start, K::kIsolate, {targets[static_cast<size_t>(rng.UniformInt(0, 2))]}));
    schedule.Add(Action(start + rng.UniformInt(100, 2000), K::kHeal));
  }
  if (rng.Bernoulli(0.2)) {
    // A one-way split between a role and a service it calls: requests still arrive (and act)
    // one way while their replies are lost, or the other way round.
    std::vector<std::pair<std::string, std::string>> pairs = {
        {"kafka", pick("proxy-", space.proxies)},
        {"etcd", pick("querynode-", space.query_nodes)},
        {"kafka", "datanode-1"},
        {"rootcoord", pick("proxy-", space.proxies)}};
    auto [a, b] = pairs[static_cast<size_t>(rng.UniformInt(0, 3))];
    if (rng.Bernoulli(0.3)) std::swap(a, b);
    const int64_t start = when();
    FaultAction split = Action(start, K::kSplitOneWay, {a});
    split.side_b = {b};
    schedule.Add(std::move(split));
    schedule.Add(Action(start + rng.UniformInt(100, 2000), K::kHeal));
  }
  if (rng.Bernoulli(0.1)) {
    // Messages of a node held in flight, then delivered in a burst.
    const std::string node =
        rng.Bernoulli(0.5) ? pick("querynode-", space.query_nodes) : std::string("datanode-1");
    const int64_t start = when();
    schedule.Add(Action(start, K::kHold, {node}));
    schedule.Add(Action(start + rng.UniformInt(100, 1500), K::kRelease, {node}));
  }
  if (rng.Bernoulli(0.2)) {
    // A clock steps forward or back (NTP, a VM migration) and stays there until the heal.
    const std::vector<std::string> targets = {pick("proxy-", space.proxies), "rootcoord",
                                              pick("querynode-", space.query_nodes)};
    FaultAction jump =
        Action(when(), K::kClockJump, {targets[static_cast<size_t>(rng.UniformInt(0, 2))]});
    const int64_t ms = rng.UniformInt(100, 3000);
    jump.jump = Duration::Millis(rng.Bernoulli(0.5) ? ms : -ms);
    schedule.Add(std::move(jump));
  }
  if (rng.Bernoulli(0.25)) {
    // A crash in the middle of a lifecycle step, at a named point of role code.
    const std::vector<NamedSite>& points = CrashPoints();
    const std::string point =
        points[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(points.size()) - 1))]
            .name;
    std::string node;
    if (point.rfind("datanode/", 0) == 0) node = "datanode-1";
    if (point.rfind("datacoord/", 0) == 0) node = "datacoord";
    if (point.rfind("indexnode/", 0) == 0) node = pick("indexnode-", 2);
    if (point.rfind("querynode/", 0) == 0) node = pick("querynode-", space.query_nodes);
    if (point.rfind("proxy/", 0) == 0) node = pick("proxy-", space.proxies);
    if (point.rfind("rootcoord/", 0) == 0) node = "rootcoord";
    FaultAction crash = Action(when(), K::kCrashAt, {node});
    crash.point = point;
    crash.duration = Duration::Millis(rng.UniformInt(100, 2000));
    schedule.Add(std::move(crash));
  }
}

}  // namespace simvus::faults
