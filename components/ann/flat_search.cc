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
constexpr int64_t kPrefetchFloats = kScanPrefetchBytes / sizeof(float);

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

// The end of one row's score in the two-accumulator form: the lanes summed, then the dim % 8
// trailing floats from `i` in order. Every AVX2 path that scores a row this way calls it, so a
// row's score is bitwise the same whichever path computed it.
__attribute__((target("avx2,fma"))) inline float FinishScore(bool l2, __m256 s0, __m256 s1,
                                                             const float* a, const float* q,
                                                             int64_t i, int64_t dim) {
  float s = HorizontalSum(_mm256_add_ps(s0, s1));
  for (; i < dim; ++i) {
    if (l2) {
      float d = a[i] - q[i];
      s += d * d;
    } else {
      s += a[i] * q[i];
    }
  }
  return s;
}

// s + (a - q)^2 (L2) or s + a * q over the 8 floats at a and q.
__attribute__((target("avx2,fma"))) inline __m256 Accumulate8(bool l2, const float* q,
                                                              const float* a, __m256 s) {
  __m256 q0 = _mm256_loadu_ps(q);
  __m256 a0 = _mm256_loadu_ps(a);
  if (!l2) return _mm256_fmadd_ps(a0, q0, s);
  a0 = _mm256_sub_ps(a0, q0);
  return _mm256_fmadd_ps(a0, a0, s);
}

// One row as ScoreBlockAvx2's paired path scores each of its two rows: the same two accumulators
// in the same order, so the score is bitwise the same (the sparse scan of a filtered block).
__attribute__((target("avx2,fma"))) float ScoreRowAvx2(bool l2, const float* q, const float* a,
                                                       int64_t dim) {
  const int64_t dim8 = dim & ~int64_t{7};
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= dim8; i += 16) {
    s0 = Accumulate8(l2, q + i, a + i, s0);
    s1 = Accumulate8(l2, q + i + 8, a + i + 8, s1);
  }
  for (; i < dim8; i += 8) s0 = Accumulate8(l2, q + i, a + i, s0);
  return FinishScore(l2, s0, s1, a, q, i, dim);
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
      _mm_prefetch(reinterpret_cast<const char*>(a + i + kPrefetchFloats), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(b + i + kPrefetchFloats), _MM_HINT_T0);
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
    out[r] = FinishScore(l2, sa0, sa1, a, q, i, dim);
    out[r + 1] = FinishScore(l2, sb0, sb1, b, q, i, dim);
  }
  for (; r < rows; ++r) {
    const float* a = base + r * dim;
    __m256 s0 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i < dim8; i += 8) s0 = Accumulate8(l2, q + i, a + i, s0);
    float s = HorizontalSum(s0);
    for (; i < dim; ++i) s += l2 ? (a[i] - q[i]) * (a[i] - q[i]) : a[i] * q[i];
    out[r] = s;
  }
}

// Queries scored together against one row by ScoreRowQueriesAvx2.
constexpr int kQueryGroup = 4;

// One row against kQueryGroup queries: the row is loaded once for all of them, and each query
// keeps the two accumulators of ScoreBlockAvx2's paired path, in the same order, so every score is
// bitwise the one a single-query scan computes for that row.
template <bool kL2>
__attribute__((target("avx2,fma"))) void ScoreRowQueriesAvx2(const float* a, const float* const* q,
                                                             int64_t dim, float* out) {
  const int64_t dim8 = dim & ~int64_t{7};
  __m256 s0[kQueryGroup], s1[kQueryGroup];
#pragma GCC unroll 4
  for (int j = 0; j < kQueryGroup; ++j) s0[j] = s1[j] = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= dim8; i += 16) {
    const __m256 a0 = _mm256_loadu_ps(a + i), a1 = _mm256_loadu_ps(a + i + 8);
#pragma GCC unroll 4
    for (int j = 0; j < kQueryGroup; ++j) {
      __m256 q0 = _mm256_loadu_ps(q[j] + i), q1 = _mm256_loadu_ps(q[j] + i + 8);
      if (kL2) {
        q0 = _mm256_sub_ps(a0, q0);
        q1 = _mm256_sub_ps(a1, q1);
        s0[j] = _mm256_fmadd_ps(q0, q0, s0[j]);
        s1[j] = _mm256_fmadd_ps(q1, q1, s1[j]);
      } else {
        s0[j] = _mm256_fmadd_ps(a0, q0, s0[j]);
        s1[j] = _mm256_fmadd_ps(a1, q1, s1[j]);
      }
    }
  }
  for (; i < dim8; i += 8) {
    const __m256 a0 = _mm256_loadu_ps(a + i);
#pragma GCC unroll 4
    for (int j = 0; j < kQueryGroup; ++j) {
      __m256 q0 = _mm256_loadu_ps(q[j] + i);
      if (kL2) {
        q0 = _mm256_sub_ps(a0, q0);
        s0[j] = _mm256_fmadd_ps(q0, q0, s0[j]);
      } else {
        s0[j] = _mm256_fmadd_ps(a0, q0, s0[j]);
      }
    }
  }
