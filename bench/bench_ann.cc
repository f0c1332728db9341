// bench_ann: simvus's segment and ANN code against raw FAISS and hnswlib, in the same run.
//
// Every comparison is reported as a ratio (higher is better, 1.0 = parity), computed from the
// median of the repetitions (the full run repeats every search benchmark 5 times by default), with
// the min-max spread printed beside each figure:
//   segment_vs_faiss_qps             Segment::Search on a sealed segment with an HNSW index vs
//                                    faiss::Index::search on the very same FAISS index, same ef
//                                    (the smallest ef at which the segment reaches recall 0.99);
//   bruteforce_vs_bandwidth_bound    simvus brute force, one query at a time, vs the memory
//                                    bandwidth bound measured in this run (bandwidth/read: an
//                                    AVX2 load+add stream over the very bytes the scan reads);
//   hnsw_vs_hnswlib_qps_at_r99       best simvus HNSW QPS at recall@10 >= 0.99 vs best hnswlib QPS
//                                    at recall@10 >= 0.99, same M and efConstruction, hnswlib
//                                    compiled with -mavx2 -mfma (hnswlib_avx2.h);
//   ivf_{flat,sq8,pq}_segment_vs_faiss_qps
//                                    Segment::Search on an IVF index built by Segment::BuildIndex
//                                    vs raw FAISS IndexIVF* built with the same nlist, m, nbits,
//                                    seed and threads; geometric mean over the nprobe values;
//   filtered_{hnsw,bruteforce}_segment_vs_faiss_qps
//                                    Segment::Search with a filter expression passing 5/10/50/90%
//                                    of the rows vs raw FAISS given the same rows as an
//                                    IDSelectorBitmap; geometric mean over the three pass rates;
//   bruteforce_nq32_segment_vs_faiss_qps
//                                    a batch of 32 queries, 2 threads, vs FAISS IndexFlatL2 (BLAS
//                                    path: OpenBLAS sgemm) on 2 threads.
// Full run: Fashion-MNIST (HNSW), a seeded clustered 1M x 128 set (brute force) and a clustered
// 200k x 128 set (IVF: IVF_PQ did not build within a minute at 1M on 2 cores).
// --smoke: small synthetic sets for CI (bench-smoke), one repetition.
// See bench/README.md for the commands and the figures measured.
#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/IDSelector.h>
#include <immintrin.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/hnswlib_avx2.h"
#include "components/ann/flat_search.h"
#include "components/ann/omp_threads.h"
#include "components/expr/predicate.h"
#include "components/segment/segment.h"
#include "scenarios/bench/datasets.h"

