// SimLogBroker: a simulated Kafka cluster on one host node, and SimLog, its per-node client port.
//
// The broker's data (LogBrokerState) lives in the world, outside any incarnation of its host: a
// crash of the host refuses requests until it restarts, and loses nothing acknowledged. Each client
// operation is a StorageHost::Call from the calling node to the host, so network faults, host
// crashes and pauses, and the broker's own faults (storage_host.h) all apply.
//
// Long poll: a Poll at the high watermark waits on the host for up to max_wait for a record to be
// appended (a signal per waiting request, woken by Append, and one timer) — no busy loop. The
// client's deadline for a Poll is max_wait + request_timeout.
//
// Faults of the log: outage windows (BrokerDown), the per-request faults of SimServiceFaults
// (a lost produce reply is the indeterminate produce), host crash and pause through SimWorld,
// and retention loss (RemoveBefore): records removed before their consumers read them.
// Determinism: as StorageHost; waiters are woken in the order they registered.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "components/env/log.h"
#include "sim/storage/log_broker_state.h"
#include "sim/storage/storage_host.h"

namespace simvus::sim {

struct SimLogOptions {
  LogRetention retention;
  Duration produce_time = Duration::Micros(500);  // append + in-sync replication before the ack
  Duration fetch_time = Duration::Micros(100);
  Duration metadata_time = Duration::Micros(100);  // create topic, watermarks, commits
  Duration request_timeout = Duration::Seconds(5);
  int32_t max_poll_records = 500;  // a Poll returns at most this many, whatever it asks for
  SimServiceFaults faults;
};

class SimLogBroker {
 public:
  SimLogBroker(SimWorld& world, NodeId host, SimLogOptions options);
  SimLogBroker(const SimLogBroker&) = delete;
  SimLogBroker& operator=(const SimLogBroker&) = delete;

  // The Log port of one node incarnation (PortFactories::log).
  std::unique_ptr<Log> ClientFor(const NodeContext& context);

  StorageHost& host() { return host_; }
  LogBrokerState& state() { return state_; }
  const SimLogOptions& options() const { return options_; }

  // Fault: the broker refuses every request in [now, now + d) with kUnavailable.
  void BrokerDown(Duration d);
  // Fault "retention loss": removes records of tp below `offset` now. Returns how many.
  int64_t RemoveBefore(const TopicPartition& tp, int64_t offset);

  // Server side of each operation; run on the host by StorageHost::Call.
  static Task<Result<Unit>> ServeCreateTopic(SimLogBroker* self, std::string topic,
                                             int32_t partitions);
  static Task<Result<LogPosition>> ServeProduce(SimLogBroker* self, TopicPartition tp,
                                                Bytes payload);
  static Task<Result<Watermarks>> ServeWatermarks(SimLogBroker* self, TopicPartition tp);
  static Task<Result<int64_t>> ServeStartOffset(SimLogBroker* self, TopicPartition tp,
                                                std::string group);
  static Task<Result<std::vector<LogRecord>>> ServePoll(SimLogBroker* self, TopicPartition tp,
                                                        int64_t offset, int32_t max_records,
                                                        Duration max_wait);
  static Task<Result<Unit>> ServeCommit(SimLogBroker* self, std::string group, TopicPartition tp,
                                        int64_t offset);
  static Task<Result<int64_t>> ServeFetchCommitted(SimLogBroker* self, std::string group,
                                                   TopicPartition tp);

 private:
  void WakeWaiters(const TopicPartition& tp);

  SimWorld& world_;
  SimLogOptions options_;
  StorageHost host_;
  LogBrokerState state_;
  std::map<TopicPartition, std::vector<Signal>> waiters_;
};

}  // namespace simvus::sim
