#include "real/milvus/milvus_convert.h"

#include <bit>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

namespace simvus::real::milvus_api {

namespace {

std::string TypeName(ms::DataType type) {
  const std::string& name = ms::DataType_Name(type);
  return name.empty() ? "DataType(" + std::to_string(static_cast<int>(type)) + ")" : name;
}

bool Supported(ms::DataType type) {
  return type == ms::Bool || type == ms::Int64 || type == ms::Double || type == ms::VarChar ||
         type == ms::FloatVector;
}

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// strconv.ParseInt(text, 0, 64) for decimal input: the whole text, optional sign.
bool ParseInt(const std::string& text, int64_t* value) {
  if (text.empty()) return false;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string FieldKeyValue(const ms::FieldSchema& field, const std::string& key) {
  for (const mc::KeyValuePair& kv : field.type_params()) {
    if (kv.key() == key) return kv.value();
  }
  return "";
}

// A JSON value of an index or search parameter as Milvus's string form: numbers and strings as
// they are written, booleans as true/false.
bool JsonScalarText(const nlohmann::json& value, std::string* text) {
  if (value.is_string()) {
    *text = value.get<std::string>();
  } else if (value.is_number_integer() || value.is_number_unsigned()) {
    *text = value.dump();
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d))) {
      *text = std::to_string(static_cast<int64_t>(d));
    } else {
      *text = value.dump();
    }
  } else if (value.is_boolean()) {
    *text = value.get<bool>() ? "true" : "false";
  } else {
    return false;
  }
  return true;
}

// `text` as a JSON object of scalar values into `out` (keys already there are replaced).
mc::Status JsonParams(const std::string& text, const std::string& what,
                      std::map<std::string, std::string>* out) {
  if (text.empty()) return mc::Status();
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return ParameterInvalid(what + " '" + text + "' is not a JSON object");
  }
  for (const auto& [key, value] : parsed.items()) {
    std::string scalar;
    if (!JsonScalarText(value, &scalar)) {
      return ParameterInvalid(what + ": the value of '" + key + "' is not a number or a string");
    }
    (*out)[key] = scalar;
  }
  return mc::Status();
}

}  // namespace

int PrimaryKeyIndex(const proto::CollectionSchema& schema) {
  for (int i = 0; i < schema.fields_size(); ++i) {
    if (schema.fields(i).is_primary_key()) return i;
  }
  return -1;
}

int VectorIndex(const proto::CollectionSchema& schema) {
  for (int i = 0; i < schema.fields_size(); ++i) {
    if (schema.fields(i).type() == proto::FLOAT_VECTOR) return i;
  }
  return -1;
}

std::string MetricName(proto::MetricType metric) {
  switch (metric) {
    case proto::METRIC_IP:
      return "IP";
    case proto::METRIC_COSINE:
      return "COSINE";
    default:
      return "L2";
  }
}

std::string FindKeyValue(const KeyValues& pairs, const std::string& key) {
  for (const mc::KeyValuePair& kv : pairs) {
    if (kv.key() == key) return kv.value();
  }
  return "";
}

