// ClusterRoles: every role of a cluster, by node name, with the factory that builds it from the
// cluster's config. The one place roles are constructed: the simulator's runner and the real
// runner both build their clusters from it, so they cannot drift.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "components/env/env.h"
#include "components/env/service.h"
#include "components/roles/cluster_config.h"

namespace simvus::scenarios {

struct RoleSpec {
  std::string name;
  std::function<std::unique_ptr<Service>(Env&)> factory;
};

// In start order: rootcoord, datacoord, data nodes, indexcoord, index nodes, querycoord, query
// nodes, proxies.
std::vector<RoleSpec> ClusterRoles(const roles::ClusterConfig& config);

}  // namespace simvus::scenarios
