// Compiled with -mavx2 -mfma (bench/CMakeLists.txt); see hnswlib_avx2.h.
#include "bench/hnswlib_avx2.h"

#include <hnswlib/hnswlib.h>

#ifndef __AVX2__
#error "hnswlib_avx2.cc must be compiled with -mavx2 -mfma"
#endif

namespace simvus::bench {

const char* HnswlibCompiledIsa() {
#if defined(USE_AVX512)
  return "AVX-512 (hnswlib USE_AVX512)";
#elif defined(USE_AVX)
  return "AVX 256-bit (hnswlib USE_AVX; -mavx2 -mfma)";
#elif defined(USE_SSE)
  return "SSE (hnswlib USE_SSE)";
#else
  return "scalar";
#endif
}

struct HnswlibIndex::Impl {
  Impl(int64_t dim, int64_t n, int64_t m, int64_t ef_construction, uint64_t seed)
      : space(static_cast<size_t>(dim)),
        index(&space, static_cast<size_t>(n), static_cast<size_t>(m),
              static_cast<size_t>(ef_construction), static_cast<size_t>(seed)) {}
  hnswlib::L2Space space;
  hnswlib::HierarchicalNSW<float> index;
};

HnswlibIndex::HnswlibIndex(const float* data, int64_t n, int64_t dim, int64_t m,
                           int64_t ef_construction, uint64_t seed)
    : impl_(std::make_unique<Impl>(dim, n, m, ef_construction, seed)) {
  for (int64_t i = 0; i < n; ++i) impl_->index.addPoint(data + i * dim, static_cast<size_t>(i));
}

HnswlibIndex::~HnswlibIndex() = default;

void HnswlibIndex::SetEf(int64_t ef) { impl_->index.setEf(static_cast<size_t>(ef)); }

void HnswlibIndex::Search(const float* query, int64_t k, int64_t* ids) const {
  auto top = impl_->index.searchKnn(query, static_cast<size_t>(k));
  for (int64_t j = 0; j < k; ++j) ids[j] = -1;
  for (int64_t j = static_cast<int64_t>(top.size()) - 1; j >= 0; --j) {
    ids[j] = static_cast<int64_t>(top.top().second);
    top.pop();
  }
}

}  // namespace simvus::bench
