// Strand: one node's Executor in real mode.
//
// Work posted to a strand runs one item at a time, in post order, on some thread of the strand
// pool, never concurrently with the node's other work: the invariant of executor.h, which is what
// lets role code (written for the single-threaded simulator) run unchanged on many threads.
// Library threads (librdkafka's, libcurl transfers, the timer thread) never touch a node's state;
// they Post back to its strand. Stop() ends the incarnation: queued and later work is dropped, as
// the simulator drops work of a crashed node.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "components/env/executor.h"
#include "real/runtime/thread_pool.h"

namespace simvus::real {

class Strand : public Executor, public std::enable_shared_from_this<Strand> {
 public:
  explicit Strand(ThreadPool& pool) : pool_(pool) {}

  void Post(std::function<void()> work) override;
  // Post that says whether the work was queued (false: the strand is stopped, work dropped).
  bool TryPost(std::function<void()> work);
  // Drops queued work and refuses new work. Work already running finishes.
  void Stop();
  bool stopped() const { return stopped_.load(); }
  // True on the thread currently running this strand's work.
  bool running_here() const { return running_on_ == std::this_thread::get_id(); }

 private:
  void Drain();

  ThreadPool& pool_;
  std::mutex mutex_;
  std::deque<std::function<void()>> queue_;
  bool scheduled_ = false;  // a Drain is queued on or running in the pool
  std::atomic<bool> stopped_{false};
  std::atomic<std::thread::id> running_on_{};
};

}  // namespace simvus::real
