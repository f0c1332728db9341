// SimStorageHarness: the simulated storage services as a conformance backend: one SimWorld with
// SimStorage installed and a "client" node whose ports are under test. Run drives the scheduler
// until the body finishes (at most an hour of sim time).
#pragma once

#include <memory>

#include "sim/storage/sim_storage.h"
#include "tests/conformance/storage_harness.h"

namespace simvus::conformance {

class SimStorageHarness : public StorageHarness {
 public:
  explicit SimStorageHarness(sim::SimStorageOptions options = {}, uint64_t seed = 1);
  ~SimStorageHarness() override;

  Log& log() override { return *env()->log; }
  ObjectStore& object_store() override { return *env()->object_store; }
  MetaStore& meta_store() override { return *env()->meta_store; }
  void Run(std::function<Task<void>()> body) override;
  void Spawn(Task<void> task) override { env()->Spawn(std::move(task)); }
  Task<void> Sleep(Duration d) override;
  bool ForceRetention(const TopicPartition& tp, int64_t offset) override;

  sim::SimWorld& world() { return *world_; }
  sim::SimStorage& storage() { return *storage_; }
  sim::NodeId client() const { return client_; }
  Env* env() { return world_->EnvOf(client_); }

  // The nemesis the fault properties share: the network drops 5%, duplicates 5% and reorders 10%
  // of messages, and `host` crashes `crash_after` from now and restarts a second later (its data
  // must survive). EndStorm restores the calm network for the final reads.
  void StartStorm(sim::NodeId host, Duration crash_after);
  void EndStorm();

 private:
  sim::LinkProfile calm_;
  std::unique_ptr<sim::SimWorld> world_;
  std::unique_ptr<sim::SimStorage> storage_;
  sim::NodeId client_ = -1;
};

Backend SimBackend();

}  // namespace simvus::conformance
