#include "components/segment/reduce.h"

#include <algorithm>
#include <map>
#include <set>

namespace simvus::segment {

Result<SearchResult> ReduceSearchResults(const std::vector<SearchResult>& parts, int64_t topk,
                                         int64_t offset) {
  SearchResult out;
  if (parts.empty()) return out;
  if (topk < 1 || offset < 0 || topk + offset > kMaxTopK) {
    return InvalidArgument("reduce: topk " + std::to_string(topk) + " + offset " +
                           std::to_string(offset) + ", expected topk >= 1, offset >= 0 and " +
                           "topk + offset <= " + std::to_string(kMaxTopK));
  }
  out.metric = parts[0].metric;
  const size_t nq = parts[0].queries.size();
  for (const SearchResult& p : parts) {
    if (p.metric != out.metric || p.queries.size() != nq) {
      return InvalidArgument(
          "reduce: parts disagree on metric or nq (" + std::string(ann::MetricTypeName(p.metric)) +
          ", " + std::to_string(p.queries.size()) + " vs " +
          std::string(ann::MetricTypeName(out.metric)) + ", " + std::to_string(nq) + ")");
    }
  }
  const ann::MetricType metric = out.metric;
  out.queries.resize(nq);
  std::vector<const Hit*> all;
  for (size_t q = 0; q < nq; ++q) {
    all.clear();
    for (const SearchResult& p : parts) {
      for (const Hit& h : p.queries[q]) all.push_back(&h);
    }
    std::stable_sort(all.begin(), all.end(), [metric](const Hit* a, const Hit* b) {
      if (a->score != b->score) return ann::IsBetter(metric, a->score, b->score);
      return a->pk < b->pk;
    });
    std::set<PrimaryKey> seen;
    int64_t skipped = 0;
    std::vector<Hit>& dst = out.queries[q];
    for (const Hit* h : all) {
      if (static_cast<int64_t>(dst.size()) >= topk) break;
      if (!seen.insert(h->pk).second) continue;  // a worse copy of a pk already taken
      if (skipped < offset) {
        ++skipped;
        continue;
      }
      dst.push_back(*h);
    }
  }
  return out;
}

Result<QueryResult> ReduceQueryResults(const std::vector<QueryResult>& parts, int64_t limit) {
  QueryResult out;
  if (parts.empty()) return out;
  out.field_names = parts[0].field_names;
  for (const QueryResult& p : parts) {
    if (p.field_names != out.field_names) {
      return InvalidArgument("reduce: parts disagree on output fields");
    }
  }
  // pk -> (part, row) of the newest version seen so far.
  std::map<PrimaryKey, std::pair<size_t, int64_t>> newest;
  for (size_t i = 0; i < parts.size(); ++i) {
    for (int64_t r = 0; r < parts[i].num_rows(); ++r) {
      const PrimaryKey& pk = parts[i].pks[static_cast<size_t>(r)];
      auto [it, inserted] = newest.try_emplace(pk, i, r);
      if (!inserted) {
        const auto& [pi, pr] = it->second;
        if (parts[i].timestamps[static_cast<size_t>(r)] >
            parts[pi].timestamps[static_cast<size_t>(pr)]) {
          it->second = {i, r};
        }
      }
    }
  }
  for (size_t f = 0; f < out.field_names.size(); ++f) {
    FieldColumn c;
    c.type = parts[0].fields[f].type;
    c.dim = parts[0].fields[f].dim;
    out.fields.push_back(std::move(c));
  }
  for (const auto& [pk, where] : newest) {
    if (limit >= 0 && out.num_rows() >= limit) break;
    const auto& [pi, pr] = where;
    out.pks.push_back(pk);
    out.timestamps.push_back(parts[pi].timestamps[static_cast<size_t>(pr)]);
    for (size_t f = 0; f < out.fields.size(); ++f) {
      out.fields[f].AppendRange(parts[pi].fields[f], pr, pr + 1);
    }
  }
  return out;
}

}  // namespace simvus::segment
