#include "components/ann/vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include "components/ann/fast_flat_storage.h"
#include "components/ann/flat_search.h"
#include "components/ann/hnsw_searcher.h"
#include "components/ann/omp_threads.h"

namespace simvus::ann {
namespace {

using idx_t = faiss::Index::idx_t;

faiss::MetricType FaissMetric(MetricType m) {
  return m == MetricType::kL2 ? faiss::METRIC_L2 : faiss::METRIC_INNER_PRODUCT;
}

// Returns `x` normalized row by row when the metric is COSINE, else an empty vector (use x).
std::vector<float> NormalizedIfCosine(MetricType metric, const float* x, int64_t n, int64_t dim) {
  if (metric != MetricType::kCosine) return {};
  std::vector<float> out(x, x + n * dim);
  std::vector<float> norms(static_cast<size_t>(n));
  ComputeNorms(x, n, dim, norms.data());
  for (int64_t i = 0; i < n; ++i) {
    if (norms[static_cast<size_t>(i)] == 0) continue;
    float inv = 1.0f / norms[static_cast<size_t>(i)];
    for (int64_t j = 0; j < dim; ++j) out[static_cast<size_t>(i * dim + j)] *= inv;
  }
  return out;
}

// Runs `fn`, turning any exception (FAISS throws faiss::FaissException) into a Status.
template <typename Fn>
Status CatchFaiss(std::string_view what, StatusCode code, Fn&& fn) {
  try {
    fn();
    return Status::Ok();
  } catch (const faiss::FaissException& e) {
    return Status(code, std::string(what) + ": FAISS: " + e.what());
  } catch (const std::exception& e) {
    return Status(code, std::string(what) + ": " + e.what());
  }
}

// Swaps an IndexHNSWFlat's storage for FastFlatStorage, moving the stored vectors.
void InstallFastStorage(faiss::IndexHNSW& hnsw) {
  auto* old = dynamic_cast<faiss::IndexFlat*>(hnsw.storage);
  if (old == nullptr || dynamic_cast<FastFlatStorage*>(old) != nullptr) return;
  auto* fast = new FastFlatStorage(old->d, old->metric_type);
  fast->codes = std::move(old->codes);
  fast->ntotal = old->ntotal;
  if (hnsw.own_fields) delete old;
  hnsw.storage = fast;
  hnsw.own_fields = true;
}

std::unique_ptr<faiss::Index> NewFaissIndex(const IndexSpec& spec, uint64_t seed) {
  const int d = static_cast<int>(spec.dim);
  const faiss::MetricType metric = FaissMetric(spec.metric);
  const int seed32 = static_cast<int>(seed & 0x7fffffff);  // k-means wants a non-negative seed
  switch (spec.type) {
    case IndexType::kFlat:
      return std::make_unique<faiss::IndexFlat>(d, metric);
    case IndexType::kIvfFlat: {
      auto ivf = std::make_unique<faiss::IndexIVFFlat>(new faiss::IndexFlat(d, metric), d,
                                                       static_cast<size_t>(spec.nlist), metric);
      ivf->own_fields = true;
      ivf->cp.seed = seed32;
      ivf->cp.min_points_per_centroid = 1;  // small segments: no stderr warning (same result)
      return ivf;
    }
    case IndexType::kIvfSq8: {
      auto ivf = std::make_unique<faiss::IndexIVFScalarQuantizer>(
          new faiss::IndexFlat(d, metric), d, static_cast<size_t>(spec.nlist),
          faiss::ScalarQuantizer::QT_8bit, metric);
      ivf->own_fields = true;
      ivf->cp.seed = seed32;
      ivf->cp.min_points_per_centroid = 1;  // small segments: no stderr warning (same result)
      return ivf;
    }
    case IndexType::kIvfPq: {
      auto ivf = std::make_unique<faiss::IndexIVFPQ>(
          new faiss::IndexFlat(d, metric), d, static_cast<size_t>(spec.nlist),
          static_cast<size_t>(spec.pq_m), static_cast<size_t>(spec.pq_nbits), metric);
      ivf->own_fields = true;
      ivf->cp.seed = seed32;
      ivf->cp.min_points_per_centroid = 1;  // small segments: no stderr warning (same result)
      ivf->pq.cp.seed = seed32 ^ 0x5bd1e995;
      ivf->pq.cp.min_points_per_centroid = 1;
      return ivf;
    }
    case IndexType::kHnsw: {
      auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(d, static_cast<int>(spec.hnsw_m), metric);
      InstallFastStorage(*hnsw);
      hnsw->hnsw.efConstruction = static_cast<int>(spec.ef_construction);
      hnsw->hnsw.rng = faiss::RandomGenerator(static_cast<int64_t>(seed));
      return hnsw;
    }
  }
  return nullptr;
}

}  // namespace

VectorIndex::VectorIndex(IndexSpec spec, std::unique_ptr<faiss::Index> index)
    : spec_(std::move(spec)), index_(std::move(index)) {
  if (spec_.type == IndexType::kFlat && spec_.metric == MetricType::kCosine) {
    auto* flat = static_cast<faiss::IndexFlat*>(index_.get());
    flat_norms_.resize(static_cast<size_t>(flat->ntotal));
    ComputeNorms(flat->get_xb(), flat->ntotal, spec_.dim, flat_norms_.data());
  }
}

VectorIndex::~VectorIndex() = default;

int64_t VectorIndex::size() const { return index_->ntotal; }

Result<std::unique_ptr<VectorIndex>> VectorIndex::Build(const IndexSpec& spec, const float* data,
                                                        int64_t n, const BuildOptions& options) {
  if (n < 0) return InvalidArgument("n: " + std::to_string(n) + ", expected >= 0");
  if (IsIvf(spec.type) && n < spec.nlist) {
    return FailedPrecondition("nlist: " + std::to_string(spec.nlist) + " exceeds the " +
                              std::to_string(n) + " rows to train on; expected nlist <= rows");
  }
  if (spec.type == IndexType::kIvfPq && n < (int64_t{1} << spec.pq_nbits)) {
    return FailedPrecondition("nbits: " + std::to_string(spec.pq_nbits) + " needs at least " +
                              std::to_string(int64_t{1} << spec.pq_nbits) + " training rows, got " +
                              std::to_string(n));
  }
  std::vector<float> normalized = NormalizedIfCosine(spec.metric, data, n, spec.dim);
  const float* x = normalized.empty() ? data : normalized.data();
  std::unique_ptr<faiss::Index> index;
  ScopedOmpThreads threads(options.num_threads);
  SIMVUS_RETURN_IF_ERROR(CatchFaiss("build " + spec.ToString(), StatusCode::kInternal, [&] {
    index = NewFaissIndex(spec, options.seed);
    if (!index->is_trained) index->train(n, x);
    index->add(n, x);
  }));
  return std::unique_ptr<VectorIndex>(new VectorIndex(spec, std::move(index)));
}

Result<std::unique_ptr<VectorIndex>> VectorIndex::Deserialize(const IndexSpec& spec,
                                                              const Bytes& bytes) {
  std::unique_ptr<faiss::Index> index;
  SIMVUS_RETURN_IF_ERROR(CatchFaiss("read index " + spec.ToString(), StatusCode::kDataLoss, [&] {
    faiss::VectorIOReader reader;
    reader.data.assign(bytes.begin(), bytes.end());
    index.reset(faiss::read_index(&reader));
    if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index.get())) InstallFastStorage(*hnsw);
  }));
  if (index->d != spec.dim || index->metric_type != FaissMetric(spec.metric)) {
    return DataLoss("index file: FAISS index has dim " + std::to_string(index->d) + ", expected " +
                    spec.ToString());
  }
  return std::unique_ptr<VectorIndex>(new VectorIndex(spec, std::move(index)));
}

