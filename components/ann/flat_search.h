// FlatSearch: exact (brute-force) top-k search over a row-major float matrix.
//
// This is simvus's own scan kernel. Debian's FAISS is built for generic x86-64 (no AVX2) and
// scans 1M x 128 at about a tenth of the memory-bandwidth bound; this kernel has an AVX2/FMA
// path selected at run time (__builtin_cpu_supports), with a portable scalar fallback, so the
// binary still runs on any x86-64 and no global -march flag is needed.
//
// A batch (nq >= 2) is scanned block by block: each block of rows (128 kB, kept in L2) is read from
// memory once and scored against up to 64 queries, four at a time per row, so a batch costs
// arithmetic rather than nq passes over memory. Every score is bitwise the one a single-query
// search computes (the same accumulators in the same order), so a batch answers exactly as its
// queries searched one by one.
//
// Filtered: a block of 1,024 rows in which fewer than half pass is scored row by row, passing rows
// only (what FAISS's IDSelector does), each score bitwise the dense scan's, by a single query and
// by a batch alike (a batch scores each passing row against all its queries);
// SearchHits::distances counts the distances computed, a function of the filter and not of the
// thread count or the batching.
//
// Determinism: single-threaded unless FlatSearchInput::num_threads > 1; the result is a function of
// the inputs only — ties are broken by the smaller row id, and the AVX2 and scalar paths differ
// only in float rounding of the scores (tests compare them with a tolerance).
#pragma once

#include <cstdint>

#include "components/ann/bitset.h"
#include "components/ann/metric.h"
#include "components/ann/search_hits.h"

namespace simvus::ann {

struct FlatSearchInput {
  MetricType metric = MetricType::kL2;
  int64_t dim = 0;
  const float* base = nullptr;  // n x dim, row-major
  int64_t n = 0;
  // COSINE only: |base_i| for every row (ComputeNorms). REQUIRES non-null for COSINE.
  const float* base_norms = nullptr;
  // Rows whose bit is clear are skipped; nullptr allows every row. REQUIRES size() == n.
  const Bitset* filter = nullptr;
  // Threads splitting the rows of each query (OpenMP). The answer does not depend on it: every
  // thread scores its rows exactly as one thread would and the per-thread top-k lists are merged
  // by (score, id). Must stay 1 under simulation (no threads there).
  int num_threads = 1;
};

enum class KernelIsa { kScalar, kAvx2Fma };

// How far ahead of the rows being scored the dense scan asks for memory: 6 kB, a dozen rows at
// dimension 128. The hardware prefetcher alone leaves a single-query scan at about half the
// measured read bandwidth (bench/README.md, "Brute force and the bandwidth bound"); bench_ann's
// bandwidth stream prefetches the same distance.
inline constexpr int64_t kScanPrefetchBytes = 6144;

// The instruction set FlatSearch uses on this CPU (AVX2+FMA when the CPU has both).
KernelIsa DetectedKernelIsa();

// queries: nq x dim. REQUIRES: topk >= 1.
SearchHits FlatSearch(const FlatSearchInput& input, const float* queries, int64_t nq, int64_t topk);
// Same, with the instruction set forced (tests and benchmarks compare the paths).
// REQUIRES: isa is supported by this CPU.
SearchHits FlatSearchWithIsa(const FlatSearchInput& input, const float* queries, int64_t nq,
                             int64_t topk, KernelIsa isa);

// out[i] = |x_i| for n rows of dimension dim.
void ComputeNorms(const float* x, int64_t n, int64_t dim, float* out);

}  // namespace simvus::ann
