#include "components/segment/segment.h"

#include <algorithm>
#include <utility>

#include "components/ann/flat_search.h"
#include "components/expr/predicate.h"

namespace simvus::segment {
namespace {

// Bits [begin, begin + n) of `bits` as a bitset of n rows.
ann::Bitset Slice(const ann::Bitset& bits, int64_t begin, int64_t n) {
  ann::Bitset out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (bits.Test(begin + i)) out.Set(i);
  }
  return out;
}

}  // namespace

Status InterimIndexOptions::Validate() const {
  if (!enabled) return Status::Ok();
  if (chunk_rows < 1) {
    return InvalidArgument("interim index: chunk_rows " + std::to_string(chunk_rows) +
                           ", expected >= 1");
  }
  const int64_t nlist_max = std::min<int64_t>(65536, chunk_rows);
  if (nlist < 1 || nlist > nlist_max) {
    return InvalidArgument("interim index: nlist " + std::to_string(nlist) + ", expected [1, " +
                           std::to_string(nlist_max) + "] (at most chunk_rows " +
                           std::to_string(chunk_rows) + ": k-means trains on one chunk)");
  }
  if (nprobe < 1 || nprobe > nlist) {
    return InvalidArgument("interim index: nprobe " + std::to_string(nprobe) + ", expected [1, " +
                           std::to_string(nlist) + "] (nlist)");
  }
  return Status::Ok();
}

Segment::Segment(SegmentId id, CollectionSchema schema, InterimIndexOptions interim)
    : id_(id), schema_(std::move(schema)), interim_(interim) {
  SIMVUS_CHECK(schema_.Validate().ok(), "Segment: invalid schema " + schema_.Validate().ToString());
  SIMVUS_CHECK(interim_.Validate().ok(), "Segment: " + interim_.Validate().ToString());
  pk_index_ = static_cast<size_t>(schema_.primary_key_index());
  vector_index_ = static_cast<size_t>(schema_.vector_index());
  for (const FieldSchema& f : schema_.fields) columns_.push_back(FieldColumn::Empty(f));
}

Result<std::unique_ptr<Segment>> Segment::Create(SegmentId id, CollectionSchema schema,
                                                 InterimIndexOptions interim) {
  SIMVUS_RETURN_IF_ERROR(schema.Validate());
  SIMVUS_RETURN_IF_ERROR(interim.Validate());
  return std::make_unique<Segment>(id, std::move(schema), interim);
}

Status Segment::Insert(const InsertBatch& batch) {
  if (state_ != SegmentState::kGrowing) {
    return FailedPrecondition("insert: segment " + std::to_string(id_.value) +
                              " is sealed, expected a growing segment");
  }
  SIMVUS_RETURN_IF_ERROR(batch.Validate(schema_));
  const int64_t n = batch.num_rows();
  for (size_t i = 0; i < columns_.size(); ++i) columns_[i].AppendRange(batch.columns[i], 0, n);
  timestamps_.insert(timestamps_.end(), batch.timestamps.begin(), batch.timestamps.end());
  for (Timestamp ts : batch.timestamps) max_ts_ = std::max(max_ts_, ts);
  if (schema_.vector_field().metric == ann::MetricType::kCosine) {
    const FieldColumn& v = batch.columns[vector_index_];
    size_t old = norms_.size();
    norms_.resize(old + static_cast<size_t>(n));
    ann::ComputeNorms(v.floats.data(), n, v.dim, norms_.data() + old);
  }
  BuildInterimChunks();
  return Status::Ok();
}

void Segment::BuildInterimChunks() {
  if (!interim_.enabled || state_ != SegmentState::kGrowing) return;
  const FieldSchema& vf = schema_.vector_field();
  ann::IndexSpec spec;
  spec.type = ann::IndexType::kIvfFlat;
  spec.metric = vf.metric;
  spec.dim = vf.dim;
  spec.nlist = interim_.nlist;
  ann::BuildOptions build;
  build.seed = interim_.seed;
  build.num_threads = 1;
  const int64_t chunk_rows = interim_.chunk_rows;
  while ((num_interim_chunks() + 1) * chunk_rows <= num_rows()) {
    const float* data =
        columns_[vector_index_].floats.data() + num_interim_chunks() * chunk_rows * vf.dim;
    Result<std::unique_ptr<ann::VectorIndex>> built =
        ann::VectorIndex::Build(spec, data, chunk_rows, build);
    // The chunk stays in the brute-force tail (exact); the next Insert retries.
    if (!built.ok()) return;
    interim_chunks_.push_back(std::move(*built));
  }
}

