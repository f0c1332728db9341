// The Log conformance suite against Kafka through librdkafka: the mock cluster that ctest's
// backend-kafka fixture starts, or the brokers KAFKA_BOOTSTRAP names.
#include <memory>

#include "tests/conformance/log_conformance.h"
#include "tests/real/kafka/kafka_harness.h"

namespace simvus::conformance {

INSTANTIATE_TEST_SUITE_P(Kafka, LogConformance,
                         ::testing::Values(Backend{"Kafka", MakeKafkaHarness}), BackendName);

}  // namespace simvus::conformance
