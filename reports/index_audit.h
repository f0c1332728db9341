// IndexAudit: checks a collection's index builds as stored — the MetaStore's build tasks and the
// index files they name — after every build should have finished (semantics §8, §13).
//
//   index-coverage      every flushed segment with rows has a Finished build;
//   index-stale-result  a Finished build's file is the one its current version wrote
//                       (index_files/<build>/<version>/...): a retried build never registers the
//                       result of an older version;
//   index-file          the file loads (magic, CRC-32C, header) and indexes exactly the segment's
//                       rows.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reports/consistency_checker.h"

namespace simvus::reports {

struct StoredIndexTask {
  int64_t segment_id = 0;
  int64_t build_id = 0;
  int64_t version = 0;
  std::string state;  // "FINISHED", "IN_PROGRESS", "FAILED", ...
  std::string path;
  std::string load_error;  // empty when the file loaded
  int64_t file_rows = 0;   // vectors in the loaded index
};

struct StoredIndexes {
  std::vector<StoredIndexTask> tasks;
  std::map<int64_t, int64_t> flushed_rows;  // flushed L1 segment -> rows
};

CheckResult CheckIndexes(const StoredIndexes& stored);

}  // namespace simvus::reports