namespace simvus::bench {
using namespace simvus::scenarios::bench;  // the datasets (datasets.h)
namespace {

using idx_t = faiss::Index::idx_t;

struct Config {
  bool smoke = false;
  int64_t hnsw_m = 32;
  int64_t ef_construction = 40;
  std::vector<int64_t> efs;
  int64_t bf_rows = 1'000'000;
  int64_t bf_dim = 128;
  // 0 = use the bandwidth measured by bandwidth/read in this run. --bandwidth_gbs=N is an explicit
  // override (e.g. a figure from a quiet machine); the table says which one was used.
  double bandwidth_override_gbs = 0;
  // IVF on its own clustered set: 200k x 128 in the full run, because IVF_PQ (nbits=8) did not
  // build within a minute on 1M x 128 on 2 cores (IVF_FLAT and IVF_SQ8 took ~33 s there).
  int64_t ivf_rows = 200'000;
  int64_t ivf_queries = 100;
  int64_t ivf_nlist = 1024;
  int64_t ivf_pq_m = 16;
  int64_t ivf_pq_nbits = 8;
  std::vector<int64_t> nprobes;
  int build_threads = 2;  // IVF builds, both sides (real mode; simulation keeps 1)
  uint64_t build_seed = 42;
  // Filtered search.
  int64_t filter_ef = 64;
  int64_t filter_hnsw_queries = 200;  // the first queries of the HNSW set (exact filtered truth)
};

Config g_config;
AnnDataset* g_hnsw_data = nullptr;
AnnDataset* g_bf_data = nullptr;
AnnDataset* g_ivf_data = nullptr;
segment::Segment* g_hnsw_segment = nullptr;
segment::Segment* g_bf_segment = nullptr;
HnswlibIndex* g_hnswlib = nullptr;  // null when the CPU lacks AVX2+FMA
faiss::IndexFlatL2* g_faiss_flat = nullptr;

bool CpuHasAvx2Fma() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

segment::CollectionSchema Schema(int64_t dim) {
  segment::CollectionSchema s;
  s.name = "bench";
  s.fields = {{segment::FieldId{100}, "id", segment::DataType::kInt64, true},
              {segment::FieldId{101}, "vec", segment::DataType::kFloatVector, false, dim}};
  return s;
}

// Row i has pk i, so segment hits are row ids.
std::unique_ptr<segment::Segment> MakeSealedSegment(const AnnDataset& d) {
  auto seg = std::make_unique<segment::Segment>(segment::SegmentId{1}, Schema(d.dim));
  segment::InsertBatch batch;
  for (const auto& f : seg->schema().fields)
    batch.columns.push_back(segment::FieldColumn::Empty(f));
  batch.timestamps.assign(static_cast<size_t>(d.n), Timestamp{1});
  batch.columns[0].int64s.resize(static_cast<size_t>(d.n));
  for (int64_t i = 0; i < d.n; ++i) batch.columns[0].int64s[static_cast<size_t>(i)] = i;
  batch.columns[1].floats = d.base;
  SIMVUS_CHECK(seg->Insert(batch).ok(), "bench: insert");
  seg->Seal();
  return seg;
}

segment::SearchRequest Request(const AnnDataset& d, int64_t q, const ann::IndexParams& params,
                               const std::string& filter = "") {
  segment::SearchRequest r;
  r.queries.assign(d.queries.begin() + q * d.dim, d.queries.begin() + (q + 1) * d.dim);
  r.nq = 1;
  r.topk = d.k;
  r.params = params;
  r.filter = filter;
  return r;
}

ann::IndexParams EfParams(int64_t ef) { return {{"ef", std::to_string(ef)}}; }

void CopyHits(const segment::SearchResult& r, int64_t k, int64_t* out) {
  for (int64_t j = 0; j < k; ++j) out[j] = -1;
  for (size_t j = 0; j < r.queries[0].size(); ++j) out[j] = std::get<int64_t>(r.queries[0][j].pk);
}

void SetQps(benchmark::State& state, int64_t queries_per_iteration = 1) {
  state.counters["QPS"] = benchmark::Counter(
      static_cast<double>(state.iterations() * queries_per_iteration), benchmark::Counter::kIsRate);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// ---- HNSW on Fashion-MNIST (or the smoke set) ---------------------------------------------

void BM_HnswSegment(benchmark::State& state) {
  const AnnDataset& d = *g_hnsw_data;
  const int64_t ef = state.range(0);
  std::vector<segment::SearchRequest> reqs;
  for (int64_t q = 0; q < d.nq; ++q) reqs.push_back(Request(d, q, EfParams(ef)));
  std::vector<int64_t> ids(static_cast<size_t>(d.nq * d.k), -1);
  for (int64_t q = 0; q < d.nq; ++q) {
    auto r = g_hnsw_segment->Search(reqs[static_cast<size_t>(q)]);
    SIMVUS_CHECK(r.ok(), r.status().ToString());
    CopyHits(*r, d.k, &ids[static_cast<size_t>(q * d.k)]);
  }
  int64_t q = 0;
  for (auto _ : state) {
    auto r = g_hnsw_segment->Search(reqs[static_cast<size_t>(q)]);
    benchmark::DoNotOptimize(r);
    q = (q + 1) % d.nq;
  }
  state.counters["recall"] = RecallAtK(d, ids);
  SetQps(state);
}

faiss::IndexHNSW& SegmentFaissHnsw() {
  // The very FAISS index inside the segment; raw FAISS 1.7.3 reads efSearch from the index.
  return const_cast<faiss::IndexHNSW&>(
      static_cast<const faiss::IndexHNSW&>(g_hnsw_segment->index()->faiss_index()));
}

void BM_HnswFaissRaw(benchmark::State& state) {
  const AnnDataset& d = *g_hnsw_data;
  const int64_t ef = state.range(0);
  faiss::IndexHNSW& index = SegmentFaissHnsw();
  ann::ScopedOmpThreads threads(1);
  const int saved = index.hnsw.efSearch;
  index.hnsw.efSearch = static_cast<int>(ef);
  std::vector<idx_t> ids(static_cast<size_t>(d.nq * d.k));
  std::vector<float> dist(static_cast<size_t>(d.k));
  for (int64_t q = 0; q < d.nq; ++q) {
    index.search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(), &ids[q * d.k]);
  }
  std::vector<idx_t> out(static_cast<size_t>(d.k));
  int64_t q = 0;
  for (auto _ : state) {
    index.search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(), out.data());
    benchmark::DoNotOptimize(out.data());
    q = (q + 1) % d.nq;
  }
  index.hnsw.efSearch = saved;
  state.counters["recall"] = RecallAtK(d, std::vector<int64_t>(ids.begin(), ids.end()));
  SetQps(state);
}

void BM_HnswLib(benchmark::State& state) {
  const AnnDataset& d = *g_hnsw_data;
  if (g_hnswlib == nullptr) {
    state.SkipWithError("hnswlib needs a CPU with AVX2 and FMA (it is compiled with -mavx2 -mfma)");
    for (auto _ : state) {
    }
    return;
  }
  g_hnswlib->SetEf(state.range(0));
  std::vector<int64_t> ids(static_cast<size_t>(d.nq * d.k), -1);
  for (int64_t q = 0; q < d.nq; ++q) {
    g_hnswlib->Search(&d.queries[static_cast<size_t>(q * d.dim)], d.k,
                      &ids[static_cast<size_t>(q * d.k)]);
  }
  std::vector<int64_t> out(static_cast<size_t>(d.k));
  int64_t q = 0;
  for (auto _ : state) {
    g_hnswlib->Search(&d.queries[static_cast<size_t>(q * d.dim)], d.k, out.data());
    benchmark::DoNotOptimize(out.data());
    q = (q + 1) % d.nq;
  }
  state.counters["recall"] = RecallAtK(d, ids);
  SetQps(state);
}

// ---- Memory bandwidth, measured in the same run ----------------------------------------------

// Sums n floats with AVX2 loads and adds, eight independent accumulators: a pure read stream,
// the least work per byte the brute-force scan could do. It prefetches as far ahead as FlatSearch
// does (ann::kScanPrefetchBytes; without, it read 10-20 % slower on 2026-12-06), so that the bound
// is what a read stream with the scan's own help reaches.
__attribute__((target("avx2"))) float StreamSumAvx2(const float* p, int64_t n) {
  constexpr int64_t kPrefetchFloats = simvus::ann::kScanPrefetchBytes / sizeof(float);
  __m256 acc[8];
  for (__m256& a : acc) a = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 64 <= n; i += 64) {
    for (int j = 0; j < 64; j += 16) {
      _mm_prefetch(reinterpret_cast<const char*>(p + i + j + kPrefetchFloats), _MM_HINT_T0);
    }
    for (int j = 0; j < 8; ++j) acc[j] = _mm256_add_ps(acc[j], _mm256_loadu_ps(p + i + 8 * j));
  }
  for (int j = 1; j < 8; ++j) acc[0] = _mm256_add_ps(acc[0], acc[j]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, acc[0]);
  float sum = 0;
  for (float x : lanes) sum += x;
  for (; i < n; ++i) sum += p[i];
  return sum;
}

float StreamSumScalar(const float* p, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += p[i];
  return sum;
}

// bandwidth/read/threads/<t>: streams over the brute-force segment's vector column (the bytes
// FlatSearch reads per query), split into t contiguous slices as FlatSearch splits its rows.
void BM_BandwidthRead(benchmark::State& state) {
  const std::vector<float>& base = g_bf_segment->column(1).floats;
  const int threads = static_cast<int>(state.range(0));
  const bool avx2 = CpuHasAvx2Fma();
  const int64_t n = static_cast<int64_t>(base.size());
  const int64_t slice = (n / threads + 63) / 64 * 64;
  for (auto _ : state) {
    float total = 0;
#pragma omp parallel for num_threads(threads) schedule(static, 1) reduction(+ : total)
    for (int t = 0; t < threads; ++t) {
      const int64_t begin = std::min(n, t * slice);
      const int64_t end = t + 1 == threads ? n : std::min(n, (t + 1) * slice);
      total += avx2 ? StreamSumAvx2(base.data() + begin, end - begin)
                    : StreamSumScalar(base.data() + begin, end - begin);
    }
    benchmark::DoNotOptimize(total);
  }
  state.counters["GB/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(n) * 4 / 1e9,
                         benchmark::Counter::kIsRate);
  state.SetLabel(avx2 ? "AVX2 load+add" : "scalar (no AVX2)");
}

// ---- Brute force, one query at a time ---------------------------------------------------------

void BM_BruteForceSegment(benchmark::State& state) {
  const AnnDataset& d = *g_bf_data;
  simvus::ann::SearchOptions options;
  options.num_threads = static_cast<int>(state.range(0));
  std::vector<segment::SearchRequest> reqs;
  for (int64_t q = 0; q < d.nq; ++q) reqs.push_back(Request(d, q, {}));
  int64_t q = 0;
  for (auto _ : state) {
    auto r = g_bf_segment->Search(reqs[static_cast<size_t>(q)], options);
    benchmark::DoNotOptimize(r);
    q = (q + 1) % d.nq;
  }
  SetQps(state);
  state.counters["GB/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(d.n * d.dim * 4) / 1e9,
      benchmark::Counter::kIsRate);
}

