// MetricType: how two vectors are compared, with Milvus's names (L2, IP, COSINE).
//
// Scores are what FAISS and Milvus report: squared Euclidean distance for L2 (smaller is better),
// the inner product for IP and the cosine similarity for COSINE (larger is better). Every place
// that orders scores goes through IsBetter so that the direction is written down once.
#pragma once

#include <string_view>

#include "components/env/result.h"

namespace simvus::ann {

enum class MetricType { kL2, kIP, kCosine };

std::string_view MetricTypeName(MetricType metric);  // "L2", "IP", "COSINE"
// Accepts Milvus's spellings, case-insensitive; names the value and the choices otherwise.
Result<MetricType> ParseMetricType(std::string_view name);

// True when a larger score is better (IP, COSINE); Milvus calls these "positively related".
constexpr bool PositivelyRelated(MetricType metric) { return metric != MetricType::kL2; }

// True when score `a` ranks strictly before score `b` under `metric`.
constexpr bool IsBetter(MetricType metric, float a, float b) {
  return PositivelyRelated(metric) ? a > b : a < b;
}

// The worst possible score: what an empty result slot carries.
float WorstScore(MetricType metric);

}  // namespace simvus::ann
