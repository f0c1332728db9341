#include "components/ann/distance.h"

#include <immintrin.h>

namespace simvus::ann {
namespace {

__attribute__((target("avx2,fma"))) inline float Sum8(__m256 v) {
  __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  lo = _mm_hadd_ps(lo, lo);
  lo = _mm_hadd_ps(lo, lo);
  return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma"))) float L2SqrAvx2(const float* a, const float* b, int64_t dim) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
  }
  for (; i + 8 <= dim; i += 8) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
  }
  float s = Sum8(_mm256_add_ps(s0, s1));
  for (; i < dim; ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

__attribute__((target("avx2,fma"))) float IpAvx2(const float* a, const float* b, int64_t dim) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  for (; i + 8 <= dim; i += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  }
  float s = Sum8(_mm256_add_ps(s0, s1));
  for (; i < dim; ++i) s += a[i] * b[i];
  return s;
}

bool HasAvx2Fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

}  // namespace

float L2SqrScalar(const float* a, const float* b, int64_t dim) {
  float s = 0;
  for (int64_t i = 0; i < dim; ++i) {
    float d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

float InnerProductScalar(const float* a, const float* b, int64_t dim) {
  float s = 0;
  for (int64_t i = 0; i < dim; ++i) s += a[i] * b[i];
  return s;
}

DistanceFn L2SqrFn() {
  static const DistanceFn fn = HasAvx2Fma() ? L2SqrAvx2 : L2SqrScalar;
  return fn;
}

DistanceFn InnerProductFn() {
  static const DistanceFn fn = HasAvx2Fma() ? IpAvx2 : InnerProductScalar;
  return fn;
}

}  // namespace simvus::ann
