// QueryRequest / QueryResult: retrieve rows by filter expression at an MVCC timestamp.
//
// A result lists matching visible rows: primary key, insert timestamp and the requested output
// fields (columns in output_fields order). Per-segment results keep every visible version;
// ReduceQueryResults (reduce.h) keeps the newest version (largest insert ts) per pk, as Milvus's
// SelectMinPKWithTimestamp does, and orders rows by pk.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/env/time.h"
#include "components/segment/field_column.h"
#include "components/segment/schema.h"

namespace simvus::segment {

struct QueryRequest {
  std::string filter;  // empty = all rows
  Timestamp mvcc_ts = Timestamp::Max();
  std::vector<std::string> output_fields;
  int64_t limit = -1;  // -1: no limit (applied by the reduce)
};

struct QueryResult {
  std::vector<PrimaryKey> pks;
  std::vector<Timestamp> timestamps;
  std::vector<std::string> field_names;
  std::vector<FieldColumn> fields;  // one per field_names entry, one value per row

  int64_t num_rows() const { return static_cast<int64_t>(pks.size()); }
};

}  // namespace simvus::segment
