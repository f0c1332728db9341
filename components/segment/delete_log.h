// DeleteLog: the deletes a segment has received, (primary key, delete ts) pairs.
//
// Visibility (reference/milvus-semantics.md §6, segcore DeletedRecord): a row (pk, insert_ts) is
// deleted at MVCC ts M iff some delete (pk, t_d) has insert_ts < t_d < M. Both sides are strict:
// a delete at the insert's own ts does not hit it (upsert's delete never kills its own insert),
// and a delete at exactly M is not yet applied. Deletes may arrive in any order and repeat
// (replay after recovery): the log keeps, per pk, the sorted set of delete timestamps, so the
// answer never depends on arrival order.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "components/env/time.h"
#include "components/segment/schema.h"

namespace simvus::segment {

class DeleteLog {
 public:
  void Add(const PrimaryKey& pk, Timestamp ts);
  bool empty() const { return by_pk_.empty(); }
  // Number of distinct (pk, ts) records.
  int64_t size() const { return size_; }

  bool Deletes(const PrimaryKey& pk, Timestamp insert_ts, Timestamp mvcc_ts) const;

  // All records ordered by (pk, ts): the deltalog order.
  std::vector<std::pair<PrimaryKey, Timestamp>> Records() const;

  bool operator==(const DeleteLog&) const = default;

 private:
  std::map<PrimaryKey, std::vector<Timestamp>> by_pk_;  // each vector sorted, unique
  int64_t size_ = 0;
};

}  // namespace simvus::segment
