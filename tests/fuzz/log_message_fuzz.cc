// FuzzLogMessage: a pchannel record as a query node consumes it (query_node.cc's Apply path).
//
// The input is the record's bytes. It is decoded as a LogMessage; an insert goes through
// InsertBatchOf into a growing segment that already holds a few rows, a delete into its delete
// buffer; then the segment is searched and counted at the message's ts.
// Properties: nothing crashes; a batch InsertBatchOf accepts, the segment accepts (the query
// node asserts this); deletes of any pks at any ts are accepted or refused with a Status.
#include <cstdint>
#include <vector>

#include "components/env/check.h"
#include "components/protocol/simvus.pb.h"
#include "components/roles/row_conversion.h"
#include "components/segment/segment.h"
#include "tests/fuzz/fuzz_targets.h"

namespace simvus::fuzz {
namespace {

constexpr int32_t kDim = 4;

proto::CollectionSchema Schema() { return roles::PkVectorSchema("fuzz", kDim); }

}  // namespace

void FuzzLogMessage(std::string_view data) {
  proto::LogMessage message;
  if (!message.ParseFromArray(data.data(), static_cast<int>(data.size()))) return;
  static const segment::CollectionSchema schema = roles::SegmentSchemaOf(Schema());
  segment::Segment growing(segment::SegmentId{1}, schema);
  proto::InsertMsg prelude;
  prelude.set_ts(1000);
  prelude.set_num_rows(3);
  proto::FieldData* prelude_pks = prelude.add_fields();
  prelude_pks->set_name("pk");
  proto::FieldData* vectors = prelude.add_fields();
  vectors->set_name("vec");
  vectors->set_dim(kDim);
  for (int64_t pk = 1; pk <= 3; ++pk) {
    prelude_pks->add_int64_data(pk);
    for (int32_t d = 0; d < kDim; ++d) vectors->add_float_vector(static_cast<float>(pk + d));
  }
  Result<segment::InsertBatch> first = roles::InsertBatchOf(schema, prelude);
  SIMVUS_CHECK(first.ok() && growing.Insert(*first).ok(), "prelude insert");

  uint64_t ts = 0;
  if (message.has_insert()) {
    ts = message.insert().ts();
    Result<segment::InsertBatch> batch = roles::InsertBatchOf(schema, message.insert());
    if (batch.ok()) {
      Status inserted = growing.Insert(*batch);
      SIMVUS_CHECK(inserted.ok(),
                   "InsertBatchOf accepted a batch the segment rejects: " + inserted.ToString());
    } else {
      SIMVUS_CHECK(batch.status().code() == StatusCode::kInvalidArgument,
                   "a message that does not fit must be InvalidArgument");
    }
  } else if (message.has_delete_()) {
    ts = message.delete_().ts();
    std::vector<segment::PrimaryKey> pks(message.delete_().pks().begin(),
                                         message.delete_().pks().end());
    std::vector<Timestamp> tss(pks.size(), Timestamp{ts});
    (void)growing.Delete(pks, tss);
  } else if (message.has_time_tick()) {
    ts = message.time_tick().ts();
  }
  segment::SearchRequest search;
  search.queries.assign(kDim, 1.5f);
  search.nq = 1;
  search.topk = 5;
  search.mvcc_ts = Timestamp{ts};
  (void)growing.Search(search);
  (void)growing.Count("", Timestamp{ts});
}

}  // namespace simvus::fuzz
