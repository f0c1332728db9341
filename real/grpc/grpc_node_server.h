// GrpcNodeServer: the receiving end of the Transport port between processes. One per process, on
// the address the cluster file gives this process's nodes; a NodeCall for node N runs N's handler
// exactly as an in-process call does (on N's strand, as a task of N's incarnation) and answers
// with its result. A node not running here answers UNAVAILABLE; a node that stops before it
// answers (crash, restart) answers UNAVAILABLE too, never leaves the call hanging.
#pragma once

#include <memory>
#include <string>

#include "components/env/result.h"
#include "real/runtime/in_process_transport.h"

namespace grpc {
class Server;
}

namespace simvus::real {

class GrpcNodeServer {
 public:
  // Listens on `address` ("127.0.0.1:PORT"; port 0 picks a free one).
  static Result<std::unique_ptr<GrpcNodeServer>> Start(TransportHub& hub,
                                                       const std::string& address);
  // Stops accepting and waits up to a second for calls in flight, then cancels them. Stop the
  // runtime's nodes first: their unanswered calls are then answered UNAVAILABLE at once.
  ~GrpcNodeServer();
  GrpcNodeServer(const GrpcNodeServer&) = delete;
  GrpcNodeServer& operator=(const GrpcNodeServer&) = delete;

  int port() const { return port_; }

 private:
  class Service;
  GrpcNodeServer() = default;

  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace simvus::real