void Segment::Seal() {
  state_ = SegmentState::kSealed;
  interim_chunks_.clear();
}

Status Segment::Delete(const std::vector<PrimaryKey>& pks, const std::vector<Timestamp>& tss) {
  if (pks.size() != tss.size()) {
    return InvalidArgument("delete: " + std::to_string(pks.size()) + " pks but " +
                           std::to_string(tss.size()) + " timestamps, expected equal counts");
  }
  const bool int_pk = schema_.primary_key().type == DataType::kInt64;
  for (const PrimaryKey& pk : pks) {
    if (std::holds_alternative<int64_t>(pk) != int_pk) {
      return InvalidArgument("delete: pk " + ToString(pk) + " does not match primary key '" +
                             schema_.primary_key().name + "' of type " +
                             std::string(DataTypeName(schema_.primary_key().type)));
    }
  }
  for (size_t i = 0; i < pks.size(); ++i) deletes_.Add(pks[i], tss[i]);
  return Status::Ok();
}

Status Segment::CheckIndexFits(const ann::IndexSpec& spec) const {
  const FieldSchema& v = schema_.vector_field();
  if (spec.dim != v.dim || spec.metric != v.metric) {
    return InvalidArgument("index " + spec.ToString() + " does not fit field '" + v.name +
                           "' (dim " + std::to_string(v.dim) + ", metric " +
                           std::string(ann::MetricTypeName(v.metric)) + ")");
  }
  if (state_ != SegmentState::kSealed) {
    return FailedPrecondition("index: segment " + std::to_string(id_.value) +
                              " is growing, expected a sealed segment");
  }
  return Status::Ok();
}

Status Segment::BuildIndex(const ann::IndexSpec& spec, const ann::BuildOptions& options) {
  SIMVUS_RETURN_IF_ERROR(CheckIndexFits(spec));
  Result<std::unique_ptr<ann::VectorIndex>> built =
      ann::VectorIndex::Build(spec, columns_[vector_index_].floats.data(), num_rows(), options);
  if (!built.ok()) return built.status();
  index_ = std::move(*built);
  return Status::Ok();
}

Status Segment::SetIndex(std::unique_ptr<ann::VectorIndex> index) {
  SIMVUS_RETURN_IF_ERROR(CheckIndexFits(index->spec()));
  if (index->size() != num_rows()) {
    return InvalidArgument("index holds " + std::to_string(index->size()) + " rows, expected " +
                           std::to_string(num_rows()));
  }
  index_ = std::move(index);
  return Status::Ok();
}

bool Segment::IsVisible(int64_t row, Timestamp mvcc_ts) const {
  Timestamp ts = timestamps_[static_cast<size_t>(row)];
  if (ts > mvcc_ts) return false;
  return deletes_.empty() || !deletes_.Deletes(pk(row), ts, mvcc_ts);
}

ann::Bitset Segment::VisibleBitset(Timestamp mvcc_ts) const {
  const int64_t n = num_rows();
  if (deletes_.empty() && max_ts_ <= mvcc_ts) return ann::Bitset(n, true);
  ann::Bitset bits(n);
  for (int64_t r = 0; r < n; ++r) {
    if (IsVisible(r, mvcc_ts)) bits.Set(r);
  }
  return bits;
}

Result<ann::Bitset> Segment::FilterBitset(const std::string& filter, Timestamp mvcc_ts) const {
  ann::Bitset bits = VisibleBitset(mvcc_ts);
  if (filter.empty()) return bits;
  Result<expr::Predicate> predicate = expr::Predicate::Compile(filter, schema_.ScalarFields());
  if (!predicate.ok()) return predicate.status();
  std::vector<expr::ColumnView> views;
  for (int i : schema_.ScalarFieldIndexes())
    views.push_back(columns_[static_cast<size_t>(i)].View());
  // A block of rows at a time (Predicate::EvaluateBlock): the rule of Evaluate, row by row.
  constexpr int64_t kBlockRows = 4096;
  std::vector<uint8_t> pass(static_cast<size_t>(std::min(kBlockRows, bits.size())));
  for (int64_t begin = 0; begin < bits.size(); begin += kBlockRows) {
    const int64_t count = std::min(kBlockRows, bits.size() - begin);
    predicate->EvaluateBlock(views, begin, count, pass.data());
    for (int64_t r = 0; r < count; ++r) {
      if (pass[static_cast<size_t>(r)] == 0) bits.Set(begin + r, false);
    }
  }
  return bits;
}

