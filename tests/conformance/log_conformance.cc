#include "tests/conformance/log_conformance.h"

#include <string>
#include <vector>

namespace simvus::conformance {
namespace {

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LogConformance);

TEST_P(LogConformance, CreateTopicIsIdempotentAndRejectsAnotherPartitionCount) {
  const std::string topic = h().Unique("create");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 2));
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 2));
    CO_ASSERT_CODE(co_await log.CreateTopic(topic, 3), StatusCode::kAlreadyExists);
  });
}

TEST_P(LogConformance, ProduceReturnsDenseOffsetsPerPartition) {
  const std::string topic = h().Unique("dense");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 2));
    for (int i = 0; i < 5; ++i) {
      for (int32_t p = 0; p < 2; ++p) {
        const TopicPartition tpp{topic, p};
        Result<LogPosition> pos = co_await log.Produce(tpp, "r" + std::to_string(i));
        CO_ASSERT_OK(pos);
        EXPECT_EQ(pos->tp.topic, topic);
        EXPECT_EQ(pos->tp.partition, p);
        EXPECT_EQ(pos->offset, i);
      }
    }
  });
}

TEST_P(LogConformance, ProduceToAnUnknownTopicOrPartitionFails) {
  const std::string topic = h().Unique("unknown");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    const TopicPartition tp1{topic, 1};
    CO_ASSERT_CODE(co_await log.Produce(tp0, "x"), StatusCode::kNotFound);
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    CO_ASSERT_CODE(co_await log.Produce(tp1, "x"), StatusCode::kNotFound);
  });
}

TEST_P(LogConformance, WatermarksTrackAppends) {
  const std::string topic = h().Unique("marks");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    Result<Watermarks> empty = co_await log.GetWatermarks(tp0);
    CO_ASSERT_OK(empty);
    EXPECT_EQ(empty->low, 0);
    EXPECT_EQ(empty->high, 0);
    for (int i = 0; i < 3; ++i) CO_ASSERT_OK(co_await log.Produce(tp0, "x"));
    Result<Watermarks> three = co_await log.GetWatermarks(tp0);
    CO_ASSERT_OK(three);
    EXPECT_EQ(three->low, 0);
    EXPECT_EQ(three->high, 3);
  });
}

TEST_P(LogConformance, SubscribeReadsEveryRecordInOrderFromTheLowWatermark) {
  const std::string topic = h().Unique("order");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    for (int i = 0; i < 10; ++i) CO_ASSERT_OK(co_await log.Produce(tp0, std::to_string(i)));
    Result<std::unique_ptr<LogConsumer>> consumer = co_await log.Subscribe(tp0, "g");
    CO_ASSERT_OK(consumer);
    LogConsumer& c = **consumer;
    EXPECT_EQ(c.position(), 0);
    std::vector<LogRecord> all;
    while (all.size() < 10) {
      Result<std::vector<LogRecord>> batch = co_await c.Poll(4, Duration::Seconds(1));
      CO_ASSERT_OK(batch);
      CO_ASSERT_TRUE(!batch->empty());
      CO_ASSERT_TRUE(batch->size() <= 4);
      all.insert(all.end(), batch->begin(), batch->end());
    }
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(all[i].offset, static_cast<int64_t>(i));
      EXPECT_EQ(all[i].payload, std::to_string(i));
    }
    EXPECT_EQ(c.position(), 10);
  });
}

TEST_P(LogConformance, PollAtTheEndWaitsThenReturnsAnEmptyBatch) {
  const std::string topic = h().Unique("empty");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    Result<std::unique_ptr<LogConsumer>> consumer = co_await log.Subscribe(tp0, "g");
    CO_ASSERT_OK(consumer);
    Result<std::vector<LogRecord>> batch = co_await (*consumer)->Poll(10, Duration::Millis(200));
    CO_ASSERT_OK(batch);
    EXPECT_TRUE(batch->empty());
    EXPECT_EQ((*consumer)->position(), 0);
  });
}

TEST_P(LogConformance, LongPollReturnsARecordProducedWhileItWaits) {
  const std::string topic = h().Unique("longpoll");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    Result<std::unique_ptr<LogConsumer>> consumer = co_await log.Subscribe(tp0, "g");
    CO_ASSERT_OK(consumer);
    h().Spawn([](StorageHarness* harness, std::string t) -> Task<void> {
      const TopicPartition tp{t, 0};
      co_await harness->Sleep(Duration::Millis(100));
      Result<LogPosition> pos = co_await harness->log().Produce(tp, "late");
      EXPECT_TRUE(pos.ok()) << pos.status().ToString();
    }(&h(), topic));
    Result<std::vector<LogRecord>> batch = co_await (*consumer)->Poll(10, Duration::Seconds(10));
    CO_ASSERT_OK(batch);
    CO_ASSERT_TRUE(batch->size() == 1);
    EXPECT_EQ((*batch)[0].payload, "late");
  });
}

