// Reduce: merging per-segment (and per-shard) results into one answer, with Milvus's duplicate
// rules (reference/milvus-semantics.md §9):
//   search: per query, all hits ordered best first (ties by pk), the first hit of each pk wins
//           (Milvus's skipDupCnt: the best score per pk), then offset and topk are applied;
//   query:  per pk the row with the largest insert timestamp wins (SelectMinPKWithTimestamp);
//           rows are ordered by pk; ties on timestamp keep the first part's row.
// Both are associative: reducing segment results into a worker result, worker results into a
// shard result and shard results at the proxy gives the same answer as one flat reduce.
#pragma once

#include <cstdint>
#include <vector>

#include "components/env/result.h"
#include "components/segment/query_result.h"
#include "components/segment/search_result.h"

namespace simvus::segment {

// REQUIRES: every part has the same metric and number of queries (else kInvalidArgument).
Result<SearchResult> ReduceSearchResults(const std::vector<SearchResult>& parts, int64_t topk,
                                         int64_t offset = 0);

// REQUIRES: every part has the same field_names (else kInvalidArgument). limit -1: unlimited.
Result<QueryResult> ReduceQueryResults(const std::vector<QueryResult>& parts, int64_t limit = -1);

}  // namespace simvus::segment
