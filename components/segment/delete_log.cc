#include "components/segment/delete_log.h"

#include <algorithm>

namespace simvus::segment {

void DeleteLog::Add(const PrimaryKey& pk, Timestamp ts) {
  std::vector<Timestamp>& tss = by_pk_[pk];
  auto it = std::lower_bound(tss.begin(), tss.end(), ts);
  if (it != tss.end() && *it == ts) return;  // a replayed delete changes nothing
  tss.insert(it, ts);
  ++size_;
}

bool DeleteLog::Deletes(const PrimaryKey& pk, Timestamp insert_ts, Timestamp mvcc_ts) const {
  auto found = by_pk_.find(pk);
  if (found == by_pk_.end()) return false;
  const std::vector<Timestamp>& tss = found->second;
  auto it = std::upper_bound(tss.begin(), tss.end(), insert_ts);  // first t_d > insert_ts
  return it != tss.end() && *it < mvcc_ts;
}

std::vector<std::pair<PrimaryKey, Timestamp>> DeleteLog::Records() const {
  std::vector<std::pair<PrimaryKey, Timestamp>> out;
  out.reserve(static_cast<size_t>(size_));
  for (const auto& [pk, tss] : by_pk_) {
    for (Timestamp ts : tss) out.emplace_back(pk, ts);
  }
  return out;
}

}  // namespace simvus::segment