mc::Status SchemaFromMilvus(const ms::CollectionSchema& schema, const std::string& collection_name,
                            int32_t shards_num, proto::CollectionSchema* out) {
  if (collection_name.empty()) return ParameterInvalid("collection name should not be empty");
  if (!schema.name().empty() && schema.name() != collection_name) {
    return ParameterInvalid("collection name [" + collection_name + "] and schema name [" +
                            schema.name() + "] are not equal");
  }
  if (schema.enable_dynamic_field()) {
    return Unsupported("simvus has no dynamic field (enable_dynamic_field is true on collection " +
                       collection_name + ")");
  }
  if (schema.autoid()) {
    return Unsupported("simvus has no autoID: primary keys are given with the rows (collection " +
                       collection_name + ")");
  }
  if (schema.functions_size() > 0) {
    return Unsupported("simvus has no functions (" + schema.functions(0).name() + ")");
  }
  if (shards_num < 0 || shards_num > 16) {
    return ParameterInvalid("maximum shards's number should be limited to 16", "[1, 16]",
                            std::to_string(shards_num));
  }
  out->Clear();
  out->set_name(collection_name);
  out->set_shards_num(shards_num == 0 ? 1 : shards_num);
  out->set_metric(proto::METRIC_COSINE);
  int primary_keys = 0, vectors = 0;
  for (const ms::FieldSchema& field : schema.fields()) {
    const std::string where = "field " + field.name();
    if (!Supported(field.data_type())) {
      return Unsupported("simvus has no " + TypeName(field.data_type()) + " fields (" + where +
                         "); supported are Int64, Double, Bool, VarChar and FloatVector");
    }
    if (field.autoid()) {
      return Unsupported("simvus has no autoID: primary keys are given with the rows (" + where +
                         ")");
    }
    if (field.nullable() || field.has_default_value()) {
      return Unsupported("simvus has no nullable fields or default values (" + where + ")");
    }
    if (field.is_partition_key() || field.is_clustering_key() || field.is_dynamic() ||
        field.is_function_output()) {
      return Unsupported(
          "simvus has no partition keys, clustering keys, dynamic or function output fields (" +
          where + ")");
    }
    proto::FieldSchema* f = out->add_fields();
    f->set_name(field.name());
    f->set_type(static_cast<proto::DataType>(field.data_type()));
    f->set_is_primary_key(field.is_primary_key());
    if (field.is_primary_key()) {
      ++primary_keys;
      if (field.data_type() != ms::Int64) {
        return Unsupported("simvus's primary keys are Int64 (" + where + " is " +
                           TypeName(field.data_type()) + ")");
      }
    }
    if (field.data_type() == ms::FloatVector) {
      ++vectors;
      const std::string dim_text = FieldKeyValue(field, "dim");
      int64_t dim = 0;
      if (dim_text.empty()) {
        return ParameterInvalid("dimension is not defined in field type params of " + field.name() +
                                ", check type param `dim` for vector field");
      }
      if (!ParseInt(dim_text, &dim) || dim < 2 || dim > 32768) {
        return ParameterInvalid("invalid dimension: " + dim_text + " of " + where +
                                ". should be in range 2 ~ 32768");
      }
      f->set_dim(static_cast<int32_t>(dim));
      const std::string metric = Upper(FieldKeyValue(field, kMetricTypeKey));
      if (metric == "L2") {
        out->set_metric(proto::METRIC_L2);
      } else if (metric == "IP") {
        out->set_metric(proto::METRIC_IP);
      } else if (metric == "COSINE" || metric.empty()) {
        out->set_metric(proto::METRIC_COSINE);
      } else {
        return ParameterInvalid("metric type " + metric + " of " + where +
                                " is not supported for float vectors; expected L2, IP or COSINE");
      }
    }
    if (field.data_type() == ms::VarChar) {
      const std::string length_text = FieldKeyValue(field, "max_length");
      int64_t length = 0;
      if (length_text.empty()) {
        return ParameterInvalid("type param(max_length) should be specified for the field(" +
                                field.name() + ") of collection " + collection_name);
      }
      if (!ParseInt(length_text, &length) || length < 1 || length > 65535) {
        return ParameterInvalid("the maximum length specified for the field(" + field.name() +
                                ") should be in (0, 65535], but got " + length_text + " instead");
      }
      f->set_max_length(static_cast<int32_t>(length));
    }
  }
  if (primary_keys != 1) {
    return primary_keys == 0
               ? ParameterInvalid("primary key is not specified")
               : ParameterInvalid("there are more than one primary key, field name = " +
                                  schema.fields(PrimaryKeyIndex(*out)).name());
  }
  if (vectors != 1) {
    return vectors == 0 ? ParameterInvalid("schema does not contain vector field")
                        : Unsupported("simvus has one vector field per collection, " +
                                      std::to_string(vectors) + " given");
  }
  return mc::Status();
}

