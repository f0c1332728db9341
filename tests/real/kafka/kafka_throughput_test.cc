// Throughput figures for KafkaLog on the mock cluster (the backend-kafka fixture): produce with
// one record in flight (each awaits its delivery report: the latency-bound path the proxy takes
// per request), produce with 64 producers in flight at once, and poll of everything back in
// batches of 500. Records of 256 bytes. Printed, never asserted: timing claims belong in
// benchmarks. Rerun:
//   cd build/default && ctest -L integration -R KafkaThroughput -V
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "tests/real/kafka/kafka_harness.h"

namespace simvus::conformance {
namespace {

constexpr int kSequential = 2000;
constexpr int kConcurrent = 64;
constexpr int kPerProducer = 250;  // 16,000 records
constexpr size_t kRecordBytes = 256;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

Task<void> ProduceMany(Log* log, TopicPartition tp, int count, int* failures, int* done) {
  const Bytes payload(kRecordBytes, 'x');
  for (int i = 0; i < count; ++i) {
    Result<LogPosition> pos = co_await log->Produce(tp, payload);
    if (!pos.ok()) ++*failures;
  }
  ++*done;
}

TEST(KafkaThroughput, ProduceAndPollOnTheMockCluster) {
  std::unique_ptr<StorageHarness> harness = MakeKafkaHarness();
  if (!harness) GTEST_SKIP() << "KAFKA_BOOTSTRAP is not set";
  const std::string topic = harness->Unique("throughput");
  double sequential_s = 0, concurrent_s = 0, poll_s = 0;
  int64_t polled = 0;
  harness->Run([&]() -> Task<void> {
    Log& log = harness->log();
    const TopicPartition tp{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    int failures = 0;
    int done = 0;
    auto start = std::chrono::steady_clock::now();
    co_await ProduceMany(&log, tp, kSequential, &failures, &done);
    sequential_s = Seconds(start);
    start = std::chrono::steady_clock::now();
    done = 0;
    for (int p = 0; p < kConcurrent; ++p) {
      harness->Spawn(ProduceMany(&log, tp, kPerProducer, &failures, &done));
    }
    while (done < kConcurrent) co_await harness->Sleep(Duration::Millis(1));
    concurrent_s = Seconds(start);
    CO_ASSERT_TRUE(failures == 0);
    Result<std::unique_ptr<LogConsumer>> consumer = co_await log.Subscribe(tp, "throughput");
    CO_ASSERT_OK(consumer);
    const int64_t total = kSequential + int64_t{kConcurrent} * kPerProducer;
    start = std::chrono::steady_clock::now();
    while (polled < total) {
      Result<std::vector<LogRecord>> batch = co_await (*consumer)->Poll(500, Duration::Seconds(5));
      CO_ASSERT_OK(batch);
      CO_ASSERT_TRUE(!batch->empty());
      polled += static_cast<int64_t>(batch->size());
    }
    poll_s = Seconds(start);
  });
  ASSERT_GT(poll_s, 0);
  std::printf(
      "KafkaLog on the mock cluster, %zu-byte records: produce 1 in flight %.0f records/s "
      "(%d in %.2f s); %d in flight %.0f records/s (%d in %.2f s); poll %.0f records/s "
      "(%lld in %.2f s)\n",
      kRecordBytes, kSequential / sequential_s, kSequential, sequential_s, kConcurrent,
      kConcurrent * kPerProducer / concurrent_s, kConcurrent * kPerProducer, concurrent_s,
      static_cast<double>(polled) / poll_s, static_cast<long long>(polled), poll_s);
}

}  // namespace
}  // namespace simvus::conformance
