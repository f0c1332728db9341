// SearchHits: the top-k answer of a batch of queries against one set of vectors.
//
// Shape: nq queries x topk slots, row-major. Slot j of query q holds (ids[q*topk+j],
// scores[q*topk+j]), sorted best first (metric.h: IsBetter), ties broken by the smaller id so
// the order is a function of the data only. A slot with id -1 is empty (fewer than topk
// candidates passed the filter) and carries WorstScore(metric). Ids are row offsets of the
// searched vectors; the segment maps them to primary keys.
#pragma once

#include <cstdint>
#include <vector>

#include "components/ann/metric.h"

namespace simvus::ann {

struct SearchHits {
  int64_t nq = 0;
  int64_t topk = 0;
  std::vector<int64_t> ids;   // nq * topk
  std::vector<float> scores;  // nq * topk
  // Vector distances the search computed (each over dim floats): the work the simulator's cost
  // model charges (roles/segment_reads.h). A function of (data, queries, params), like the hits.
  int64_t distances = 0;

  SearchHits() = default;
  SearchHits(int64_t nq_in, int64_t topk_in, MetricType metric)
      : nq(nq_in),
        topk(topk_in),
        ids(static_cast<size_t>(nq_in * topk_in), -1),
        scores(static_cast<size_t>(nq_in * topk_in), WorstScore(metric)) {}

  int64_t id(int64_t q, int64_t j) const { return ids[static_cast<size_t>(q * topk + j)]; }
  float score(int64_t q, int64_t j) const { return scores[static_cast<size_t>(q * topk + j)]; }
};

}  // namespace simvus::ann
