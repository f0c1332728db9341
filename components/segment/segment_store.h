// SegmentStore: writes sealed segments (and their indexes) to the ObjectStore and loads them back.
//
// File layout and envelope: segment_files.proto. Write produces one insert binlog per field
// (plus the Timestamp system column), a statslog (pk bloom filter, min/max) and, when the
// segment has deletes, a deltalog; it returns the SegmentManifest a data node would report. Load
// reads every file the manifest names, verifies magic, CRC-32C, header (kind, ids, field, row
// count) and shape against the schema, and rebuilds a sealed Segment bit-exactly: same columns,
// timestamps and delete log. Anything that does not verify is kDataLoss naming the path; an
// ObjectStore error is passed through unchanged (kNotFound, kUnavailable, ...), so callers can
// tell "retry" from "this data is gone".
//
// REQUIRES: arguments passed by reference outlive the returned Task.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "components/ann/vector_index.h"
#include "components/env/object_store.h"
#include "components/env/result.h"
#include "components/env/task.h"
#include "components/segment/bloom_filter.h"
#include "components/segment/segment.h"
#include "components/segment/segment_files.pb.h"

namespace simvus::segment {

struct SegmentLocation {
  int64_t collection_id = 0;
  int64_t partition_id = 0;
  SegmentId segment_id;
};

// The statslog's content: what a delegator needs to route deletes (§6) without the rows.
struct SegmentStats {
  BloomFilter bloom;
  PrimaryKey min_pk;
  PrimaryKey max_pk;
  int64_t num_rows = 0;
};

class SegmentStore {
 public:
  SegmentStore(ObjectStore& store, std::string root) : store_(store), root_(std::move(root)) {}

  // `log_id` names this flush's files (Milvus allocates log ids from the root coordinator).
  // REQUIRES: the segment is sealed and has at least one row.
  Task<Result<proto::SegmentManifest>> WriteSegment(const Segment& segment,
                                                    SegmentLocation location, int64_t log_id);
  // Appends one deltalog with `records` (deletes that arrived after the flush); returns its path,
  // which the caller adds to the manifest's delta_paths.
  Task<Result<std::string>> WriteDeltaLog(SegmentLocation location, bool int_pk,
                                          std::vector<std::pair<PrimaryKey, Timestamp>> records,
                                          int64_t log_id);
  Task<Result<std::unique_ptr<Segment>>> LoadSegment(const CollectionSchema& schema,
                                                     const proto::SegmentManifest& manifest);
  Task<Result<SegmentStats>> LoadStats(const proto::SegmentManifest& manifest);
  // One deltalog's (pk, ts) records, verified like every file (kDataLoss naming the path).
  Task<Result<std::vector<std::pair<PrimaryKey, Timestamp>>>> LoadDeltaLog(std::string path,
                                                                           SegmentLocation location,
                                                                           bool int_pk);

  // Index files: index_files/{build_id}/{version}/{partition}/{segment}/index.
  Task<Result<std::string>> WriteIndex(const ann::VectorIndex& index, SegmentLocation location,
                                       int64_t build_id, int64_t version);
  Task<Result<std::unique_ptr<ann::VectorIndex>>> LoadIndex(std::string path,
                                                            SegmentLocation location);

  // Pure encoding helpers (exposed for tests): wrap a message into a file and open it again.
  static Bytes SealFile(const google::protobuf::MessageLite& message);
  // kDataLoss naming `path` when the envelope or the message does not verify.
  static Status OpenFile(const Bytes& file, const std::string& path,
                         google::protobuf::MessageLite* message);

 private:
  std::string SegmentDir(const char* kind, const SegmentLocation& l) const;

  ObjectStore& store_;
  std::string root_;
};

}  // namespace simvus::segment