Result<Bytes> VectorIndex::Serialize() const {
  faiss::VectorIOWriter writer;
  SIMVUS_RETURN_IF_ERROR(CatchFaiss("write index " + spec_.ToString(), StatusCode::kInternal,
                                    [&] { faiss::write_index(index_.get(), &writer); }));
  return Bytes(writer.data.begin(), writer.data.end());
}

Result<SearchHits> VectorIndex::Search(const float* queries, int64_t nq, int64_t topk,
                                       const SearchParams& params, const Bitset* filter,
                                       const SearchOptions& options) const {
  if (topk < 1) return InvalidArgument("topk: " + std::to_string(topk) + ", expected >= 1");
  if (filter != nullptr && filter->size() != size()) {
    return InvalidArgument("filter: " + std::to_string(filter->size()) + " bits, expected " +
                           std::to_string(size()));
  }
  std::vector<float> normalized = NormalizedIfCosine(spec_.metric, queries, nq, spec_.dim);
  const float* q = normalized.empty() ? queries : normalized.data();

  if (spec_.type == IndexType::kFlat) {
    const auto* flat = static_cast<const faiss::IndexFlat*>(index_.get());
    FlatSearchInput input;
    input.metric = spec_.metric;
    input.dim = spec_.dim;
    input.base = flat->get_xb();
    input.n = flat->ntotal;
    input.base_norms = flat_norms_.empty() ? nullptr : flat_norms_.data();
    input.filter = filter;
    input.num_threads = options.num_threads;
    return FlatSearch(input, q, nq, topk);
  }

  SearchHits hits(nq, topk, spec_.metric);
  if (spec_.type == IndexType::kHnsw) {
    // simvus searches the FAISS-built graph itself (hnsw_searcher.h); FAISS 1.7.3's own HNSW
    // search also ignores SearchParametersHNSW::efSearch.
    if (hnsw_searcher_ == nullptr) {
      hnsw_searcher_ =
          std::make_unique<HnswSearcher>(static_cast<const faiss::IndexHNSW&>(*index_));
    }
    for (int64_t i = 0; i < nq; ++i) {
      hits.distances += hnsw_searcher_->Search(q + i * spec_.dim, topk, params.ef, filter,
                                               &hits.ids[static_cast<size_t>(i * topk)],
                                               &hits.scores[static_cast<size_t>(i * topk)]);
    }
    return hits;
  }
  std::unique_ptr<faiss::IDSelectorBitmap> selector;
  if (filter != nullptr) {
    selector = std::make_unique<faiss::IDSelectorBitmap>(filter->size_bytes(), filter->data());
  }
  faiss::SearchParametersIVF ivf_params;
  ivf_params.nprobe = static_cast<size_t>(params.nprobe);
  ivf_params.sel = selector.get();
  ScopedOmpThreads threads(options.num_threads);
  SIMVUS_RETURN_IF_ERROR(CatchFaiss("search " + spec_.ToString(), StatusCode::kInternal, [&] {
    index_->search(nq, q, topk, hits.scores.data(), hits.ids.data(), &ivf_params);
  }));
  // FAISS marks empty slots with id -1 and +/-max float; keep our convention for the score.
  for (size_t i = 0; i < hits.ids.size(); ++i) {
    if (hits.ids[i] < 0) hits.scores[i] = WorstScore(spec_.metric);
  }
  // Not counted inside FAISS (its counters are process-wide): estimated as the nlist centroid
  // distances plus the probed lists at their mean length (exact when the lists are even; an IVF
  // code is charged as a full distance, which over-charges SQ8 and PQ).
  const int64_t nprobe = std::min(params.nprobe, spec_.nlist);
  hits.distances = nq * (spec_.nlist + (size() * nprobe + spec_.nlist - 1) / spec_.nlist);
  return hits;
}

}  // namespace simvus::ann
