// KafkaLog: the Log port (components/env/log.h) over Kafka with librdkafka.
//
// A topic is a Milvus pchannel. Produce goes through the process's idempotent producer (acks=all)
// and returns once the delivery report confirms the offset; an unconfirmed produce (timed out,
// possibly persisted) is kDeadlineExceeded, indeterminate as in the simulator. A consumer is its
// own librdkafka handle in the group, assigned to one partition (no rebalancing: each Milvus
// consumer owns its channel), with auto.offset.reset=error so that reading below the low
// watermark is kOutOfRange, never a silent jump. Offsets are committed explicitly.
//
// One KafkaLog per node (its completions go to that node's strand), all sharing one
// KafkaConnection. Blocking librdkafka calls run on the I/O pool, polls on the consumer's own
// thread, so a long poll never holds an I/O thread.
#pragma once

#include <memory>

#include "components/env/executor.h"
#include "components/env/log.h"
#include "real/kafka/kafka_connection.h"
#include "real/runtime/thread_pool.h"

namespace simvus::real {

class KafkaLog : public Log {
 public:
  KafkaLog(ExecutorRef executor, ThreadPool& io, KafkaConnection& connection)
      : executor_(std::move(executor)), io_(io), connection_(connection) {}

  Task<Status> CreateTopic(std::string topic, int32_t partitions) override;
  Task<Result<LogPosition>> Produce(TopicPartition tp, Bytes payload) override;
  Task<Result<Watermarks>> GetWatermarks(TopicPartition tp) override;
  Task<Result<std::unique_ptr<LogConsumer>>> Subscribe(TopicPartition tp,
                                                       std::string group) override;
  Task<Result<int64_t>> FetchCommitted(std::string group, TopicPartition tp) override;

 private:
  Status CheckPartition(const TopicPartition& tp);  // blocking: kNotFound for unknown ones

  ExecutorRef executor_;
  ThreadPool& io_;
  KafkaConnection& connection_;
};

}  // namespace simvus::real
