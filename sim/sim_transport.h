// SimTransport: a node incarnation's Transport over the simulated network.
//
// Call goes through SimWorld::RemoteCall: the request crosses the network, the receiver's handler
// for `method` runs as a task on the receiver's current incarnation, the reply crosses back. An
// unknown destination or method is an error value, never a crash. Send is one datagram; the
// receiver's one-way handler runs on arrival.
#pragma once

#include <map>
#include <string>

#include "components/env/transport.h"
#include "sim/world.h"

namespace simvus::sim {

class SimTransport : public Transport {
 public:
  SimTransport(SimWorld& world, NodeId node) : world_(world), node_(node) {}

  void Register(std::string method, Handler handler) override;
  void RegisterOneWay(std::string method, OneWayHandler handler) override;
  Task<Result<Bytes>> Call(std::string to, std::string method, Bytes request,
                           Duration deadline) override;
  void Send(std::string to, std::string method, Bytes message) override;

  // For the receiving side: look up handlers (null if none).
  const Handler* FindHandler(const std::string& method) const;
  const OneWayHandler* FindOneWay(const std::string& method) const;

 private:
  SimWorld& world_;
  NodeId node_;
  std::map<std::string, Handler> handlers_;
  std::map<std::string, OneWayHandler> one_way_;
};

}  // namespace simvus::sim