ms::CollectionSchema SchemaToMilvus(const proto::CollectionSchema& schema) {
  ms::CollectionSchema out;
  out.set_name(schema.name());
  out.set_autoid(false);
  out.set_enable_dynamic_field(false);
  for (int i = 0; i < schema.fields_size(); ++i) {
    const proto::FieldSchema& field = schema.fields(i);
    ms::FieldSchema* f = out.add_fields();
    f->set_fieldid(kFirstFieldId + i);
    f->set_name(field.name());
    f->set_is_primary_key(field.is_primary_key());
    f->set_data_type(static_cast<ms::DataType>(field.type()));
    f->set_autoid(false);
    f->set_state(ms::FieldCreated);
    if (field.type() == proto::FLOAT_VECTOR) {
      mc::KeyValuePair* dim = f->add_type_params();
      dim->set_key("dim");
      dim->set_value(std::to_string(field.dim()));
      mc::KeyValuePair* metric = f->add_type_params();
      metric->set_key(kMetricTypeKey);
      metric->set_value(MetricName(schema.metric()));
    }
    if (field.type() == proto::VARCHAR) {
      mc::KeyValuePair* length = f->add_type_params();
      length->set_key("max_length");
      length->set_value(std::to_string(field.max_length()));
    }
  }
  return out;
}

mc::Status RowsFromMilvus(const proto::CollectionSchema& schema, const std::string& collection,
                          const google::protobuf::RepeatedPtrField<ms::FieldData>& fields,
                          uint32_t num_rows, proto::InsertRequest* out) {
  out->Clear();
  out->set_collection(collection);
  std::set<std::string> given;
  for (const ms::FieldData& data : fields) {
    const std::string& name = data.field_name();
    int index = -1;
    for (int i = 0; i < schema.fields_size(); ++i) {
      if (schema.fields(i).name() == name) index = i;
    }
    if (data.is_dynamic() || name == "$meta") {
      return Unsupported("simvus has no dynamic field (`" + name + "` in collection " + collection +
                         ")");
    }
    if (index < 0) {
      return ParameterInvalid("Attempt to insert an unexpected field `" + name +
                              "` to collection without enabling dynamic field");
    }
    if (!given.insert(name).second) return ParameterInvalid("duplicated field name " + name);
    const proto::FieldSchema& field = schema.fields(index);
    const ms::DataType type = static_cast<ms::DataType>(field.type());
    if (data.type() != type) {
      return ParameterInvalid("the data type of field " + name + " is " + TypeName(data.type()) +
                                  ", which does not match the schema",
                              TypeName(type), TypeName(data.type()));
    }
    for (bool valid : data.valid_data()) {
      if (!valid) return Unsupported("simvus has no nullable fields (null in field " + name + ")");
    }
    proto::FieldData* column = out->add_fields();
    column->set_name(name);
    int64_t rows = 0;
    switch (type) {
      case ms::Int64:
        column->mutable_int64_data()->CopyFrom(data.scalars().long_data().data());
        rows = column->int64_data_size();
        break;
      case ms::Double:
        column->mutable_double_data()->CopyFrom(data.scalars().double_data().data());
        rows = column->double_data_size();
        break;
      case ms::Bool:
        column->mutable_bool_data()->CopyFrom(data.scalars().bool_data().data());
        rows = column->bool_data_size();
        break;
      case ms::VarChar: {
        const auto& strings = data.scalars().string_data().data();
        for (int r = 0; r < strings.size(); ++r) {
          if (static_cast<int64_t>(strings[r].size()) > field.max_length()) {
            return ParameterInvalid("the length (" + std::to_string(strings[r].size()) + ") of " +
                                    std::to_string(r) + "th VarChar " + name +
                                    " exceeds max length (" + std::to_string(field.max_length()) +
                                    ")");
          }
        }
        column->mutable_string_data()->CopyFrom(strings);
        rows = column->string_data_size();
        break;
      }
      case ms::FloatVector: {
        const int64_t dim = data.vectors().dim();
        const auto& floats = data.vectors().float_vector().data();
        if (dim != field.dim()) {
          return ParameterInvalid("the dim (" + std::to_string(dim) + ") of field data(" + name +
                                      ") is not equal to schema dim (" +
                                      std::to_string(field.dim()) + ")",
                                  std::to_string(field.dim()), std::to_string(dim));
        }
        if (floats.size() % field.dim() != 0) {
          return ParameterInvalid("the length of field data(" + name + "), " +
                                  std::to_string(floats.size()) +
                                  " floats, is not a multiple of dim " + std::to_string(dim));
        }
        column->set_dim(field.dim());
        column->mutable_float_vector()->CopyFrom(floats);
        rows = floats.size() / field.dim();
        break;
      }
      default:
        return Unsupported("simvus has no " + TypeName(type) + " fields (field " + name + ")");
    }
    if (num_rows > 0 && rows != static_cast<int64_t>(num_rows)) {
      return ParameterInvalid("the num_rows (" + std::to_string(rows) + ") of field (" + name +
                                  ") is not equal to passed num_rows (" + std::to_string(num_rows) +
                                  ")",
                              std::to_string(num_rows), std::to_string(rows));
    }
  }
  for (const proto::FieldSchema& field : schema.fields()) {
    if (!given.count(field.name())) {
      return ParameterInvalid("Insert missed an field `" + field.name() +
                              "` to collection without set nullable==true or set default_value");
    }
  }
  return mc::Status();
}

