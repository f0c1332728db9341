// Segment: the rows of one segment (growing or sealed), its deletes, and its optional index.
//
// Growing: Insert appends rows with their timestamps; Delete records (pk, ts) pairs. Seal()
// freezes the rows (deletes still arrive: Milvus forwards them to sealed segments too). A sealed
// segment may get a built ANN index (BuildIndex, or SetIndex after loading an index file); without
// one, searches are exact brute force (ann::FlatSearch), as Milvus does for segments below
// minSegmentNumRowsToEnableIndex.
//
// Interim index (reference/milvus-semantics.md §8, queryNode.segcore.interimIndex.*): off by
// default. When InterimIndexOptions::enabled, every full chunk of `chunk_rows` rows of a growing
// segment gets its own IVF_FLAT index (nlist, seed) as soon as the chunk fills; the tail (the rows
// after the last full chunk) is scanned by brute force. Search runs every chunk index (nprobe) and
// the tail under the same bitset and merges them, so a growing search is approximate (a row may be
// missed) but never returns a row outside filter AND visible(M), and every returned score is the
// row's exact distance. Seal() drops the interim indexes: a sealed segment is exact brute force
// until BuildIndex / SetIndex, as without the option.
//
// A filtered search of an HNSW index scans the passing rows instead when at least 93 % of the rows
// are filtered out or topk is at least half the rows that pass (knowhere's
// kHnswSearchKnnBFFilterThreshold and kHnswSearchBFTopkThreshold): the graph walk cannot beat a
// scan then, and may find fewer than topk of the rows.
//
// Every read takes an MVCC timestamp M and sees exactly the rows visible at M (delete_log.h):
// insert_ts <= M and no delete of the pk with insert_ts < t_d < M. Search evaluates
// bitset = filter AND visible(M) and then searches the index (or scans) under that bitset.
//
// Determinism: no threads (index builds and searches run with ann::BuildOptions/SearchOptions,
// one thread by default), no unordered iteration reaching results, ties broken by row order or
// pk. Not thread-safe: a segment belongs to one node's tasks.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "components/ann/bitset.h"
#include "components/ann/vector_index.h"
#include "components/env/result.h"
#include "components/segment/delete_log.h"
#include "components/segment/field_column.h"
#include "components/segment/query_result.h"
#include "components/segment/schema.h"
#include "components/segment/search_result.h"

namespace simvus::segment {

enum class SegmentState { kGrowing, kSealed };

// Milvus's interim index knobs: queryNode.segcore.interimIndex.enableIndex, .nlist, .nprobe and
// queryNode.segcore.chunkRows. Off by default: the simulator's checker verifies exact top-k.
struct InterimIndexOptions {
  bool enabled = false;
  int64_t chunk_rows = 1024;  // rows per chunk; each full chunk gets one IVF_FLAT index
  int64_t nlist = 128;        // IVF_FLAT build param, [1, chunk_rows] (k-means needs the rows)
  int64_t nprobe = 16;        // search param for every chunk, [1, nlist]; request params ignored
  uint64_t seed = 0;          // k-means seed of every chunk build (one thread)

  // Names the field, the value and the expected range. Disabled options are always valid.
  Status Validate() const;
};

class Segment {
 public:
  // REQUIRES: schema.Validate() and interim.Validate() are OK (use Create to get an error
  // instead).
  Segment(SegmentId id, CollectionSchema schema, InterimIndexOptions interim = {});
  static Result<std::unique_ptr<Segment>> Create(SegmentId id, CollectionSchema schema,
                                                 InterimIndexOptions interim = {});