void BM_BruteForceKernel(benchmark::State& state) {
  const AnnDataset& d = *g_bf_data;
  const auto isa = static_cast<ann::KernelIsa>(state.range(0));
  ann::FlatSearchInput input{ann::MetricType::kL2, d.dim, d.base.data(), d.n, nullptr, nullptr};
  int64_t q = 0;
  for (auto _ : state) {
    auto hits =
        ann::FlatSearchWithIsa(input, &d.queries[static_cast<size_t>(q * d.dim)], 1, d.k, isa);
    benchmark::DoNotOptimize(hits);
    q = (q + 1) % d.nq;
  }
  SetQps(state);
}

void BM_BruteForceFaiss(benchmark::State& state) {
  const AnnDataset& d = *g_bf_data;
  ann::ScopedOmpThreads threads(1);
  std::vector<float> dist(static_cast<size_t>(d.k));
  std::vector<idx_t> ids(static_cast<size_t>(d.k));
  int64_t q = 0;
  for (auto _ : state) {
    g_faiss_flat->search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(),
                         ids.data());
    benchmark::DoNotOptimize(ids.data());
    q = (q + 1) % d.nq;
  }
  SetQps(state);
}

// ---- Brute force, a batch of 32 queries on 2 threads -----------------------------------------

constexpr int64_t kBatchNq = 32;
constexpr int kBatchThreads = 2;

// The segment answers a batch with FlatSearch's blocked multi-query scan: each block of the base
// is read once and scored against all 32 queries (bitwise the answers of 32 single searches).
void BM_BruteForceBatchSegment(benchmark::State& state) {
  const AnnDataset& d = *g_bf_data;
  const int64_t nq = std::min(kBatchNq, d.nq);
  segment::SearchRequest r;
  r.queries.assign(d.queries.begin(), d.queries.begin() + nq * d.dim);
  r.nq = nq;
  r.topk = d.k;
  ann::SearchOptions options;
  options.num_threads = kBatchThreads;
  for (auto _ : state) {
    auto res = g_bf_segment->Search(r, options);
    benchmark::DoNotOptimize(res);
  }
  SetQps(state, nq);
}

// FAISS switches to BLAS (sgemm, here OpenBLAS's OpenMP build) at nq >= 20.
void BM_BruteForceBatchFaiss(benchmark::State& state) {
  const AnnDataset& d = *g_bf_data;
  const int64_t nq = std::min(kBatchNq, d.nq);
  ann::ScopedOmpThreads threads(kBatchThreads);
  std::vector<float> dist(static_cast<size_t>(nq * d.k));
  std::vector<idx_t> ids(static_cast<size_t>(nq * d.k));
  for (auto _ : state) {
    g_faiss_flat->search(nq, d.queries.data(), d.k, dist.data(), ids.data());
    benchmark::DoNotOptimize(ids.data());
  }
  SetQps(state, nq);
}

// ---- IVF_FLAT / IVF_SQ8 / IVF_PQ: Segment::BuildIndex vs raw FAISS ----------------------------

struct IvfPair {
  std::unique_ptr<segment::Segment> segment;
  std::unique_ptr<faiss::Index> faiss;
  double segment_build_s = 0;
  double faiss_build_s = 0;
};

std::map<ann::IndexType, IvfPair> g_ivf;

ann::IndexParams IvfSpecParams(ann::IndexType type) {
  ann::IndexParams p{{"index_type", std::string(ann::IndexTypeName(type))},
                     {"metric_type", "L2"},
                     {"nlist", std::to_string(g_config.ivf_nlist)}};
  if (type == ann::IndexType::kIvfPq) {
    p["m"] = std::to_string(g_config.ivf_pq_m);
    p["nbits"] = std::to_string(g_config.ivf_pq_nbits);
  }
  return p;
}

// Raw FAISS with the parameters simvus's VectorIndex uses (vector_index.cc): the same nlist, m,
// nbits, k-means seeds and min_points_per_centroid, so both sides train the same way.
std::unique_ptr<faiss::Index> NewRawFaissIvf(ann::IndexType type, int d) {
  const auto nlist = static_cast<size_t>(g_config.ivf_nlist);
  const int seed32 = static_cast<int>(g_config.build_seed & 0x7fffffff);
  std::unique_ptr<faiss::IndexIVF> ivf;
  if (type == ann::IndexType::kIvfFlat) {
    ivf = std::make_unique<faiss::IndexIVFFlat>(new faiss::IndexFlatL2(d), d, nlist);
  } else if (type == ann::IndexType::kIvfSq8) {
    ivf = std::make_unique<faiss::IndexIVFScalarQuantizer>(new faiss::IndexFlatL2(d), d, nlist,
                                                           faiss::ScalarQuantizer::QT_8bit);
  } else {
    auto pq = std::make_unique<faiss::IndexIVFPQ>(new faiss::IndexFlatL2(d), d, nlist,
                                                  static_cast<size_t>(g_config.ivf_pq_m),
                                                  static_cast<size_t>(g_config.ivf_pq_nbits));
    pq->pq.cp.seed = seed32 ^ 0x5bd1e995;
    pq->pq.cp.min_points_per_centroid = 1;
    ivf = std::move(pq);
  }
  ivf->own_fields = true;
  ivf->cp.seed = seed32;
  ivf->cp.min_points_per_centroid = 1;
  return ivf;
}

// Builds both sides of `type` once (outside any timing loop), timing each build.
IvfPair& EnsureIvf(ann::IndexType type) {
  auto it = g_ivf.find(type);
  if (it != g_ivf.end()) return it->second;
  const AnnDataset& d = *g_ivf_data;
  IvfPair pair;
  pair.segment = MakeSealedSegment(d);
  auto spec = ann::ParseIndexSpec(IvfSpecParams(type), d.dim);
  SIMVUS_CHECK(spec.ok(), spec.status().ToString());
  auto start = std::chrono::steady_clock::now();
  Status built = pair.segment->BuildIndex(*spec, {g_config.build_seed, g_config.build_threads});
  SIMVUS_CHECK(built.ok(), built.ToString());
  pair.segment_build_s = Seconds(start);
  {
    ann::ScopedOmpThreads threads(g_config.build_threads);
    start = std::chrono::steady_clock::now();
    pair.faiss = NewRawFaissIvf(type, static_cast<int>(d.dim));
    pair.faiss->train(d.n, d.base.data());
    pair.faiss->add(d.n, d.base.data());
    pair.faiss_build_s = Seconds(start);
  }
  std::printf("built %s on %s: Segment::BuildIndex %.2f s, raw FAISS %.2f s (%d threads)\n",
              std::string(ann::IndexTypeName(type)).c_str(), d.name.c_str(), pair.segment_build_s,
              pair.faiss_build_s, g_config.build_threads);
  std::fflush(stdout);
  return g_ivf.emplace(type, std::move(pair)).first->second;
}

