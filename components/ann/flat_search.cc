#include "components/ann/flat_search.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "components/ann/distance.h"
#include "components/env/check.h"

namespace simvus::ann {
namespace {

// Rows scored per block before the block is merged into the top-k: the score buffer stays in L1.
constexpr int64_t kBlockRows = 1024;

void ScoreBlockScalar(bool l2, const float* q, const float* base, int64_t rows, int64_t dim,
                      float* out) {
  for (int64_t r = 0; r < rows; ++r) {
    out[r] = l2 ? L2SqrScalar(q, base + r * dim, dim) : InnerProductScalar(q, base + r * dim, dim);
  }
}

__attribute__((target("avx2,fma"))) inline float HorizontalSum(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  __m128 hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  lo = _mm_hadd_ps(lo, lo);
  lo = _mm_hadd_ps(lo, lo);
  return _mm_cvtss_f32(lo);
}

// Two rows at a time so that each query load feeds two FMAs; four accumulators hide FMA latency.
__attribute__((target("avx2,fma"))) void ScoreBlockAvx2(bool l2, const float* q, const float* base,
                                                        int64_t rows, int64_t dim, float* out) {
  const int64_t dim8 = dim & ~int64_t{7};
  int64_t r = 0;
  for (; r + 1 < rows; r += 2) {
    const float* a = base + r * dim;
    const float* b = a + dim;
    __m256 sa0 = _mm256_setzero_ps(), sa1 = _mm256_setzero_ps();
    __m256 sb0 = _mm256_setzero_ps(), sb1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= dim8; i += 16) {
      __m256 q0 = _mm256_loadu_ps(q + i), q1 = _mm256_loadu_ps(q + i + 8);
      __m256 a0 = _mm256_loadu_ps(a + i), a1 = _mm256_loadu_ps(a + i + 8);
      __m256 b0 = _mm256_loadu_ps(b + i), b1 = _mm256_loadu_ps(b + i + 8);
      if (l2) {
        a0 = _mm256_sub_ps(a0, q0);
        a1 = _mm256_sub_ps(a1, q1);
        b0 = _mm256_sub_ps(b0, q0);
        b1 = _mm256_sub_ps(b1, q1);
        sa0 = _mm256_fmadd_ps(a0, a0, sa0);
        sa1 = _mm256_fmadd_ps(a1, a1, sa1);
        sb0 = _mm256_fmadd_ps(b0, b0, sb0);
        sb1 = _mm256_fmadd_ps(b1, b1, sb1);
      } else {
        sa0 = _mm256_fmadd_ps(a0, q0, sa0);
        sa1 = _mm256_fmadd_ps(a1, q1, sa1);
        sb0 = _mm256_fmadd_ps(b0, q0, sb0);
        sb1 = _mm256_fmadd_ps(b1, q1, sb1);
      }
    }
    for (; i < dim8; i += 8) {
      __m256 q0 = _mm256_loadu_ps(q + i);
      __m256 a0 = _mm256_loadu_ps(a + i);
      __m256 b0 = _mm256_loadu_ps(b + i);
      if (l2) {
        a0 = _mm256_sub_ps(a0, q0);
        b0 = _mm256_sub_ps(b0, q0);
        sa0 = _mm256_fmadd_ps(a0, a0, sa0);
        sb0 = _mm256_fmadd_ps(b0, b0, sb0);
      } else {
        sa0 = _mm256_fmadd_ps(a0, q0, sa0);
        sb0 = _mm256_fmadd_ps(b0, q0, sb0);
      }
    }
    float sa = HorizontalSum(_mm256_add_ps(sa0, sa1));
    float sb = HorizontalSum(_mm256_add_ps(sb0, sb1));
    for (; i < dim; ++i) {
      if (l2) {
        float da = a[i] - q[i], db = b[i] - q[i];
        sa += da * da;
        sb += db * db;
      } else {
        sa += a[i] * q[i];
        sb += b[i] * q[i];
      }
    }
    out[r] = sa;
    out[r + 1] = sb;
  }
  for (; r < rows; ++r) {
    const float* a = base + r * dim;
    __m256 s0 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i < dim8; i += 8) {
      __m256 q0 = _mm256_loadu_ps(q + i);
      __m256 a0 = _mm256_loadu_ps(a + i);
      if (l2) {
        a0 = _mm256_sub_ps(a0, q0);
        s0 = _mm256_fmadd_ps(a0, a0, s0);
      } else {
        s0 = _mm256_fmadd_ps(a0, q0, s0);
      }
    }
    float s = HorizontalSum(s0);
    for (; i < dim; ++i) s += l2 ? (a[i] - q[i]) * (a[i] - q[i]) : a[i] * q[i];
    out[r] = s;
  }
}

