// ThreadPool: a fixed set of worker threads running submitted work in submission order (FIFO,
// several at once). Real mode's strands run on one pool; blocking library calls (a libcurl
// transfer, a librdkafka poll) run on another so that they never hold a node's strand.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace simvus::real {

class ThreadPool {
 public:
  ThreadPool(std::string name, int threads);
  ~ThreadPool();  // finishes the queued work, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Submit(std::function<void()> work);
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop();

  std::string name_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace simvus::real