ms::FieldData ColumnToMilvus(const proto::CollectionSchema& schema, int index,
                             const proto::FieldData& column) {
  const proto::FieldSchema& field = schema.fields(index);
  ms::FieldData out;
  out.set_type(static_cast<ms::DataType>(field.type()));
  out.set_field_name(field.name());
  out.set_field_id(kFirstFieldId + index);
  switch (field.type()) {
    case proto::INT64:
      out.mutable_scalars()->mutable_long_data()->mutable_data()->CopyFrom(column.int64_data());
      break;
    case proto::DOUBLE:
      out.mutable_scalars()->mutable_double_data()->mutable_data()->CopyFrom(column.double_data());
      break;
    case proto::BOOL:
      out.mutable_scalars()->mutable_bool_data()->mutable_data()->CopyFrom(column.bool_data());
      break;
    case proto::VARCHAR:
      out.mutable_scalars()->mutable_string_data()->mutable_data()->CopyFrom(column.string_data());
      break;
    case proto::FLOAT_VECTOR:
      out.mutable_vectors()->set_dim(field.dim());
      out.mutable_vectors()->mutable_float_vector()->mutable_data()->CopyFrom(
          column.float_vector());
      break;
    default:
      break;
  }
  return out;
}

ms::FieldData PrimaryKeysToMilvus(const proto::CollectionSchema& schema,
                                  const std::vector<int64_t>& pks) {
  proto::FieldData column;
  for (int64_t pk : pks) column.add_int64_data(pk);
  return ColumnToMilvus(schema, PrimaryKeyIndex(schema), column);
}

mc::Status DecodePlaceholderGroup(const std::string& bytes, int32_t dim, const std::string& field,
                                  std::vector<std::vector<float>>* queries) {
  mc::PlaceholderGroup group;
  if (!group.ParseFromString(bytes)) {
    return ParameterInvalid(
        "failed to parse the placeholder group: not a serialized PlaceholderGroup");
  }
  if (group.placeholders_size() != 1) {
    return ParameterInvalid("the placeholder group holds " +
                            std::to_string(group.placeholders_size()) +
                            " placeholders, expected one ($0)");
  }
  const mc::PlaceholderValue& value = group.placeholders(0);
  if (value.type() != mc::PlaceholderType::FloatVector) {
    return ParameterInvalid("the search data of anns field " + field + " is " +
                                mc::PlaceholderType_Name(value.type()) +
                                ", which does not match the field's type",
                            "FloatVector", mc::PlaceholderType_Name(value.type()));
  }
  if (value.values_size() == 0) return ParameterInvalid("nq (number of search vectors) is 0");
  queries->clear();
  const size_t expected = static_cast<size_t>(dim) * sizeof(float);
  for (const std::string& blob : value.values()) {
    if (blob.size() != expected) {
      return ParameterInvalid(
          "vector dimension mismatch, expected vector size(byte) " + std::to_string(expected) +
              ", actual " + std::to_string(blob.size()) + ".",
          "dim " + std::to_string(dim),
          blob.size() % sizeof(float) == 0 ? "dim " + std::to_string(blob.size() / sizeof(float))
                                           : std::to_string(blob.size()) + " bytes");
    }
    std::vector<float> query(static_cast<size_t>(dim));
    for (size_t i = 0; i < query.size(); ++i) {
      // Little-endian float32 on the wire, whatever this host's byte order.
      const auto* p = reinterpret_cast<const unsigned char*>(blob.data()) + i * 4;
      const uint32_t bits =
          uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
      query[i] = std::bit_cast<float>(bits);
    }
    queries->push_back(std::move(query));
  }
  return mc::Status();
}

