#include "real/kafka/kafka_log.h"

#include <atomic>
#include <mutex>

#include "real/kafka/kafka_delivery.h"
#include "real/runtime/offload.h"

namespace simvus::real {

namespace {

std::string Name(const TopicPartition& tp) { return tp.topic + "/" + std::to_string(tp.partition); }

Result<Watermarks> QueryWatermarks(rd_kafka_t* handle, const TopicPartition& tp,
                                   const KafkaOptions& options) {
  int64_t low = 0;
  int64_t high = 0;
  rd_kafka_resp_err_t err =
      rd_kafka_query_watermark_offsets(handle, tp.topic.c_str(), tp.partition, &low, &high,
                                       static_cast<int>(options.request_timeout.millis()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaError(err, "watermarks of " + Name(tp), options);
  return Watermarks{low, high};
}

// One partition, one librdkafka consumer handle, one poll thread.
class KafkaConsumer : public LogConsumer {
 public:
  KafkaConsumer(ExecutorRef executor, KafkaConnection& connection, TopicPartition tp,
                rd_kafka_t* handle, int64_t position)
      : executor_(std::move(executor)),
        connection_(connection),
        tp_(std::move(tp)),
        handle_(handle),
        position_(position),
        poller_(std::make_unique<ThreadPool>("kafka-poll", 1)) {}

  ~KafkaConsumer() override {
    // The poll thread may be inside a Poll whose waiter is gone, and more may be queued: cut the
    // running one short (rd_kafka_yield), let the queued ones return at once, join, and only
    // then close the handle they use.
    closing_.store(true);
    rd_kafka_yield(handle_);
    poller_.reset();
    rd_kafka_consumer_close(handle_);
    rd_kafka_destroy(handle_);
  }

  const TopicPartition& topic_partition() const override { return tp_; }
  int64_t position() const override { return position_.load(); }
  // Never blocks the strand on a running poll: the next Poll re-assigns at the new offset.
  void Seek(int64_t offset) override {
    position_.store(offset);
    reassign_.store(true);
  }

  Task<Result<std::vector<LogRecord>>> Poll(int32_t max_records, Duration max_wait) override {
    std::function<Result<std::vector<LogRecord>>()> call = [this, max_records, max_wait] {
      return PollBlocking(max_records, max_wait);
    };
    Result<std::vector<LogRecord>> batch =
        co_await Offload<Result<std::vector<LogRecord>>>(executor_, *poller_, std::move(call));
    co_return batch;
  }

  Task<Status> Commit(int64_t offset) override {
    std::function<Status()> call = [this, offset] {
      std::lock_guard<std::mutex> lock(mutex_);
      rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
      rd_kafka_topic_partition_list_add(list, tp_.topic.c_str(), tp_.partition)->offset = offset;
      rd_kafka_resp_err_t err = rd_kafka_commit(handle_, list, /*async=*/0);
      rd_kafka_topic_partition_list_destroy(list);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return KafkaError(err, "commit " + Name(tp_), connection_.options());
      }
      return Status();
    };
    Status status = co_await Offload<Status>(executor_, *poller_, std::move(call));
    co_return status;
  }

 private:
  Status Assign() {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, tp_.topic.c_str(), tp_.partition)->offset =
        position_.load();
    rd_kafka_resp_err_t err = rd_kafka_assign(handle_, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaError(err, "assign " + Name(tp_), connection_.options());
    }
    reassign_.store(false);
    return Status();
  }

  Result<std::vector<LogRecord>> PollBlocking(int32_t max_records, Duration max_wait) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_.load()) return Unavailable("the consumer of " + Name(tp_) + " is closing");
    if (reassign_.load()) {
      Status assigned = Assign();
      if (!assigned.ok()) return assigned;
    }
    std::vector<LogRecord> records;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(max_wait.ns);
    while (static_cast<int32_t>(records.size()) < max_records && !closing_.load()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      // After the first record, take what follows it in the same fetch (a few ms at most).
      const int wait_ms = static_cast<int>(std::max<int64_t>(
          0, records.empty() ? left.count() : std::min<int64_t>(left.count(), 5)));
      rd_kafka_message_t* message = rd_kafka_consumer_poll(handle_, wait_ms);
      if (message == nullptr) {
        if (!records.empty() || std::chrono::steady_clock::now() >= deadline) break;
        continue;
      }
      const rd_kafka_resp_err_t err = message->err;
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_message_destroy(message);
        Status status =
            KafkaError(err, "poll " + Name(tp_) + " at offset " + std::to_string(position_.load()),
                       connection_.options());
        if (status.code() == StatusCode::kOutOfRange || status.code() == StatusCode::kNotFound) {
          reassign_.store(true);  // fetching stopped; a Seek (or the next Poll) restarts it
          if (!records.empty()) break;
          return status;
        }
        continue;  // transient (a broker down, a reconnect): librdkafka retries by itself
      }
      if (message->offset >= position_.load()) {
        LogRecord record;
        record.offset = message->offset;
        record.payload.assign(static_cast<const char*>(message->payload), message->len);
        position_.store(message->offset + 1);
        records.push_back(std::move(record));
      }
      rd_kafka_message_destroy(message);
    }
    return records;
  }

  ExecutorRef executor_;
  KafkaConnection& connection_;
  TopicPartition tp_;
  rd_kafka_t* handle_;
  std::mutex mutex_;  // the handle, between polls and commits
  std::atomic<int64_t> position_;
  std::atomic<bool> reassign_{true};
  std::atomic<bool> closing_{false};
  std::unique_ptr<ThreadPool> poller_;  // joined by the destructor before the handle goes
};

}  // namespace

