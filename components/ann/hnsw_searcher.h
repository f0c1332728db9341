// HnswSearcher: simvus's own search over a FAISS HNSW graph.
//
// FAISS builds and stores the graph (faiss::IndexHNSWFlat, so index files stay plain FAISS);
// this class answers queries on it the way hnswlib does: greedy descent through the upper
// layers, then a best-first beam of width ef on layer 0, with the dispatched AVX2/FMA distances
// (distance.h), prefetch of the next neighbour's vector, and an epoch-tagged visited list that is
// reused across queries instead of allocated and cleared per query as FAISS 1.7.3 does.
// Filtered rows are traversed but never returned (hnswlib's semantics for filtered search).
//
// Determinism: a pure function of (graph, vectors, query, k, ef, filter); ties ordered by id.
// Not thread-safe (the visited list is reused): one searcher per thread.
#pragma once

#include <cstdint>
#include <vector>

#include "components/ann/bitset.h"

namespace faiss {
struct IndexHNSW;
}

namespace simvus::ann {

class HnswSearcher {
 public:
  // REQUIRES: index.storage is a faiss::IndexFlat (L2 or inner product); index outlives this.
  explicit HnswSearcher(const faiss::IndexHNSW& index);

  // Writes up to k results, best first, into ids/scores (length k, pre-filled as empty slots).
  // Scores follow FAISS: squared L2, or the inner product for IP. Returns the number of
  // distances computed (upper layers and layer 0).
  int64_t Search(const float* query, int64_t k, int64_t ef, const Bitset* filter, int64_t* ids,
                 float* scores);

 private:
  float Distance(const float* query, int64_t id) const;

  const faiss::IndexHNSW& index_;
  const float* base_;
  int64_t dim_;
  bool inner_product_;
  std::vector<uint16_t> visited_;
  uint16_t epoch_ = 0;
};

}  // namespace simvus::ann