TEST_P(LogConformance, SeekRereadsFromAnOffset) {
  const std::string topic = h().Unique("seek");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    for (int i = 0; i < 5; ++i) CO_ASSERT_OK(co_await log.Produce(tp0, std::to_string(i)));
    Result<std::unique_ptr<LogConsumer>> consumer = co_await log.Subscribe(tp0, "g");
    CO_ASSERT_OK(consumer);
    (*consumer)->Seek(3);
    Result<std::vector<LogRecord>> batch = co_await (*consumer)->Poll(10, Duration::Seconds(1));
    CO_ASSERT_OK(batch);
    CO_ASSERT_TRUE(batch->size() == 2);
    EXPECT_EQ((*batch)[0].offset, 3);
    EXPECT_EQ((*batch)[0].payload, "3");
    EXPECT_EQ((*consumer)->position(), 5);
  });
}

TEST_P(LogConformance, CommittedOffsetsArePerGroupAndResumeASubscription) {
  const std::string topic = h().Unique("commit");
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    for (int i = 0; i < 6; ++i) CO_ASSERT_OK(co_await log.Produce(tp0, std::to_string(i)));
    CO_ASSERT_CODE(co_await log.FetchCommitted("g1", tp0), StatusCode::kNotFound);
    {
      Result<std::unique_ptr<LogConsumer>> c1 = co_await log.Subscribe(tp0, "g1");
      CO_ASSERT_OK(c1);
      Result<std::vector<LogRecord>> batch = co_await (*c1)->Poll(4, Duration::Seconds(1));
      CO_ASSERT_OK(batch);
      CO_ASSERT_OK(co_await (*c1)->Commit((*c1)->position()));
    }
    Result<int64_t> committed = co_await log.FetchCommitted("g1", tp0);
    CO_ASSERT_OK(committed);
    EXPECT_GE(*committed, 1);
    Result<std::unique_ptr<LogConsumer>> again = co_await log.Subscribe(tp0, "g1");
    CO_ASSERT_OK(again);
    EXPECT_EQ((*again)->position(), *committed);
    Result<std::unique_ptr<LogConsumer>> other = co_await log.Subscribe(tp0, "g2");
    CO_ASSERT_OK(other);
    EXPECT_EQ((*other)->position(), 0);
    CO_ASSERT_CODE(co_await log.FetchCommitted("g2", tp0), StatusCode::kNotFound);
  });
}

TEST_P(LogConformance, ReadingBelowTheLowWatermarkIsOutOfRange) {
  const std::string topic = h().Unique("retention");
  const TopicPartition tp{topic, 0};
  bool supported = true;
  h().Run([&]() -> Task<void> {
    Log& log = h().log();
    const TopicPartition tp0{topic, 0};
    CO_ASSERT_OK(co_await log.CreateTopic(topic, 1));
    for (int i = 0; i < 5; ++i) CO_ASSERT_OK(co_await log.Produce(tp, std::to_string(i)));
    if (!h().ForceRetention(tp, 3)) {
      supported = false;
      co_return;
    }
    Result<Watermarks> marks = co_await log.GetWatermarks(tp);
    CO_ASSERT_OK(marks);
    EXPECT_EQ(marks->low, 3);
    EXPECT_EQ(marks->high, 5);
    Result<std::unique_ptr<LogConsumer>> consumer = co_await log.Subscribe(tp, "fresh");
    CO_ASSERT_OK(consumer);
    EXPECT_EQ((*consumer)->position(), 3);
    (*consumer)->Seek(1);
    CO_ASSERT_CODE(co_await (*consumer)->Poll(10, Duration::Millis(100)), StatusCode::kOutOfRange);
    (*consumer)->Seek(3);
    Result<std::vector<LogRecord>> batch = co_await (*consumer)->Poll(10, Duration::Millis(100));
    CO_ASSERT_OK(batch);
    CO_ASSERT_TRUE(batch->size() == 2);
    EXPECT_EQ((*batch)[0].payload, "3");
  });
  if (!supported) GTEST_SKIP() << "backend cannot force retention";
}

}  // namespace
}  // namespace simvus::conformance
