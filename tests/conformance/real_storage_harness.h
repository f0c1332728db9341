// RealStorageHarness: a real backend as a conformance backend. One RealRuntime with a "client"
// node whose ports come from the given factories; Run blocks the test thread until the body
// finishes on the client's strand (at most two minutes of wall time). Names are unique per run
// (pid and start time), so tests never see each other's topics, keys or objects on a shared
// server.
#pragma once

#include <memory>
#include <string>

#include "real/runtime/runtime.h"
#include "tests/conformance/storage_harness.h"

namespace simvus::conformance {

class RealStorageHarness : public StorageHarness {
 public:
  explicit RealStorageHarness(real::RealPortFactories ports);
  ~RealStorageHarness() override;

  Log& log() override;
  ObjectStore& object_store() override;
  MetaStore& meta_store() override;
  void Run(std::function<Task<void>()> body) override;
  void Spawn(Task<void> task) override { env()->Spawn(std::move(task)); }
  Task<void> Sleep(Duration d) override;
  std::string Unique(const std::string& base) override;

  real::RealRuntime& runtime() { return *runtime_; }
  Env* env() { return runtime_->EnvOf("client"); }

 private:
  std::unique_ptr<real::RealRuntime> runtime_;
};

// Skips the current test (GTEST_SKIP) unless `value` is set, naming the variable: integration
// tests run under ctest's backend fixture, which sets SIMVUS_BACKENDS_ENV.
#define SIMVUS_REQUIRE_BACKEND(value, variable)                                        \
  do {                                                                                 \
    if ((value).empty()) {                                                             \
      GTEST_SKIP() << variable << " is not set (run under `ctest -L integration`, or " \
                   << "start backends with real/backends/up DIR and export "           \
                   << "SIMVUS_BACKENDS_ENV=DIR/backends.env)";                         \
    }                                                                                  \
  } while (0)

}  // namespace simvus::conformance
