#include "sim/sim_transport.h"

#include <memory>

#include "components/env/check.h"

namespace simvus::sim {

void SimTransport::Register(std::string method, Handler handler) {
  SIMVUS_CHECK(handlers_.count(method) == 0, "handler registered twice: " + method);
  handlers_.emplace(std::move(method), std::move(handler));
}

void SimTransport::RegisterOneWay(std::string method, OneWayHandler handler) {
  SIMVUS_CHECK(one_way_.count(method) == 0, "one-way handler registered twice: " + method);
  one_way_.emplace(std::move(method), std::move(handler));
}

const Transport::Handler* SimTransport::FindHandler(const std::string& method) const {
  auto it = handlers_.find(method);
  return it == handlers_.end() ? nullptr : &it->second;
}

const Transport::OneWayHandler* SimTransport::FindOneWay(const std::string& method) const {
  auto it = one_way_.find(method);
  return it == one_way_.end() ? nullptr : &it->second;
}

Task<Result<Bytes>> SimTransport::Call(std::string to, std::string method, Bytes request,
                                       Duration deadline) {
  const NodeId to_id = world_.Lookup(to);
  if (to_id < 0) co_return Unavailable("no node named '" + to + "'");
  const std::string from_name = world_.NodeName(node_);
  RemoteCallOptions options{method, static_cast<int64_t>(request.size()) + 32, deadline};
  SimWorld* world = &world_;
  // GCC 12 destroys a lambda converted to a std::function argument twice when the conversion
  // happens inside a co_await expression; bind the functions to locals first (see task.h).
  // The request is moved in, not copied; each delivery (a duplicate is a second one) hands the
  // handler its own copy.
  std::function<Task<Result<Bytes>>()> serve =
      [world, to_id, method, from_name, request = std::move(request)]() -> Task<Result<Bytes>> {
    Env* env = world->EnvOf(to_id);
    auto* transport = env ? static_cast<SimTransport*>(env->transport) : nullptr;
    const Handler* handler = transport ? transport->FindHandler(method) : nullptr;
    if (handler == nullptr) {
      co_return Unavailable(world->NodeName(to_id) + " serves no method '" + method + "'");
    }
    // The handler map outlives every task of this incarnation (tasks die first on a crash).
    co_return co_await (*handler)(from_name, request);
  };
  std::function<int64_t(const Result<Bytes>&)> response_bytes =
      [](const Result<Bytes>& r) -> int64_t {
    return r.ok() ? static_cast<int64_t>(r->size()) + 32 : 64;
  };
  co_return co_await world_.RemoteCall<Bytes>(node_, to_id, options, std::move(serve),
                                              std::move(response_bytes));
}

void SimTransport::Send(std::string to, std::string method, Bytes message) {
  const NodeId to_id = world_.Lookup(to);
  if (to_id < 0) return;
  SimWorld* world = &world_;
  const std::string from_name = world_.NodeName(node_);
  const auto size = static_cast<int64_t>(message.size()) + 32;
  // Shared, not copied, on its way: each delivery hands the handler its own copy.
  auto shared = std::make_shared<const Bytes>(std::move(message));
  world_.network().Transmit(node_, to_id, size, method, [world, to_id, method, from_name, shared] {
    world->RunOnNode(to_id, 0, [world, to_id, method, from_name, shared] {
      Env* env = world->EnvOf(to_id);
      auto* transport = env ? static_cast<SimTransport*>(env->transport) : nullptr;
      const OneWayHandler* handler = transport ? transport->FindOneWay(method) : nullptr;
      if (handler != nullptr) (*handler)(from_name, *shared);
    });
  });
}

}  // namespace simvus::sim