mc::Status SearchOptionsFromMilvus(const KeyValues& search_params,
                                   const proto::CollectionSchema& schema, SearchOptions* out) {
  *out = SearchOptions();
  const int vector = VectorIndex(schema);
  const std::string anns_field = FindKeyValue(search_params, "anns_field");
  if (!anns_field.empty() && anns_field != schema.fields(vector).name()) {
    return FieldNotFound(anns_field);
  }
  const std::string topk_text = FindKeyValue(search_params, "topk");
  int64_t topk = 0;
  if (topk_text.empty()) return ParameterInvalid("topk not found in search_params");
  if (!ParseInt(topk_text, &topk)) return ParameterInvalid("topk [" + topk_text + "] is invalid");
  if (topk < 1 || topk > kMaxTopK) {
    return ParameterInvalid("topk [" + topk_text + "] is invalid, it should be in range [1, " +
                            std::to_string(kMaxTopK) + "]");
  }
  int64_t offset = 0;
  const std::string offset_text = FindKeyValue(search_params, "offset");
  if (!offset_text.empty() && !ParseInt(offset_text, &offset)) {
    return ParameterInvalid("offset [" + offset_text + "] is invalid");
  }
  if (offset < 0 || topk + offset > kMaxTopK) {
    return ParameterInvalid("topk+offset [" + std::to_string(topk + offset) +
                            "] is invalid, it should be in range [1, " + std::to_string(kMaxTopK) +
                            "]");
  }
  int64_t round_decimal = -1;
  const std::string round_text = FindKeyValue(search_params, "round_decimal");
  if (!round_text.empty() &&
      (!ParseInt(round_text, &round_decimal) || round_decimal < -1 || round_decimal > 6)) {
    return ParameterInvalid("round_decimal " + round_text +
                            " is invalid, should be -1 or an integer in range [0, 6]");
  }
  const std::string metric = Upper(FindKeyValue(search_params, kMetricTypeKey));
  const std::string schema_metric = MetricName(schema.metric());
  if (!metric.empty() && metric != schema_metric) {
    return ParameterInvalid("metric type not match", schema_metric, metric);
  }
  if (FindKeyValue(search_params, "ignore_growing") == "true") {
    return Unsupported("simvus searches growing data always (ignore_growing is true)");
  }
  for (const char* key :
       {"group_by_field", "iterator", "search_iter_v2", "radius", "range_filter"}) {
    const std::string value = FindKeyValue(search_params, key);
    if (!value.empty() && value != "false") {
      return Unsupported(std::string("simvus has no ") + key + " in searches");
    }
  }
  std::map<std::string, std::string> params;
  mc::Status parsed = JsonParams(FindKeyValue(search_params, "params"), "search params", &params);
  if (!IsOk(parsed)) return parsed;
  for (const auto& [key, value] : params) {
    if (key == "ef" || key == "nprobe") {
      out->params[key] = value;
    } else if (key == "radius" || key == "range_filter" || key == "group_by_field") {
      return Unsupported("simvus has no " + key + " in searches");
    }
    // Other keys (level, drop_ratio_search, ...) tune indexes simvus does not have: ignored.
  }
  out->topk = static_cast<int32_t>(topk);
  out->offset = static_cast<int32_t>(offset);
  out->round_decimal = static_cast<int32_t>(round_decimal);
  return mc::Status();
}