Result<SearchResult> Segment::Search(const SearchRequest& request,
                                     const ann::SearchOptions& options) const {
  const FieldSchema& vf = schema_.vector_field();
  if (request.nq < 1 || request.queries.size() != static_cast<size_t>(request.nq * vf.dim)) {
    return InvalidArgument("search: " + std::to_string(request.queries.size()) + " floats for nq " +
                           std::to_string(request.nq) + ", expected nq >= 1 queries of dim " +
                           std::to_string(vf.dim));
  }
  if (request.topk < 1 || request.topk > kMaxTopK) {
    return InvalidArgument("search: topk " + std::to_string(request.topk) + ", expected [1, " +
                           std::to_string(kMaxTopK) + "]");
  }
  // Fast path: no filter, no deletes, every row old enough: no bitset at all.
  const bool all_visible = request.filter.empty() && deletes_.empty() && max_ts_ <= request.mvcc_ts;
  Result<ann::Bitset> bits =
      all_visible ? ann::Bitset() : FilterBitset(request.filter, request.mvcc_ts);
  if (!bits.ok()) return bits.status();
  const ann::Bitset* filter = all_visible || bits->All() ? nullptr : &*bits;

  ann::SearchHits hits;
  const bool hnsw = index_ != nullptr && index_->spec().type == ann::IndexType::kHnsw;
  bool scan_instead = false;  // knowhere's brute-force thresholds for filtered HNSW (segment.h)
  bool flat_scan = false;     // the rows scanned by FlatSearch (no index, or scanned instead)
  if (hnsw && filter != nullptr) {
    const auto passing = static_cast<double>(filter->Count());
    const auto rows = static_cast<double>(num_rows());
    scan_instead =
        rows - passing >= 0.93 * rows || static_cast<double>(request.topk) >= 0.5 * passing;
  }
  if (index_ != nullptr) {
    Result<ann::SearchParams> params =
        ann::ParseSearchParams(request.params, index_->spec(), request.topk);
    if (!params.ok()) return params.status();  // checked even when the rows are scanned instead
    if (scan_instead) {
      hits = SearchFlat(request, filter, options, 0);
      flat_scan = true;
    } else {
      Result<ann::SearchHits> found = index_->Search(request.queries.data(), request.nq,
                                                     request.topk, *params, filter, options);
      if (!found.ok()) return found.status();
      hits = std::move(*found);
    }
  } else if (!interim_chunks_.empty()) {
    Result<ann::SearchHits> found = SearchInterim(request, filter, options);
    if (!found.ok()) return found.status();
    hits = std::move(*found);
  } else {
    hits = SearchFlat(request, filter, options, 0);
    flat_scan = true;
  }
  const bool graph = hnsw && !scan_instead;
  // Several queries scanned by FlatSearch read each block of rows once for all of them.
  const bool batched = flat_scan && request.nq > 1;
  SearchResult out;
  out.metric = vf.metric;
  (graph     ? out.graph_distances
   : batched ? out.batched_distances
             : out.scanned_distances) = hits.distances;
  out.rows_filtered = all_visible ? 0 : num_rows();  // the bitset walks every row
  out.queries.resize(static_cast<size_t>(request.nq));
  for (int64_t q = 0; q < request.nq; ++q) {
    std::vector<Hit>& dst = out.queries[static_cast<size_t>(q)];
    for (int64_t j = 0; j < hits.topk; ++j) {
      int64_t row = hits.id(q, j);
      if (row < 0) break;
      dst.push_back({pk(row), hits.score(q, j)});
    }
    // Indexes may order equal scores differently; make ties follow the pk.
    std::stable_sort(dst.begin(), dst.end(), [m = vf.metric](const Hit& a, const Hit& b) {
      if (a.score != b.score) return ann::IsBetter(m, a.score, b.score);
      return a.pk < b.pk;
    });
  }
  return out;
}

ann::SearchHits Segment::SearchFlat(const SearchRequest& request, const ann::Bitset* filter,
                                    const ann::SearchOptions& options, int64_t begin) const {
  const FieldSchema& vf = schema_.vector_field();
  const int64_t n = num_rows() - begin;
  ann::Bitset tail_bits;
  if (filter != nullptr && begin > 0) {
    tail_bits = Slice(*filter, begin, n);
    filter = &tail_bits;
  }
  ann::FlatSearchInput input;
  input.metric = vf.metric;
  input.dim = vf.dim;
  input.base = columns_[vector_index_].floats.data() + begin * vf.dim;
  input.n = n;
  input.base_norms = norms_.empty() ? nullptr : norms_.data() + begin;
  input.filter = filter;
  input.num_threads = options.num_threads;
  ann::SearchHits hits = ann::FlatSearch(input, request.queries.data(), request.nq, request.topk);
  for (int64_t& id : hits.ids) {
    if (id >= 0) id += begin;
  }
  return hits;
}

