// KeepSession: a node's registration in the MetaStore, bound to a lease (semantics §2, §7:
// liveness is the etcd session). Puts proto::Session{node, role, server_id = lease id} under
// `prefix + node` and keeps the lease alive every ttl / 3; if the lease is lost (the node was cut
// off longer than the TTL), it registers again with a new lease, so watchers see a new server id.
// Runs until the node dies.
#pragma once

#include <string>

#include "components/env/env.h"

namespace simvus::roles {

Task<void> KeepSession(Env& env, std::string prefix, std::string role, Duration ttl);

}  // namespace simvus::roles
