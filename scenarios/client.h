// Client: an SDK-like driver (think pymilvus) that talks to a proxy and records a History.
//
// Every call records an invoke and a completion: ok, fail (rejected: invalid argument, not
// found, already exists, failed precondition) or info (indeterminate: a write that timed out or
// met an unavailable peer may or may not have been applied). Reads that fail are "fail": they have
// no effect.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "components/env/env.h"
#include "components/protocol/simvus.pb.h"
#include "reports/history.h"

namespace simvus::scenarios {

// A search answer's hits, query by query: query q's hits follow query q-1's, topks[q] of them (an
// answer without topks is one query's). Always nq lists.
std::vector<std::vector<proto::Hit>> HitsPerQuery(const proto::SearchResults& answer, int32_t nq);

class Client {
 public:
  Client(Env& env, reports::History& history, std::string proxy, Duration deadline);

  Task<Result<proto::CollectionInfo>> CreateCollection(proto::CollectionSchema schema);
  // LoadCollection with `replicas` replicas, then GetLoadingProgress every 200 ms until 100%
  // (pymilvus's load() waits the same way); kDeadlineExceeded after `wait`.
  Task<Status> LoadCollection(std::string collection, int32_t replicas = 1,
                              Duration wait = Duration::Seconds(60));
  Task<Status> ReleaseCollection(std::string collection);
  Task<Result<proto::MutationResult>> Insert(std::string label, std::string collection,
                                             std::vector<int64_t> pks,
                                             std::vector<std::vector<float>> vectors);
  // Replaces the rows of these pks (delete and insert at one ts); a pk not there yet is inserted.
  Task<Result<proto::MutationResult>> Upsert(std::string label, std::string collection,
                                             std::vector<int64_t> pks,
                                             std::vector<std::vector<float>> vectors);
  Task<Result<proto::MutationResult>> Delete(std::string label, std::string collection,
                                             std::vector<int64_t> pks);
  // Session reads send the last mutation ts this client saw for the collection (1 if none), as
  // pymilvus does; Customized reads send options.guarantee_ts.
  struct ReadOptions {
    std::string filter;                         // over the pk only, for the checker's sake
    std::map<std::string, std::string> params;  // search params: nprobe, ef
    uint64_t guarantee_ts = 0;                  // Customized
    std::vector<std::string> output_fields;
  };
  Task<Result<proto::SearchResults>> Search(std::string label, std::string collection,
                                            std::vector<float> query, int32_t topk,
                                            proto::ConsistencyLevel level);
  Task<Result<proto::SearchResults>> Search(std::string label, std::string collection,
                                            std::vector<float> query, int32_t topk,
                                            proto::ConsistencyLevel level, ReadOptions options);
  // One request with several query vectors (Milvus's nq): one guarantee ts and one snapshot per
  // shard for all of them, recorded as one search operation per query ("label[q]").
  Task<Result<proto::SearchResults>> SearchBatch(std::string label, std::string collection,
                                                 std::vector<std::vector<float>> queries,
                                                 int32_t topk, proto::ConsistencyLevel level,
                                                 ReadOptions options);
  // Query(filter) returning pks (limit 0: none), or count(*) when count_only.
  Task<Result<proto::QueryResults>> Query(std::string label, std::string collection,
                                          std::string filter, proto::ConsistencyLevel level,
                                          bool count_only, int64_t limit = 0,
                                          uint64_t guarantee_ts = 0);
  // The last mutation ts this client was acked for `collection` (0: none).
  uint64_t last_write_ts(const std::string& collection) const {
    auto it = last_write_ts_.find(collection);
    return it == last_write_ts_.end() ? 0 : it->second;
  }

  // Flush(collection), then GetFlushState every 200 ms until the data is in the object store
  // (kDeadlineExceeded after `wait`). Recorded as one flush operation with the flush ts; it is
  // not a write (a failed flush loses nothing).
  Task<Result<proto::FlushResponse>> Flush(std::string label, std::string collection,
                                           Duration wait = Duration::Seconds(60));

  // CreateIndex with Milvus's params ({"index_type": "HNSW", "M": "16", ...}) on `field`.
  Task<Status> CreateIndex(std::string label, std::string collection, std::string field,
                           std::map<std::string, std::string> params);
  Task<Result<proto::DescribeIndexResponse>> DescribeIndex(std::string label,
                                                           std::string collection);
  Task<Status> DropIndex(std::string label, std::string collection);

  Env& env() { return env_; }

  // An insert sent exactly as given: every field of a schema with scalar fields, or a malformed
  // request for the bad-input scenario. Recorded by the schema's primary key and vector field.
  Task<Result<proto::MutationResult>> InsertRaw(std::string label, proto::InsertRequest request);

 private:
  int64_t Begin(reports::OpType type, std::string label);
  Task<Result<proto::MutationResult>> Write(reports::OpType type, const char* rpc,
                                            std::string label, std::string collection,
                                            std::vector<int64_t> pks,
                                            std::vector<std::vector<float>> vectors);
  void Finish(int64_t index, const Status& status, bool is_write);
  void SawWrite(const std::string& collection, uint64_t ts);
  uint64_t GuaranteeFor(const std::string& collection, proto::ConsistencyLevel level,
                        uint64_t customized) const;

  Env& env_;
  reports::History& history_;
  std::string proxy_;
  Duration deadline_;
  // Schemas of the collections this client created: which field is the pk and which the vector.
  std::map<std::string, proto::CollectionSchema> schemas_;
  std::map<std::string, uint64_t> last_write_ts_;  // pymilvus's GTsDict
};

}  // namespace simvus::scenarios
