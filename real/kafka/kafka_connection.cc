#include "real/kafka/kafka_connection.h"

#include <pthread.h>

#include <cstdio>

#include "real/kafka/kafka_delivery.h"
#include "real/kafka/mock_control.h"

namespace simvus::real {

std::string KafkaWhat(const KafkaOptions& options) { return "Kafka at " + options.bootstrap; }

Status KafkaError(rd_kafka_resp_err_t err, const std::string& context,
                  const KafkaOptions& options) {
  const std::string text = KafkaWhat(options) + ": " + context + ": " + rd_kafka_err2str(err);
  switch (err) {
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
      return NotFound(text);
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
      return OutOfRange(text + " (below the low watermark: removed by retention?)");
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return DeadlineExceeded(text);
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
      return AlreadyExists(text);
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
      return InvalidArgument(text);
    default:
      return Unavailable(text);
  }
}

namespace {

// librdkafka logs reconnects and broker outages to stderr as they happen; they are expected under
// faults and reach the caller as statuses, so only its critical lines are kept.
void QuietLog(const rd_kafka_t* /*rk*/, int level, const char* facility, const char* text) {
  if (level <= 2) std::fprintf(stderr, "librdkafka %s: %s\n", facility, text);
}

}  // namespace

Result<rd_kafka_conf_t*> MakeKafkaConf(const KafkaOptions& options,
                                       const std::map<std::string, std::string>& extra) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", options.bootstrap},
      {"socket.timeout.ms", std::to_string(options.request_timeout.millis())},
      // Keep librdkafka's own logging quiet: errors reach us as statuses.
      {"log_level", "3"},
  };
  for (const auto& [key, value] : extra) settings[key] = value;
  rd_kafka_conf_set_log_cb(conf, QuietLog);
  char error[512];
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return InvalidArgument(KafkaWhat(options) + ": setting " + key + ": " + error);
    }
  }
  return conf;
}

Result<std::unique_ptr<KafkaConnection>> KafkaConnection::Connect(KafkaOptions options) {
  if (options.bootstrap.empty()) {
    return InvalidArgument("Kafka: no bootstrap servers (set KAFKA_BOOTSTRAP)");
  }
  std::unique_ptr<KafkaConnection> connection(new KafkaConnection(options));
  Result<rd_kafka_conf_t*> conf = MakeKafkaConf(
      options, {{"enable.idempotence", "true"},
                {"acks", "all"},
                {"linger.ms", "0"},
                {"message.timeout.ms", std::to_string(options.delivery_timeout.millis())}});
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(*conf, OnDelivery);
  char error[512];
  connection->producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, error, sizeof error);
  if (connection->producer_ == nullptr) {
    return InvalidArgument(KafkaWhat(options) + ": " + error);
  }
  KafkaConnection* raw = connection.get();
  connection->poller_ = std::thread([raw] {
    pthread_setname_np(pthread_self(), "kafka-dr");
    while (!raw->stopping_.load()) rd_kafka_poll(raw->producer_, 100);
  });
  Result<std::map<std::string, int32_t>> topics = connection->FetchTopics();
  if (!topics.ok()) {
    return Unavailable(topics.status().message() + " (is the cluster running?)");
  }
  return connection;
}

KafkaConnection::~KafkaConnection() {
  if (producer_ != nullptr) rd_kafka_flush(producer_, 2000);
  stopping_.store(true);
  if (poller_.joinable()) poller_.join();
  for (auto& [group, handle] : groups_) {
    rd_kafka_consumer_close(handle);
    rd_kafka_destroy(handle);
  }
  if (producer_ != nullptr) {
    rd_kafka_poll(producer_, 0);  // serve the last delivery reports (failures after flush)
    rd_kafka_destroy(producer_);
  }
}

Result<std::map<std::string, int32_t>> KafkaConnection::FetchTopics() {
  const rd_kafka_metadata_t* metadata = nullptr;
  // All topics: asking for one topic by name would auto-create it on brokers that allow that.
  rd_kafka_resp_err_t err = rd_kafka_metadata(producer_, 1, nullptr, &metadata,
                                              static_cast<int>(options_.request_timeout.millis()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError(err, "metadata", options_);
  std::map<std::string, int32_t> topics;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = metadata->topics[i];
    if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR) topics[t.topic] = t.partition_cnt;
  }
  rd_kafka_metadata_destroy(metadata);
  std::lock_guard<std::mutex> lock(mutex_);
  topics_ = topics;
  return topics;
}

