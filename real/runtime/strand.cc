#include "real/runtime/strand.h"

namespace simvus::real {

void Strand::Post(std::function<void()> work) { TryPost(std::move(work)); }

bool Strand::TryPost(std::function<void()> work) {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_.load()) return false;
    queue_.push_back(std::move(work));
    if (!scheduled_) schedule = scheduled_ = true;
  }
  if (schedule) pool_.Submit([self = shared_from_this()] { self->Drain(); });
  return true;
}

void Strand::Stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_.store(true);
    dropped.swap(queue_);
  }
  // `dropped` is destroyed here, outside the lock: its closures may hold Completions.
}

void Strand::Drain() {
  // A bounded batch per turn, so that one busy node cannot starve the others on a small pool.
  for (int budget = 64; budget > 0; --budget) {
    std::function<void()> work;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.empty() || stopped_.load()) {
        scheduled_ = false;
        return;
      }
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    running_on_.store(std::this_thread::get_id());
    work();
    running_on_.store(std::thread::id{});
  }
  pool_.Submit([self = shared_from_this()] { self->Drain(); });
}

}  // namespace simvus::real
