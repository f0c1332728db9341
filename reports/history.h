// History: a Jepsen-style record of what clients asked and what they were told.
//
// Every operation has an invoke and one completion: ok (it happened, with its result), fail (it
// certainly did not happen: the request was rejected) or info (indeterminate: a timeout or an
// unavailable peer after the request may have been applied). Timestamps are TSO values as the
// cluster returned them. Pure data: no roles, no simulator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/env/time.h"

namespace simvus::reports {

// kUpsert: a delete of its pks and an insert of its rows at one ts (semantics §12.6).
// kFlush: Flush and wait for GetFlushState; ok when flushed, ts = the flush ts.
// kIndex: CreateIndex, DescribeIndex or DropIndex (the label says which).
// kQuery: Query by filter expression, returning pks (or only count(*) when `count_only`).
// kRelease: ReleaseCollection.
enum class OpType {
  kCreateCollection,
  kLoad,
  kInsert,
  kDelete,
  kSearch,
  kUpsert,
  kFlush,
  kIndex,
  kQuery,
  kRelease
};
enum class Outcome { kPending, kOk, kFail, kInfo };
enum class Consistency { kStrong, kSession, kBounded, kEventually, kCustomized };
// How a search scores rows, as Milvus reports it: L2 is the squared Euclidean distance (smaller
// is better), IP the inner product and COSINE the cosine similarity (larger is better).
enum class Metric { kL2, kIp, kCosine };

struct SearchHit {
  int64_t pk = 0;
  float distance = 0;  // the score under the search's metric
};

struct Operation {
  int64_t index = 0;
  std::string client;
  OpType type = OpType::kInsert;
  std::string label;  // the scenario's name for it: "insert A", "Q1"
  Duration invoke_at;
  Duration complete_at;
  Outcome outcome = Outcome::kPending;
  std::string error;

  // Mutations (insert: pks and their vectors; delete: pks), and the ts they were acked at.
  std::vector<int64_t> pks;
  std::vector<std::vector<float>> vectors;
  uint64_t ts = 0;

  // Reads (searches and queries).
  Consistency consistency = Consistency::kStrong;
  // Session: the last write ts this client saw for the collection (pymilvus's GTsDict; 1 when it
  // has written nothing); Customized: the user's guarantee ts. 0 for the other levels.
  uint64_t requested_guarantee_ts = 0;
  // A Milvus filter expression over the primary key only (the checker knows pks and vectors, not
  // the other fields), e.g. "pk % 3 == 0"; empty = no filter. pk_field names the key in it.
  std::string filter;
  std::string pk_field = "pk";
  Metric metric = Metric::kL2;
  std::vector<float> query;
  int32_t topk = 0;
  uint64_t guarantee_ts = 0;
  std::vector<uint64_t> mvcc_ts;  // one per shard that answered
  std::vector<SearchHit> hits;
  // A search request of nq > 1 query vectors is recorded as nq consecutive operations, query q at
  // query_in_batch q, each with its own query and hits and the request's G, M, invoke and
  // completion. Each is checked as a search of its own; only query 0 stands for the request's
  // timestamp (tso-order).
  int32_t nq = 1;
  int32_t query_in_batch = 0;

  // Queries: the pks returned (one entry per returned row), or count(*) when count_only.
  bool count_only = false;
  int64_t limit = -1;  // -1: no limit
  std::vector<int64_t> result_pks;
  int64_t count = 0;
};

class History {
 public:
  // Records an invocation; returns its index for Complete.
  int64_t Invoke(Operation op);
  Operation& at(int64_t index) { return ops_[static_cast<size_t>(index)]; }
  const std::vector<Operation>& ops() const { return ops_; }

 private:
  std::vector<Operation> ops_;
};

std::string_view OpTypeName(OpType type);
std::string_view OutcomeName(Outcome outcome);

}  // namespace simvus::reports