// A bounded heap holding the best `k` (score, id) pairs; the root is the worst kept pair.
class TopK {
 public:
  TopK(MetricType metric, int64_t k) : metric_(metric), k_(static_cast<size_t>(k)) {
    heap_.reserve(k_);
  }

  // Only a candidate strictly better than the current worst can enter once the heap is full.
  bool Admits(float score) const {
    return heap_.size() < k_ || IsBetter(metric_, score, heap_.front().score);
  }

  // When merging lists from several threads a candidate may tie the worst kept score with a
  // smaller id; it must then replace it, as a single scan in id order would have kept it.
  bool AdmitsTie(float score, int64_t id) const {
    return heap_.size() == k_ && score == heap_.front().score && id < heap_.front().id;
  }

  void Push(float score, int64_t id) {
    auto worse_first = [this](const Entry& x, const Entry& y) { return Before(x, y); };
    if (heap_.size() < k_) {
      heap_.push_back({score, id});
      std::push_heap(heap_.begin(), heap_.end(), worse_first);
      return;
    }
    std::pop_heap(heap_.begin(), heap_.end(), worse_first);
    heap_.back() = {score, id};
    std::push_heap(heap_.begin(), heap_.end(), worse_first);
  }

  // Writes the kept pairs best first into ids/scores (length k, pre-filled as empty).
  void Drain(int64_t* ids, float* scores) {
    std::sort(heap_.begin(), heap_.end(),
              [this](const Entry& x, const Entry& y) { return Before(x, y); });
    for (size_t j = 0; j < heap_.size(); ++j) {
      ids[j] = heap_[j].id;
      scores[j] = heap_[j].score;
    }
    heap_.clear();
  }

 private:
  struct Entry {
    float score;
    int64_t id;
  };
  // x ranks before y: better score, or the same score and a smaller id.
  bool Before(const Entry& x, const Entry& y) const {
    if (x.score != y.score) return IsBetter(metric_, x.score, y.score);
    return x.id < y.id;
  }

  MetricType metric_;
  size_t k_;
  std::vector<Entry> heap_;
};

bool CpuHasAvx2Fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// Scores rows [begin, end) against one query into `top`.
void ScanRange(const FlatSearchInput& input, const float* query, float query_norm, int64_t begin,
               int64_t end, KernelIsa isa, std::vector<float>& block, TopK& top) {
  const bool l2 = input.metric == MetricType::kL2;
  const bool cosine = input.metric == MetricType::kCosine;
  for (int64_t start = begin; start < end; start += kBlockRows) {
    int64_t rows = std::min(kBlockRows, end - start);
    const float* base = input.base + start * input.dim;
    if (isa == KernelIsa::kAvx2Fma) {
      ScoreBlockAvx2(l2, query, base, rows, input.dim, block.data());
    } else {
      ScoreBlockScalar(l2, query, base, rows, input.dim, block.data());
    }
    for (int64_t r = 0; r < rows; ++r) {
      int64_t id = start + r;
      if (input.filter != nullptr && !input.filter->Test(id)) continue;
      float score = block[static_cast<size_t>(r)];
      if (cosine) {
        float denom = query_norm * input.base_norms[id];
        score = denom > 0 ? score / denom : 0.0f;
      }
      if (top.Admits(score)) top.Push(score, id);
    }
  }
}

