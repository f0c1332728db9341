// Property tests: SimLog against a vector per partition, without and with injected faults.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "tests/conformance/sim_storage_harness.h"

namespace simvus::sim {
namespace {

using conformance::SimStorageHarness;
using Op = std::tuple<int, int, int>;  // (kind, partition, argument)

constexpr int kPartitions = 3;

// Ops: 0-1 produce, 2 poll from an offset, 3 watermarks, 4 retention loss below an offset.
RC_GTEST_PROP(SimLogProperty, MatchesAVectorPerPartition, ()) {
  const auto ops = *rc::gen::container<std::vector<Op>>(rc::gen::tuple(
      rc::gen::inRange(0, 5), rc::gen::inRange(0, kPartitions), rc::gen::inRange(0, 12)));
  SimStorageHarness h;
  std::vector<std::string> failures;
  h.Run([&]() -> Task<void> {
    Log& log = h.log();
    Status created = co_await log.CreateTopic("t", kPartitions);
    if (!created.ok()) failures.push_back("create: " + created.ToString());
    std::vector<std::vector<Bytes>> model(kPartitions);
    std::vector<int64_t> low(kPartitions, 0);
    std::vector<std::unique_ptr<LogConsumer>> consumers;
    for (int32_t p = 0; p < kPartitions; ++p) {
      const TopicPartition tp{"t", p};
      Result<std::unique_ptr<LogConsumer>> c = co_await log.Subscribe(tp, "g");
      if (!c.ok()) {
        failures.push_back("subscribe: " + c.status().ToString());
        co_return;
      }
      consumers.push_back(std::move(*c));
    }
    int n = 0;
    for (const auto& [kind, p, arg] : ops) {
      const TopicPartition tp{"t", p};
      const std::string step = "op " + std::to_string(n++) + ": ";
      const int64_t high = static_cast<int64_t>(model[p].size());
      if (kind <= 1) {
        Bytes payload = "r" + std::to_string(n) + std::string(static_cast<size_t>(arg), 'x');
        Result<LogPosition> pos = co_await log.Produce(tp, payload);
        if (!pos.ok() || pos->offset != high) failures.push_back(step + "produce offset");
        model[p].push_back(payload);
      } else if (kind == 2) {
        LogConsumer& c = *consumers[p];
        const int64_t offset = arg;
        c.Seek(offset);
        Result<std::vector<LogRecord>> batch = co_await c.Poll(1 + arg % 4, Duration::Zero());
        if (offset < low[p] || offset > high) {
          if (batch.status().code() != StatusCode::kOutOfRange) {
            failures.push_back(step + "expected out of range, got " + batch.status().ToString());
          }
          continue;
        }
        if (!batch.ok()) {
          failures.push_back(step + "poll: " + batch.status().ToString());
          continue;
        }
        const int64_t expected = std::min<int64_t>(high - offset, 1 + arg % 4);
        if (static_cast<int64_t>(batch->size()) != expected) failures.push_back(step + "size");
        for (size_t i = 0; i < batch->size(); ++i) {
          const LogRecord& r = (*batch)[i];
          if (r.offset != offset + static_cast<int64_t>(i) ||
              r.payload != model[p][static_cast<size_t>(r.offset)]) {
            failures.push_back(step + "record mismatch at " + std::to_string(r.offset));
          }
        }
        if (c.position() != offset + expected) failures.push_back(step + "position");
      } else if (kind == 3) {
        Result<Watermarks> marks = co_await log.GetWatermarks(tp);
        if (!marks.ok() || marks->low != low[p] || marks->high != high) {
          failures.push_back(step + "watermarks");
        }
      } else {
        const int64_t cut = std::min<int64_t>(arg, high);
        h.storage().log().RemoveBefore(tp, cut);
        low[p] = std::max(low[p], cut);
      }
    }
  });
  for (const std::string& f : failures) RC_LOG() << f << "\n";
  RC_ASSERT(failures.empty());
}

// Under faults every acknowledged record is read back at its offset, and nothing is read that
// was never produced; indeterminate produces may or may not appear, at most once.
RC_GTEST_PROP(SimLogProperty, AcknowledgedRecordsSurviveFaults, ()) {
  const auto partitions = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, kPartitions));
  const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  conformance::SimStorageHarness h(sim::SimStorageOptions{}, seed);
  SimServiceFaults faults;
  faults.unavailable_probability = 0.1;
  faults.lost_request_probability = 0.1;
  faults.lost_reply_probability = 0.1;
  faults.slow_probability = 0.2;
  (void)h.storage().log().state().CreateTopic("t", kPartitions);
  h.storage().log().host().set_faults(faults);
  // The host crashes once, at a drawn time, and restarts a second later: its data must survive.
  const auto crash_at_ms = *rc::gen::inRange<int64_t>(0, 3000);
  h.StartStorm(h.storage().log_host(), Duration::Millis(crash_at_ms));
  std::map<std::pair<int, int64_t>, Bytes> acked;
  std::set<Bytes> attempted;
  h.Run([&]() -> Task<void> {
    int n = 0;
    for (int p : partitions) {
      const TopicPartition tp{"t", p};
      Bytes payload = "p" + std::to_string(n++);
      attempted.insert(payload);
      Result<LogPosition> pos = co_await h.log().Produce(tp, payload);
      if (pos.ok()) acked[{p, pos->offset}] = payload;
    }
  });
  h.storage().log().host().set_faults({});
  h.EndStorm();
  // Past the crash and restart of the host, whenever they were drawn.
  h.Run([&]() -> Task<void> { co_await h.Sleep(Duration::Seconds(5)); });
  std::vector<std::string> failures;
  h.Run([&]() -> Task<void> {
    std::set<Bytes> seen;
    for (int32_t p = 0; p < kPartitions; ++p) {
      const TopicPartition tp{"t", p};
      Result<std::unique_ptr<LogConsumer>> c = co_await h.log().Subscribe(tp, "check");
      if (!c.ok()) co_return;
      for (;;) {
        Result<std::vector<LogRecord>> batch = co_await (*c)->Poll(100, Duration::Zero());
        if (!batch.ok()) {
          failures.push_back(batch.status().ToString());
          break;
        }
        if (batch->empty()) break;
        for (const LogRecord& r : *batch) {
          if (attempted.count(r.payload) == 0) failures.push_back("never produced: " + r.payload);
          if (!seen.insert(r.payload).second) failures.push_back("twice: " + r.payload);
          auto it = acked.find({p, r.offset});
          if (it != acked.end() && it->second != r.payload) failures.push_back("acked mismatch");
        }
      }
    }
    for (const auto& [where, payload] : acked) {
      if (seen.count(payload) == 0) failures.push_back("acked record lost: " + payload);
    }
  });
  for (const std::string& f : failures) RC_LOG() << f << "\n";
  RC_ASSERT(failures.empty());
}

}  // namespace
}  // namespace simvus::sim
