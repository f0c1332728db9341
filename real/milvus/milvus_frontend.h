// MilvusFrontend: Milvus 2.5's client API (the MilvusService subset milvus_server.h serves) on a
// simvus cluster, as coroutines of one node, the frontend. Each call translates the Milvus
// request into simvus.proto, calls the proxy through the node's Transport (as
// scenarios/client.cc does), and translates the answer back; every error is a Milvus Status
// inside the response (milvus_error.h), never a failed coroutine.
//
// Threads: every method runs on the frontend node's strand, and the object's state (the caches
// below) is touched only there: no locks. REQUIRES: the frontend node outlives every call.
//
// Where the proxy has no RPC for what Milvus asks, the frontend asks the role that holds the
// answer, as Milvus's own proxy does: DescribeCollection from RootCoord; ShowCollections and
// GetCollectionStatistics read RootCoord's and DataCoord's metadata in the MetaStore (as
// IndexCoord does), so they need the frontend node's MetaStore port.
//
// Simplified (see README.md): the default database only; no partitions other than _default; a
// collection's consistency level and properties are kept by this frontend only (a collection it
// did not create reports Bounded, the SDKs' default); DropCollection is unsupported (simvus
// cannot drop collections); GetCollectionStatistics counts the rows of flushed segments (Milvus
// also counts growing rows from data-node statistics). Search passes nq on: one simvus search
// carries every query vector of the request, as Milvus's does.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "components/env/env.h"
#include "components/env/rpc.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"
#include "milvus/proto/milvus.pb.h"
#include "real/milvus/milvus_convert.h"

namespace simvus::real::milvus_api {

namespace mm = ::milvus::proto::milvus;

inline constexpr size_t kMaxFlushRecords = 4096;  // segments remembered from Flush answers

class MilvusFrontend {
 public:
  // `env` is the frontend node's; `proxy` the node the calls go to; `call_deadline` the deadline
  // of each call to the cluster.
  MilvusFrontend(Env& env, std::string proxy, roles::ClusterConfig config, Duration call_deadline);
  MilvusFrontend(const MilvusFrontend&) = delete;
  MilvusFrontend& operator=(const MilvusFrontend&) = delete;

  Env& env() { return env_; }

  Task<mc::Status> CreateCollection(mm::CreateCollectionRequest request);
  Task<mm::DescribeCollectionResponse> DescribeCollection(mm::DescribeCollectionRequest request);
  Task<mm::BoolResponse> HasCollection(mm::HasCollectionRequest request);
  Task<mc::Status> DropCollection(mm::DropCollectionRequest request);
  Task<mm::ShowCollectionsResponse> ShowCollections(mm::ShowCollectionsRequest request);
  Task<mm::GetCollectionStatisticsResponse> GetCollectionStatistics(
      mm::GetCollectionStatisticsRequest request);
  Task<mm::MutationResult> Insert(mm::InsertRequest request);
  Task<mm::MutationResult> Upsert(mm::UpsertRequest request);
  Task<mm::MutationResult> Delete(mm::DeleteRequest request);
  Task<mm::FlushResponse> Flush(mm::FlushRequest request);
  Task<mm::GetFlushStateResponse> GetFlushState(mm::GetFlushStateRequest request);
  Task<mc::Status> CreateIndex(mm::CreateIndexRequest request);
  Task<mm::DescribeIndexResponse> DescribeIndex(mm::DescribeIndexRequest request);
  Task<mc::Status> LoadCollection(mm::LoadCollectionRequest request);
  Task<mm::GetLoadingProgressResponse> GetLoadingProgress(mm::GetLoadingProgressRequest request);
  Task<mm::GetLoadStateResponse> GetLoadState(mm::GetLoadStateRequest request);
  Task<mc::Status> ReleaseCollection(mm::ReleaseCollectionRequest request);
  // milvus_frontend_read.cc
  Task<mm::SearchResults> Search(mm::SearchRequest request);
  Task<mm::QueryResults> Query(mm::QueryRequest request);

 private:
  template <typename Resp, typename Req>
  Task<Result<Resp>> CallProxy(const char* method, const Req& request);
  // The collection by name (cached: simvus never drops one), or CollectionNotFound.
  Task<mc::Status> Resolve(const std::string& db, const std::string& name,
                           proto::CollectionInfo* out);
  // Resolve, and every partition named must be the default one (Milvus's 200 otherwise).
  Task<mc::Status> Resolve(const std::string& db, const std::string& name,
                           const google::protobuf::RepeatedPtrField<std::string>& partitions,
                           proto::CollectionInfo* out);
  Task<Result<proto::CollectionInfo>> Describe(const std::string& name);
  Task<mm::MutationResult> Write(const char* method, std::string db, std::string collection,
                                 std::string partition,
                                 google::protobuf::RepeatedPtrField<ms::FieldData> fields,
                                 uint32_t num_rows);
  // The simvus consistency level and guarantee ts of a read (Milvus's proxy rules: the
  // collection's level when use_default; a Strong request with a guarantee ts is the old
  // protocol: 2 means Bounded, others Customized).
  void ReadLevel(const std::string& collection, mc::ConsistencyLevel level, bool use_default,
                 uint64_t guarantee_ts, proto::ConsistencyLevel* simvus_level,
                 uint64_t* simvus_guarantee) const;
  mc::ConsistencyLevel LevelOf(const std::string& collection) const;
  // The pks a delete expression names: `pk in [..]` or `pk == v` directly; any other filter by a
  // query at the delete's consistency level (as Milvus's complex delete does).
  Task<mc::Status> PksToDelete(const proto::CollectionInfo& info, const std::string& expr,
                               mc::ConsistencyLevel level, std::vector<int64_t>* pks);
  Task<Result<proto::SearchResults>> SearchOne(proto::SearchRequest request);

  Env& env_;
  std::string proxy_;
  roles::ClusterConfig config_;
  Duration deadline_;
  std::map<std::string, proto::CollectionInfo> collections_;  // by name
  std::map<std::string, mc::ConsistencyLevel> levels_;        // created here
  std::map<std::string, KeyValues> properties_;               // created here
  struct FlushRecord {
    std::string collection;
    uint64_t flush_ts = 0;
  };
  std::map<int64_t, FlushRecord> flushes_;  // by segment id, the newest kMaxFlushRecords
};

template <typename Resp, typename Req>
Task<Result<Resp>> MilvusFrontend::CallProxy(const char* method, const Req& request) {
  co_return co_await CallProto<Resp>(*env_.transport, proxy_, method, request, deadline_);
}

// An error answer of any response type: common.Status itself, or a message with a `status`.
template <typename Resp>
Resp Failed(mc::Status status) {
  if constexpr (std::is_same_v<Resp, mc::Status>) {
    return status;
  } else {
    Resp response;
    *response.mutable_status() = std::move(status);
    return response;
  }
}

// Rounds a score as Milvus's round_decimal does (half away from zero at `decimals` digits).
float RoundScore(float score, int32_t decimals);

}  // namespace simvus::real::milvus_api
