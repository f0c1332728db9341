#include "real/kafka/kafka_delivery.h"

#include <memory>

#include "real/runtime/offload.h"

namespace simvus::real {

void OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* message, void* /*opaque*/) {
  std::unique_ptr<DeliveryState> state(static_cast<DeliveryState*>(message->_private));
  if (!state) return;
  Result<LogPosition> outcome = LogPosition{state->tp, message->offset};
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const std::string context =
        "produce to " + state->tp.topic + "/" + std::to_string(state->tp.partition);
    if (rd_kafka_message_status(message) == RD_KAFKA_MSG_STATUS_NOT_PERSISTED) {
      outcome = KafkaError(message->err, context, *state->options);
    } else {
      // Sent, not confirmed: like a simulated produce whose ack was lost.
      outcome = DeadlineExceeded(KafkaWhat(*state->options) + ": " + context + ": " +
                                 rd_kafka_err2str(message->err) +
                                 " (unconfirmed: the record may or may not be in the log)");
    }
  }
  SetFromAnyThread(state->executor, state->done, std::move(outcome));
}

}  // namespace simvus::real
