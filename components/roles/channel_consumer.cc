#include "components/roles/channel_consumer.h"

#include <memory>
#include <vector>

namespace simvus::roles {

Task<void> ConsumePChannel(Env& env, std::string pchannel,
                           std::function<void(const proto::LogMessage&)> apply) {
  std::unique_ptr<LogConsumer> consumer;
  const TopicPartition tp{pchannel, 0};
  while (!consumer) {
    Result<std::unique_ptr<LogConsumer>> subscribed = co_await env.log->Subscribe(tp, env.node);
    if (subscribed.ok()) {
      consumer = std::move(*subscribed);
    } else {
      co_await env.clock->Sleep(Duration::Millis(100));
    }
  }
  for (;;) {
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
      proto::LogMessage message;
      if (!message.ParseFromString(record.payload)) {
        env.Step("consume.corrupt", pchannel + " @" + std::to_string(record.offset) +
                                        ": record does not decode; skipped");
        continue;
      }
      apply(message);
    }
  }
}

}  // namespace simvus::roles
