// Service: what runs inside one node incarnation (a role such as Proxy or QueryNode).
//
// The runtime builds the node's Env, constructs the service with it, and calls Start(), which
// registers handlers and spawns the service's loops into env.scope. On a crash the runtime
// destroys the scope (every suspended coroutine) and then the service: all in-memory state is
// lost; a restart constructs a fresh service that recovers from the MetaStore, Log and
// ObjectStore.
#pragma once

namespace simvus {

class Service {
 public:
  virtual ~Service() = default;
  virtual void Start() = 0;
};

}  // namespace simvus