  SegmentId id() const { return id_; }
  const CollectionSchema& schema() const { return schema_; }
  SegmentState state() const { return state_; }
  int64_t num_rows() const { return static_cast<int64_t>(timestamps_.size()); }
  const std::vector<Timestamp>& timestamps() const { return timestamps_; }
  const FieldColumn& column(int field_index) const {
    return columns_[static_cast<size_t>(field_index)];
  }
  const std::vector<FieldColumn>& columns() const { return columns_; }
  const DeleteLog& delete_log() const { return deletes_; }
  PrimaryKey pk(int64_t row) const { return columns_[pk_index_].PrimaryKeyAt(row); }
  const ann::VectorIndex* index() const { return index_.get(); }
  const InterimIndexOptions& interim_options() const { return interim_; }
  // Chunks with a built interim index: rows [0, num_interim_chunks() * chunk_rows) are searched
  // through them, the rest by brute force. 0 when disabled or sealed.
  int64_t num_interim_chunks() const { return static_cast<int64_t>(interim_chunks_.size()); }
  const ann::VectorIndex& interim_index(int64_t chunk) const {
    return *interim_chunks_[static_cast<size_t>(chunk)];
  }

  // kFailedPrecondition when sealed; kInvalidArgument when the batch does not fit the schema.
  // With the interim index on, builds the index of every chunk the batch fills. A failed chunk
  // build is not an insert error (the rows are in): the chunk stays in the brute-force tail,
  // which is exact, and the build is retried at the next Insert.
  Status Insert(const InsertBatch& batch);
  // REQUIRES pks.size() == tss.size(); pk types must match the primary key field.
  Status Delete(const std::vector<PrimaryKey>& pks, const std::vector<Timestamp>& tss);
  // Freezes the rows and drops the interim indexes.
  void Seal();

  // Builds an index over the vector column. kFailedPrecondition unless sealed; the spec's dim and
  // metric must match the vector field.
  Status BuildIndex(const ann::IndexSpec& spec, const ann::BuildOptions& options = {});
  // Attaches a loaded index. Same checks as BuildIndex, and index->size() == num_rows().
  Status SetIndex(std::unique_ptr<ann::VectorIndex> index);

  bool IsVisible(int64_t row, Timestamp mvcc_ts) const;
  ann::Bitset VisibleBitset(Timestamp mvcc_ts) const;
  // filter AND visible(mvcc_ts); filter may be empty.
  Result<ann::Bitset> FilterBitset(const std::string& filter, Timestamp mvcc_ts) const;

  Result<SearchResult> Search(const SearchRequest& request,
                              const ann::SearchOptions& options = {}) const;
  Result<QueryResult> Query(const QueryRequest& request) const;
  // Visible rows matching the filter (every version counts, as Milvus's count(*) does).
  Result<int64_t> Count(const std::string& filter, Timestamp mvcc_ts) const;

 private:
  Status CheckIndexFits(const ann::IndexSpec& spec) const;
  void BuildInterimChunks();
  // Rows from `begin` on (the tail after the last interim chunk, or all of them), by brute force,
  // as row ids of the whole segment.
  ann::SearchHits SearchFlat(const SearchRequest& request, const ann::Bitset* filter,
                             const ann::SearchOptions& options, int64_t begin) const;
  // The interim chunks and the tail under `filter`, merged into one top-k.
  Result<ann::SearchHits> SearchInterim(const SearchRequest& request, const ann::Bitset* filter,
                                        const ann::SearchOptions& options) const;

  SegmentId id_;
  CollectionSchema schema_;
  size_t pk_index_;
  size_t vector_index_;
  SegmentState state_ = SegmentState::kGrowing;
  std::vector<Timestamp> timestamps_;
  Timestamp max_ts_;
  std::vector<FieldColumn> columns_;
  std::vector<float> norms_;  // COSINE: |v| per row, for brute force
  DeleteLog deletes_;
  std::unique_ptr<ann::VectorIndex> index_;
  InterimIndexOptions interim_;
  std::vector<std::unique_ptr<ann::VectorIndex>> interim_chunks_;  // chunk c: rows [cC, (c+1)C)
};

}  // namespace simvus::segment