void BM_IvfSegment(benchmark::State& state, ann::IndexType type, int64_t nprobe) {
  const AnnDataset& d = *g_ivf_data;
  const segment::Segment& seg = *EnsureIvf(type).segment;
  std::vector<segment::SearchRequest> reqs;
  for (int64_t q = 0; q < d.nq; ++q) {
    reqs.push_back(Request(d, q, {{"nprobe", std::to_string(nprobe)}}));
  }
  std::vector<int64_t> ids(static_cast<size_t>(d.nq * d.k), -1);
  for (int64_t q = 0; q < d.nq; ++q) {
    auto r = seg.Search(reqs[static_cast<size_t>(q)]);
    SIMVUS_CHECK(r.ok(), r.status().ToString());
    CopyHits(*r, d.k, &ids[static_cast<size_t>(q * d.k)]);
  }
  int64_t q = 0;
  for (auto _ : state) {
    auto r = seg.Search(reqs[static_cast<size_t>(q)]);
    benchmark::DoNotOptimize(r);
    q = (q + 1) % d.nq;
  }
  state.counters["recall"] = RecallAtK(d, ids);
  SetQps(state);
}

void BM_IvfFaissRaw(benchmark::State& state, ann::IndexType type, int64_t nprobe) {
  const AnnDataset& d = *g_ivf_data;
  const faiss::Index& index = *EnsureIvf(type).faiss;
  ann::ScopedOmpThreads threads(1);
  faiss::SearchParametersIVF params;
  params.nprobe = static_cast<size_t>(nprobe);
  std::vector<idx_t> ids(static_cast<size_t>(d.nq * d.k));
  std::vector<float> dist(static_cast<size_t>(d.k));
  for (int64_t q = 0; q < d.nq; ++q) {
    index.search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(), &ids[q * d.k],
                 &params);
  }
  std::vector<idx_t> out(static_cast<size_t>(d.k));
  int64_t q = 0;
  for (auto _ : state) {
    index.search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(), out.data(),
                 &params);
    benchmark::DoNotOptimize(out.data());
    q = (q + 1) % d.nq;
  }
  state.counters["recall"] = RecallAtK(d, std::vector<int64_t>(ids.begin(), ids.end()));
  SetQps(state);
}

// ---- Filtered search --------------------------------------------------------------------------

// Rows pass when id % 10 < pass_pct / 10; row order is independent of the clusters, so the
// passing rows are spread over the whole space.
// 5 %: below knowhere's 7 % line, where a filtered HNSW search scans the passing rows instead.
constexpr int64_t kPassPcts[] = {5, 10, 50, 90};

std::string FilterExpr(int64_t pass_pct) {
  if (pass_pct % 10 != 0) return "id % 100 < " + std::to_string(pass_pct);
  return "id % 10 < " + std::to_string(pass_pct / 10);
}

struct FilterCase {
  ann::Bitset bits;            // the rows the expression passes (what FAISS's selector gets)
  int64_t nq = 0;              // the first nq queries of the data set
  std::vector<int64_t> truth;  // exact filtered top-k, nq x k
};

std::map<int64_t, FilterCase> g_filter_hnsw, g_filter_bf;

const FilterCase& EnsureFilterCase(bool hnsw, int64_t pass_pct) {
  auto& cases = hnsw ? g_filter_hnsw : g_filter_bf;
  auto it = cases.find(pass_pct);
  if (it != cases.end()) return it->second;
  const AnnDataset& d = hnsw ? *g_hnsw_data : *g_bf_data;
  const segment::Segment& seg = hnsw ? *g_hnsw_segment : *g_bf_segment;
  FilterCase c;
  auto bits = seg.FilterBitset(FilterExpr(pass_pct), Timestamp::Max());
  SIMVUS_CHECK(bits.ok(), bits.status().ToString());
  c.bits = std::move(*bits);
  c.nq = hnsw ? std::min(d.nq, g_config.filter_hnsw_queries) : d.nq;
  c.truth = ComputeFilteredTruth(d, c.bits, c.nq);
  return cases.emplace(pass_pct, std::move(c)).first->second;
}

// Fraction of returned ids outside the filter (must be 0).
double Violations(const ann::Bitset& bits, const std::vector<int64_t>& ids) {
  int64_t bad = 0, total = 0;
  for (int64_t id : ids) {
    if (id < 0) continue;
    ++total;
    if (!bits.Test(id)) ++bad;
  }
  return total == 0 ? 0.0 : static_cast<double>(bad) / static_cast<double>(total);
}

// hnsw: the HNSW segment at ef = filter_ef, else the brute-force segment (1 thread).
void BM_FilteredSegment(benchmark::State& state, bool hnsw, int64_t pass_pct) {
  const AnnDataset& d = hnsw ? *g_hnsw_data : *g_bf_data;
  const segment::Segment& seg = hnsw ? *g_hnsw_segment : *g_bf_segment;
  const FilterCase& c = EnsureFilterCase(hnsw, pass_pct);
  const std::string expr = FilterExpr(pass_pct);
  std::vector<segment::SearchRequest> reqs;
  for (int64_t q = 0; q < c.nq; ++q) {
    reqs.push_back(Request(d, q, hnsw ? EfParams(g_config.filter_ef) : ann::IndexParams{}, expr));
  }
  std::vector<int64_t> ids(static_cast<size_t>(c.nq * d.k), -1);
  for (int64_t q = 0; q < c.nq; ++q) {
    auto r = seg.Search(reqs[static_cast<size_t>(q)]);
    SIMVUS_CHECK(r.ok(), r.status().ToString());
    CopyHits(*r, d.k, &ids[static_cast<size_t>(q * d.k)]);
  }
  int64_t q = 0;
  for (auto _ : state) {
    auto r = seg.Search(reqs[static_cast<size_t>(q)]);
    benchmark::DoNotOptimize(r);
    q = (q + 1) % c.nq;
  }
  state.counters["recall"] = RecallAtK(c.truth, ids, c.nq, d.k);
  state.counters["violations"] = Violations(c.bits, ids);
  SetQps(state);
}

