// ClusterFile: what every process of a `simvus up` cluster reads to find its backends and its
// peers, written by `simvus up` as DIR/cluster.conf and read by `simvus serve --config`.
//
// KEY=VALUE lines (the format of backends.env, so a shell can read it too):
//   KAFKA_BOOTSTRAP=... ETCD_ENDPOINTS=... S3_ENDPOINT=... (every endpoint setting, endpoints.h)
//   node.<name>=127.0.0.1:PORT     where node <name>'s process listens for the other processes
//   cluster.proxies=proxy-1         the node names of each role kind (comma-separated), which
//   cluster.data_nodes=...          together with the defaults of roles::ClusterConfig make the
//   cluster.index_nodes=...         config every role is built from (the same in every process)
//   cluster.query_nodes=...
//   config.<knob>=VALUE            every other ClusterConfig field by member name (durations in
//                                  ns: "200000000ns"), and config.injected_bug=NAME when set
//   milvus.address=127.0.0.1:19530  the Milvus API, served by the process of the first proxy
//   metrics.<process>=127.0.0.1:PORT  where `simvus serve` of that process (a role's node name, or
//                                  "all") serves its roles' Prometheus metrics: GET /metrics
#pragma once

#include <map>
#include <string>

#include "components/env/result.h"
#include "components/roles/cluster_config.h"

namespace simvus::scenarios {

struct ClusterFile {
  std::map<std::string, std::string> backends;  // endpoint settings
  std::map<std::string, std::string> nodes;     // node name -> listening address
  roles::ClusterConfig config;
  std::string milvus_address;
  std::map<std::string, std::string> metrics;  // process name -> HOST:PORT of its /metrics
};

Result<ClusterFile> ReadClusterFile(const std::string& path);
Status WriteClusterFile(const std::string& path, const ClusterFile& file);

}  // namespace simvus::scenarios
