// Distance: single-pair vector distances with run-time instruction-set dispatch.
//
// L2Sqr and InnerProduct pick an AVX2/FMA implementation when the CPU has it
// (__builtin_cpu_supports, checked once) and a portable one otherwise; the code is compiled with
// __attribute__((target("avx2,fma"))), not a global -march flag. FlatSearch (flat_search.h) uses
// its own blocked kernels; these are for graph indexes, which compare one pair at a time.
#pragma once

#include <cstdint>

namespace simvus::ann {

using DistanceFn = float (*)(const float* a, const float* b, int64_t dim);

// Squared Euclidean distance.
DistanceFn L2SqrFn();
// Inner product.
DistanceFn InnerProductFn();

// The portable implementations, for callers that pick the instruction set themselves.
float L2SqrScalar(const float* a, const float* b, int64_t dim);
float InnerProductScalar(const float* a, const float* b, int64_t dim);

inline float L2Sqr(const float* a, const float* b, int64_t dim) { return L2SqrFn()(a, b, dim); }
inline float InnerProduct(const float* a, const float* b, int64_t dim) {
  return InnerProductFn()(a, b, dim);
}

}  // namespace simvus::ann
