#include "tests/conformance/sim_storage_harness.h"

namespace simvus::conformance {

SimStorageHarness::SimStorageHarness(sim::SimStorageOptions options, uint64_t seed) {
  sim::WorldOptions world_options;
  world_options.seed = seed;
  world_ = std::make_unique<sim::SimWorld>(world_options);
  storage_ = sim::SimStorage::Install(*world_, options);
  client_ = world_->AddNode("client", nullptr);
  world_->Start(client_);
}

SimStorageHarness::~SimStorageHarness() {
  // Incarnations (and their suspended coroutines) go before the services they point to.
  world_->Shutdown();
  storage_.reset();
  world_.reset();
}

void SimStorageHarness::Run(std::function<Task<void>()> body) {
  bool done = false;
  env()->Spawn([](std::function<Task<void>()> fn, bool* finished) -> Task<void> {
    co_await fn();
    *finished = true;
  }(std::move(body), &done));
  sim::Scheduler& scheduler = world_->scheduler();
  scheduler.RunUntilDone([&done] { return done; }, scheduler.now() + Duration::Seconds(3600));
  EXPECT_TRUE(done) << "the test body did not finish within an hour of sim time";
}

Task<void> SimStorageHarness::Sleep(Duration d) { co_await env()->clock->Sleep(d); }

bool SimStorageHarness::ForceRetention(const TopicPartition& tp, int64_t offset) {
  storage_->log().RemoveBefore(tp, offset);
  return true;
}

Backend SimBackend() {
  return Backend{"Sim", [] { return std::make_unique<SimStorageHarness>(); }};
}

void SimStorageHarness::StartStorm(sim::NodeId host, Duration crash_after) {
  calm_ = world_->network().default_profile();
  sim::LinkProfile stormy = calm_;
  stormy.drop_probability = 0.05;
  stormy.duplicate_probability = 0.05;
  stormy.reorder_probability = 0.1;
  world_->network().set_default_profile(stormy);
  sim::SimWorld* world = world_.get();
  world->scheduler().After(crash_after, [world, host] {
    world->Crash(host);
    world->scheduler().After(Duration::Seconds(1), [world, host] { world->Start(host); });
  });
}

void SimStorageHarness::EndStorm() { world_->network().set_default_profile(calm_); }

}  // namespace simvus::conformance
