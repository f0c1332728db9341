// GrpcRemoteTransport: the calling end of the Transport port between processes. Knows each remote
// node's address (from the cluster file) and carries Call / Send to it as one NodeCall of the
// generic Node service, one channel per address. The caller's deadline is the gRPC deadline; the
// peer's status comes back as is (grpc_status.h); a peer that is down is kUnavailable at once,
// and is reachable again within a second of coming back (PeerChannelArguments).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "real/runtime/remote_transport.h"

namespace simvus::real {

class GrpcRemoteTransport : public RemoteTransport {
 public:
  // node name -> "host:port"
  explicit GrpcRemoteTransport(std::map<std::string, std::string> addresses);
  ~GrpcRemoteTransport() override;

  bool Knows(const std::string& node) const override;
  Task<Result<Bytes>> Call(ExecutorRef caller, std::string from, std::string to, std::string method,
                           Bytes request, Duration deadline) override;
  void Send(std::string from, std::string to, std::string method, Bytes message) override;

 private:
  struct Peer;
  Peer& PeerOf(const std::string& node);

  const std::map<std::string, std::string> addresses_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Peer>> peers_;  // by address
};

}  // namespace simvus::real
