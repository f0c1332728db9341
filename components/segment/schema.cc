#include "components/segment/schema.h"

#include <set>

namespace simvus::segment {
namespace {

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 255) return false;
  auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!start(s[0])) return false;
  for (char c : s) {
    if (!start(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string FieldRef(const FieldSchema& f) { return "field '" + f.name + "'"; }

}  // namespace

std::string_view DataTypeName(DataType type) {
  switch (type) {
    case DataType::kInt64:
      return "Int64";
    case DataType::kDouble:
      return "Double";
    case DataType::kBool:
      return "Bool";
    case DataType::kVarChar:
      return "VarChar";
    case DataType::kFloatVector:
      return "FloatVector";
  }
  return "?";
}

std::string ToString(const PrimaryKey& pk) {
  if (const auto* i = std::get_if<int64_t>(&pk)) return std::to_string(*i);
  return "\"" + std::get<std::string>(pk) + "\"";
}

Status CollectionSchema::Validate() const {
  if (!IsIdentifier(name)) {
    return InvalidArgument("collection name: '" + name +
                           "' is invalid, expected an identifier [A-Za-z_][A-Za-z0-9_]*");
  }
  std::set<std::string> names;
  std::set<int64_t> ids;
  int pks = 0, vectors = 0;
  for (const FieldSchema& f : fields) {
    if (!IsIdentifier(f.name)) {
      return InvalidArgument(FieldRef(f) +
                             ": name is invalid, expected an identifier [A-Za-z_][A-Za-z0-9_]*");
    }
    if (!names.insert(f.name).second) {
      return InvalidArgument(FieldRef(f) + ": duplicate field name, expected unique names");
    }
    if (f.id.value < kFirstUserFieldId) {
      return InvalidArgument(
          FieldRef(f) + ": id " + std::to_string(f.id.value) +
          " is reserved, expected an id >= " + std::to_string(kFirstUserFieldId));
    }
    if (!ids.insert(f.id.value).second) {
      return InvalidArgument(FieldRef(f) + ": duplicate id " + std::to_string(f.id.value) +
                             ", expected unique field ids");
    }
    if (f.is_primary_key) {
      ++pks;
      if (f.type != DataType::kInt64 && f.type != DataType::kVarChar) {
        return InvalidArgument(FieldRef(f) + ": primary key of type " +
                               std::string(DataTypeName(f.type)) + ", expected Int64 or VarChar");
      }
    }
    if (f.type == DataType::kFloatVector) {
      ++vectors;
      if (f.dim < 1 || f.dim > kMaxDim) {
        return InvalidArgument(FieldRef(f) + ": dim " + std::to_string(f.dim) +
                               ", expected a dimension in [1, " + std::to_string(kMaxDim) + "]");
      }
    }
    if (f.type == DataType::kVarChar && (f.max_length < 1 || f.max_length > kMaxVarCharLength)) {
      return InvalidArgument(FieldRef(f) + ": max_length " + std::to_string(f.max_length) +
                             ", expected [1, " + std::to_string(kMaxVarCharLength) + "]");
    }
  }
  if (pks != 1) {
    return InvalidArgument("collection '" + name + "': " + std::to_string(pks) +
                           " primary key fields, expected exactly one");
  }
  if (vectors != 1) {
    return InvalidArgument("collection '" + name + "': " + std::to_string(vectors) +
                           " float-vector fields, expected exactly one");
  }
  return Status::Ok();
}

int CollectionSchema::primary_key_index() const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].is_primary_key) return static_cast<int>(i);
  }
  return -1;
}

int CollectionSchema::vector_index() const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].type == DataType::kFloatVector) return static_cast<int>(i);
  }
  return -1;
}

Result<int> CollectionSchema::FieldIndex(std::string_view field_name) const {
  std::string known;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) return static_cast<int>(i);
    known += (known.empty() ? "" : ", ") + fields[i].name;
  }
  return NotFound("field '" + std::string(field_name) + "' does not exist in collection '" + name +
                  "'; expected one of: " + known);
}

std::vector<expr::FieldInfo> CollectionSchema::ScalarFields() const {
  std::vector<expr::FieldInfo> out;
  for (const FieldSchema& f : fields) {
    switch (f.type) {
      case DataType::kInt64:
        out.push_back({f.name, expr::ValueType::kInt64});
        break;
      case DataType::kDouble:
        out.push_back({f.name, expr::ValueType::kDouble});
        break;
      case DataType::kBool:
        out.push_back({f.name, expr::ValueType::kBool});
        break;
      case DataType::kVarChar:
        out.push_back({f.name, expr::ValueType::kString});
        break;
      case DataType::kFloatVector:
        break;
    }
  }
  return out;
}

std::vector<int> CollectionSchema::ScalarFieldIndexes() const {
  std::vector<int> out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].type != DataType::kFloatVector) out.push_back(static_cast<int>(i));
  }
  return out;
}

}  // namespace simvus::segment
