// SearchRequest / SearchResult: a vector search against one segment, and its answer.
//
// A result holds, per query, hits sorted best first (ann::IsBetter for the metric; equal scores
// by primary key). Per-segment results may hold the same primary key twice (a pk inserted twice
// without a delete is two rows); ReduceSearchResults (reduce.h) keeps the best score per pk.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/ann/index_spec.h"
#include "components/ann/metric.h"
#include "components/env/time.h"
#include "components/segment/schema.h"

namespace simvus::segment {

// Milvus's quotaAndLimits.limits.topK: limit + offset must not exceed it.
inline constexpr int64_t kMaxTopK = 16384;
// Milvus's quotaAndLimits.limits.maxNQ: query vectors in one search request.
inline constexpr int32_t kMaxNq = 16384;

struct SearchRequest {
  std::vector<float> queries;  // nq x dim, row-major
  int64_t nq = 0;
  int64_t topk = 10;
  Timestamp mvcc_ts = Timestamp::Max();
  std::string filter;       // Milvus expression; empty = no filter
  ann::IndexParams params;  // per-request search params: {"nprobe": "16"}, {"ef": "64"}
};

struct Hit {
  PrimaryKey pk;
  float score = 0;
  bool operator==(const Hit&) const = default;
};

struct SearchResult {
  ann::MetricType metric = ann::MetricType::kL2;
  std::vector<std::vector<Hit>> queries;  // one list per query, best first
  // The work done, for the simulator's cost model (roles/segment_reads.h): vector distances
  // computed (each over dim floats) scanning rows in order (brute force, IVF lists), scanning
  // rows in order for a batch of queries at once (brute force with nq > 1: each block of rows
  // read from memory once and scored against every query) and walking an HNSW graph (a random
  // access each), and rows whose visibility or filter was evaluated one by one.
  int64_t scanned_distances = 0;
  int64_t batched_distances = 0;
  int64_t graph_distances = 0;
  int64_t rows_filtered = 0;
};

}  // namespace simvus::segment
