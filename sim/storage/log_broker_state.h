// LogBrokerState: the data of a simulated Kafka cluster, as plain synchronous operations.
//
// Invariants (per partition):
//   - offsets are dense: the retained records hold offsets [low, high) in order;
//   - low only grows (retention and retention-loss remove from the front), high only grows;
//   - an appended record's bytes never change.
// Retention removes records older than retention_time or beyond retention_bytes per partition,
// record by record (Kafka does it by segment; the observable rule — reading below the low
// watermark fails with kOutOfRange — is the same). It is enforced lazily by every operation on
// the partition, at the `now` passed in.
// Determinism: ordered containers only; time comes in as an argument.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "components/env/log.h"
#include "components/env/result.h"
#include "components/env/time.h"

namespace simvus::sim {

struct LogRetention {
  int64_t bytes_per_partition_max = 0;   // 0: unlimited
  Duration time_max = Duration::Zero();  // 0: unlimited
};

class LogBrokerState {
 public:
  explicit LogBrokerState(LogRetention retention = {}) : retention_(retention) {}

  // kAlreadyExists if the topic exists with another partition count; OK if identical.
  // kInvalidArgument if partitions < 1 or the name is empty.
  Status CreateTopic(const std::string& topic, int32_t partitions);
  bool HasPartition(const TopicPartition& tp) const;
  Result<LogPosition> Append(const TopicPartition& tp, Bytes payload, Instant now);
  Result<Watermarks> GetWatermarks(const TopicPartition& tp, Instant now);
  // Up to max_records from `offset`; empty at the high watermark. kOutOfRange below the low
  // watermark or past the high watermark; kNotFound for an unknown topic or partition.
  Result<std::vector<LogRecord>> Read(const TopicPartition& tp, int64_t offset, int32_t max_records,
                                      Instant now);
  Status Commit(const std::string& group, const TopicPartition& tp, int64_t offset);
  Result<int64_t> FetchCommitted(const std::string& group, const TopicPartition& tp) const;
  // Where a new consumer of `group` starts: its committed offset, else the low watermark.
  Result<int64_t> StartOffset(const std::string& group, const TopicPartition& tp, Instant now);

  // Fault "retention loss": removes every record below `offset` (clipped to high) now, as an
  // aggressive retention would. Returns the number of records removed.
  int64_t RemoveBefore(const TopicPartition& tp, int64_t offset);
  // Fault "retention loss" on every partition: removes records appended before `cutoff`.
  int64_t RemoveAppendedBefore(Instant cutoff);

  const LogRetention& retention() const { return retention_; }
  void set_retention(const LogRetention& retention) { retention_ = retention; }
  std::vector<TopicPartition> AllPartitions() const;

 private:
  struct Stored {
    Bytes payload;
    Instant appended;
  };
  struct Partition {
    int64_t low = 0;
    int64_t bytes = 0;
    std::deque<Stored> records;
    int64_t high() const { return low + static_cast<int64_t>(records.size()); }
  };
  Partition* Find(const TopicPartition& tp);
  const Partition* Find(const TopicPartition& tp) const;
  void Enforce(Partition& p, Instant now);
  static Status UnknownPartition(const TopicPartition& tp);

  LogRetention retention_;
  std::map<std::string, std::vector<Partition>> topics_;
  std::map<std::pair<std::string, TopicPartition>, int64_t> committed_;
};

}  // namespace simvus::sim
