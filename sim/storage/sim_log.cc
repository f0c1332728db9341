#include "sim/storage/sim_log.h"

#include <algorithm>
#include <utility>

namespace simvus::sim {

namespace {

int64_t SmallReply(const Result<Unit>&) { return 32; }

// A consumer of one partition; its position lives in the client, as in librdkafka.
class SimLogConsumer : public LogConsumer {
 public:
  SimLogConsumer(SimLogBroker* broker, NodeId node, TopicPartition tp, std::string group,
                 int64_t position)
      : broker_(broker),
        node_(node),
        tp_(std::move(tp)),
        group_(std::move(group)),
        position_(position) {}

  const TopicPartition& topic_partition() const override { return tp_; }
  int64_t position() const override { return position_; }
  void Seek(int64_t offset) override { position_ = offset; }

  Task<Result<std::vector<LogRecord>>> Poll(int32_t max_records, Duration max_wait) override {
    SimLogBroker* broker = broker_;
    const int32_t max = std::min(max_records, broker->options().max_poll_records);
    std::function<Task<Result<std::vector<LogRecord>>>()> apply =
        [broker, tp = tp_, offset = position_, max, max_wait] {
          return SimLogBroker::ServePoll(broker, tp, offset, max, max_wait);
        };
    std::function<int64_t(const Result<std::vector<LogRecord>>&)> reply =
        [](const Result<std::vector<LogRecord>>& r) {
          int64_t bytes = 32;
          if (r.ok()) {
            for (const LogRecord& rec : *r) bytes += 16 + static_cast<int64_t>(rec.payload.size());
          }
          return bytes;
        };
    StorageCallSpec spec{"kafka.Fetch", 64, broker->options().fetch_time,
                         max_wait + broker->options().request_timeout};
    Result<std::vector<LogRecord>> result =
        co_await broker->host().Call<std::vector<LogRecord>>(node_, spec, apply, reply);
    if (result.ok() && !result->empty()) position_ = result->back().offset + 1;
    co_return result;
  }

  Task<Status> Commit(int64_t offset) override {
    SimLogBroker* broker = broker_;
    std::function<Task<Result<Unit>>()> apply = [broker, group = group_, tp = tp_, offset] {
      return SimLogBroker::ServeCommit(broker, group, tp, offset);
    };
    std::function<int64_t(const Result<Unit>&)> reply = SmallReply;
    StorageCallSpec spec{"kafka.OffsetCommit", 64, broker->options().metadata_time,
                         broker->options().request_timeout};
    Result<Unit> result = co_await broker->host().Call<Unit>(node_, spec, apply, reply);
    co_return ToStatus(result);
  }

 private:
  SimLogBroker* broker_;
  NodeId node_;
  TopicPartition tp_;
  std::string group_;
  int64_t position_;
};

// The Log port of one node incarnation.
class SimLog : public Log {
 public:
  SimLog(SimLogBroker* broker, NodeId node) : broker_(broker), node_(node) {}

  Task<Status> CreateTopic(std::string topic, int32_t partitions) override {
    SimLogBroker* broker = broker_;
    std::function<Task<Result<Unit>>()> apply = [broker, topic, partitions] {
      return SimLogBroker::ServeCreateTopic(broker, topic, partitions);
    };
    std::function<int64_t(const Result<Unit>&)> reply = SmallReply;
    const StorageCallSpec spec = Spec("kafka.CreateTopics", 64);
    Result<Unit> result = co_await broker->host().Call<Unit>(node_, spec, apply, reply);
    co_return ToStatus(result);
  }

  Task<Result<LogPosition>> Produce(TopicPartition tp, Bytes payload) override {
    SimLogBroker* broker = broker_;
    const int64_t size = 64 + static_cast<int64_t>(payload.size());
    // Shared, so that the copies of the request along the simulated network copy no bytes.
    auto shared = std::make_shared<const Bytes>(std::move(payload));
    std::function<Task<Result<LogPosition>>()> apply = [broker, tp, shared] {
      return SimLogBroker::ServeProduce(broker, tp, *shared);
    };
    std::function<int64_t(const Result<LogPosition>&)> reply = [](const Result<LogPosition>&) {
      return int64_t{48};
    };
    StorageCallSpec spec{"kafka.Produce", size, broker->options().produce_time,
                         broker->options().request_timeout};
    Result<LogPosition> result =
        co_await broker->host().Call<LogPosition>(node_, spec, apply, reply);
    co_return result;
  }

  Task<Result<Watermarks>> GetWatermarks(TopicPartition tp) override {
    SimLogBroker* broker = broker_;
    std::function<Task<Result<Watermarks>>()> apply = [broker, tp] {
      return SimLogBroker::ServeWatermarks(broker, tp);
    };
    std::function<int64_t(const Result<Watermarks>&)> reply = [](const Result<Watermarks>&) {
      return int64_t{48};
    };
    const StorageCallSpec spec = Spec("kafka.ListOffsets", 64);
    Result<Watermarks> result = co_await broker->host().Call<Watermarks>(node_, spec, apply, reply);
    co_return result;
  }