// Below this many rows per thread, threads cost more than they save.
constexpr int64_t kMinRowsPerThread = 32768;

}  // namespace

KernelIsa DetectedKernelIsa() {
  static const KernelIsa isa = CpuHasAvx2Fma() ? KernelIsa::kAvx2Fma : KernelIsa::kScalar;
  return isa;
}

SearchHits FlatSearch(const FlatSearchInput& input, const float* queries, int64_t nq,
                      int64_t topk) {
  return FlatSearchWithIsa(input, queries, nq, topk, DetectedKernelIsa());
}

SearchHits FlatSearchWithIsa(const FlatSearchInput& input, const float* queries, int64_t nq,
                             int64_t topk, KernelIsa isa) {
  SIMVUS_CHECK(topk >= 1, "FlatSearch: topk must be >= 1");
  SIMVUS_CHECK(input.filter == nullptr || input.filter->size() == input.n,
               "FlatSearch: filter size differs from the row count");
  SIMVUS_CHECK(input.metric != MetricType::kCosine || input.base_norms != nullptr || input.n == 0,
               "FlatSearch: COSINE needs base norms");
  SIMVUS_CHECK(isa == KernelIsa::kScalar || DetectedKernelIsa() == KernelIsa::kAvx2Fma,
               "FlatSearch: AVX2/FMA forced on a CPU without it");
  SearchHits hits(nq, topk, input.metric);
  const int threads = static_cast<int>(
      std::max<int64_t>(1, std::min<int64_t>(input.num_threads, input.n / kMinRowsPerThread)));
  std::vector<TopK> tops(static_cast<size_t>(threads), TopK(input.metric, topk));
  std::vector<std::vector<float>> blocks(static_cast<size_t>(threads),
                                         std::vector<float>(static_cast<size_t>(kBlockRows)));
  std::vector<int64_t> ids(static_cast<size_t>(topk));
  std::vector<float> scores(static_cast<size_t>(topk));
  for (int64_t q = 0; q < nq; ++q) {
    const float* query = queries + q * input.dim;
    float query_norm = 1;
    if (input.metric == MetricType::kCosine) ComputeNorms(query, 1, input.dim, &query_norm);
    if (threads == 1) {
      ScanRange(input, query, query_norm, 0, input.n, isa, blocks[0], tops[0]);
    } else {
      // Contiguous, equal slices (rounded to blocks) so each thread streams its own memory.
      const int64_t slice = (input.n / threads + kBlockRows - 1) / kBlockRows * kBlockRows;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
      for (int t = 0; t < threads; ++t) {
        int64_t begin = std::min(input.n, t * slice);
        int64_t end = t + 1 == threads ? input.n : std::min(input.n, (t + 1) * slice);
        ScanRange(input, query, query_norm, begin, end, isa, blocks[static_cast<size_t>(t)],
                  tops[static_cast<size_t>(t)]);
      }
      for (int t = 1; t < threads; ++t) {
        std::fill(ids.begin(), ids.end(), -1);
        tops[static_cast<size_t>(t)].Drain(ids.data(), scores.data());
        for (int64_t j = 0; j < topk && ids[static_cast<size_t>(j)] >= 0; ++j) {
          if (tops[0].Admits(scores[static_cast<size_t>(j)]) ||
              tops[0].AdmitsTie(scores[static_cast<size_t>(j)], ids[static_cast<size_t>(j)])) {
            tops[0].Push(scores[static_cast<size_t>(j)], ids[static_cast<size_t>(j)]);
          }
        }
      }
    }
    tops[0].Drain(&hits.ids[static_cast<size_t>(q * topk)],
                  &hits.scores[static_cast<size_t>(q * topk)]);
  }
  hits.distances = nq * input.n;  // the scan computes every row's distance, filtered or not
  return hits;
}

void ComputeNorms(const float* x, int64_t n, int64_t dim, float* out) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = std::sqrt(InnerProductScalar(x + i * dim, x + i * dim, dim));
}

}  // namespace simvus::ann
