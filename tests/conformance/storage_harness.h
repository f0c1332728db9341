// StorageHarness: "a backend under test" for the storage conformance suites.
//
// The suites (log_conformance.h, object_store_conformance.h, meta_store_conformance.h) are written
// against the port interfaces of components/env and this harness only, so the simulated services
// and the real adapters (librdkafka, the etcd v3 API, S3 over libcurl) run the very same tests.
// A harness owns one backend and the client ports on it; Run drives a test body to completion
// (the simulator runs its scheduler; a real backend blocks on its executor).
//
// To run the suites against a new backend, write a factory and instantiate, one line per suite:
//   INSTANTIATE_TEST_SUITE_P(Kafka, LogConformance,
//                            ::testing::Values(conformance::Backend{"kafka", MakeKafkaHarness}),
//                            conformance::BackendName);
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "components/env/log.h"
#include "components/env/meta_store.h"
#include "components/env/object_store.h"
#include "components/env/task.h"

namespace simvus::conformance {

class StorageHarness {
 public:
  virtual ~StorageHarness() = default;

  // The ports under test. A harness for one backend may CHECK-fail on the others.
  virtual Log& log() = 0;
  virtual ObjectStore& object_store() = 0;
  virtual MetaStore& meta_store() = 0;

  // Runs `body` to completion; a body that does not finish is a test failure.
  virtual void Run(std::function<Task<void>()> body) = 0;
  // Starts `task` alongside the running body (for long polls and watches woken by a writer).
  virtual void Spawn(Task<void> task) = 0;
  // Waits `d` of the backend's time (sim time or real time).
  virtual Task<void> Sleep(Duration d) = 0;
  // A name no other test on a shared backend uses ("topic" -> "topic-<run>-<n>" for real ones).
  virtual std::string Unique(const std::string& base) { return base; }

  // Optional backend-specific powers; unsupported ones return false and the test is skipped.
  // Removes records of tp below `offset`, as retention would.
  virtual bool ForceRetention(const TopicPartition& /*tp*/, int64_t /*offset*/) { return false; }
};

using HarnessFactory = std::function<std::unique_ptr<StorageHarness>()>;

struct Backend {
  std::string name;
  HarnessFactory make;
};
inline void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }
inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

// Fixture base: one fresh backend per test.
class StorageConformance : public ::testing::TestWithParam<Backend> {
 protected:
  // A factory returns null when its backend is not configured (no endpoint set): the test is
  // skipped. A configured backend that cannot be reached is a failure (the factory ADD_FAILUREs).
  void SetUp() override {
    harness_ = GetParam().make();
    if (!harness_) GTEST_SKIP() << GetParam().name << " is not configured";
  }
  void TearDown() override { harness_.reset(); }
  StorageHarness& h() { return *harness_; }

 private:
  std::unique_ptr<StorageHarness> harness_;
};

inline Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

}  // namespace simvus::conformance

// Assertions for coroutine bodies (ASSERT_* cannot `return` from a coroutine).
#define CO_ASSERT_OK(expr)                                                     \
  do {                                                                         \
    const ::simvus::Status co_status_ = ::simvus::conformance::StatusOf(expr); \
    if (!co_status_.ok()) {                                                    \
      ADD_FAILURE() << #expr << " is not OK: " << co_status_.ToString();       \
      co_return;                                                               \
    }                                                                          \
  } while (0)

#define CO_ASSERT_TRUE(cond)                    \
  do {                                          \
    if (!(cond)) {                              \
      ADD_FAILURE() << "expected true: " #cond; \
      co_return;                                \
    }                                           \
  } while (0)

#define CO_ASSERT_CODE(expr, expected_code)                                              \
  do {                                                                                   \
    const ::simvus::Status co_status_ = ::simvus::conformance::StatusOf(expr);           \
    if (co_status_.code() != (expected_code)) {                                          \
      ADD_FAILURE() << #expr << ": expected " << ::simvus::StatusCodeName(expected_code) \
                    << ", got " << co_status_.ToString();                                \
      co_return;                                                                         \
    }                                                                                    \
  } while (0)
