#include "scenarios/role_factories.h"

#include "components/roles/data_coord.h"
#include "components/roles/data_node.h"
#include "components/roles/index_coord.h"
#include "components/roles/index_node.h"
#include "components/roles/proxy.h"
#include "components/roles/query_coord.h"
#include "components/roles/query_node.h"
#include "components/roles/root_coord.h"

namespace simvus::scenarios {

namespace {

template <typename Role>
RoleSpec Spec(const std::string& name, const roles::ClusterConfig& config) {
  return RoleSpec{name, [config](Env& env) -> std::unique_ptr<Service> {
                    return std::make_unique<Role>(env, config);
                  }};
}

}  // namespace

std::vector<RoleSpec> ClusterRoles(const roles::ClusterConfig& config) {
  std::vector<RoleSpec> roles;
  roles.push_back(Spec<roles::RootCoord>(config.root_coord, config));
  roles.push_back(Spec<roles::DataCoord>(config.data_coord, config));
  for (const std::string& name : config.data_nodes)
    roles.push_back(Spec<roles::DataNode>(name, config));
  roles.push_back(Spec<roles::IndexCoord>(config.index_coord, config));
  for (const std::string& name : config.index_nodes) {
    roles.push_back(Spec<roles::IndexNode>(name, config));
  }
  roles.push_back(Spec<roles::QueryCoord>(config.query_coord, config));
  for (const std::string& name : config.query_nodes) {
    roles.push_back(Spec<roles::QueryNode>(name, config));
  }
  for (const std::string& name : config.proxies) roles.push_back(Spec<roles::Proxy>(name, config));
  return roles;
}

}  // namespace simvus::scenarios
