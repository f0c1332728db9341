#include "components/roles/session.h"

#include "components/protocol/simvus.pb.h"

namespace simvus::roles {

Task<void> KeepSession(Env& env, std::string prefix, std::string role, Duration ttl) {
  for (;;) {
    Result<LeaseId> lease = co_await env.meta_store->LeaseGrant(ttl);
    if (lease.ok()) {
      proto::Session session;
      session.set_node(env.node);
      session.set_role(role);
      session.set_server_id(static_cast<int64_t>(*lease));
      Result<PutResult> put =
          co_await env.meta_store->Put(prefix + env.node, session.SerializeAsString(), *lease);
      if (put.ok()) {
        env.Step("session.register", "registers its " + role +
                                         " session in the meta store (lease TTL " + ToString(ttl) +
                                         ")");
        for (;;) {
          co_await env.clock->Sleep(Duration::Nanos(ttl.ns / 3));
          Result<Duration> alive = co_await env.meta_store->LeaseKeepAlive(*lease);
          if (!alive.ok() && alive.status().code() == StatusCode::kNotFound) break;
        }
      }
    }
    co_await env.clock->Sleep(Duration::Seconds(1));
  }
}

}  // namespace simvus::roles
