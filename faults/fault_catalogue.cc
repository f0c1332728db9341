#include "faults/fault_catalogue.h"

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

// What a kind takes, as bits, so that an entry reads `kNodes | kDuration`.
enum Param : unsigned {
  kNone = 0,
  kNodes = 1u << 0,
  kOtherSide = 1u << 1,
  kDuration = 1u << 2,
  kProbability = 1u << 3,
  kDelay = 1u << 4,
  kPoint = 1u << 5,
  kSkew = 1u << 6,
  kJump = 1u << 7,
};

FaultKindInfo Make(FaultKind kind, const char* name, FaultClass c, unsigned params,
                   const char* summary) {
  return FaultKindInfo{kind,
                       name,
                       c,
                       (params & kNodes) != 0,
                       (params & kOtherSide) != 0,
                       (params & kDuration) != 0,
                       (params & kProbability) != 0,
                       (params & kDelay) != 0,
                       (params & kPoint) != 0,
                       (params & kSkew) != 0,
                       (params & kJump) != 0,
                       summary};
}

}  // namespace

const std::vector<FaultKindInfo>& Catalogue() {
  using C = FaultClass;
  using K = FaultKind;
  static const std::vector<FaultKindInfo> kCatalogue = {
      Make(K::kSplit, "split", C::kNetwork, kNodes | kOtherSide,
           "nodes and other_side cannot reach each other"),
      Make(K::kSplitOneWay, "split-one-way", C::kNetwork, kNodes | kOtherSide,
           "messages from nodes to other_side are lost; the reverse direction works"),
      Make(K::kIsolate, "isolate", C::kNetwork, kNodes, "nodes can reach no other node"),
      Make(K::kHeal, "heal", C::kNetwork, kNone, "every split and isolation ends"),
      Make(K::kLinkLoss, "link-loss", C::kNetwork, kNodes | kDuration | kProbability,
           "each message to or from nodes is lost with probability"),
      Make(K::kLinkDelay, "link-delay", C::kNetwork, kNodes | kDuration | kDelay,
           "messages to or from nodes take delay_ms longer"),
      Make(K::kLinkDuplicate, "link-duplicate", C::kNetwork, kNodes | kDuration | kProbability,
           "each message to or from nodes arrives twice with probability (RPC requests too: "
           "at-least-once delivery, which TCP never does; the swarm does not draw it)"),
      Make(K::kLinkReorder, "link-reorder", C::kNetwork, kNodes | kDuration | kProbability,
           "each message to or from nodes is held up to 50 ms with probability (overtaken)"),
      Make(K::kHold, "hold", C::kNetwork, kNodes,
           "messages to or from nodes stay in flight until release"),
      Make(K::kRelease, "release", C::kNetwork, kNodes,
           "held messages of nodes arrive, in a burst and out of order"),
      Make(K::kCrash, "crash", C::kProcess, kNodes, "nodes lose every in-memory state and stop"),
      Make(K::kRestart, "restart", C::kProcess, kNodes,
           "nodes start a new incarnation (crashing first if up)"),
      Make(K::kPause, "pause", C::kProcess, kNodes,
           "nodes freeze: their work is held (a GC pause, SIGSTOP)"),
      Make(K::kResume, "resume", C::kProcess, kNodes, "paused nodes go on"),
      Make(K::kCrashAt, "crash-at", C::kProcess, kNodes | kDuration | kPoint,
           "from at_ms on, a node crashes when it next reaches the named point, and "
           "restarts duration_ms later"),
      Make(K::kKafkaDown, "kafka-down", C::kStorage, kDuration,
           "the log broker refuses every request"),
      Make(K::kS3Outage, "s3-outage", C::kStorage, kDuration,
           "the object store answers 503 ServiceUnavailable"),
      Make(K::kS3SlowDown, "s3-slowdown", C::kStorage, kDuration,
           "the object store answers 503 SlowDown"),
      Make(K::kEtcdLeaderLoss, "etcd-leader-loss", C::kStorage, kDuration,
           "the meta store has no leader"),
      Make(K::kEtcdLeaseExpiry, "etcd-lease-expiry", C::kStorage, kNone,
           "every lease expires at once (sessions lost)"),
      Make(K::kClockSkew, "clock-skew", C::kClock, kNodes | kSkew,
           "nodes' clocks read skew_ms off true time"),
      Make(K::kClockJump, "clock-jump", C::kClock, kNodes | kJump,
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
