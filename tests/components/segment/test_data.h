// Shared fixtures for segment tests: a small schema and row batches.
#pragma once

#include <string>
#include <vector>

#include "components/segment/field_column.h"
#include "components/segment/schema.h"

namespace simvus::segment::testing {

// id (Int64 pk), vec (FloatVector dim), age (Int64), score (Double), flag (Bool), name (VarChar)
inline CollectionSchema TestSchema(int64_t dim = 4, ann::MetricType metric = ann::MetricType::kL2) {
  CollectionSchema s;
  s.name = "test";
  s.fields = {
      {FieldId{100}, "id", DataType::kInt64, true},
      {FieldId{101}, "vec", DataType::kFloatVector, false, dim, metric},
      {FieldId{102}, "age", DataType::kInt64},
      {FieldId{103}, "score", DataType::kDouble},
      {FieldId{104}, "flag", DataType::kBool},
      {FieldId{105}, "name", DataType::kVarChar, false, 0, ann::MetricType::kL2, 64},
  };
  return s;
}

inline Timestamp Ts(uint64_t v) { return Timestamp{v}; }

// Rows with the given pks, all at timestamp ts; vector of row pk p is (p, p, ..., p) so that the
// nearest row to a query (q, ..., q) under L2 is pk q. age = pk, score = pk / 2, flag = pk even,
// name = "n<pk>".
inline InsertBatch Rows(const CollectionSchema& schema, const std::vector<int64_t>& pks,
                        Timestamp ts) {
  InsertBatch b;
  for (const FieldSchema& f : schema.fields) b.columns.push_back(FieldColumn::Empty(f));
  for (int64_t pk : pks) {
    b.timestamps.push_back(ts);
    b.columns[0].int64s.push_back(pk);
    for (int64_t j = 0; j < schema.fields[1].dim; ++j) {
      b.columns[1].floats.push_back(static_cast<float>(pk));
    }
    b.columns[2].int64s.push_back(pk);
    b.columns[3].doubles.push_back(static_cast<double>(pk) / 2);
    b.columns[4].bools.push_back(pk % 2 == 0 ? 1 : 0);
    b.columns[5].strings.push_back("n" + std::to_string(pk));
  }
  return b;
}

inline std::vector<float> Query(int64_t dim, float value) {
  return std::vector<float>(static_cast<size_t>(dim), value);
}

}  // namespace simvus::segment::testing
