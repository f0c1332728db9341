// RealBackends: the Kafka, etcd and S3 of one real-mode process, connected and checked before a
// run starts, and the factories that give each node its own adapters on them.
//
// Connect checks each backend with one request and fails with an error naming the backend and
// its endpoint (never the secret): an unreachable server, wrong credentials, a missing bucket, or
// an etcd that already holds this cluster's Milvus keys (from an earlier run: the roles' keys
// are fixed, so a shared etcd would mix two clusters' metadata).
#pragma once

#include <memory>
#include <string>

#include "real/endpoints.h"
#include "real/kafka/kafka_connection.h"
#include "real/runtime/runtime.h"
#include "real/runtime/thread_pool.h"

namespace simvus::real {

class RealBackends {
 public:
  // `meta_prefix`: the etcd key prefix the cluster will own ("by-dev/"), which must be empty;
  // empty: joining a running cluster (a role process of `simvus up`), etcd is only reached.
  static Result<std::unique_ptr<RealBackends>> Connect(const BackendEndpoints& endpoints,
                                                       const std::string& meta_prefix);
  ~RealBackends();

  RealPortFactories Ports();
  KafkaConnection& kafka() { return *kafka_; }
  const BackendEndpoints& endpoints() const { return endpoints_; }

 private:
  RealBackends() = default;

  BackendEndpoints endpoints_;
  std::unique_ptr<ThreadPool> io_;
  std::unique_ptr<KafkaConnection> kafka_;
};

// Probes, each one blocking request with short timeouts (exposed for tests).
Status ProbeEtcd(const std::string& endpoints, const std::string& meta_prefix);
Status ProbeS3(const BackendEndpoints& endpoints);

}  // namespace simvus::real
