// KafkaConnection: one process's connection to a Kafka cluster (real brokers, or the mock
// cluster of simvus-kafka-mock), shared by every node's KafkaLog.
//
// It owns the idempotent producer (acks=all) and the thread that serves its delivery reports, a
// topic-metadata cache (producing to a topic or partition that does not exist fails at once with
// kNotFound instead of waiting for auto-creation), and the group handles used to read committed
// offsets. Every method here blocks: call it through Offload, on the I/O pool.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "components/env/result.h"
#include "components/env/time.h"

namespace simvus::real {

struct KafkaOptions {
  std::string bootstrap;     // KAFKA_BOOTSTRAP
  std::string mock_control;  // KAFKA_MOCK_CONTROL: topics are created through the mock host
  Duration request_timeout = Duration::Seconds(5);
  // A produce not confirmed within this is reported kDeadlineExceeded: it may or may not be in
  // the log (the simulator's indeterminate produce).
  Duration delivery_timeout = Duration::Seconds(10);
  int32_t replication = 3;  // for CreateTopics on real brokers (capped by the broker count)
};

// librdkafka configuration shared by the producer and consumers; on error names the key.
Result<rd_kafka_conf_t*> MakeKafkaConf(const KafkaOptions& options,
                                       const std::map<std::string, std::string>& extra);
// "Kafka at BOOTSTRAP" for error messages.
std::string KafkaWhat(const KafkaOptions& options);
// Maps a librdkafka error to a Status naming the cluster.
Status KafkaError(rd_kafka_resp_err_t err, const std::string& context, const KafkaOptions& options);

class KafkaConnection {
 public:
  // Connects and checks that the cluster answers a metadata request within request_timeout:
  // an unreachable bootstrap is a clear kUnavailable here, not a hang later.
  static Result<std::unique_ptr<KafkaConnection>> Connect(KafkaOptions options);
  ~KafkaConnection();
  KafkaConnection(const KafkaConnection&) = delete;
  KafkaConnection& operator=(const KafkaConnection&) = delete;

  const KafkaOptions& options() const { return options_; }
  rd_kafka_t* producer() { return producer_; }

  // The topic's partition count (0 if it does not exist), from the cache or, on a miss or when
  // `refresh`, from the cluster.
  Result<int32_t> PartitionCount(const std::string& topic, bool refresh);
  // True if the cache already knows tp exists. Never blocks on the network (any thread).
  bool KnownPartition(const std::string& topic, int32_t partition);
  Status CreateTopic(const std::string& topic, int32_t partitions);
  Result<int64_t> Committed(const std::string& group, const std::string& topic, int32_t partition);

 private:
  explicit KafkaConnection(KafkaOptions options) : options_(std::move(options)) {}
  Result<std::map<std::string, int32_t>> FetchTopics();
  Result<rd_kafka_t*> GroupHandle(const std::string& group);

  KafkaOptions options_;
  rd_kafka_t* producer_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::thread poller_;
  std::mutex mutex_;
  std::map<std::string, int32_t> topics_;      // topic -> partitions, as last seen
  std::map<std::string, rd_kafka_t*> groups_;  // group -> consumer handle (committed offsets)
};

}  // namespace simvus::real