mc::Status QueryLimitsFromMilvus(const KeyValues& query_params, int64_t* limit, int64_t* offset) {
  *limit = 0;
  *offset = 0;
  const std::string limit_text = FindKeyValue(query_params, "limit");
  if (!limit_text.empty() && (!ParseInt(limit_text, limit) || *limit < 0)) {
    return ParameterInvalid("limit [" + limit_text + "] is invalid");
  }
  const std::string offset_text = FindKeyValue(query_params, "offset");
  if (!offset_text.empty() && (!ParseInt(offset_text, offset) || *offset < 0)) {
    return ParameterInvalid("offset [" + offset_text + "] is invalid");
  }
  if (*limit + *offset > kMaxTopK) {
    return ParameterInvalid(
        "invalid max query result window, (offset+limit) should be in range "
        "[1, " +
            std::to_string(kMaxTopK) + "]",
        "[1, " + std::to_string(kMaxTopK) + "]", std::to_string(*limit + *offset));
  }
  return mc::Status();
}

mc::Status IndexParamsFromMilvus(const KeyValues& extra_params,
                                 const proto::CollectionSchema& schema,
                                 std::map<std::string, std::string>* out) {
  out->clear();
  std::map<std::string, std::string> params;
  for (const mc::KeyValuePair& kv : extra_params) {
    if (kv.key() == "params") continue;
    params[kv.key()] = kv.value();
  }
  mc::Status parsed = JsonParams(FindKeyValue(extra_params, "params"), "index params", &params);
  if (!IsOk(parsed)) return parsed;
  std::string type = Upper(params.count("index_type") ? params["index_type"] : "");
  if (type.empty() || type == "AUTOINDEX") {
    // Milvus's autoIndex.params.build for float vectors.
    type = "HNSW";
    params.erase("M");
    params.erase("efConstruction");
    params["M"] = "18";
    params["efConstruction"] = "240";
  }
  params["index_type"] = type;
  const std::string schema_metric = MetricName(schema.metric());
  const std::string metric = Upper(params.count(kMetricTypeKey) ? params[kMetricTypeKey] : "");
  if (!metric.empty() && metric != schema_metric) {
    return ParameterInvalid(
        "metric type not match (simvus fixes a collection's metric when it is created: the "
        "vector field's type param metric_type, default COSINE)",
        schema_metric, metric);
  }
  params[kMetricTypeKey] = schema_metric;
  *out = std::move(params);
  return mc::Status();
}

KeyValues IndexParamsToMilvus(const google::protobuf::Map<std::string, std::string>& params) {
  const std::map<std::string, std::string> sorted(params.begin(), params.end());
  KeyValues out;
  nlohmann::json rest = nlohmann::json::object();
  for (const auto& [key, value] : sorted) {
    if (key == "index_type" || key == kMetricTypeKey) {
      mc::KeyValuePair* kv = out.Add();
      kv->set_key(key);
      kv->set_value(value);
      continue;
    }
    int64_t number = 0;
    if (ParseInt(value, &number)) {
      rest[key] = number;
    } else {
      rest[key] = value;
    }
  }
  mc::KeyValuePair* kv = out.Add();
  kv->set_key("params");
  kv->set_value(rest.dump());
  return out;
}

mc::Status OutputFieldsFromMilvus(const google::protobuf::RepeatedPtrField<std::string>& names,
                                  const proto::CollectionSchema& schema, bool allow_count,
                                  std::vector<std::string>* fields, bool* count_only) {
  fields->clear();
  *count_only = false;
  std::set<std::string> wanted;
  bool all = false;
  for (const std::string& raw : names) {
    std::string name = raw;
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (name == "*") {
      all = true;
    } else if (name == "count(*)") {
      if (!allow_count) return ParameterInvalid("count(*) is only allowed in queries");
      *count_only = true;
    } else {
      bool known = false;
      for (const proto::FieldSchema& f : schema.fields()) known = known || f.name() == name;
      if (!known) return ParameterInvalid("field " + name + " not exist");
      wanted.insert(name);
    }
  }
  if (*count_only) {
    if (all || !wanted.empty() || names.size() != 1) {
      return ParameterInvalid(
          "count entities with pagination or with other output fields is not "
          "allowed");
    }
    return mc::Status();
  }
  std::vector<std::string> order;
  for (const proto::FieldSchema& f : schema.fields()) {
    if (all || wanted.count(f.name()) || f.is_primary_key()) order.push_back(f.name());
  }
  *fields = std::move(order);
  return mc::Status();
}

}  // namespace simvus::real::milvus_api