  Task<Result<std::unique_ptr<LogConsumer>>> Subscribe(TopicPartition tp,
                                                       std::string group) override {
    SimLogBroker* broker = broker_;
    std::function<Task<Result<int64_t>>()> apply = [broker, tp, group] {
      return SimLogBroker::ServeStartOffset(broker, tp, group);
    };
    std::function<int64_t(const Result<int64_t>&)> reply = [](const Result<int64_t>&) {
      return int64_t{32};
    };
    const StorageCallSpec spec = Spec("kafka.OffsetFetch", 64);
    Result<int64_t> start = co_await broker->host().Call<int64_t>(node_, spec, apply, reply);
    if (!start.ok()) co_return start.status();
    co_return std::unique_ptr<LogConsumer>(
        std::make_unique<SimLogConsumer>(broker, node_, std::move(tp), std::move(group), *start));
  }

  Task<Result<int64_t>> FetchCommitted(std::string group, TopicPartition tp) override {
    SimLogBroker* broker = broker_;
    std::function<Task<Result<int64_t>>()> apply = [broker, tp, group] {
      return SimLogBroker::ServeFetchCommitted(broker, group, tp);
    };
    std::function<int64_t(const Result<int64_t>&)> reply = [](const Result<int64_t>&) {
      return int64_t{32};
    };
    const StorageCallSpec spec = Spec("kafka.OffsetFetch", 64);
    Result<int64_t> result = co_await broker->host().Call<int64_t>(node_, spec, apply, reply);
    co_return result;
  }

 private:
  StorageCallSpec Spec(std::string label, int64_t bytes) const {
    return {std::move(label), bytes, broker_->options().metadata_time,
            broker_->options().request_timeout};
  }

  SimLogBroker* broker_;
  NodeId node_;
};

}  // namespace

SimLogBroker::SimLogBroker(SimWorld& world, NodeId host, SimLogOptions options)
    : world_(world),
      options_(options),
      host_(world, host, "log", options.faults),
      state_(options.retention) {}

std::unique_ptr<Log> SimLogBroker::ClientFor(const NodeContext& context) {
  return std::make_unique<SimLog>(this, context.id);
}

void SimLogBroker::BrokerDown(Duration d) {
  const Instant now = world_.scheduler().now();
  host_.AddOutage(now, now + d, Unavailable("kafka: broker down (no leader for partition)"));
}

int64_t SimLogBroker::RemoveBefore(const TopicPartition& tp, int64_t offset) {
  return state_.RemoveBefore(tp, offset);
}

void SimLogBroker::WakeWaiters(const TopicPartition& tp) {
  auto it = waiters_.find(tp);
  if (it == waiters_.end()) return;
  std::vector<Signal> waiters = std::move(it->second);
  waiters_.erase(it);
  for (const Signal& s : waiters) s.Set(Unit{});
}

Task<Result<Unit>> SimLogBroker::ServeCreateTopic(SimLogBroker* self, std::string topic,
                                                  int32_t partitions) {
  co_return FromStatus(self->state_.CreateTopic(topic, partitions));
}

Task<Result<LogPosition>> SimLogBroker::ServeProduce(SimLogBroker* self, TopicPartition tp,
                                                     Bytes payload) {
  Result<LogPosition> pos =
      self->state_.Append(tp, std::move(payload), self->world_.scheduler().now());
  if (pos.ok()) {
    self->host_.Note("kafka.append", tp.topic + "/" + std::to_string(tp.partition) + " offset " +
                                         std::to_string(pos->offset));
    self->WakeWaiters(tp);
  }
  co_return pos;
}

Task<Result<Watermarks>> SimLogBroker::ServeWatermarks(SimLogBroker* self, TopicPartition tp) {
  co_return self->state_.GetWatermarks(tp, self->world_.scheduler().now());
}

Task<Result<int64_t>> SimLogBroker::ServeStartOffset(SimLogBroker* self, TopicPartition tp,
                                                     std::string group) {
  co_return self->state_.StartOffset(group, tp, self->world_.scheduler().now());
}

Task<Result<std::vector<LogRecord>>> SimLogBroker::ServePoll(SimLogBroker* self, TopicPartition tp,
                                                             int64_t offset, int32_t max_records,
                                                             Duration max_wait) {
  Scheduler& scheduler = self->world_.scheduler();
  const Instant give_up = scheduler.now() + max_wait;
  for (;;) {
    Result<std::vector<LogRecord>> batch =
        self->state_.Read(tp, offset, max_records, scheduler.now());
    if (!batch.ok() || !batch->empty() || scheduler.now() >= give_up) co_return batch;
    // Wait for an append to tp or for max_wait to pass, whichever comes first.
    Signal woke = self->host_.MakeHostSignal();
    std::vector<Signal>& list = self->waiters_[tp];
    std::erase_if(list, [](const Signal& s) { return s.is_set(); });
    list.push_back(woke);
    scheduler.At(give_up, [woke] { woke.Set(Unit{}); });
    co_await woke;
  }
}

Task<Result<Unit>> SimLogBroker::ServeCommit(SimLogBroker* self, std::string group,
                                             TopicPartition tp, int64_t offset) {
  co_return FromStatus(self->state_.Commit(group, tp, offset));
}

Task<Result<int64_t>> SimLogBroker::ServeFetchCommitted(SimLogBroker* self, std::string group,
                                                        TopicPartition tp) {
  co_return self->state_.FetchCommitted(group, tp);
}

}  // namespace simvus::sim
