#include "components/segment/field_column.h"

#include "components/env/check.h"

namespace simvus::segment {

FieldColumn FieldColumn::Empty(const FieldSchema& field) {
  FieldColumn c;
  c.type = field.type;
  c.dim = field.type == DataType::kFloatVector ? field.dim : 0;
  return c;
}

int64_t FieldColumn::size() const {
  switch (type) {
    case DataType::kInt64:
      return static_cast<int64_t>(int64s.size());
    case DataType::kDouble:
      return static_cast<int64_t>(doubles.size());
    case DataType::kBool:
      return static_cast<int64_t>(bools.size());
    case DataType::kVarChar:
      return static_cast<int64_t>(strings.size());
    case DataType::kFloatVector:
      return dim == 0 ? 0 : static_cast<int64_t>(floats.size()) / dim;
  }
  return 0;
}

void FieldColumn::AppendRange(const FieldColumn& other, int64_t begin, int64_t end) {
  SIMVUS_CHECK(other.type == type && other.dim == dim, "AppendRange: column shape mismatch");
  switch (type) {
    case DataType::kInt64:
      int64s.insert(int64s.end(), other.int64s.begin() + begin, other.int64s.begin() + end);
      break;
    case DataType::kDouble:
      doubles.insert(doubles.end(), other.doubles.begin() + begin, other.doubles.begin() + end);
      break;
    case DataType::kBool:
      bools.insert(bools.end(), other.bools.begin() + begin, other.bools.begin() + end);
      break;
    case DataType::kVarChar:
      strings.insert(strings.end(), other.strings.begin() + begin, other.strings.begin() + end);
      break;
    case DataType::kFloatVector:
      floats.insert(floats.end(), other.floats.begin() + begin * dim,
                    other.floats.begin() + end * dim);
      break;
  }
}

void FieldColumn::AppendRows(const FieldColumn& other, const std::vector<int64_t>& rows) {
  for (int64_t r : rows) AppendRange(other, r, r + 1);
}

PrimaryKey FieldColumn::PrimaryKeyAt(int64_t row) const {
  if (type == DataType::kInt64) return int64s[static_cast<size_t>(row)];
  SIMVUS_CHECK(type == DataType::kVarChar, "PrimaryKeyAt on a non-key column");
  return strings[static_cast<size_t>(row)];
}

expr::ColumnView FieldColumn::View() const {
  expr::ColumnView v;
  switch (type) {
    case DataType::kInt64:
      v.type = expr::ValueType::kInt64;
      v.int64s = int64s.data();
      break;
    case DataType::kDouble:
      v.type = expr::ValueType::kDouble;
      v.doubles = doubles.data();
      break;
    case DataType::kBool:
      v.type = expr::ValueType::kBool;
      v.bools = bools.data();
      break;
    case DataType::kVarChar:
      v.type = expr::ValueType::kString;
      v.strings = strings.data();
      break;
    case DataType::kFloatVector:
      SIMVUS_CHECK(false, "View() on a vector column");
  }
  return v;
}

Status InsertBatch::Validate(const CollectionSchema& schema) const {
  if (columns.size() != schema.fields.size()) {
    return InvalidArgument("insert: " + std::to_string(columns.size()) + " columns, expected " +
                           std::to_string(schema.fields.size()) + " (one per field of '" +
                           schema.name + "')");
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    const FieldSchema& f = schema.fields[i];
    const FieldColumn& c = columns[i];
    std::string where = "insert: field '" + f.name + "'";
    if (c.type != f.type) {
      return InvalidArgument(where + ": column of type " + std::string(DataTypeName(c.type)) +
                             ", expected " + std::string(DataTypeName(f.type)));
    }
    if (f.type == DataType::kFloatVector) {
      if (c.dim != f.dim || c.floats.size() != static_cast<size_t>(num_rows() * f.dim)) {
        return InvalidArgument(where + ": " + std::to_string(c.floats.size()) +
                               " floats with dim " + std::to_string(c.dim) + ", expected " +
                               std::to_string(num_rows()) + " rows of dim " +
                               std::to_string(f.dim));
      }
      continue;
    }
    if (c.size() != num_rows()) {
      return InvalidArgument(where + ": " + std::to_string(c.size()) + " values, expected " +
                             std::to_string(num_rows()) + " (one per timestamp)");
    }
    if (f.type == DataType::kVarChar) {
      for (size_t r = 0; r < c.strings.size(); ++r) {
        if (static_cast<int64_t>(c.strings[r].size()) > f.max_length) {
          return InvalidArgument(where + ": row " + std::to_string(r) + " has length " +
                                 std::to_string(c.strings[r].size()) + ", expected at most " +
                                 std::to_string(f.max_length));
        }
      }
    }
  }
  for (size_t r = 0; r < timestamps.size(); ++r) {
    if (!timestamps[r].is_set()) {
      return InvalidArgument("insert: row " + std::to_string(r) +
                             " has timestamp 0, expected a TSO timestamp");
    }
  }
  return Status::Ok();
}

}  // namespace simvus::segment