#pragma GCC unroll 4
  for (int j = 0; j < kQueryGroup; ++j) out[j] = FinishScore(kL2, s0[j], s1[j], a, q[j], i, dim);
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

// Offers row `id`'s raw score to `top`, divided by the norms for COSINE.
inline void Offer(const FlatSearchInput& input, float score, int64_t id, float query_norm,
                  TopK& top) {
  if (input.metric == MetricType::kCosine) {
    float denom = query_norm * input.base_norms[id];
    score = denom > 0 ? score / denom : 0.0f;
  }
  if (top.Admits(score)) top.Push(score, id);
}

// Offers rows [start, start + rows), scored in `scores`, to `top` in row order, skipping
// filtered-out rows.
void Collect(const FlatSearchInput& input, const float* scores, int64_t start, int64_t rows,
             float query_norm, TopK& top) {
  for (int64_t r = 0; r < rows; ++r) {
    int64_t id = start + r;
    if (input.filter != nullptr && !input.filter->Test(id)) continue;
    Offer(input, scores[r], id, query_norm, top);
  }
}

// A filtered block where fewer than half the rows pass: only the passing rows are read and
// scored, each exactly as the dense scan of the block scores it (a paired row through
// ScoreRowAvx2, an odd block's last row through the single-row path), so the answer is bitwise
// the dense scan's. Returns false, doing nothing, when the block is dense enough to scan whole.
bool ScanSparseBlock(const FlatSearchInput& input, const float* query, float query_norm,
                     int64_t start, int64_t rows, KernelIsa isa, std::vector<int64_t>& passing,
                     TopK& top) {
  passing.clear();
  for (int64_t r = 0; r < rows; ++r) {
    if (input.filter->Test(start + r)) passing.push_back(r);
  }
  if (static_cast<int64_t>(passing.size()) * 2 >= rows) return false;
  const bool l2 = input.metric == MetricType::kL2;
  const float* base = input.base + start * input.dim;
  for (int64_t r : passing) {
    const float* row = base + r * input.dim;
    float score = 0;
    if (isa == KernelIsa::kScalar) {
      ScoreBlockScalar(l2, query, row, 1, input.dim, &score);
    } else if (rows % 2 == 1 && r == rows - 1) {
      ScoreBlockAvx2(l2, query, row, 1, input.dim, &score);  // the dense scan's unpaired row
    } else {
      score = ScoreRowAvx2(l2, query, row, input.dim);
    }
    Offer(input, score, start + r, query_norm, top);
  }
  return true;
}

// Scores rows [begin, end) against one query into `top`. Returns the distances computed.
int64_t ScanRange(const FlatSearchInput& input, const float* query, float query_norm, int64_t begin,
                  int64_t end, KernelIsa isa, std::vector<float>& block, TopK& top) {
  const bool l2 = input.metric == MetricType::kL2;
  std::vector<int64_t> passing;
  int64_t distances = 0;
  for (int64_t start = begin; start < end; start += kBlockRows) {
    int64_t rows = std::min(kBlockRows, end - start);
    if (input.filter != nullptr &&
        ScanSparseBlock(input, query, query_norm, start, rows, isa, passing, top)) {
      distances += static_cast<int64_t>(passing.size());
      continue;
    }
    distances += rows;
    const float* base = input.base + start * input.dim;
    if (isa == KernelIsa::kAvx2Fma) {
      ScoreBlockAvx2(l2, query, base, rows, input.dim, block.data());
    } else {
      ScoreBlockScalar(l2, query, base, rows, input.dim, block.data());
    }
    Collect(input, block.data(), start, rows, query_norm, top);
  }
  return distances;
}

// Block row sizes of the batched path: the block's vectors stay in L2 (128 kB) while every query
// of the batch is scored against them. Even, so rows pair as in a single-query scan.
int64_t BatchBlockRows(int64_t dim) {
  const int64_t rows = (int64_t{128} << 10) / (dim * static_cast<int64_t>(sizeof(float)));
  return std::clamp<int64_t>(rows & ~int64_t{1}, 2, kBlockRows);
}

