#include "components/ann/hnsw_searcher.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <xmmintrin.h>

#include <algorithm>
#include <limits>
#include <queue>

#include "components/ann/distance.h"
#include "components/env/check.h"

namespace simvus::ann {
namespace {

struct Candidate {
  float dist;
  int64_t id;
};
// (dist, id) ordering: the root of a max-heap is the worst candidate.
struct Worse {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.dist != b.dist ? a.dist < b.dist : a.id < b.id;
  }
};
struct Better {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.dist != b.dist ? a.dist > b.dist : a.id > b.id;
  }
};

}  // namespace

HnswSearcher::HnswSearcher(const faiss::IndexHNSW& index) : index_(index) {
  const auto* flat = dynamic_cast<const faiss::IndexFlat*>(index.storage);
  SIMVUS_CHECK(flat != nullptr, "HnswSearcher: storage is not a flat index");
  base_ = flat->get_xb();
  dim_ = flat->d;
  inner_product_ = flat->metric_type == faiss::METRIC_INNER_PRODUCT;
  visited_.assign(static_cast<size_t>(flat->ntotal), 0);
}

float HnswSearcher::Distance(const float* query, int64_t id) const {
  const float* v = base_ + id * dim_;
  // Inner product is turned into a distance (smaller is better) by negation.
  return inner_product_ ? -InnerProductFn()(query, v, dim_) : L2SqrFn()(query, v, dim_);
}

int64_t HnswSearcher::Search(const float* query, int64_t k, int64_t ef, const Bitset* filter,
                             int64_t* ids, float* scores) {
  const faiss::HNSW& g = index_.hnsw;
  if (index_.ntotal == 0 || g.entry_point < 0) return 0;
  int64_t distances = 1;  // the entry point's
  ef = std::max(ef, k);
  if (++epoch_ == 0) {  // wrapped: clear once every 65535 queries
    std::fill(visited_.begin(), visited_.end(), 0);
    epoch_ = 1;
  }
  const auto* neighbors = g.neighbors.data();

  // Greedy descent through the upper layers.
  int64_t ep = g.entry_point;
  float ep_dist = Distance(query, ep);
  for (int level = g.max_level; level > 0; --level) {
    bool changed = true;
    while (changed) {
      changed = false;
      size_t begin, end;
      g.neighbor_range(ep, level, &begin, &end);
      for (size_t i = begin; i < end; ++i) {
        int64_t v = neighbors[i];
        if (v < 0) break;
        float d = Distance(query, v);
        ++distances;
        if (d < ep_dist) {
          ep = v;
          ep_dist = d;
          changed = true;
        }
      }
    }
  }

  // Beam search on layer 0.
  std::priority_queue<Candidate, std::vector<Candidate>, Better> frontier;
  std::priority_queue<Candidate, std::vector<Candidate>, Worse> top;
  auto allowed = [filter](int64_t id) { return filter == nullptr || filter->Test(id); };
  float bound = std::numeric_limits<float>::infinity();
  frontier.push({ep_dist, ep});
  if (allowed(ep)) {
    top.push({ep_dist, ep});
    bound = ep_dist;
  }
  visited_[static_cast<size_t>(ep)] = epoch_;
  while (!frontier.empty()) {
    Candidate c = frontier.top();
    if (c.dist > bound && static_cast<int64_t>(top.size()) >= ef) break;
    frontier.pop();
    size_t begin, end;
    g.neighbor_range(c.id, 0, &begin, &end);
    for (size_t i = begin; i < end; ++i) {
      int64_t v = neighbors[i];
      if (v < 0) break;
      if (i + 1 < end && neighbors[i + 1] >= 0) {
        _mm_prefetch(reinterpret_cast<const char*>(base_ + int64_t{neighbors[i + 1]} * dim_),
                     _MM_HINT_T0);
      }
      if (visited_[static_cast<size_t>(v)] == epoch_) continue;
      visited_[static_cast<size_t>(v)] = epoch_;
      float d = Distance(query, v);
      ++distances;
      if (static_cast<int64_t>(top.size()) < ef || d < bound) {
        frontier.push({d, v});
        if (allowed(v)) {
          top.push({d, v});
          if (static_cast<int64_t>(top.size()) > ef) top.pop();
          bound = top.top().dist;
        }
      }
    }
  }
  while (static_cast<int64_t>(top.size()) > k) top.pop();
  for (int64_t j = static_cast<int64_t>(top.size()) - 1; j >= 0; --j) {
    ids[j] = top.top().id;
    scores[j] = inner_product_ ? -top.top().dist : top.top().dist;
    top.pop();
  }
  return distances;
}

}  // namespace simvus::ann
