// HnswlibAvx2: hnswlib (Debian libhnswlib-dev 0.6.2, header-only) built and searched from its own
// translation unit, compiled with -mavx2 -mfma (bench/CMakeLists.txt).
//
// Why a separate TU: simvus's distances select AVX2/FMA at run time (__attribute__((target))
// plus __builtin_cpu_supports), while hnswlib picks its SIMD path at compile time from __AVX__ /
// __AVX512F__. Compiled with the project's default flags it would run SSE code, and a comparison
// would measure the instruction set, not the algorithm. Only this TU includes hnswlib (its header
// defines non-inline functions, and its code must not be merged with an SSE copy).
//
// REQUIRES: the CPU has AVX2 and FMA (bench_ann checks __builtin_cpu_supports before creating
// one); every function of this TU may execute AVX2 instructions.
//
// Determinism: one thread; the level draws use `seed`. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>

namespace simvus::bench {

// The SIMD path hnswlib was compiled with in this TU, e.g. "AVX (256-bit)".
const char* HnswlibCompiledIsa();

class HnswlibIndex {
 public:
  // data: n x dim, row-major; row i gets label i.
  HnswlibIndex(const float* data, int64_t n, int64_t dim, int64_t m, int64_t ef_construction,
               uint64_t seed);
  ~HnswlibIndex();
  HnswlibIndex(const HnswlibIndex&) = delete;
  HnswlibIndex& operator=(const HnswlibIndex&) = delete;

  void SetEf(int64_t ef);
  // Writes the k nearest row ids of `query` (dim floats) to ids[0..k), best first; -1 pads.
  void Search(const float* query, int64_t k, int64_t* ids) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace simvus::bench