// A filtered window of the batch where fewer than half the rows pass (the single-query scan's
// test, over the same kBlockRows windows from the range's start): only the passing rows are read,
// each scored against every query exactly as the dense paths score it (a paired row as the pair
// path does, the range's unpaired last row by the one-row code), so every answer and every count
// is the single-query scans'. Returns false, doing nothing, when the window is dense.
bool ScanSparseWindowBatch(const FlatSearchInput& input, const float* queries, int64_t nq,
                           const float* query_norms, int64_t start, int64_t rows, KernelIsa isa,
                           std::vector<int64_t>& passing, std::vector<TopK>& tops) {
  passing.clear();
  for (int64_t r = 0; r < rows; ++r) {
    if (input.filter->Test(start + r)) passing.push_back(r);
  }
  if (static_cast<int64_t>(passing.size()) * 2 >= rows) return false;
  const bool l2 = input.metric == MetricType::kL2;
  const int64_t dim = input.dim;
  const float* base = input.base + start * dim;
  for (int64_t r : passing) {
    const float* row = base + r * dim;
    const bool unpaired = rows % 2 == 1 && r == rows - 1;
    int64_t j = 0;
    if (isa == KernelIsa::kAvx2Fma && !unpaired) {
      for (; j + kQueryGroup <= nq; j += kQueryGroup) {
        const float* q[kQueryGroup];
        for (int k = 0; k < kQueryGroup; ++k) q[k] = queries + (j + k) * dim;
        float scores[kQueryGroup];
        if (l2) {
          ScoreRowQueriesAvx2<true>(row, q, dim, scores);
        } else {
          ScoreRowQueriesAvx2<false>(row, q, dim, scores);
        }
        for (int k = 0; k < kQueryGroup; ++k) {
          Offer(input, scores[k], start + r, query_norms[j + k], tops[static_cast<size_t>(j + k)]);
        }
      }
    }
    for (; j < nq; ++j) {
      const float* q = queries + j * dim;
      float score = 0;
      if (isa == KernelIsa::kScalar) {
        ScoreBlockScalar(l2, q, row, 1, dim, &score);
      } else if (unpaired) {
        ScoreBlockAvx2(l2, q, row, 1, dim, &score);
      } else {
        score = ScoreRowAvx2(l2, q, row, dim);
      }
      Offer(input, score, start + r, query_norms[j], tops[static_cast<size_t>(j)]);
    }
  }
  return true;
}

// Scores rows [begin, end) against every query into tops[q], reading each block of rows from
// memory once for the whole batch (a single-query scan reads the base once per query). Each
// score is bitwise the single-query scan's: rows pair from `begin` as there, the unpaired last
// row of an odd-sized range is scored by the same one-row code, and every query's candidates
// enter its top-k in row order. Filtered windows where few rows pass are scanned sparsely, as
// the single-query scan does. Returns the distances computed.
int64_t ScanRangeBatch(const FlatSearchInput& input, const float* queries, int64_t nq,
                       const float* query_norms, int64_t begin, int64_t end, KernelIsa isa,
                       std::vector<float>& block, std::vector<TopK>& tops) {
  const bool l2 = input.metric == MetricType::kL2;
  const int64_t dim = input.dim;
  const int64_t block_rows = BatchBlockRows(dim);
  block.resize(static_cast<size_t>(kQueryGroup * block_rows));
  std::vector<int64_t> passing;
  int64_t distances = 0;
  for (int64_t window = begin; window < end; window += kBlockRows) {
    const int64_t window_rows = std::min(kBlockRows, end - window);
    if (input.filter != nullptr && ScanSparseWindowBatch(input, queries, nq, query_norms, window,
                                                         window_rows, isa, passing, tops)) {
      distances += nq * static_cast<int64_t>(passing.size());
      continue;
    }
    distances += nq * window_rows;
    const int64_t window_end = window + window_rows;
    // Blocks of block_rows (even) within the window (kBlockRows, even): rows pair as before.
    for (int64_t start = window; start < window_end; start += block_rows) {
      const int64_t rows = std::min(block_rows, window_end - start);
      const float* base = input.base + start * dim;
      for (int64_t g = 0; g < nq; g += kQueryGroup) {
        const int64_t group = std::min<int64_t>(kQueryGroup, nq - g);
        float* out = block.data();
        if (isa == KernelIsa::kAvx2Fma && group == kQueryGroup) {
          const float* q[kQueryGroup];
          for (int j = 0; j < kQueryGroup; ++j) q[j] = queries + (g + j) * dim;
          const int64_t paired = rows & ~int64_t{1};
          float scores[kQueryGroup];
          for (int64_t r = 0; r < paired; ++r) {
            if (l2) {
              ScoreRowQueriesAvx2<true>(base + r * dim, q, dim, scores);
            } else {
              ScoreRowQueriesAvx2<false>(base + r * dim, q, dim, scores);
            }
            for (int j = 0; j < kQueryGroup; ++j) out[j * rows + r] = scores[j];
          }
          for (int j = 0; j < kQueryGroup && paired < rows; ++j) {
            ScoreBlockAvx2(l2, q[j], base + paired * dim, 1, dim, &out[j * rows + paired]);
          }
        } else {
          for (int64_t j = 0; j < group; ++j) {
            const float* q = queries + (g + j) * dim;
            if (isa == KernelIsa::kAvx2Fma) {
              ScoreBlockAvx2(l2, q, base, rows, dim, out + j * rows);
            } else {
              ScoreBlockScalar(l2, q, base, rows, dim, out + j * rows);
            }
          }
        }
        for (int64_t j = 0; j < group; ++j) {
          Collect(input, out + j * rows, start, rows, query_norms[g + j],
                  tops[static_cast<size_t>(g + j)]);
        }
      }
    }
  }
  return distances;
}

