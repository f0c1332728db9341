#include "tests/real/kafka/kafka_harness.h"

#include "real/endpoints.h"

namespace simvus::conformance {

KafkaFixture& Kafka() {
  static KafkaFixture* fixture = [] {
    auto* f = new KafkaFixture;  // never destroyed: outlives every test's harness
    const real::BackendEndpoints endpoints = real::LoadEndpoints();
    f->configured = !endpoints.kafka_bootstrap.empty();
    if (!f->configured) return f;
    real::KafkaOptions options;
    options.bootstrap = endpoints.kafka_bootstrap;
    options.mock_control = endpoints.kafka_mock_control;
    Result<std::unique_ptr<real::KafkaConnection>> connected =
        real::KafkaConnection::Connect(options);
    if (connected.ok()) {
      f->connection = std::move(*connected);
    } else {
      f->status = connected.status();
    }
    return f;
  }();
  return *fixture;
}

std::unique_ptr<StorageHarness> MakeKafkaHarness() {
  KafkaFixture& kafka = Kafka();
  if (!kafka.configured) return nullptr;
  if (!kafka.status.ok()) {
    ADD_FAILURE() << kafka.status.ToString();
    return nullptr;
  }
  real::RealPortFactories ports;
  ports.log = [&kafka](ExecutorRef executor) -> std::unique_ptr<Log> {
    return std::make_unique<real::KafkaLog>(executor, kafka.io, *kafka.connection);
  };
  return std::make_unique<RealStorageHarness>(std::move(ports));
}

}  // namespace simvus::conformance
