#include "components/roles/channel_consumer.h"

#include <memory>
#include <vector>

namespace simvus::roles {

Task<void> ConsumePChannel(Env& env, std::string pchannel,
                           std::function<void(const proto::LogMessage&)> apply) {
  std::function<void(const proto::LogMessage&, int64_t)> with_offset =
      [apply = std::move(apply)](const proto::LogMessage& m, int64_t) { apply(m); };
  co_await ConsumePChannelFrom(env, std::move(pchannel), std::nullopt, std::move(with_offset));
}

namespace {

// The loop both entry points share; `stop` may be null (runs until the node dies).
Task<void> ConsumeLoop(Env& env, std::string pchannel, std::optional<int64_t> start,
                       std::shared_ptr<bool> stop,
                       std::function<Task<void>(const proto::LogMessage&, int64_t)> apply) {
  auto stopped = [&stop] { return stop != nullptr && *stop; };
  std::unique_ptr<LogConsumer> consumer;
  const TopicPartition tp{pchannel, 0};
  while (!consumer) {
    if (stopped()) co_return;
    Result<std::unique_ptr<LogConsumer>> subscribed = co_await env.log->Subscribe(tp, env.node);
    if (subscribed.ok()) {
      consumer = std::move(*subscribed);
      if (start) consumer->Seek(*start);
    } else {
      co_await env.clock->Sleep(Duration::Millis(100));
    }
  }
  while (!stopped()) {
    Result<std::vector<LogRecord>> batch = co_await consumer->Poll(256, Duration::Millis(500));
    if (!batch.ok()) {
      if (batch.status().code() == StatusCode::kOutOfRange) {
        env.Step("consume.dataloss",
                 "cannot consume " + pchannel + ": " + batch.status().ToString());
        co_return;
      }
      co_await env.clock->Sleep(Duration::Millis(100));
      continue;
    }
    for (const LogRecord& record : *batch) {
      if (stopped()) co_return;
      proto::LogMessage message;
      if (!message.ParseFromString(record.payload)) {
        env.Step("consume.corrupt", pchannel + " @" + std::to_string(record.offset) +
                                        ": record does not decode; skipped");
        continue;
      }
      co_await apply(message, record.offset);
    }
  }
}

}  // namespace

Task<void> ConsumePChannelFrom(
    Env& env, std::string pchannel, std::optional<int64_t> start,
    std::function<void(const proto::LogMessage&, int64_t offset)> apply) {
  std::function<Task<void>(const proto::LogMessage&, int64_t)> async =
      [apply = std::move(apply)](const proto::LogMessage& m, int64_t offset) -> Task<void> {
    apply(m, offset);
    co_return;
  };
  co_await ConsumeLoop(env, std::move(pchannel), start, nullptr, std::move(async));
}

Task<void> ConsumePChannelAsync(Env& env, std::string pchannel, std::shared_ptr<bool> stop,
                                std::function<Task<void>(const proto::LogMessage&)> apply) {
  std::function<Task<void>(const proto::LogMessage&, int64_t)> with_offset =
      [apply = std::move(apply)](const proto::LogMessage& m, int64_t) { return apply(m); };
  co_await ConsumeLoop(env, std::move(pchannel), std::nullopt, std::move(stop),
                       std::move(with_offset));
}

}  // namespace simvus::roles
