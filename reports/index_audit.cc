#include "reports/index_audit.h"

namespace simvus::reports {

namespace {

CheckResult Fail(std::string invariant, std::string detail) {
  CheckResult r;
  r.ok = false;
  r.invariant = std::move(invariant);
  r.detail = std::move(detail);
  return r;
}

}  // namespace

CheckResult CheckIndexes(const StoredIndexes& stored) {
  std::map<int64_t, const StoredIndexTask*> finished;
  for (const StoredIndexTask& t : stored.tasks) {
    if (t.state != "FINISHED") continue;
    finished[t.segment_id] = &t;
    const std::string version_dir =
        "/" + std::to_string(t.build_id) + "/" + std::to_string(t.version) + "/";
    if (t.path.find(version_dir) == std::string::npos) {
      return Fail("index-stale-result", "segment " + std::to_string(t.segment_id) + ": build " +
                                            std::to_string(t.build_id) + " is at v" +
                                            std::to_string(t.version) + " but registered " +
                                            t.path + ", written by another version");
    }
    if (!t.load_error.empty()) {
      return Fail("index-file", "segment " + std::to_string(t.segment_id) + ": " + t.path +
                                    " does not load: " + t.load_error);
    }
    auto rows = stored.flushed_rows.find(t.segment_id);
    if (rows != stored.flushed_rows.end() && rows->second != t.file_rows) {
      return Fail("index-file", "segment " + std::to_string(t.segment_id) + " has " +
                                    std::to_string(rows->second) + " rows but " + t.path +
                                    " indexes " + std::to_string(t.file_rows));
    }
  }
  for (const auto& [segment, rows] : stored.flushed_rows) {
    if (rows > 0 && !finished.count(segment)) {
      return Fail("index-coverage", "flushed segment " + std::to_string(segment) + " (" +
                                        std::to_string(rows) + " rows) has no finished index");
    }
  }
  return CheckResult{};
}

}  // namespace simvus::reports
