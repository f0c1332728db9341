#include "faults/fault_catalogue.h"

#include <algorithm>

#include "components/env/check.h"

namespace simvus::faults {

std::string_view FaultClassName(FaultClass c) {
  switch (c) {
    case FaultClass::kNetwork:
      return "network";
    case FaultClass::kProcess:
      return "process";
    case FaultClass::kStorage:
      return "storage";
    case FaultClass::kClock:
      return "clock";
  }
  return "?";
}

namespace {

// One catalogue entry; `params` names what the kind takes, comma-separated.
FaultKindInfo Make(FaultKind kind, const char* name, FaultClass c, std::string_view params,
                   const char* summary) {
  FaultKindInfo info{kind,  name,  c,     false, false, false,
                     false, false, false, false, false, summary};
  auto has = [params](std::string_view p) {
    for (size_t at = 0; at <= params.size();) {
      const size_t comma = std::min(params.find(',', at), params.size());
      if (params.substr(at, comma - at) == p) return true;
      at = comma + 1;
    }
    return false;
  };
  info.nodes = has("nodes");
  info.other_side = has("other_side");
  info.duration = has("duration");
  info.probability = has("probability");
  info.delay = has("delay");
  info.point = has("point");
  info.skew = has("skew");
  info.jump = has("jump");
  return info;
}

}  // namespace

const std::vector<FaultKindInfo>& Catalogue() {
  using C = FaultClass;
  using K = FaultKind;
  static const std::vector<FaultKindInfo> kCatalogue = {
      Make(K::kSplit, "split", C::kNetwork, "nodes,other_side",
           "nodes and other_side cannot reach each other"),
      Make(K::kSplitOneWay, "split-one-way", C::kNetwork, "nodes,other_side",
           "messages from nodes to other_side are lost; the reverse direction works"),
      Make(K::kIsolate, "isolate", C::kNetwork, "nodes", "nodes can reach no other node"),
      Make(K::kHeal, "heal", C::kNetwork, "", "every split and isolation ends"),
      Make(K::kLinkLoss, "link-loss", C::kNetwork, "nodes,duration,probability",
           "each message to or from nodes is lost with probability"),
      Make(K::kLinkDelay, "link-delay", C::kNetwork, "nodes,duration,delay",
           "messages to or from nodes take delay_ms longer"),
      Make(K::kLinkDuplicate, "link-duplicate", C::kNetwork, "nodes,duration,probability",
           "each message to or from nodes arrives twice with probability (RPC requests too: "
           "at-least-once delivery, which TCP never does; the swarm does not draw it)"),
      Make(K::kLinkReorder, "link-reorder", C::kNetwork, "nodes,duration,probability",
           "each message to or from nodes is held up to 50 ms with probability (overtaken)"),
      Make(K::kHold, "hold", C::kNetwork, "nodes",
           "messages to or from nodes stay in flight until release"),
      Make(K::kRelease, "release", C::kNetwork, "nodes",
           "held messages of nodes arrive, in a burst and out of order"),
      Make(K::kCrash, "crash", C::kProcess, "nodes", "nodes lose every in-memory state and stop"),
      Make(K::kRestart, "restart", C::kProcess, "nodes",
           "nodes start a new incarnation (crashing first if up)"),
      Make(K::kPause, "pause", C::kProcess, "nodes",
           "nodes freeze: their work is held (a GC pause, SIGSTOP)"),
      Make(K::kResume, "resume", C::kProcess, "nodes", "paused nodes go on"),
      Make(K::kCrashAt, "crash-at", C::kProcess, "nodes,duration,point",
           "from at_ms on, a node crashes when it next reaches the named point, and "
           "restarts duration_ms later"),
      Make(K::kKafkaDown, "kafka-down", C::kStorage, "duration",
           "the log broker refuses every request"),
      Make(K::kS3Outage, "s3-outage", C::kStorage, "duration",
           "the object store answers 503 ServiceUnavailable"),
      Make(K::kS3SlowDown, "s3-slowdown", C::kStorage, "duration",
           "the object store answers 503 SlowDown"),
      Make(K::kEtcdLeaderLoss, "etcd-leader-loss", C::kStorage, "duration",
           "the meta store has no leader"),
      Make(K::kEtcdLeaseExpiry, "etcd-lease-expiry", C::kStorage, "",
           "every lease expires at once (sessions lost)"),
      Make(K::kClockSkew, "clock-skew", C::kClock, "nodes,skew",
           "nodes' clocks read skew_ms off true time"),
      Make(K::kClockJump, "clock-jump", C::kClock, "nodes,jump",
           "nodes' clocks jump by jump_ms (negative: back in time)"),
  };
  return kCatalogue;
}

const FaultKindInfo& InfoOf(FaultKind kind) {
  for (const FaultKindInfo& info : Catalogue()) {
    if (info.kind == kind) return info;
  }
  SIMVUS_CHECK(false, "a fault kind missing from the catalogue");
  return Catalogue().front();
}

const FaultKindInfo* FindKind(std::string_view name) {
  for (const FaultKindInfo& info : Catalogue()) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

std::string KindNames() {
  std::string names;
  for (const FaultKindInfo& info : Catalogue()) {
    names += (names.empty() ? "" : ", ") + std::string(info.name);
  }
  return names;
}

const std::vector<NamedSite>& CrashPoints() {
  static const std::vector<NamedSite> kPoints = {
      {"datanode/sync:after-binlogs",
       "a sealed segment's binlogs are in S3 but SaveBinlogPaths was not sent (mid flush sync)"},
      {"datanode/sync:after-save",
       "DataCoord recorded the segment Flushed; the data node has not dropped its buffer"},
      {"datacoord/seal:after-persist",
       "a segment is Sealed in etcd but the data node has not been told to flush it"},
      {"indexnode/build:after-upload", "the index files are in S3 but the build was not reported"},
      {"querynode/load:before-attach",
       "a worker loaded a sealed segment; the delegator has not attached it"},
      {"proxy/dml:after-produce",
       "an insert, delete or upsert is in the log but the client has no reply"},
      {"rootcoord/tso:after-save-window",
       "the TSO saved a new window in etcd but has not served from it"},
  };
  return kPoints;
}

bool IsCrashPoint(std::string_view name) {
  for (const NamedSite& p : CrashPoints()) {
    if (name == p.name) return true;
  }
  return false;
}

const std::vector<NamedSite>& BuggifySites() {
  static const std::vector<NamedSite> kSites = {
      {"proxy/time-tick:late", "a proxy sends a time tick up to 300 ms late"},
      {"datanode/sync:slow", "a data node waits up to 1 s before syncing a sealed segment"},
      {"datacoord/seal:early", "DataCoord seals a growing segment at its next assignment"},
      {"querycoord/checkers:skip", "QueryCoord skips a round of its checkers"},
      {"querynode/load:slow", "a worker takes up to 1 s longer to load a sealed segment"},
      {"indexnode/build:slow", "an index node takes up to 2 s longer for a build"},
  };
  return kSites;
}

}  // namespace simvus::faults
