// Visibility against a direct model of reference/milvus-semantics.md §6: for random inserts
// (with repeated pks), deletes (in random order, some at insert timestamps, some repeated) and
// MVCC timestamps, Segment::IsVisible, VisibleBitset and Count agree with the rule
//   visible(r, M) <=> r.ts <= M and no delete (r.pk, t_d) with r.ts < t_d < M.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "components/segment/segment.h"
#include "tests/components/segment/test_data.h"

namespace simvus::segment {
namespace {

struct ModelRow {
  int64_t pk;
  uint64_t ts;
};
struct ModelDelete {
  int64_t pk;
  uint64_t ts;
};

bool ModelVisible(const ModelRow& r, const std::vector<ModelDelete>& dels, uint64_t m) {
  if (r.ts > m) return false;
  for (const ModelDelete& d : dels) {
    if (d.pk == r.pk && r.ts < d.ts && d.ts < m) return false;
  }
  return true;
}

RC_GTEST_PROP(SegmentVisibility, MatchesTheRule, ()) {
  const auto n_rows = *rc::gen::inRange<int>(1, 40);
  const auto n_dels = *rc::gen::inRange<int>(0, 40);
  Segment seg(SegmentId{1}, testing::TestSchema());
  std::vector<ModelRow> rows;
  for (int i = 0; i < n_rows; ++i) {
    ModelRow r{*rc::gen::inRange<int64_t>(0, 8), *rc::gen::inRange<uint64_t>(1, 30)};
    RC_ASSERT(seg.Insert(testing::Rows(seg.schema(), {r.pk}, Timestamp{r.ts})).ok());
    rows.push_back(r);
  }
  std::vector<ModelDelete> dels;
  for (int i = 0; i < n_dels; ++i) {
    ModelDelete d{*rc::gen::inRange<int64_t>(0, 8), *rc::gen::inRange<uint64_t>(1, 30)};
    RC_ASSERT(seg.Delete({d.pk}, {Timestamp{d.ts}}).ok());
    dels.push_back(d);
  }
  for (uint64_t m = 0; m <= 31; ++m) {
    ann::Bitset bits = seg.VisibleBitset(Timestamp{m});
    int64_t expected = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      bool want = ModelVisible(rows[i], dels, m);
      expected += want;
      RC_ASSERT(seg.IsVisible(static_cast<int64_t>(i), Timestamp{m}) == want);
      RC_ASSERT(bits.Test(static_cast<int64_t>(i)) == want);
    }
    RC_ASSERT(*seg.Count("", Timestamp{m}) == expected);
  }
}

}  // namespace
}  // namespace simvus::segment
