#include "scenarios/lifecycle_probe.h"

#include <map>
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
  static const std::map<proto::SegmentState, const char*> kNames = {{proto::GROWING, "Growing"},
                                                                    {proto::SEALED, "Sealed"},
                                                                    {proto::FLUSHING, "Flushing"},
                                                                    {proto::FLUSHED, "Flushed"},
                                                                    {proto::DROPPED, "Dropped"}};
  for (const KeyValue& kv : Scan(storage, roles::kSegmentPrefix)) {
    proto::SegmentInfo info;
    if (!info.ParseFromString(kv.value)) continue;
    auto name = kNames.find(info.state());
    if (name != kNames.end()) states.insert(name->second);
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
