// IndexSpec: an ANN index type with its build parameters, in Milvus's names, ranges and defaults
// (reference/milvus-semantics.md §8, Milvus docs reference/index.md):
//
//   type      build params (range, default)                           search params
//   FLAT      -                                                        -
//   IVF_FLAT  nlist [1, 65536] = 128                                   nprobe [1, nlist] = 8
//   IVF_SQ8   nlist [1, 65536] = 128                                   nprobe [1, nlist] = 8
//   IVF_PQ    nlist [1, 65536] = 128, m (required, dim % m == 0),      nprobe [1, nlist] = 8
//             nbits [1, 16] = 8
//   HNSW      M [2, 2048] = 30, efConstruction [1, 2^31) = 360         ef [topk, 2^31) = max(16,
//   topk)
//
// Milvus documents no defaults for HNSW's M and efConstruction; 30 and 360 are knowhere's. Milvus
// allows nbits up to 64; FAISS's IVF-PQ is only practical up to 16, so simvus stops there. The
// default nprobe is clamped to nlist; an explicit nprobe outside [1, nlist] is an error.
//
// Params arrive as Milvus's string key/value pairs ({"index_type": "IVF_FLAT", "metric_type": "L2",
// "nlist": "128"}). ToParams prints the canonical pairs (every parameter, defaults filled in) and
// ParseIndexSpec(spec.ToParams(), dim) == spec: the parser and the printer round-trip.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "components/ann/metric.h"
#include "components/env/result.h"

namespace simvus::ann {

enum class IndexType { kFlat, kIvfFlat, kIvfSq8, kIvfPq, kHnsw };

std::string_view IndexTypeName(IndexType type);  // "FLAT", "IVF_FLAT", ...
Result<IndexType> ParseIndexType(std::string_view name);
constexpr bool IsIvf(IndexType t) {
  return t == IndexType::kIvfFlat || t == IndexType::kIvfSq8 || t == IndexType::kIvfPq;
}

using IndexParams = std::map<std::string, std::string>;

struct IndexSpec {
  IndexType type = IndexType::kFlat;
  MetricType metric = MetricType::kL2;
  int64_t dim = 0;
  int64_t nlist = 128;            // IVF_*
  int64_t pq_m = 0;               // IVF_PQ "m"
  int64_t pq_nbits = 8;           // IVF_PQ "nbits"
  int64_t hnsw_m = 30;            // HNSW "M"
  int64_t ef_construction = 360;  // HNSW "efConstruction"

  IndexParams ToParams() const;
  // "IVF_FLAT(dim=128,metric_type=L2,nlist=128)": the canonical params in one line.
  std::string ToString() const;
  bool operator==(const IndexSpec&) const = default;
};

// Validates and fills defaults. `dim` is the vector field's dimension. Unknown keys are errors
// (a typo such as "nlists" must not silently fall back to the default).
Result<IndexSpec> ParseIndexSpec(const IndexParams& params, int64_t dim);

struct SearchParams {
  int64_t nprobe = 8;  // IVF_*
  int64_t ef = 16;     // HNSW
  bool operator==(const SearchParams&) const = default;
};

// Validates per-request search params ({"nprobe": "16"} or {"ef": "64"}) against the index and
// topk, filling defaults.
Result<SearchParams> ParseSearchParams(const IndexParams& params, const IndexSpec& spec,
                                       int64_t topk);

}  // namespace simvus::ann
