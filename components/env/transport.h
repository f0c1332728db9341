// Transport: messages between named nodes.
//
// Two shapes: Call (request / response with a deadline) and Send (one-way). Payloads are Bytes
// (protobuf); rpc.h adds typed helpers. Semantics the simulator reproduces and real transports
// have: a Call may fail with kUnavailable (peer down, unreachable) or kDeadlineExceeded (no answer
// in time, and the request may or may not have run); a request may be delivered more than once
// when the network duplicates; Send gives no feedback at all.
// Handlers run on the receiving node's executor, one request per spawned task.
#pragma once

#include <functional>
#include <string>

#include "components/env/bytes.h"
#include "components/env/result.h"
#include "components/env/task.h"
#include "components/env/time.h"

namespace simvus {

class Transport {
 public:
  using Handler = std::function<Task<Result<Bytes>>(std::string from, Bytes request)>;
  using OneWayHandler = std::function<void(std::string from, Bytes message)>;

  virtual ~Transport() = default;

  // REQUIRES: one handler per method name per node.
  virtual void Register(std::string method, Handler handler) = 0;
  virtual void RegisterOneWay(std::string method, OneWayHandler handler) = 0;

  virtual Task<Result<Bytes>> Call(std::string to, std::string method, Bytes request,
                                   Duration deadline) = 0;
  virtual void Send(std::string to, std::string method, Bytes message) = 0;
};

}  // namespace simvus
