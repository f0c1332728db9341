// Offload: runs a blocking call (a libcurl transfer, a librdkafka query) on an I/O pool thread and
// resumes the awaiting coroutine on its node's strand with the result.
//
//   Result<Bytes> got = co_await Offload<Result<Bytes>>(executor_, io_, [=] { return Fetch(); });
//
// The call must not touch node state: it runs on another thread. If the node stops meanwhile the
// result is dropped with the strand's queue (its Completion is never set; the frame is gone).
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "components/env/completion.h"
#include "components/env/task.h"
#include "real/runtime/thread_pool.h"

namespace simvus::real {

// Sets `completion` to `value` from any thread: the Set itself runs on the completion's strand.
template <typename T>
void SetFromAnyThread(const ExecutorRef& executor, Completion<T> completion, T value) {
  // Posted work is a std::function (copyable): a move-only value travels in a shared_ptr.
  auto boxed = std::make_shared<T>(std::move(value));
  executor->Post([completion, boxed] { completion.Set(std::move(*boxed)); });
}

template <typename T>
Task<T> Offload(ExecutorRef executor, ThreadPool& io, std::function<T()> call) {
  Completion<T> done(executor);
  io.Submit([executor, done, call = std::move(call)] { SetFromAnyThread(executor, done, call()); });
  T value = co_await done;
  co_return value;
}

}  // namespace simvus::real
