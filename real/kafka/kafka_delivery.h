// Delivery reports: how a produce's outcome travels from librdkafka's thread to the awaiting
// coroutine. Each produce carries a DeliveryState as its opaque; OnDelivery (on the producer's
// poll thread) turns the report into a Result and posts it to the producing node's strand.
#pragma once

#include <librdkafka/rdkafka.h>

#include "components/env/completion.h"
#include "components/env/log.h"
#include "real/kafka/kafka_connection.h"

namespace simvus::real {

struct DeliveryState {
  ExecutorRef executor;
  Completion<Result<LogPosition>> done;
  TopicPartition tp;
  const KafkaOptions* options = nullptr;
};

// librdkafka's dr_msg_cb.
void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);

}  // namespace simvus::real