// Counter ns_per_row: host time per row of the segment.
void SetNsPerRow(benchmark::State& state, int64_t rows) {
  state.counters["ns_per_row"] = benchmark::Counter(
      static_cast<double>(rows) / 1e9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// The part of a filtered segment search that evaluates the expression into a bitset.
void BM_FilteredSegmentBitsetOnly(benchmark::State& state, bool hnsw, int64_t pass_pct) {
  const segment::Segment& seg = hnsw ? *g_hnsw_segment : *g_bf_segment;
  const std::string expr = FilterExpr(pass_pct);
  for (auto _ : state) {
    auto bits = seg.FilterBitset(expr, Timestamp::Max());
    benchmark::DoNotOptimize(bits);
  }
  SetNsPerRow(state, seg.num_rows());
  SetQps(state);
}

// The same expression evaluated row by row (Predicate::Evaluate), as FilterBitset did before it
// evaluated blocks of rows a node at a time: the speedup, measured in the same run.
void BM_FilterRowAtATime(benchmark::State& state, bool hnsw, int64_t pass_pct) {
  const segment::Segment& seg = hnsw ? *g_hnsw_segment : *g_bf_segment;
  auto predicate = expr::Predicate::Compile(FilterExpr(pass_pct), seg.schema().ScalarFields());
  SIMVUS_CHECK(predicate.ok(), predicate.status().ToString());
  std::vector<expr::ColumnView> views;
  for (int i : seg.schema().ScalarFieldIndexes()) views.push_back(seg.column(i).View());
  const int64_t rows = seg.num_rows();
  for (auto _ : state) {
    ann::Bitset bits(rows, true);
    for (int64_t r = 0; r < rows; ++r) {
      if (!predicate->Evaluate(views, r)) bits.Set(r, false);
    }
    benchmark::DoNotOptimize(bits);
  }
  SetNsPerRow(state, rows);
  SetQps(state);
}

// Raw FAISS given the passing rows as an IDSelectorBitmap (precomputed, outside the timing).
void BM_FilteredFaiss(benchmark::State& state, bool hnsw, int64_t pass_pct) {
  const AnnDataset& d = hnsw ? *g_hnsw_data : *g_bf_data;
  const FilterCase& c = EnsureFilterCase(hnsw, pass_pct);
  faiss::IDSelectorBitmap selector(c.bits.size_bytes(), c.bits.data());
  faiss::SearchParametersHNSW hnsw_params;
  faiss::SearchParameters flat_params;
  faiss::SearchParameters* params = &flat_params;
  const faiss::Index* index = g_faiss_flat;
  int saved_ef = 0;
  if (hnsw) {
    faiss::IndexHNSW& h = SegmentFaissHnsw();
    saved_ef = h.hnsw.efSearch;
    h.hnsw.efSearch = static_cast<int>(g_config.filter_ef);
    hnsw_params.efSearch = static_cast<int>(g_config.filter_ef);
    params = &hnsw_params;
    index = &h;
  }
  params->sel = &selector;
  ann::ScopedOmpThreads threads(1);
  std::vector<idx_t> ids(static_cast<size_t>(c.nq * d.k));
  std::vector<float> dist(static_cast<size_t>(d.k));
  std::string error;
  try {
    for (int64_t q = 0; q < c.nq; ++q) {
      index->search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(), &ids[q * d.k],
                    params);
    }
  } catch (const std::exception& e) {
    error = std::string("FAISS rejects a filtered search here: ") + e.what();
  }
  if (!error.empty()) {
    if (hnsw) SegmentFaissHnsw().hnsw.efSearch = saved_ef;
    state.SkipWithError(error.c_str());
    for (auto _ : state) {
    }
    return;
  }
  std::vector<idx_t> out(static_cast<size_t>(d.k));
  int64_t q = 0;
  for (auto _ : state) {
    index->search(1, &d.queries[static_cast<size_t>(q * d.dim)], d.k, dist.data(), out.data(),
                  params);
    benchmark::DoNotOptimize(out.data());
    q = (q + 1) % c.nq;
  }
  if (hnsw) SegmentFaissHnsw().hnsw.efSearch = saved_ef;
  const std::vector<int64_t> ids64(ids.begin(), ids.end());
  state.counters["recall"] = RecallAtK(c.truth, ids64, c.nq, d.k);
  state.counters["violations"] = Violations(c.bits, ids64);
  SetQps(state);
}

// ---- Reporting --------------------------------------------------------------------------------

struct Measured {
  double qps = 0;
  double recall = -1;
  double gbs = 0;
  double violations = 0;
};

// Every repetition of every benchmark that ran without error, by name.
class CapturingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      Measured m;
      auto get = [&](const char* key, double* out) {
        auto it = run.counters.find(key);
        if (it != run.counters.end()) *out = it->second.value;
      };
      get("QPS", &m.qps);
      get("recall", &m.recall);
      get("GB/s", &m.gbs);
      get("violations", &m.violations);
      results[run.benchmark_name()].push_back(m);
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, std::vector<Measured>> results;
};

// The median and range of one counter over the repetitions; n = 0 when the benchmark did not run.
struct Stat {
  double median = 0;
  double min = 0;
  double max = 0;
  int n = 0;
  double recall = -1;  // recall and violations are the same in every repetition
  double violations = 0;
};

class Results {
 public:
  explicit Results(const std::map<std::string, std::vector<Measured>>& runs) : runs_(runs) {}

  Stat Qps(const std::string& name) const { return Get(name, &Measured::qps); }
  Stat Gbs(const std::string& name) const { return Get(name, &Measured::gbs); }

 private:
  Stat Get(const std::string& name, double Measured::*field) const {
    Stat s;
    auto it = runs_.find(name);
    if (it == runs_.end() || it->second.empty()) return s;
    std::vector<double> v;
    for (const Measured& m : it->second) v.push_back(m.*field);
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    s.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    s.min = v.front();
    s.max = v.back();
    s.n = static_cast<int>(n);
    s.recall = it->second.front().recall;
    s.violations = it->second.front().violations;
    return s;
  }
  const std::map<std::string, std::vector<Measured>>& runs_;
};

// "6597 QPS (6400-6700, 4.5%, n=5)": the median, the min-max over the repetitions and the range as
// a share of the median.
std::string Fig(const Stat& s, const char* unit, const char* fmt = "%.0f") {
  if (s.n == 0) return std::string("not measured");
  char m[32], lo[32], hi[32], out[160];
  std::snprintf(m, sizeof(m), fmt, s.median);
  std::snprintf(lo, sizeof(lo), fmt, s.min);
  std::snprintf(hi, sizeof(hi), fmt, s.max);
  const double spread = s.median > 0 ? (s.max - s.min) / s.median * 100 : 0;
  if (s.n == 1) {
    std::snprintf(out, sizeof(out), "%s %s (n=1)", m, unit);
  } else {
    std::snprintf(out, sizeof(out), "%s %s (%s-%s, %.1f%%, n=%d)", m, unit, lo, hi, spread, s.n);
  }
  return out;
}

std::string WithRecall(const Stat& s, const char* unit = "QPS") {
  std::string out = Fig(s, unit);
  if (s.n > 0 && s.recall >= 0) {
    char buf[48];
    std::snprintf(buf, sizeof(buf), ", recall %.4f", s.recall);
    out += buf;
  }
  return out;
}

std::string Value(bool measured, double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", v);
  return measured && std::isfinite(v) ? std::string(buf) : std::string("not measured");
}

void PrintRatioLine(const char* name, bool measured, double value, const std::string& needs) {
  if (measured && std::isfinite(value)) {
    std::printf("ratio %s %.4f\n", name, value);
  } else {
    std::printf("ratio %s not-measured (needs %s)\n", name, needs.c_str());
  }
}

std::string Name(const std::string& prefix, int64_t arg) {
  return prefix + "/" + std::to_string(arg);
}

std::string IvfName(ann::IndexType type, const char* side, int64_t nprobe) {
  return "ivf/" + std::string(ann::IndexTypeName(type)) + "/" + side + "/nprobe/" +
         std::to_string(nprobe);
}

std::string FilterName(bool hnsw, const char* side, int64_t pct) {
  return std::string("filtered/") + (hnsw ? "hnsw/" : "bruteforce/") + side + "/pass/" +
         std::to_string(pct);
}

void Append(std::string* to, const std::string& part) {
  if (!to->empty()) *to += "; ";
  *to += part;
}

struct RatioLine {
  std::string name;
  bool measured = false;
  double value = 0;
  std::string needs;
};

std::string SimvusIsa() {
  return ann::DetectedKernelIsa() == ann::KernelIsa::kAvx2Fma ? "AVX2/FMA (run-time dispatch)"
                                                              : "scalar (no AVX2/FMA)";
}

