#include "tests/conformance/real_storage_harness.h"

#include <unistd.h>

#include <atomic>

#include "components/env/check.h"
#include "real/runtime/wall_clock.h"

namespace simvus::conformance {

RealStorageHarness::RealStorageHarness(real::RealPortFactories ports) {
  real::RealRuntimeOptions options;
  options.strand_threads = 2;
  runtime_ = std::make_unique<real::RealRuntime>(options, std::move(ports));
  runtime_->StartNode("client", nullptr);
}

RealStorageHarness::~RealStorageHarness() { runtime_.reset(); }

Log& RealStorageHarness::log() {
  SIMVUS_CHECK(env()->log != nullptr, "this harness has no Log");
  return *env()->log;
}
ObjectStore& RealStorageHarness::object_store() {
  SIMVUS_CHECK(env()->object_store != nullptr, "this harness has no ObjectStore");
  return *env()->object_store;
}
MetaStore& RealStorageHarness::meta_store() {
  SIMVUS_CHECK(env()->meta_store != nullptr, "this harness has no MetaStore");
  return *env()->meta_store;
}

void RealStorageHarness::Run(std::function<Task<void>()> body) {
  const bool finished = runtime_->RunOn("client", body(), Duration::Seconds(120));
  EXPECT_TRUE(finished) << "the test body did not finish within two minutes of wall time";
}

Task<void> RealStorageHarness::Sleep(Duration d) { co_await env()->clock->Sleep(d); }

std::string RealStorageHarness::Unique(const std::string& base) {
  static const std::string run =
      std::to_string(getpid()) + "-" + std::to_string(real::WallNow().unix_ms() % 100000000);
  static std::atomic<int64_t> counter{0};  // per process: --gtest_repeat gets fresh names too
  return base + "-" + run + "-" + std::to_string(counter++);
}

}  // namespace simvus::conformance
