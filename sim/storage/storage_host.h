// StorageHost: what the three simulated storage services share — the host node they run on, the
// request path from a client node to that host, and the faults of the service.
//
// A client operation is one SimWorld::RemoteCall from the calling node to the host node, so every
// network fault (delay, loss, NetSplit) and every lifecycle fault of the host (crash = refused,
// pause = held) applies to it. On the host the request then meets the service's own faults, in
// this order:
//   1. an outage window covering now (etcd leader loss, Kafka broker down, an S3 outage or a
//      503 SlowDown storm): the request fails with the window's status and has no effect;
//   2. per-request draws: refused (kUnavailable), throttled (kResourceExhausted, "503 SlowDown"),
//      lost request (the caller times out, kDeadlineExceeded, no effect), slow (extra delay);
//   3. the service time (base + size / bandwidth), then the operation itself, atomically;
//   4. a lost reply: the operation took effect but the caller times out (kDeadlineExceeded) — the
//      indeterminate outcome a client cannot resolve by itself.
// A fault never changes acknowledged data; data loss is a separate, named fault of each service.
// The network may duplicate a request: the host runs each request at most once (a request id, as
// TCP and Kafka's idempotent producer give), and the duplicate's reply never arrives.
//
// Determinism: every fault draw comes from the service's own Rng stream, forked off the run seed
// by the service's name, in the order requests reach the host. No draw is made for a fault whose
// probability is zero.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "components/env/completion.h"
#include "components/env/result.h"
#include "components/env/rng.h"
#include "components/env/task.h"
#include "components/env/time.h"
#include "sim/world.h"

namespace simvus::sim {

// Status-only operations travel as Result<Unit>.
inline Result<Unit> FromStatus(Status status) {
  if (status.ok()) return Unit{};
  return status;
}
inline Status ToStatus(const Result<Unit>& result) { return result.status(); }

// Per-request fault probabilities of one storage service (all 0: a fault-free service).
struct SimServiceFaults {
  double unavailable_probability = 0;   // kUnavailable before any effect
  double throttle_probability = 0;      // kResourceExhausted ("503 SlowDown"), no effect
  double lost_request_probability = 0;  // kDeadlineExceeded at the caller, no effect
  double lost_reply_probability = 0;    // kDeadlineExceeded at the caller, took effect
  double slow_probability = 0;          // an extra delay, Uniform[0, slow_delay_max]
  Duration slow_delay_max = Duration::Millis(200);
};

// A window of sim time during which every request fails with `status` (no effect).
struct OutageWindow {
  Instant start;
  Instant end;  // exclusive
  Status status;
};

struct StorageCounters {
  uint64_t requests = 0;
  uint64_t applied = 0;
  uint64_t refused_by_outage = 0;
  uint64_t refused = 0;
  uint64_t throttled = 0;
  uint64_t lost_requests = 0;
  uint64_t lost_replies = 0;
  uint64_t slowed = 0;
  uint64_t duplicates_ignored = 0;
};

// How one request travels: its trace label, size, service time and caller deadline.
struct StorageCallSpec {
  std::string label;
  int64_t request_bytes = 64;
  Duration service_time;
  Duration deadline = Duration::Seconds(5);
};

class StorageHost {
 public:
  // `service` names the fault stream ("log", "object_store", "meta_store").
  StorageHost(SimWorld& world, NodeId host, std::string service, SimServiceFaults faults);

  SimWorld& world() { return world_; }
  NodeId host() const { return host_; }
  const std::string& service() const { return service_; }
  const StorageCounters& counters() const { return counters_; }
  const SimServiceFaults& faults() const { return faults_; }
  void set_faults(const SimServiceFaults& faults) { faults_ = faults; }

  // Every request reaching the host in [start, end) fails with `status`.
  // REQUIRES: !status.ok().
  void AddOutage(Instant start, Instant end, Status status);
  // OK, or the status of the outage covering `now`.
  Status OutageAt(Instant now) const;
  // True if the host is up and no outage covers now: the service can make progress on its own
  // (expire leases, enforce retention).
  bool Serving() const;

  // Records a detail trace event at the host ("kafka.append", "etcd.put", ...), for narration.
  void Note(std::string kind, std::string text);

  // Suspends a coroutine running on the host for `d` of sim time.
  // REQUIRES: called from a task running on the host node.
  Task<void> Sleep(Duration d);
  // A signal that resumes a waiter on the host (for long polls and watches).
  Signal MakeHostSignal();

  // One request from `from` to the host; `apply` runs on the host (see the header comment).
  template <typename T>
  Task<Result<T>> Call(NodeId from, StorageCallSpec spec, std::function<Task<Result<T>>()> apply,
                       std::function<int64_t(const Result<T>&)> response_bytes);

 private:
  struct Draw {
    Status refusal;  // non-OK: answer with it, no effect
    bool lose_request = false;
    bool lose_reply = false;
    Duration extra_delay;
  };
  Draw DrawFaults();

  template <typename T>
  static Task<Result<T>> Serve(StorageHost* self, StorageCallSpec spec,
                               std::function<Task<Result<T>>()> apply,
                               std::shared_ptr<bool> served);

  SimWorld& world_;
  NodeId host_;
  std::string service_;
  SimServiceFaults faults_;
  Rng rng_;
  std::vector<OutageWindow> outages_;
  StorageCounters counters_;
};

template <typename T>
Task<Result<T>> StorageHost::Call(NodeId from, StorageCallSpec spec,
                                  std::function<Task<Result<T>>()> apply,
                                  std::function<int64_t(const Result<T>&)> response_bytes) {
  auto served = std::make_shared<bool>(false);
  std::function<Task<Result<T>>()> serve = [this, spec, apply, served] {
    return Serve<T>(this, spec, apply, served);
  };
  RemoteCallOptions options{spec.label, spec.request_bytes, spec.deadline};
  Result<T> result = co_await world_.RemoteCall<T>(from, host_, options, serve, response_bytes);
  co_return result;
}

template <typename T>
Task<Result<T>> StorageHost::Serve(StorageHost* self, StorageCallSpec spec,
                                   std::function<Task<Result<T>>()> apply,
                                   std::shared_ptr<bool> served) {
  if (*served) {
    // A duplicated delivery: run once, and let this copy's reply never matter.
    self->counters_.duplicates_ignored++;
    co_await self->Sleep(spec.deadline);
    co_return DeadlineExceeded(spec.label + ": duplicate delivery ignored");
  }
  *served = true;
  self->counters_.requests++;
  Draw draw = self->DrawFaults();
  if (!draw.refusal.ok()) co_return draw.refusal;
  if (draw.lose_request) {
    co_await self->Sleep(spec.deadline);
    co_return DeadlineExceeded(spec.label + ": request lost by " + self->service_);
  }
  const Duration delay = spec.service_time + draw.extra_delay;
  if (delay > Duration::Zero()) co_await self->Sleep(delay);
  Result<T> result = co_await apply();
  self->counters_.applied++;
  if (draw.lose_reply) {
    co_await self->Sleep(spec.deadline);
    co_return DeadlineExceeded(spec.label + ": reply lost by " + self->service_ +
                               " (the operation took effect)");
  }
  co_return result;
}

}  // namespace simvus::sim
