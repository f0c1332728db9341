// InProcessTransport: the Transport port between the nodes of one real-mode process.
//
// A Call posts the request to the target node's strand, runs the handler there as a task of the
// target's incarnation, and posts the answer back to the caller's strand; a timer on the wall
// clock answers kDeadlineExceeded first if the handler is slow (its late answer is then ignored,
// as over a network). A node that is not attached (never started, or stopped) refuses with
// kUnavailable, unless the hub has a RemoteTransport that knows it (a node of another process:
// real/grpc), which then carries the call with the same contract.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "components/env/executor.h"
#include "components/env/task_scope.h"
#include "components/env/transport.h"
#include "real/runtime/remote_transport.h"
#include "real/runtime/timer_service.h"

namespace simvus::real {

// One node's end: its strand, its incarnation's scope and handlers. Everything but `executor`
// is touched only on that strand.
struct Endpoint {
  ExecutorRef executor;
  TaskScope* scope = nullptr;
  std::map<std::string, Transport::Handler> handlers;
  std::map<std::string, Transport::OneWayHandler> one_way;
};

// The process's directory of endpoints by node name.
class TransportHub {
 public:
  explicit TransportHub(TimerService& timers) : timers_(timers) {}
  void Attach(const std::string& node, std::shared_ptr<Endpoint> endpoint);
  void Detach(const std::string& node);
  std::shared_ptr<Endpoint> Find(const std::string& node) const;
  TimerService& timers() { return timers_; }
  // Nodes of other processes. Set before any node starts; null: this process only.
  void SetRemote(std::shared_ptr<RemoteTransport> remote) { remote_ = std::move(remote); }
  RemoteTransport* remote() const { return remote_.get(); }

 private:
  TimerService& timers_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Endpoint>> endpoints_;
  std::shared_ptr<RemoteTransport> remote_;
};

class InProcessTransport : public Transport {
 public:
  InProcessTransport(TransportHub& hub, std::string node, std::shared_ptr<Endpoint> self)
      : hub_(hub), node_(std::move(node)), self_(std::move(self)) {}

  void Register(std::string method, Handler handler) override;
  void RegisterOneWay(std::string method, OneWayHandler handler) override;
  Task<Result<Bytes>> Call(std::string to, std::string method, Bytes request,
                           Duration deadline) override;
  void Send(std::string to, std::string method, Bytes message) override;

 private:
  TransportHub& hub_;
  std::string node_;
  std::shared_ptr<Endpoint> self_;
};

}  // namespace simvus::real