// Queries scanned in one pass of a batch: bounds the per-query top-k lists kept at once.
constexpr int64_t kMaxBatch = 64;

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
  // Contiguous, equal slices (rounded to blocks) so each thread streams its own memory.
  const int64_t slice = (input.n / threads + kBlockRows - 1) / kBlockRows * kBlockRows;
  auto slice_begin = [&](int t) { return std::min(input.n, t * slice); };
  auto slice_end = [&](int t) {
    return t + 1 == threads ? input.n : std::min(input.n, (t + 1) * slice);
  };
  std::vector<float> query_norms(static_cast<size_t>(nq), 1.0f);
  if (input.metric == MetricType::kCosine) {
    ComputeNorms(queries, nq, input.dim, query_norms.data());
  }
  // tops[t][j]: thread t's candidates for query j of the batch being scanned.
  const int64_t batch = std::min(nq, kMaxBatch);
  std::vector<std::vector<TopK>> tops(
      static_cast<size_t>(threads),
      std::vector<TopK>(static_cast<size_t>(batch), TopK(input.metric, topk)));
  std::vector<std::vector<float>> blocks(static_cast<size_t>(threads),
                                         std::vector<float>(static_cast<size_t>(kBlockRows)));
  std::vector<int64_t> ids(static_cast<size_t>(topk));
  std::vector<float> scores(static_cast<size_t>(topk));
  // Merges every thread's list for batch slot j into tops[0][j] and writes it as query q's answer.
  auto finish = [&](int64_t j, int64_t q) {
    TopK& into = tops[0][static_cast<size_t>(j)];
    for (int t = 1; t < threads; ++t) {
      std::fill(ids.begin(), ids.end(), -1);
      tops[static_cast<size_t>(t)][static_cast<size_t>(j)].Drain(ids.data(), scores.data());
      for (size_t i = 0; i < ids.size() && ids[i] >= 0; ++i) {
        if (into.Admits(scores[i]) || into.AdmitsTie(scores[i], ids[i])) {
          into.Push(scores[i], ids[i]);
        }
      }
    }
    into.Drain(&hits.ids[static_cast<size_t>(q * topk)],
               &hits.scores[static_cast<size_t>(q * topk)]);
  };
  // Thread t's share: one query's scan is bound by memory bandwidth (one pass over the base); a
  // batch reads each block of the base once and scores it against every query.
  // Queries [q0, q0 + count) go in one pass.
  // Distances computed, per thread: the rows of sparse filtered blocks are skipped, by a single
  // query and by a batch alike.
  std::vector<int64_t> computed(static_cast<size_t>(threads), 0);
  auto scan = [&](int t, int64_t q0, int64_t count) {
    std::vector<float>& block = blocks[static_cast<size_t>(t)];
    std::vector<TopK>& top = tops[static_cast<size_t>(t)];
    if (count == 1) {
      computed[static_cast<size_t>(t)] +=
          ScanRange(input, queries + q0 * input.dim, query_norms[static_cast<size_t>(q0)],
                    slice_begin(t), slice_end(t), isa, block, top[0]);
    } else {
      computed[static_cast<size_t>(t)] += ScanRangeBatch(
          input, queries + q0 * input.dim, count, &query_norms[static_cast<size_t>(q0)],
          slice_begin(t), slice_end(t), isa, block, top);
    }
  };
  for (int64_t q0 = 0; q0 < nq; q0 += batch) {
    const int64_t count = std::min(batch, nq - q0);
    if (threads == 1) {
      scan(0, q0, count);  // no OpenMP team: the simulator runs here
    } else {
#pragma omp parallel for num_threads(threads) schedule(static, 1)
      for (int t = 0; t < threads; ++t) scan(t, q0, count);
    }
    for (int64_t j = 0; j < count; ++j) finish(j, q0 + j);
  }
  hits.distances = 0;
  for (int64_t c : computed) hits.distances += c;
  return hits;
}

void ComputeNorms(const float* x, int64_t n, int64_t dim, float* out) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = std::sqrt(InnerProductScalar(x + i * dim, x + i * dim, dim));
}

}  // namespace simvus::ann
