#include "scenarios/lifecycle_probe.h"

#include <set>

#include "components/protocol/simvus.pb.h"
#include "components/roles/cluster_config.h"

namespace simvus::scenarios {
namespace {

std::vector<KeyValue> Scan(sim::SimStorage& storage, const std::string& prefix) {
  RangeRequest request;
  request.key = prefix;
  request.range_end = PrefixEnd(prefix);
  Result<RangeResult> range = storage.meta_store().store().Range(request);
  return range.ok() ? range->kvs : std::vector<KeyValue>{};
}

}  // namespace

std::vector<std::string> LifecycleStates(sim::SimStorage& storage) {
  std::set<std::string> states;
  for (const KeyValue& kv : Scan(storage, roles::kSegmentPrefix)) {
    proto::SegmentInfo info;
    if (!info.ParseFromString(kv.value)) continue;
    switch (info.state()) {
      case proto::GROWING:
        states.insert("Growing");
        break;
      case proto::SEALED:
        states.insert("Sealed");
        break;
      case proto::FLUSHING:
        states.insert("Flushing");
        break;
      case proto::FLUSHED:
        states.insert("Flushed");
        break;
      case proto::DROPPED:
        states.insert("Dropped");
        break;
      default:
        break;
    }
  }
  for (const KeyValue& kv : Scan(storage, roles::kSegmentIndexPrefix)) {
    proto::SegmentIndex index;
    if (index.ParseFromString(kv.value) &&
        (index.state() == proto::IN_PROGRESS || index.state() == proto::UNISSUED ||
         index.state() == proto::RETRY)) {
      states.insert("Indexing");
    }
  }
  // In the order a segment lives them.
  std::vector<std::string> ordered;
  for (const char* s : {"Growing", "Sealed", "Flushing", "Flushed", "Indexing", "Dropped"}) {
    if (states.count(s)) ordered.push_back(s);
  }
  return ordered;
}

}  // namespace simvus::scenarios
