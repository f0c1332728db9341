// RemoteTransport: how the nodes of one process reach nodes running in other processes.
//
// RealRuntime's in-process transport delivers to the nodes of its own process; a call or send to
// a node it does not host goes to the RemoteTransport, if one is set and knows the node (the gRPC
// transport of real/grpc, with one address per node from the cluster file). The contract is the
// Transport port's: kUnavailable when the peer is down or unreachable, kDeadlineExceeded when no
// answer came in time (the request may have run), no feedback for Send.
#pragma once

#include <string>

#include "components/env/bytes.h"
#include "components/env/executor.h"
#include "components/env/result.h"
#include "components/env/task.h"
#include "components/env/time.h"

namespace simvus::real {

class RemoteTransport {
 public:
  virtual ~RemoteTransport() = default;
  virtual bool Knows(const std::string& node) const = 0;
  // Resumes on `caller` (the calling node's strand) with the answer.
  virtual Task<Result<Bytes>> Call(ExecutorRef caller, std::string from, std::string to,
                                   std::string method, Bytes request, Duration deadline) = 0;
  virtual void Send(std::string from, std::string to, std::string method, Bytes message) = 0;
};

}  // namespace simvus::real
