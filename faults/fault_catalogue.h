// The fault catalogue: every kind of fault simvus can inject, by the name scenario files use.
//
// Four classes (ARCHITECTURE.md, "Faults"):
//   network  split, split-one-way, isolate, heal, link-loss, link-delay, link-duplicate,
//            link-reorder, hold, release
//   process  crash, restart, pause, resume, crash-at (a crash at a named point of role code)
//   storage  kafka-down, s3-outage, s3-slowdown, etcd-leader-loss, etcd-lease-expiry
//   clock    clock-skew (set a node's offset), clock-jump (move it forward or back by a delta)
// plus buggify sites in role code (components/env/fault_points.h), enabled per seed.
// Each kind says which parameters it takes, so one validator (scenarios/scenario_file.cc) and one
// printer (Describe, fault_schedule.h) serve them all. The crash points and buggify sites that role
// code declares are listed here too, so a scenario naming one that does not exist is refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace simvus::faults {

enum class FaultClass { kNetwork, kProcess, kStorage, kClock };
std::string_view FaultClassName(FaultClass c);

enum class FaultKind {
  kSplit,
  kSplitOneWay,
  kIsolate,
  kHeal,
  kLinkLoss,
  kLinkDelay,
  kLinkDuplicate,
  kLinkReorder,
  kHold,
  kRelease,
  kCrash,
  kRestart,
  kPause,
  kResume,
  kCrashAt,
  kKafkaDown,
  kS3Outage,
  kS3SlowDown,
  kEtcdLeaderLoss,
  kEtcdLeaseExpiry,
  kClockSkew,
  kClockJump,
};

// What a kind takes. A parameter not listed must be absent (zero) in a scenario file.
struct FaultKindInfo {
  FaultKind kind;
  const char* name;
  FaultClass fault_class;
  bool nodes = false;        // needs at least one node
  bool other_side = false;   // a split: needs the other side too
  bool duration = false;     // a window length (duration_ms)
  bool probability = false;  // a per-message probability in (0, 1]
  bool delay = false;        // an extra latency (delay_ms)
  bool point = false;        // a crash point name
  bool skew = false;         // skew_ms: the offset a clock is set to
  bool jump = false;         // jump_ms: how far a clock moves (negative: back)
  const char* summary;
};

const std::vector<FaultKindInfo>& Catalogue();
const FaultKindInfo& InfoOf(FaultKind kind);
const FaultKindInfo* FindKind(std::string_view name);  // null if unknown
std::string KindNames();                               // "split, split-one-way, ..." for errors

struct NamedSite {
  const char* name;
  const char* what;
};
// Crash points role code declares with `co_await CrashPoint(env, name)`.
const std::vector<NamedSite>& CrashPoints();
bool IsCrashPoint(std::string_view name);
// Buggify sites role code declares with `Buggify(env, name)`.
const std::vector<NamedSite>& BuggifySites();

}  // namespace simvus::faults
