#include "real/runtime/in_process_transport.h"

#include "components/env/check.h"
#include "components/env/completion.h"
#include "real/runtime/offload.h"

namespace simvus::real {

void TransportHub::Attach(const std::string& node, std::shared_ptr<Endpoint> endpoint) {
  std::lock_guard<std::mutex> lock(mutex_);
  endpoints_[node] = std::move(endpoint);
}

void TransportHub::Detach(const std::string& node) {
  std::lock_guard<std::mutex> lock(mutex_);
  endpoints_.erase(node);
}

std::shared_ptr<Endpoint> TransportHub::Find(const std::string& node) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = endpoints_.find(node);
  return it == endpoints_.end() ? nullptr : it->second;
}

void InProcessTransport::Register(std::string method, Handler handler) {
  SIMVUS_CHECK(self_->handlers.count(method) == 0, "handler registered twice: " + method);
  self_->handlers.emplace(std::move(method), std::move(handler));
}

void InProcessTransport::RegisterOneWay(std::string method, OneWayHandler handler) {
  SIMVUS_CHECK(self_->one_way.count(method) == 0, "one-way handler registered twice: " + method);
  self_->one_way.emplace(std::move(method), std::move(handler));
}

namespace {

// Runs one request on the target's strand and posts the answer to the caller's.
Task<void> Serve(Transport::Handler handler, std::string from, Bytes request, ExecutorRef reply_to,
                 Completion<Result<Bytes>> done) {
  Result<Bytes> answer = co_await handler(std::move(from), std::move(request));
  SetFromAnyThread(reply_to, done, std::move(answer));
}

}  // namespace

Task<Result<Bytes>> InProcessTransport::Call(std::string to, std::string method, Bytes request,
                                             Duration deadline) {
  std::shared_ptr<Endpoint> target = hub_.Find(to);
  if (target == nullptr) {
    RemoteTransport* remote = hub_.remote();
    if (remote == nullptr || !remote->Knows(to)) {
      co_return Unavailable("no node named '" + to + "' is up");
    }
    ExecutorRef caller = self_->executor;
    std::string from = node_;
    Result<Bytes> answer = co_await remote->Call(std::move(caller), std::move(from), std::move(to),
                                                 std::move(method), std::move(request), deadline);
    co_return answer;
  }
  Completion<Result<Bytes>> done(self_->executor);
  ExecutorRef reply_to = self_->executor;
  std::string from = node_;
  target->executor->Post(
      [target, to, method, from, request = std::move(request), reply_to, done]() mutable {
        auto it = target->handlers.find(method);
        if (it == target->handlers.end()) {
          SetFromAnyThread(reply_to, done,
                           Result<Bytes>(Unavailable(to + " serves no method '" + method + "'")));
          return;
        }
        target->scope->Spawn(Serve(it->second, from, std::move(request), reply_to, done));
      });
  const std::string what = method + " to " + to;
  hub_.timers().After(deadline, [reply_to, done, what, deadline] {
    SetFromAnyThread(reply_to, done,
                     Result<Bytes>(DeadlineExceeded(what + ": no answer within " +
                                                    std::to_string(deadline.millis()) + " ms")));
  });
  Result<Bytes> answer = co_await done;
  co_return answer;
}

void InProcessTransport::Send(std::string to, std::string method, Bytes message) {
  std::shared_ptr<Endpoint> target = hub_.Find(to);
  if (target == nullptr) {
    // One-way: no feedback, as on a network.
    RemoteTransport* remote = hub_.remote();
    if (remote != nullptr && remote->Knows(to)) {
      remote->Send(node_, std::move(to), std::move(method), std::move(message));
    }
    return;
  }
  std::string from = node_;
  target->executor->Post([target, method = std::move(method), from = std::move(from),
                          message = std::move(message)]() mutable {
    auto it = target->one_way.find(method);
    if (it != target->one_way.end()) it->second(std::move(from), std::move(message));
  });
}

}  // namespace simvus::real
