#include "components/ann/index_spec.h"

#include <charconv>
#include <limits>
#include <set>

namespace simvus::ann {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Reads params[key] as an integer in [lo, hi]; absent keys yield `fallback`.
Result<int64_t> IntParam(const IndexParams& params, const std::string& key, int64_t lo, int64_t hi,
                         int64_t fallback) {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  const std::string& text = it->second;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return InvalidArgument(key + ": '" + text + "' is not an integer, expected an integer in [" +
                           std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  if (value < lo || value > hi) {
    return InvalidArgument(key + ": " + text + " is out of range, expected an integer in [" +
                           std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return value;
}

Status CheckKnownKeys(const IndexParams& params, const std::set<std::string>& allowed,
                      std::string_view where) {
  for (const auto& [key, value] : params) {
    if (allowed.count(key) == 0) {
      std::string expected;
      for (const auto& a : allowed) expected += (expected.empty() ? "" : ", ") + a;
      return InvalidArgument(std::string(where) + ": unknown parameter '" + key +
                             "', expected one of: " + expected);
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view IndexTypeName(IndexType type) {
  switch (type) {
    case IndexType::kFlat:
      return "FLAT";
    case IndexType::kIvfFlat:
      return "IVF_FLAT";
    case IndexType::kIvfSq8:
      return "IVF_SQ8";
    case IndexType::kIvfPq:
      return "IVF_PQ";
    case IndexType::kHnsw:
      return "HNSW";
  }
  return "?";
}

Result<IndexType> ParseIndexType(std::string_view name) {
  std::string upper = Upper(name);
  for (IndexType t : {IndexType::kFlat, IndexType::kIvfFlat, IndexType::kIvfSq8, IndexType::kIvfPq,
                      IndexType::kHnsw}) {
    if (upper == IndexTypeName(t)) return t;
  }
  return InvalidArgument("index_type: '" + std::string(name) +
                         "' is not supported, expected one of FLAT, IVF_FLAT, IVF_SQ8, IVF_PQ, "
                         "HNSW");
}

IndexParams IndexSpec::ToParams() const {
  IndexParams p{{"index_type", std::string(IndexTypeName(type))},
                {"metric_type", std::string(MetricTypeName(metric))}};
  if (IsIvf(type)) p["nlist"] = std::to_string(nlist);
  if (type == IndexType::kIvfPq) {
    p["m"] = std::to_string(pq_m);
    p["nbits"] = std::to_string(pq_nbits);
  }
  if (type == IndexType::kHnsw) {
    p["M"] = std::to_string(hnsw_m);
    p["efConstruction"] = std::to_string(ef_construction);
  }
  return p;
}

std::string IndexSpec::ToString() const {
  IndexParams p = ToParams();
  std::string out = p["index_type"] + "(dim=" + std::to_string(dim);
  p.erase("index_type");
  for (const auto& [k, v] : p) out += "," + k + "=" + v;
  return out + ")";
}

Result<IndexSpec> ParseIndexSpec(const IndexParams& params, int64_t dim) {
  if (dim < 1 || dim > 32768) {
    return InvalidArgument("dim: " + std::to_string(dim) + " is out of range, expected [1, 32768]");
  }
  IndexSpec spec;
  spec.dim = dim;
  auto type_it = params.find("index_type");
  if (type_it == params.end()) {
    return InvalidArgument(
        "index_type: missing, expected one of FLAT, IVF_FLAT, IVF_SQ8, "
        "IVF_PQ, HNSW");
  }
  Result<IndexType> type = ParseIndexType(type_it->second);
  if (!type.ok()) return type.status();
  spec.type = *type;
  auto metric_it = params.find("metric_type");
  if (metric_it == params.end()) {
    return InvalidArgument("metric_type: missing, expected one of L2, IP, COSINE");
  }
  Result<MetricType> metric = ParseMetricType(metric_it->second);
  if (!metric.ok()) return metric.status();
  spec.metric = *metric;

  std::set<std::string> allowed{"index_type", "metric_type"};
  if (IsIvf(spec.type)) {
    allowed.insert("nlist");
    Result<int64_t> nlist = IntParam(params, "nlist", 1, 65536, 128);
    if (!nlist.ok()) return nlist.status();
    spec.nlist = *nlist;
  }
  if (spec.type == IndexType::kIvfPq) {
    allowed.insert({"m", "nbits"});
    if (params.count("m") == 0) {
      return InvalidArgument("m: missing for IVF_PQ, expected a divisor of dim " +
                             std::to_string(dim));
    }
    Result<int64_t> m = IntParam(params, "m", 1, dim, 0);
    if (!m.ok()) return m.status();
    if (dim % *m != 0) {
      return InvalidArgument("m: " + std::to_string(*m) + " does not divide dim " +
                             std::to_string(dim) + ", expected a divisor of dim");
    }
    spec.pq_m = *m;
    Result<int64_t> nbits = IntParam(params, "nbits", 1, 16, 8);
    if (!nbits.ok()) return nbits.status();
    spec.pq_nbits = *nbits;
  }
  if (spec.type == IndexType::kHnsw) {
    allowed.insert({"M", "efConstruction"});
    Result<int64_t> m = IntParam(params, "M", 2, 2048, 30);
    if (!m.ok()) return m.status();
    spec.hnsw_m = *m;
    Result<int64_t> efc = IntParam(params, "efConstruction", 1, kIntMax, 360);
    if (!efc.ok()) return efc.status();
    spec.ef_construction = *efc;
  }
  SIMVUS_RETURN_IF_ERROR(
      CheckKnownKeys(params, allowed, std::string(IndexTypeName(spec.type)) + " index params"));
  return spec;
}

Result<SearchParams> ParseSearchParams(const IndexParams& params, const IndexSpec& spec,
                                       int64_t topk) {
  SearchParams out;
  std::set<std::string> allowed;
  if (IsIvf(spec.type)) {
    allowed.insert("nprobe");
    Result<int64_t> nprobe =
        IntParam(params, "nprobe", 1, spec.nlist, std::min<int64_t>(8, spec.nlist));
    if (!nprobe.ok()) return nprobe.status();
    out.nprobe = *nprobe;
  }
  if (spec.type == IndexType::kHnsw) {
    allowed.insert("ef");
    Result<int64_t> ef = IntParam(params, "ef", topk, kIntMax, std::max<int64_t>(16, topk));
    if (!ef.ok()) return ef.status();
    out.ef = *ef;
  }
  SIMVUS_RETURN_IF_ERROR(
      CheckKnownKeys(params, allowed, std::string(IndexTypeName(spec.type)) + " search params"));
  return out;
}

}  // namespace simvus::ann
