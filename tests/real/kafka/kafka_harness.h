// The Kafka conformance backend: one KafkaConnection and I/O pool per test binary (as one process
// has in real mode), a RealStorageHarness per test whose client node gets a KafkaLog.
#pragma once

#include <memory>

#include "real/kafka/kafka_log.h"
#include "tests/conformance/real_storage_harness.h"

namespace simvus::conformance {

struct KafkaFixture {
  real::ThreadPool io{"io", 4};
  std::unique_ptr<real::KafkaConnection> connection;
  Status status;  // of connecting
  bool configured = false;
};

// Connects on first use, from KAFKA_BOOTSTRAP / KAFKA_MOCK_CONTROL or the backends.env file.
KafkaFixture& Kafka();
// Null (test skipped) when no cluster is configured; a failure when it cannot be reached.
std::unique_ptr<StorageHarness> MakeKafkaHarness();

}  // namespace simvus::conformance