Result<ann::SearchHits> Segment::SearchInterim(const SearchRequest& request,
                                               const ann::Bitset* filter,
                                               const ann::SearchOptions& options) const {
  const ann::MetricType metric = schema_.vector_field().metric;
  const int64_t nq = request.nq;
  const int64_t topk = request.topk;
  const int64_t chunk_rows = interim_.chunk_rows;
  // Per query, every (score, row) candidate of every chunk and of the tail.
  std::vector<std::vector<std::pair<float, int64_t>>> candidates(static_cast<size_t>(nq));
  int64_t distances = 0;
  auto collect = [&](const ann::SearchHits& found, int64_t row_base) {
    distances += found.distances;
    for (int64_t q = 0; q < nq; ++q) {
      for (int64_t j = 0; j < topk; ++j) {
        const int64_t row = found.id(q, j);
        if (row < 0) break;
        candidates[static_cast<size_t>(q)].emplace_back(found.score(q, j), row + row_base);
      }
    }
  };
  // Milvus searches interim indexes with its own nprobe; the request's params are for the
  // collection's index.
  ann::SearchParams params;
  params.nprobe = interim_.nprobe;
  for (int64_t c = 0; c < num_interim_chunks(); ++c) {
    const int64_t begin = c * chunk_rows;
    ann::Bitset chunk_bits;
    const ann::Bitset* chunk_filter = nullptr;
    if (filter != nullptr) {
      chunk_bits = Slice(*filter, begin, chunk_rows);
      const int64_t allowed = chunk_bits.Count();
      if (allowed == 0) continue;
      if (allowed < chunk_rows) chunk_filter = &chunk_bits;
    }
    Result<ann::SearchHits> found = interim_chunks_[static_cast<size_t>(c)]->Search(
        request.queries.data(), nq, topk, params, chunk_filter, options);
    if (!found.ok()) return found.status();
    collect(*found, begin);
  }
  if (num_rows() > num_interim_chunks() * chunk_rows) {
    collect(SearchFlat(request, filter, options, num_interim_chunks() * chunk_rows), 0);
  }
  ann::SearchHits merged(nq, topk, metric);
  merged.distances = distances;
  for (int64_t q = 0; q < nq; ++q) {
    std::vector<std::pair<float, int64_t>>& list = candidates[static_cast<size_t>(q)];
    std::sort(list.begin(), list.end(), [metric](const auto& a, const auto& b) {
      if (a.first != b.first) return ann::IsBetter(metric, a.first, b.first);
      return a.second < b.second;
    });
    const size_t keep = std::min(list.size(), static_cast<size_t>(topk));
    for (size_t j = 0; j < keep; ++j) {
      const size_t slot = static_cast<size_t>(q * topk) + j;
      merged.scores[slot] = list[j].first;
      merged.ids[slot] = list[j].second;
    }
  }
  return merged;
}

Result<QueryResult> Segment::Query(const QueryRequest& request) const {
  QueryResult out;
  std::vector<size_t> field_indexes;
  for (const std::string& name : request.output_fields) {
    Result<int> index = schema_.FieldIndex(name);
    if (!index.ok()) return index.status();
    field_indexes.push_back(static_cast<size_t>(*index));
    out.field_names.push_back(name);
    out.fields.push_back(FieldColumn::Empty(schema_.fields[static_cast<size_t>(*index)]));
  }
  Result<ann::Bitset> bits = FilterBitset(request.filter, request.mvcc_ts);
  if (!bits.ok()) return bits.status();
  for (int64_t r = 0; r < bits->size(); ++r) {
    if (!bits->Test(r)) continue;
    out.pks.push_back(pk(r));
    out.timestamps.push_back(timestamps_[static_cast<size_t>(r)]);
    for (size_t f = 0; f < field_indexes.size(); ++f) {
      out.fields[f].AppendRange(columns_[field_indexes[f]], r, r + 1);
    }
  }
  return out;
}

Result<int64_t> Segment::Count(const std::string& filter, Timestamp mvcc_ts) const {
  Result<ann::Bitset> bits = FilterBitset(filter, mvcc_ts);
  if (!bits.ok()) return bits.status();
  return bits->Count();
}

}  // namespace simvus::segment