Result<int32_t> KafkaConnection::PartitionCount(const std::string& topic, bool refresh) {
  if (!refresh) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = topics_.find(topic);
    if (it != topics_.end()) return it->second;
  }
  Result<std::map<std::string, int32_t>> topics = FetchTopics();
  if (!topics.ok()) return topics.status();
  auto it = topics->find(topic);
  return it == topics->end() ? 0 : it->second;
}

bool KafkaConnection::KnownPartition(const std::string& topic, int32_t partition) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = topics_.find(topic);
  return it != topics_.end() && partition >= 0 && partition < it->second;
}

Status KafkaConnection::CreateTopic(const std::string& topic, int32_t partitions) {
  Result<int32_t> existing = PartitionCount(topic, /*refresh=*/true);
  if (!existing.ok()) return existing.status();
  if (*existing == partitions) return Status();
  if (*existing != 0) {
    return AlreadyExists(KafkaWhat(options_) + ": topic " + topic + " exists with " +
                         std::to_string(*existing) + " partitions, not " +
                         std::to_string(partitions));
  }
  if (!options_.mock_control.empty()) {
    Status created = MockControlCommand(options_.mock_control,
                                        "create " + topic + " " + std::to_string(partitions));
    if (!created.ok()) return created;
  } else {
    // Real brokers: the CreateTopics admin request.
    char error[512];
    rd_kafka_NewTopic_t* spec =
        rd_kafka_NewTopic_new(topic.c_str(), partitions, options_.replication, error, sizeof error);
    if (spec == nullptr) return InvalidArgument(KafkaWhat(options_) + ": " + error);
    rd_kafka_queue_t* queue = rd_kafka_queue_new(producer_);
    rd_kafka_CreateTopics(producer_, &spec, 1, nullptr, queue);
    rd_kafka_event_t* event =
        rd_kafka_queue_poll(queue, static_cast<int>(options_.request_timeout.millis()) * 2);
    Status status;
    if (event == nullptr) {
      status = DeadlineExceeded(KafkaWhat(options_) + ": CreateTopics " + topic + ": no answer");
    } else {
      size_t count = 0;
      const rd_kafka_topic_result_t** results =
          rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
      if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        status = KafkaError(rd_kafka_event_error(event), "CreateTopics " + topic, options_);
      } else if (count == 1 &&
                 rd_kafka_topic_result_error(results[0]) != RD_KAFKA_RESP_ERR_NO_ERROR &&
                 rd_kafka_topic_result_error(results[0]) !=
                     RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        status =
            KafkaError(rd_kafka_topic_result_error(results[0]), "CreateTopics " + topic, options_);
      }
      rd_kafka_event_destroy(event);
    }
    rd_kafka_queue_destroy(queue);
    rd_kafka_NewTopic_destroy(spec);
    if (!status.ok()) return status;
  }
  // Wait until the metadata shows it (creation propagates asynchronously on real clusters).
  for (int attempt = 0; attempt < 50; ++attempt) {
    Result<int32_t> now = PartitionCount(topic, /*refresh=*/true);
    if (!now.ok()) return now.status();
    if (*now == partitions) return Status();
    if (*now != 0) {
      return AlreadyExists(KafkaWhat(options_) + ": topic " + topic + " exists with " +
                           std::to_string(*now) + " partitions, not " + std::to_string(partitions));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return DeadlineExceeded(KafkaWhat(options_) + ": topic " + topic + " did not appear");
}

Result<rd_kafka_t*> KafkaConnection::GroupHandle(const std::string& group) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = groups_.find(group);
  if (it != groups_.end()) return it->second;
  Result<rd_kafka_conf_t*> conf =
      MakeKafkaConf(options_, {{"group.id", group}, {"enable.auto.commit", "false"}});
  if (!conf.ok()) return conf.status();
  char error[512];
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, error, sizeof error);
  if (handle == nullptr) return InvalidArgument(KafkaWhat(options_) + ": " + error);
  groups_[group] = handle;
  return handle;
}

Result<int64_t> KafkaConnection::Committed(const std::string& group, const std::string& topic,
                                           int32_t partition) {
  Result<rd_kafka_t*> handle = GroupHandle(group);
  if (!handle.ok()) return handle.status();
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), partition);
  rd_kafka_resp_err_t err =
      rd_kafka_committed(*handle, list, static_cast<int>(options_.request_timeout.millis()));
  const int64_t offset = list->elems[0].offset;
  const rd_kafka_resp_err_t partition_err = list->elems[0].err;
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError(err, "committed offset", options_);
  if (partition_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaError(partition_err, "committed offset", options_);
  }
  if (offset < 0) {
    return NotFound("group " + group + " has committed nothing for " + topic + "/" +
                    std::to_string(partition));
  }
  return offset;
}

}  // namespace simvus::real
