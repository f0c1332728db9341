// CollectionSchema: the fields of a collection, as Milvus defines them.
//
// A valid schema has exactly one primary key (int64 or varchar), exactly one float-vector field
// (dimension in [1, 32768] and a metric: L2, IP or COSINE) and any number of scalar fields
// (int64, double, bool, varchar with max_length in [1, 65535]). Field names are unique
// identifiers; field ids are unique and >= 100 (Milvus reserves 0 = RowID and 1 = Timestamp for
// system columns). Validate() names the offending field, its value and what was expected.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "components/ann/metric.h"
#include "components/env/result.h"
#include "components/expr/predicate.h"

namespace simvus::segment {

struct FieldId {
  int64_t value = 0;
  auto operator<=>(const FieldId&) const = default;
};

struct SegmentId {
  int64_t value = 0;
  auto operator<=>(const SegmentId&) const = default;
};

enum class DataType { kInt64, kDouble, kBool, kVarChar, kFloatVector };
std::string_view DataTypeName(DataType type);  // "Int64", "Double", "Bool", "VarChar", ...

// A primary key value: int64 or varchar, matching the schema's primary key field.
using PrimaryKey = std::variant<int64_t, std::string>;
std::string ToString(const PrimaryKey& pk);

inline constexpr int64_t kMaxDim = 32768;
inline constexpr int64_t kMaxVarCharLength = 65535;
inline constexpr int64_t kFirstUserFieldId = 100;

struct FieldSchema {
  FieldId id;
  std::string name;
  DataType type = DataType::kInt64;
  bool is_primary_key = false;
  int64_t dim = 0;                                // kFloatVector only
  ann::MetricType metric = ann::MetricType::kL2;  // kFloatVector only
  int64_t max_length = kMaxVarCharLength;         // kVarChar only

  bool operator==(const FieldSchema&) const = default;
};

struct CollectionSchema {
  std::string name;
  std::vector<FieldSchema> fields;

  Status Validate() const;

  // REQUIRES: Validate() is OK for the index accessors.
  int primary_key_index() const;
  int vector_index() const;
  const FieldSchema& primary_key() const {
    return fields[static_cast<size_t>(primary_key_index())];
  }
  const FieldSchema& vector_field() const { return fields[static_cast<size_t>(vector_index())]; }
  // kNotFound naming the field and the known names.
  Result<int> FieldIndex(std::string_view name) const;
  // Scalar fields (including the primary key) in schema order, for filter expressions; indexes
  // into the returned vector map back to schema indexes through ScalarFieldIndexes().
  std::vector<expr::FieldInfo> ScalarFields() const;
  std::vector<int> ScalarFieldIndexes() const;

  bool operator==(const CollectionSchema&) const = default;
};

}  // namespace simvus::segment
