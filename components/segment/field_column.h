// FieldColumn: the values of one field for a run of rows, stored column-wise.
//
// Exactly the vector for `type` is used: int64s (Int64), doubles (Double), bools (Bool, one
// byte 0/1 per row), strings (VarChar) or floats (FloatVector, size() * dim values, row-major).
// InsertBatch is a set of rows for one segment: one FieldColumn per schema field, in schema
// order, plus the insert timestamp of every row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/env/time.h"
#include "components/expr/predicate.h"
#include "components/segment/schema.h"

namespace simvus::segment {

struct FieldColumn {
  DataType type = DataType::kInt64;
  int64_t dim = 0;  // kFloatVector only
  std::vector<int64_t> int64s;
  std::vector<double> doubles;
  std::vector<uint8_t> bools;
  std::vector<std::string> strings;
  std::vector<float> floats;

  static FieldColumn Empty(const FieldSchema& field);

  int64_t size() const;
  // Appends rows [begin, end) of `other`. REQUIRES: same type and dim.
  void AppendRange(const FieldColumn& other, int64_t begin, int64_t end);
  // Appends the rows listed in `rows` of `other`, in that order.
  void AppendRows(const FieldColumn& other, const std::vector<int64_t>& rows);
  PrimaryKey PrimaryKeyAt(int64_t row) const;  // REQUIRES: Int64 or VarChar
  // A view for filter evaluation. REQUIRES: not a vector column.
  expr::ColumnView View() const;

  bool operator==(const FieldColumn&) const = default;
};

struct InsertBatch {
  std::vector<Timestamp> timestamps;
  std::vector<FieldColumn> columns;  // one per schema field, schema order

  int64_t num_rows() const { return static_cast<int64_t>(timestamps.size()); }
  // Checks the shape against the schema: column count and types, equal row counts, vector
  // dimension, varchar length, non-zero timestamps. Errors name the field and the problem.
  Status Validate(const CollectionSchema& schema) const;
};

}  // namespace simvus::segment
