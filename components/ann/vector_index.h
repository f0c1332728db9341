// VectorIndex: one built ANN index over the vectors of one segment, backed by FAISS 1.7.3.
//
// Row ids inside the index are the segment's row offsets [0, n). FLAT keeps its vectors in a
// faiss::IndexFlat (so it serializes like the others) but searches them with simvus's own
// FlatSearch kernel (flat_search.h). COSINE is IP over L2-normalized vectors, as in Milvus: build
// normalizes a copy of the data, search normalizes the queries.
//
// Determinism contract: Build and Search run FAISS (and OpenBLAS, which is the OpenMP build) on
// `num_threads` OpenMP threads, 1 by default, through a scoped omp_set_num_threads on the calling
// thread; k-means (IVF coarse quantizer, PQ codebooks) and HNSW level draws use `seed`. With one
// thread and the same seed, the same data builds a byte-identical index. The simulator must keep
// num_threads = 1; real mode may raise it.
//
// Errors: FAISS throws faiss::FaissException; every call into FAISS is wrapped and the exception
// becomes a Status here, at the edge (kInvalidArgument for bad shapes, kFailedPrecondition for
// too few training rows, kDataLoss for bytes FAISS cannot read, kInternal otherwise).
#pragma once

#include <cstdint>
#include <memory>

#include "components/ann/bitset.h"
#include "components/ann/index_spec.h"
#include "components/ann/search_hits.h"
#include "components/env/bytes.h"
#include "components/env/result.h"

namespace faiss {
struct Index;
}

namespace simvus::ann {

class HnswSearcher;

struct BuildOptions {
  uint64_t seed = 0;
  int num_threads = 1;
};

struct SearchOptions {
  int num_threads = 1;
};

class VectorIndex {
 public:
  ~VectorIndex();
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;

  // data: n x spec.dim, row-major. IVF types need n >= nlist (and IVF_PQ n >= 2^nbits) training
  // rows, else kFailedPrecondition.
  static Result<std::unique_ptr<VectorIndex>> Build(const IndexSpec& spec, const float* data,
                                                    int64_t n, const BuildOptions& options = {});
  // Reads bytes written by Serialize; `spec` must be the spec the index was built with (it is
  // stored next to the bytes in the index file) and must agree with what FAISS reads.
  static Result<std::unique_ptr<VectorIndex>> Deserialize(const IndexSpec& spec,
                                                          const Bytes& bytes);

  const IndexSpec& spec() const { return spec_; }
  int64_t size() const;

  // queries: nq x dim. filter: rows allowed (nullptr = all), REQUIRES filter->size() == size().
  // HNSW queries run on simvus's HnswSearcher over the FAISS graph; IVF on FAISS. Not safe to
  // call concurrently on one index (the HNSW searcher reuses its visited list); a segment belongs
  // to one node's tasks.
  Result<SearchHits> Search(const float* queries, int64_t nq, int64_t topk,
                            const SearchParams& params, const Bitset* filter = nullptr,
                            const SearchOptions& options = {}) const;

  Result<Bytes> Serialize() const;

  // The FAISS index itself, for benchmarks that compare simvus against raw FAISS on the very
  // same index. Not for role code.
  const faiss::Index& faiss_index() const { return *index_; }

 private:
  VectorIndex(IndexSpec spec, std::unique_ptr<faiss::Index> index);

  IndexSpec spec_;
  std::unique_ptr<faiss::Index> index_;
  std::vector<float> flat_norms_;  // FLAT + COSINE: norms of the (normalized) stored rows
  mutable std::unique_ptr<HnswSearcher> hnsw_searcher_;  // HNSW: created on first search
};

}  // namespace simvus::ann