Status KafkaLog::CheckPartition(const TopicPartition& tp) {
  Result<int32_t> partitions = connection_.PartitionCount(tp.topic, /*refresh=*/false);
  if (partitions.ok() && tp.partition >= *partitions) {
    partitions = connection_.PartitionCount(tp.topic, /*refresh=*/true);
  }
  if (!partitions.ok()) return partitions.status();
  if (*partitions == 0) {
    return NotFound(KafkaWhat(connection_.options()) + ": no topic " + tp.topic);
  }
  if (tp.partition < 0 || tp.partition >= *partitions) {
    return NotFound(KafkaWhat(connection_.options()) + ": topic " + tp.topic + " has " +
                    std::to_string(*partitions) + " partitions, no partition " +
                    std::to_string(tp.partition));
  }
  return Status();
}

Task<Status> KafkaLog::CreateTopic(std::string topic, int32_t partitions) {
  std::function<Status()> call = [this, topic, partitions] {
    return connection_.CreateTopic(topic, partitions);
  };
  Status status = co_await Offload<Status>(executor_, io_, std::move(call));
  co_return status;
}

Task<Result<LogPosition>> KafkaLog::Produce(TopicPartition tp, Bytes payload) {
  // The cache answers for every produce but a topic's first: only a miss costs a thread hop and
  // a metadata request.
  if (!connection_.KnownPartition(tp.topic, tp.partition)) {
    std::function<Status()> check = [this, tp] { return CheckPartition(tp); };
    Status known = co_await Offload<Status>(executor_, io_, std::move(check));
    if (!known.ok()) co_return known;
  }
  Completion<Result<LogPosition>> done(executor_);
  auto* state = new DeliveryState{executor_, done, tp, &connection_.options()};
  rd_kafka_resp_err_t err = rd_kafka_producev(
      connection_.producer(), RD_KAFKA_V_TOPIC(tp.topic.c_str()),
      RD_KAFKA_V_PARTITION(tp.partition), RD_KAFKA_V_VALUE(payload.data(), payload.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(state), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    delete state;  // not enqueued: certainly not in the log
    co_return KafkaError(err, "produce to " + Name(tp), connection_.options());
  }
  Result<LogPosition> position = co_await done;
  co_return position;
}

Task<Result<Watermarks>> KafkaLog::GetWatermarks(TopicPartition tp) {
  std::function<Result<Watermarks>()> call = [this, tp]() -> Result<Watermarks> {
    Status known = CheckPartition(tp);
    if (!known.ok()) return known;
    return QueryWatermarks(connection_.producer(), tp, connection_.options());
  };
  Result<Watermarks> marks = co_await Offload<Result<Watermarks>>(executor_, io_, std::move(call));
  co_return marks;
}

Task<Result<std::unique_ptr<LogConsumer>>> KafkaLog::Subscribe(TopicPartition tp,
                                                               std::string group) {
  ExecutorRef executor = executor_;
  std::function<Result<std::unique_ptr<LogConsumer>>()> call =
      [this, tp, group, executor]() -> Result<std::unique_ptr<LogConsumer>> {
    Status known = CheckPartition(tp);
    if (!known.ok()) return known;
    const KafkaOptions& options = connection_.options();
    Result<rd_kafka_conf_t*> conf = MakeKafkaConf(options, {{"group.id", group},
                                                            {"enable.auto.commit", "false"},
                                                            {"enable.auto.offset.store", "false"},
                                                            {"auto.offset.reset", "error"},
                                                            {"session.timeout.ms", "6000"},
                                                            {"fetch.wait.max.ms", "20"},
                                                            {"fetch.error.backoff.ms", "50"}});
    if (!conf.ok()) return conf.status();
    char error[512];
    rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, error, sizeof error);
    if (handle == nullptr) return InvalidArgument(KafkaWhat(options) + ": " + error);
    rd_kafka_poll_set_consumer(handle);
    int64_t start = 0;
    Result<int64_t> committed = connection_.Committed(group, tp.topic, tp.partition);
    if (committed.ok()) {
      start = *committed;
    } else if (committed.status().code() == StatusCode::kNotFound) {
      Result<Watermarks> marks = QueryWatermarks(handle, tp, options);
      if (!marks.ok()) {
        rd_kafka_destroy(handle);
        return marks.status();
      }
      start = marks->low;
    } else {
      rd_kafka_destroy(handle);
      return committed.status();
    }
    return std::unique_ptr<LogConsumer>(
        std::make_unique<KafkaConsumer>(executor, connection_, tp, handle, start));
  };
  Result<std::unique_ptr<LogConsumer>> consumer =
      co_await Offload<Result<std::unique_ptr<LogConsumer>>>(executor_, io_, std::move(call));
  co_return consumer;
}

Task<Result<int64_t>> KafkaLog::FetchCommitted(std::string group, TopicPartition tp) {
  std::function<Result<int64_t>()> call = [this, group, tp] {
    return connection_.Committed(group, tp.topic, tp.partition);
  };
  Result<int64_t> offset = co_await Offload<Result<int64_t>>(executor_, io_, std::move(call));
  co_return offset;
}

}  // namespace simvus::real