void PrintRatios(const std::map<std::string, std::vector<Measured>>& runs) {
  const Results r(runs);
  const AnnDataset& h = *g_hnsw_data;
  const AnnDataset& b = *g_bf_data;
  std::vector<RatioLine> lines;

  std::printf("\n## bench_ann ratios (%s)\n\n", g_config.smoke ? "smoke" : "full");
  std::printf(
      "Figures: median QPS over the repetitions (min-max, range as %% of the median, n "
      "repetitions).\nISA: simvus %s; hnswlib %s; Debian FAISS 1.7.3 generic x86-64 build.\n\n",
      SimvusIsa().c_str(),
      g_hnswlib != nullptr ? HnswlibCompiledIsa() : "not run (CPU lacks AVX2+FMA)");
  std::printf("| ratio | simvus | baseline | value |\n|---|---|---|---|\n");

  // 1. Segment vs raw FAISS at the smallest ef where the segment reaches recall 0.99 (else the
  //    largest ef measured).
  int64_t ef_pick = g_config.efs.back();
  for (int64_t ef : g_config.efs) {
    if (r.Qps(Name("hnsw/simvus_segment/ef", ef)).recall >= 0.99) {
      ef_pick = ef;
      break;
    }
  }
  {
    const Stat seg = r.Qps(Name("hnsw/simvus_segment/ef", ef_pick));
    const Stat raw = r.Qps(Name("hnsw/faiss_raw/ef", ef_pick));
    const bool have = seg.n > 0 && raw.n > 0 && raw.median > 0;
    const double v = have ? seg.median / raw.median : 0;
    std::printf(
        "| segment_vs_faiss_qps | segment HNSW %s ef=%ld [%s]: %s | raw FAISS same index "
        "[generic x86-64]: %s | %s |\n",
        h.name.c_str(), static_cast<long>(ef_pick), SimvusIsa().c_str(), WithRecall(seg).c_str(),
        WithRecall(raw).c_str(), Value(have, v).c_str());
    lines.push_back({"segment_vs_faiss_qps", have, v,
                     "hnsw/simvus_segment and hnsw/faiss_raw at ef=" + std::to_string(ef_pick)});
  }

  // 2. Brute force vs the bandwidth bound measured in this run (the better thread setting of
  //    each, medians).
  {
    const double bytes = static_cast<double>(b.n * b.dim * 4);
    const Stat bw1 = r.Gbs("bandwidth/read/threads/1/real_time");
    const Stat bw2 = r.Gbs("bandwidth/read/threads/2/real_time");
    const bool override_bw = g_config.bandwidth_override_gbs > 0;
    const double bw =
        override_bw ? g_config.bandwidth_override_gbs : std::max(bw1.median, bw2.median);
    const double bound_qps = bw * 1e9 / bytes;
    const Stat bf1 = r.Qps("bruteforce/simvus_segment/threads/1/real_time");
    const Stat bf2 = r.Qps("bruteforce/simvus_segment/threads/2/real_time");
    const Stat faiss = r.Qps("bruteforce/faiss_IndexFlatL2/real_time");
    const bool have = (bf1.n > 0 || bf2.n > 0) && bw > 0;
    const double v = have ? std::max(bf1.median, bf2.median) / bound_qps : 0;
    std::printf("bandwidth bound used: %.2f GB/s (%s; measured: 1 thread %s, 2 threads %s)\n", bw,
                override_bw ? "--bandwidth_gbs override" : "best median of bandwidth/read",
                Fig(bw1, "GB/s", "%.2f").c_str(), Fig(bw2, "GB/s", "%.2f").c_str());
    std::printf(
        "| bruteforce_vs_bandwidth_bound | %s nq=1 [%s], 1 thread: %s = %.1f GB/s; 2 threads: %s "
        "= %.1f GB/s | bound %.1f QPS (%.0f MB/query at %.2f GB/s, %s); Debian FAISS "
        "IndexFlatL2 1 thread %s | %s |\n",
        b.name.c_str(), SimvusIsa().c_str(), Fig(bf1, "QPS", "%.1f").c_str(),
        bf1.median * bytes / 1e9, Fig(bf2, "QPS", "%.1f").c_str(), bf2.median * bytes / 1e9,
        bound_qps, bytes / 1e6, bw, override_bw ? "override" : "measured in this run",
        Fig(faiss, "QPS", "%.1f").c_str(), Value(have, v).c_str());
    lines.push_back({"bruteforce_vs_bandwidth_bound", have, v,
                     "bruteforce/simvus_segment and bandwidth/read (or --bandwidth_gbs=N)"});
  }

  // 3. Best median QPS at recall >= 0.99, simvus segment vs hnswlib.
  {
    auto best = [&](const char* prefix, int64_t* ef_out) {
      Stat top;
      for (int64_t ef : g_config.efs) {
        const Stat s = r.Qps(Name(prefix, ef));
        if (s.n > 0 && s.recall >= 0.99 && s.median > top.median) {
          top = s;
          *ef_out = ef;
        }
      }
      return top;
    };
    int64_t ef_simvus = -1, ef_hnswlib = -1;
    const Stat s = best("hnsw/simvus_segment/ef", &ef_simvus);
    const Stat l = best("hnsw/hnswlib/ef", &ef_hnswlib);
    const bool have = s.n > 0 && l.n > 0;
    const double v = have ? s.median / l.median : 0;
    std::printf(
        "| hnsw_vs_hnswlib_qps_at_r99 | simvus HNSW (M=%ld, efC=%ld) [%s] best at r>=0.99, "
        "ef=%ld: %s | hnswlib same M/efC [%s], ef=%ld: %s | %s |\n",
        static_cast<long>(g_config.hnsw_m), static_cast<long>(g_config.ef_construction),
        SimvusIsa().c_str(), static_cast<long>(ef_simvus), WithRecall(s).c_str(),
        g_hnswlib != nullptr ? HnswlibCompiledIsa() : "not run", static_cast<long>(ef_hnswlib),
        WithRecall(l).c_str(), Value(have, v).c_str());
    lines.push_back({"hnsw_vs_hnswlib_qps_at_r99", have, v,
                     g_hnswlib != nullptr
                         ? "hnsw/simvus_segment and hnsw/hnswlib reaching recall 0.99"
                         : "an AVX2+FMA CPU for hnswlib, and both reaching recall 0.99"});
  }

  // 4. IVF: geometric mean over nprobe of segment / raw FAISS QPS.
  for (ann::IndexType type :
       {ann::IndexType::kIvfFlat, ann::IndexType::kIvfSq8, ann::IndexType::kIvfPq}) {
    std::string lower(ann::IndexTypeName(type));
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string ratio = lower + "_segment_vs_faiss_qps";
    double log_sum = 0;
    int count = 0;
    std::string seg_text, raw_text;
    for (int64_t nprobe : g_config.nprobes) {
      const Stat seg = r.Qps(IvfName(type, "simvus_segment", nprobe));
      const Stat raw = r.Qps(IvfName(type, "faiss_raw", nprobe));
      Append(&seg_text, "nprobe=" + std::to_string(nprobe) + ": " + WithRecall(seg));
      Append(&raw_text, "nprobe=" + std::to_string(nprobe) + ": " + WithRecall(raw));
      if (seg.n > 0 && raw.n > 0 && raw.median > 0 && seg.median > 0) {
        log_sum += std::log(seg.median / raw.median);
        ++count;
      }
    }
    const bool have = count == static_cast<int>(g_config.nprobes.size());
    const double v = have ? std::exp(log_sum / count) : 0;
    auto it = g_ivf.find(type);
    char build[128] = "build not run";
    if (it != g_ivf.end()) {
      std::snprintf(build, sizeof(build), "build %.2f s", it->second.segment_build_s);
    }
    char raw_build[128] = "build not run";
    if (it != g_ivf.end()) {
      std::snprintf(raw_build, sizeof(raw_build), "build %.2f s", it->second.faiss_build_s);
    }
    std::string spec_text;
    for (const auto& [key, val] : IvfSpecParams(type)) {
      if (key != "index_type" && key != "metric_type") {
        spec_text += (spec_text.empty() ? "" : " ") + key + "=" + val;
      }
    }
    std::printf(
        "| %s | Segment %s(%s) on %s, %s; nq=1, 1 thread: %s | raw FAISS same params, %s: "
        "%s | %s |\n",
        ratio.c_str(), std::string(ann::IndexTypeName(type)).c_str(), spec_text.c_str(),
        g_ivf_data->name.c_str(), build, seg_text.c_str(), raw_build, raw_text.c_str(),
        Value(have, v).c_str());
    lines.push_back({ratio, have, v,
                     "ivf/" + std::string(ann::IndexTypeName(type)) +
                         "/{simvus_segment,faiss_raw} at every nprobe"});
  }

  // 5. Filtered: geometric mean over the pass rates of segment / raw FAISS QPS.
  for (bool hnsw : {true, false}) {
    const std::string ratio =
        std::string("filtered_") + (hnsw ? "hnsw" : "bruteforce") + "_segment_vs_faiss_qps";
    double log_sum = 0;
    int count = 0;
    std::string seg_text, raw_text;
    for (int64_t pct : kPassPcts) {
      const Stat seg = r.Qps(FilterName(hnsw, "simvus_segment", pct));
      const Stat bits = r.Qps(FilterName(hnsw, "simvus_filter_bitset_only", pct));
      const Stat rows = r.Qps(FilterName(hnsw, "simvus_filter_row_at_a_time", pct));
      const Stat raw = r.Qps(FilterName(hnsw, hnsw ? "faiss_raw" : "faiss_IndexFlatL2", pct));
      char viol[64] = "";
      if (raw.n > 0 && raw.violations > 0) {
        std::snprintf(viol, sizeof(viol), ", %.1f%% of hits outside the filter",
                      raw.violations * 100);
      }
      Append(&seg_text,
             std::to_string(pct) + "%: " + WithRecall(seg) +
                 (bits.n > 0 ? " (bitset alone " + Fig(bits, "/s") +
                                   (rows.n > 0 ? "; row at a time " + Fig(rows, "/s") : "") + ")"
                             : ""));
      Append(&raw_text, std::to_string(pct) + "%: " + WithRecall(raw) + viol);
      if (seg.n > 0 && raw.n > 0 && raw.median > 0 && seg.median > 0) {
        log_sum += std::log(seg.median / raw.median);
        ++count;
      }
    }
    const bool have = count == static_cast<int>(std::size(kPassPcts));
    const double v = have ? std::exp(log_sum / count) : 0;
    char what[96];
    if (hnsw) {
      std::snprintf(what, sizeof(what), "HNSW %s ef=%ld, first %ld queries", h.name.c_str(),
                    static_cast<long>(g_config.filter_ef),
                    static_cast<long>(std::min(h.nq, g_config.filter_hnsw_queries)));
    } else {
      std::snprintf(what, sizeof(what), "brute force %s, 1 thread", b.name.c_str());
    }
    std::printf(
        "| %s | Segment::Search, filter \"id %% 10 < p/10\" (5%%: \"id %% 100 < 5\"), %s: %s | "
        "raw FAISS %s + "
        "IDSelectorBitmap: %s | %s |\n",
        ratio.c_str(), what, seg_text.c_str(), hnsw ? "IndexHNSW (same index)" : "IndexFlatL2",
        raw_text.c_str(), Value(have, v).c_str());
    lines.push_back({ratio, have, v,
                     std::string("filtered/") + (hnsw ? "hnsw" : "bruteforce") +
                         "/{simvus_segment,faiss_*} at every pass rate"});
  }

  // 6. Batched brute force, nq=32 on 2 threads.
  {
    const Stat seg = r.Qps("bruteforce/simvus_segment/nq/32/real_time");
    const Stat raw = r.Qps("bruteforce/faiss_IndexFlatL2/nq/32/real_time");
    const bool have = seg.n > 0 && raw.n > 0 && raw.median > 0;
    const double v = have ? seg.median / raw.median : 0;
    std::printf(
        "| bruteforce_nq32_segment_vs_faiss_qps | Segment::Search nq=32, 2 threads, %s (blocked "
        "multi-query scan): %s | FAISS IndexFlatL2 nq=32, 2 threads (OpenBLAS sgemm): %s | %s "
        "|\n\n",
        b.name.c_str(), Fig(seg, "QPS", "%.1f").c_str(), Fig(raw, "QPS", "%.1f").c_str(),
        Value(have, v).c_str());
    lines.push_back({"bruteforce_nq32_segment_vs_faiss_qps", have, v,
                     "bruteforce/simvus_segment/nq/32 and bruteforce/faiss_IndexFlatL2/nq/32"});
  }

  // A ratio whose inputs were left out (by --benchmark_filter) is named as not measured rather
  // than printed as 0, inf or nan: every number on a ratio line is a real measurement.
  for (const RatioLine& l : lines) PrintRatioLine(l.name.c_str(), l.measured, l.value, l.needs);
}

