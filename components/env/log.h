// Log: the message log (Kafka semantics). "Log is data": every insert and delete is durable once
// Produce returns its position, and every consumer reads the same ordered records.
//
// Model:
//   - A topic (a Milvus pchannel) has a fixed number of partitions; each partition is an ordered
//     sequence of records with dense offsets starting at 0.
//   - Produce appends one record and returns its position once appended (acknowledged). A
//     kDeadlineExceeded or kUnavailable from Produce leaves the outcome indeterminate: the record
//     may or may not have been appended.
//   - Retention removes records from the front; low_watermark is the first offset still readable,
//     high_watermark the offset the next record will get. Reading below low_watermark fails with
//     kOutOfRange ("offset N was removed by retention; earliest is L").
//   - A consumer reads one partition from a position it may Seek; Poll returns the records at and
//     after the position in offset order (possibly empty after max_wait) and advances it.
//   - Consumer groups keep a committed offset per (group, topic, partition).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "components/env/bytes.h"
#include "components/env/result.h"
#include "components/env/task.h"
#include "components/env/time.h"

namespace simvus {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

struct LogPosition {
  TopicPartition tp;
  int64_t offset = 0;
};

struct LogRecord {
  int64_t offset = 0;
  Bytes payload;
};

struct Watermarks {
  int64_t low = 0;   // first readable offset
  int64_t high = 0;  // offset of the next record to be appended
};

class LogConsumer {
 public:
  virtual ~LogConsumer() = default;
  virtual const TopicPartition& topic_partition() const = 0;
  // The offset the next Poll starts from.
  virtual int64_t position() const = 0;
  virtual void Seek(int64_t offset) = 0;
  // Up to max_records records from position(), in order; waits up to max_wait for the first one.
  // An empty batch means nothing arrived in time. kOutOfRange if position() < low watermark.
  virtual Task<Result<std::vector<LogRecord>>> Poll(int32_t max_records, Duration max_wait) = 0;
  // Commits `offset` (the next offset to read) for this consumer's group.
  virtual Task<Status> Commit(int64_t offset) = 0;
};

class Log {
 public:
  virtual ~Log() = default;
  // kAlreadyExists if the topic exists with another partition count; OK if identical.
  virtual Task<Status> CreateTopic(std::string topic, int32_t partitions) = 0;
  virtual Task<Result<LogPosition>> Produce(TopicPartition tp, Bytes payload) = 0;
  virtual Task<Result<Watermarks>> GetWatermarks(TopicPartition tp) = 0;
  // A consumer of tp in `group`, positioned at the group's committed offset, or at the low
  // watermark if the group has none.
  virtual Task<Result<std::unique_ptr<LogConsumer>>> Subscribe(TopicPartition tp,
                                                               std::string group) = 0;
  // kNotFound if the group has committed nothing for tp.
  virtual Task<Result<int64_t>> FetchCommitted(std::string group, TopicPartition tp) = 0;
};

}  // namespace simvus
