// MilvusServer: Milvus's client API (milvus.proto.milvus.MilvusService over gRPC) in front of a
// simvus proxy, so that the official SDKs work against simvus unchanged.
//
// Served: Connect, CreateCollection, DescribeCollection, HasCollection, DropCollection (refused:
// simvus cannot drop), ShowCollections, GetCollectionStatistics, Insert, Upsert, Delete, Flush,
// GetFlushState, CreateIndex, DescribeIndex, LoadCollection, GetLoadingProgress, GetLoadState,
// ReleaseCollection, Search, Query. The service is generated from the pinned Node SDK's
// descriptors with those methods only (gen_proto.mjs), so gRPC answers UNIMPLEMENTED for every
// other method by itself.
//
// Every call but Connect runs as a task of runtime node `frontend` (a node with no service of
// its own, in this process): the gRPC thread copies the request, posts to the node's strand and
// returns; the task translates and calls proxy node `proxy` through the node's Transport with
// simvus.proto messages (milvus_frontend.h), then finishes the call from the strand. Errors are
// Milvus Statuses inside the answer with gRPC OK, as Milvus answers them (milvus_error.h).
// A call is answered exactly once: with its result; CANCELLED at once when the client cancels
// or disconnects (the task runs on, its answer is dropped, other calls are unaffected);
// UNAVAILABLE when the frontend node stops before answering (its work is dropped). A `dbname`
// header or db_name other than "default" is Milvus's "database not found" inside the answer.
//
// REQUIRES: the frontend node runs until this server is destroyed.
#pragma once

#include <memory>
#include <string>

#include "components/env/result.h"
#include "components/env/time.h"
#include "components/roles/cluster_config.h"
#include "real/runtime/runtime.h"

namespace grpc {
class Server;
}

namespace simvus::real {

namespace milvus_api {
class MilvusFrontend;
}

struct MilvusServerOptions {
  std::string address = "127.0.0.1:19530";  // port 0: a free one (see port())
  Duration call_deadline =
      Duration::Seconds(30);  // each call to the cluster; and the shutdown wait
};

class MilvusServer {
 public:
  // Listens on options.address; kFailedPrecondition if `frontend` is not a running node,
  // kUnavailable if the address cannot be bound.
  static Result<std::unique_ptr<MilvusServer>> Start(RealRuntime& runtime, std::string frontend,
                                                     std::string proxy, roles::ClusterConfig config,
                                                     MilvusServerOptions options);
  // Stops accepting calls and waits up to options.call_deadline for those in flight, then
  // cancels them.
  ~MilvusServer();
  MilvusServer(const MilvusServer&) = delete;
  MilvusServer& operator=(const MilvusServer&) = delete;

  int port() const { return port_; }

 private:
  class Service;
  MilvusServer() = default;

  MilvusServerOptions options_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace simvus::real