void RegisterBenchmarks() {
  for (int64_t ef : g_config.efs) {
    // The name gets "/<ef>" from Arg.
    benchmark::RegisterBenchmark("hnsw/simvus_segment/ef", BM_HnswSegment)->Arg(ef);
    benchmark::RegisterBenchmark("hnsw/faiss_raw/ef", BM_HnswFaissRaw)->Arg(ef);
    benchmark::RegisterBenchmark("hnsw/hnswlib/ef", BM_HnswLib)->Arg(ef);
  }
  // Rates of multi-threaded or memory-bound benchmarks are per wall-clock second (UseRealTime):
  // with 2 threads the main thread's CPU time would not measure the work. HNSW and IVF rates are
  // per CPU second of the one searching thread, which is steadier on a shared machine.
  benchmark::RegisterBenchmark("bandwidth/read/threads", BM_BandwidthRead)
      ->Arg(1)
      ->Arg(2)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  // One query at a time; threads:1 is the simulation setting, threads:2 splits each query's
  // rows over both cores (real mode).
  benchmark::RegisterBenchmark("bruteforce/simvus_segment/threads", BM_BruteForceSegment)
      ->Arg(1)
      ->Arg(2)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  // The kernel alone, by instruction set (0 = scalar, 1 = AVX2/FMA), one thread.
  benchmark::RegisterBenchmark("bruteforce/simvus_kernel/isa", BM_BruteForceKernel)
      ->Arg(static_cast<int64_t>(simvus::ann::KernelIsa::kScalar))
      ->Arg(static_cast<int64_t>(simvus::ann::DetectedKernelIsa()))
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("bruteforce/faiss_IndexFlatL2", BM_BruteForceFaiss)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("bruteforce/simvus_segment/nq/32", BM_BruteForceBatchSegment)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("bruteforce/faiss_IndexFlatL2/nq/32", BM_BruteForceBatchFaiss)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  for (ann::IndexType type :
       {ann::IndexType::kIvfFlat, ann::IndexType::kIvfSq8, ann::IndexType::kIvfPq}) {
    for (int64_t nprobe : g_config.nprobes) {
      benchmark::RegisterBenchmark(IvfName(type, "simvus_segment", nprobe).c_str(), BM_IvfSegment,
                                   type, nprobe);
      benchmark::RegisterBenchmark(IvfName(type, "faiss_raw", nprobe).c_str(), BM_IvfFaissRaw, type,
                                   nprobe);
    }
  }
  for (bool hnsw : {true, false}) {
    for (int64_t pct : kPassPcts) {
      const auto unit = hnsw ? benchmark::kMicrosecond : benchmark::kMillisecond;
      benchmark::RegisterBenchmark(FilterName(hnsw, "simvus_segment", pct).c_str(),
                                   BM_FilteredSegment, hnsw, pct)
          ->Unit(unit);
      benchmark::RegisterBenchmark(FilterName(hnsw, "simvus_filter_bitset_only", pct).c_str(),
                                   BM_FilteredSegmentBitsetOnly, hnsw, pct)
          ->Unit(unit);
      benchmark::RegisterBenchmark(FilterName(hnsw, "simvus_filter_row_at_a_time", pct).c_str(),
                                   BM_FilterRowAtATime, hnsw, pct)
          ->Unit(unit);
      benchmark::RegisterBenchmark(
          FilterName(hnsw, hnsw ? "faiss_raw" : "faiss_IndexFlatL2", pct).c_str(), BM_FilteredFaiss,
          hnsw, pct)
          ->Unit(unit);
    }
  }
}

}  // namespace
}  // namespace simvus::bench

