// EtcdMetaStore: the MetaStore port (components/env/meta_store.h) over a real etcd 3.4, through
// its v3 JSON gateway (HTTP/1.1 POST of JSON bodies under /v3/; keys and values base64; int64
// fields as JSON strings; zero, false and empty fields omitted from answers).
//
// Threads: every call is one blocking libcurl request run on the I/O pool (Offload), its answer
// decoded there too; the result is handed back on the node's strand. A watch owns one thread
// that reads the streamed /v3/watch answer; it only touches the watch's mutex-protected queue and
// posts wake-ups to the node's executor. No library thread ever touches node state.
//
// Errors: a server that cannot be reached is kUnavailable, one that does not answer in time
// kDeadlineExceeded (a write may or may not have happened); both name the endpoint ("etcd at
// http://127.0.0.1:2379"). etcd's own errors map by their gRPC code and text: "required revision
// has been compacted" and "required revision is a future revision" are kOutOfRange, "requested
// lease not found" is kNotFound, "no leader" kUnavailable, "request timed out"
// kDeadlineExceeded. A watch whose start revision was compacted reports kOutOfRange on Next (etcd
// accepts the watch, then cancels it); a broken stream reports kUnavailable, after the events
// that arrived before it broke.
//
// Endpoints: a comma-separated list ("http://a:2379,http://b:2379"). A request that could not
// connect (kUnavailable: nothing was sent) moves to the next endpoint and is tried there, each
// endpoint at most once per request.
//
// Differences from the simulated etcd worth knowing: etcd raises a lease TTL below its minimum
// (2 s with the default 100 ms heartbeat) to that minimum, and rounds TTLs to whole seconds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "components/env/executor.h"
#include "components/env/meta_store.h"
#include "real/runtime/thread_pool.h"

namespace simvus::real {

// Base64 as the v3 JSON gateway wants keys and values (standard alphabet, padded).
std::string EtcdBase64(std::string_view bytes);

struct EtcdMetaStoreOptions {
  Duration connect_timeout = Duration::Seconds(3);
  Duration request_timeout = Duration::Seconds(15);  // per HTTP request, connect included
};

class EtcdMetaStore : public MetaStore {
 public:
  // `endpoints`: "http://HOST:PORT" or a comma-separated list of them (ETCD_ENDPOINTS).
  // REQUIRES: `io` outlives this store and its watches (it joins their stream threads); at
  // least one endpoint.
  EtcdMetaStore(ExecutorRef node_executor, ThreadPool& io, std::string endpoints,
                EtcdMetaStoreOptions options = {});
  ~EtcdMetaStore() override;

  Task<Result<RangeResult>> Range(RangeRequest request) override;
  Task<Result<PutResult>> Put(std::string key, Bytes value, LeaseId lease = 0) override;
  Task<Result<DeleteResult>> Delete(std::string key, std::string range_end = {}) override;
  Task<Result<TxnResult>> Txn(std::vector<Compare> compares, std::vector<TxnOp> success,
                              std::vector<TxnOp> failure) override;
  Task<Result<std::unique_ptr<MetaWatch>>> Watch(std::string key, std::string range_end,
                                                 int64_t start_revision) override;
  Task<Result<LeaseId>> LeaseGrant(Duration ttl) override;
  Task<Result<Duration>> LeaseKeepAlive(LeaseId lease) override;
  Task<Status> LeaseRevoke(LeaseId lease) override;
  Task<Status> Compact(int64_t revision) override;

  // Shared with the I/O threads: the endpoints and which one answered last. Public so that the
  // .cc's helpers can name it; not part of the interface.
  struct Connection;

 private:
  ExecutorRef executor_;
  ThreadPool& io_;
  std::shared_ptr<Connection> connection_;
};

}  // namespace simvus::real