int main(int argc, char** argv) {
  using namespace simvus::bench;
  std::vector<char*> args;
  bool has_repetitions = false;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) {
      g_config.smoke = true;
    } else if (std::strncmp(argv[i], "--bandwidth_gbs=", 16) == 0) {
      // An explicit override of the bound; without it the bound is bandwidth/read's figure.
      g_config.bandwidth_override_gbs = std::atof(argv[i] + 16);
    } else {
      if (std::strncmp(argv[i], "--benchmark_repetitions", 23) == 0) has_repetitions = true;
      args.push_back(argv[i]);
    }
  }
  static char smoke_min_time[] = "--benchmark_min_time=0.05";
  static char full_repetitions[] = "--benchmark_repetitions=5";
  if (g_config.smoke) args.push_back(smoke_min_time);
  if (!g_config.smoke && !has_repetitions) args.push_back(full_repetitions);
  int bench_argc = static_cast<int>(args.size());
  benchmark::Initialize(&bench_argc, args.data());

  // Data and indexes are built once, before any timing (IVF indexes and filtered truth lazily, on
  // first use, so a --benchmark_filter that leaves them out does not pay for them). FAISS builds
  // of HNSW run on one thread with a fixed seed, as in simulation.
  static AnnDataset hnsw_data, bf_data, ivf_data;
  if (g_config.smoke) {
    g_config.hnsw_m = 16;
    g_config.ef_construction = 64;
    g_config.efs = {16, 32, 64, 128};
    g_config.bf_rows = 100'000;
    g_config.ivf_rows = 50'000;
    g_config.ivf_queries = 50;
    g_config.ivf_nlist = 128;
    g_config.ivf_pq_nbits = 4;  // 256-centroid PQ codebooks take ~20 s to train even at 100k rows
    g_config.nprobes = {8, 32};
    hnsw_data = ClusteredDataset(1, 10'000, 64, 200, 64);
  } else {
    g_config.efs = {10, 16, 20, 24, 32, 40, 48, 64, 96, 128};
    g_config.nprobes = {4, 16};
    auto loaded = LoadFashionMnist(kFashionMnistDir, 1000);
    if (!loaded.ok()) {
      std::fprintf(stderr, "bench_ann: %s\n", loaded.status().ToString().c_str());
      return 2;
    }
    hnsw_data = std::move(*loaded);
  }
  bf_data = ClusteredDataset(2, g_config.bf_rows, g_config.bf_dim, g_config.smoke ? 8 : 32);
  ivf_data = ClusteredDataset(3, g_config.ivf_rows, g_config.bf_dim, g_config.ivf_queries);
  for (AnnDataset* d : {&hnsw_data, &bf_data, &ivf_data}) {  // exact truth, cached on disk
    std::fprintf(stderr, "bench_ann: %s: %s\n", d->name.c_str(),
                 CachedTruth(*d, DefaultCacheDir()).c_str());
  }
  g_hnsw_data = &hnsw_data;
  g_bf_data = &bf_data;
  g_ivf_data = &ivf_data;

  static auto hnsw_segment = MakeSealedSegment(hnsw_data);
  auto spec =
      simvus::ann::ParseIndexSpec({{"index_type", "HNSW"},
                                   {"metric_type", "L2"},
                                   {"M", std::to_string(g_config.hnsw_m)},
                                   {"efConstruction", std::to_string(g_config.ef_construction)}},
                                  hnsw_data.dim);
  SIMVUS_CHECK(spec.ok(), spec.status().ToString());
  SIMVUS_CHECK(hnsw_segment->BuildIndex(*spec, {42, 1}).ok(), "bench: build HNSW");
  g_hnsw_segment = hnsw_segment.get();
  static std::unique_ptr<HnswlibIndex> hnswlib_index;
  if (CpuHasAvx2Fma()) {
    hnswlib_index =
        std::make_unique<HnswlibIndex>(hnsw_data.base.data(), hnsw_data.n, hnsw_data.dim,
                                       g_config.hnsw_m, g_config.ef_construction, 42);
    g_hnswlib = hnswlib_index.get();
  } else {
    std::printf("bench_ann: this CPU lacks AVX2+FMA; hnswlib (compiled -mavx2 -mfma) is skipped\n");
  }
  static auto bf_segment = MakeSealedSegment(bf_data);
  g_bf_segment = bf_segment.get();
  static faiss::IndexFlatL2 flat(static_cast<int>(bf_data.dim));
  flat.add(bf_data.n, bf_data.base.data());
  g_faiss_flat = &flat;

  RegisterBenchmarks();
  CapturingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  PrintRatios(reporter.results);
  benchmark::Shutdown();
  return 0;
}
