#include "scenarios/bench/datasets.h"

#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string_view>

#include "components/ann/flat_search.h"
#include "components/env/content_hash.h"
#include "components/env/rng.h"

namespace simvus::scenarios::bench {
namespace {

Result<std::vector<float>> ReadIdx3(const std::string& path, int64_t max_items, int64_t* dim) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return NotFound(path + ": cannot open (install dataset-fashion-mnist)");
  unsigned char header[16];
  if (gzread(f, header, 16) != 16) {
    gzclose(f);
    return DataLoss(path + ": short header");
  }
  auto be32 = [&](int off) {
    return (int64_t{header[off]} << 24) | (int64_t{header[off + 1]} << 16) |
           (int64_t{header[off + 2]} << 8) | int64_t{header[off + 3]};
  };
  if (be32(0) != 0x803) {
    gzclose(f);
    return DataLoss(path + ": magic " + std::to_string(be32(0)) + ", expected 2051 (IDX3)");
  }
  int64_t n = std::min(be32(4), max_items);
  *dim = be32(8) * be32(12);
  std::vector<unsigned char> raw(static_cast<size_t>(n * *dim));
  int got = gzread(f, raw.data(), static_cast<unsigned>(raw.size()));
  gzclose(f);
  if (got != static_cast<int>(raw.size())) return DataLoss(path + ": truncated");
  return std::vector<float>(raw.begin(), raw.end());
}

}  // namespace

Result<AnnDataset> LoadFashionMnist(const std::string& dir, int64_t max_queries, int64_t max_rows) {
  AnnDataset d;
  d.name = "fashion-mnist-784";
  int64_t dim_q = 0;
  Result<std::vector<float>> base = ReadIdx3(dir + "/train-images-idx3-ubyte.gz", max_rows, &d.dim);
  if (!base.ok()) return base.status();
  Result<std::vector<float>> queries =
      ReadIdx3(dir + "/t10k-images-idx3-ubyte.gz", max_queries, &dim_q);
  if (!queries.ok()) return queries.status();
  d.base = std::move(*base);
  d.queries = std::move(*queries);
  d.n = static_cast<int64_t>(d.base.size()) / d.dim;
  d.nq = static_cast<int64_t>(d.queries.size()) / d.dim;
  return d;
}

AnnDataset ClusteredDataset(uint64_t seed, int64_t n, int64_t dim, int64_t nq, int64_t centers) {
  AnnDataset d;
  d.name = "clustered-" + std::to_string(n) + "x" + std::to_string(dim);
  d.dim = dim;
  d.n = n;
  d.nq = nq;
  Rng rng(seed);
  std::vector<float> c(static_cast<size_t>(centers * dim));
  for (float& x : c) x = static_cast<float>(rng.UniformUnit() * 2 - 1);
  auto fill = [&](std::vector<float>& out, int64_t rows) {
    out.resize(static_cast<size_t>(rows * dim));
    for (int64_t i = 0; i < rows; ++i) {
      int64_t k = rng.UniformInt(0, centers - 1);
      for (int64_t j = 0; j < dim; ++j) {
        out[static_cast<size_t>(i * dim + j)] =
            c[static_cast<size_t>(k * dim + j)] + static_cast<float>(rng.Normal(0, 0.25));
      }
    }
  };
  fill(d.base, n);
  fill(d.queries, nq);
  return d;
}

void ComputeTruth(AnnDataset& data) {
  ann::FlatSearchInput input;
  input.metric = ann::MetricType::kL2;
  input.dim = data.dim;
  input.base = data.base.data();
  input.n = data.n;
  data.truth = ann::FlatSearch(input, data.queries.data(), data.nq, data.k).ids;
}

namespace {

constexpr char kTruthMagic[8] = {'S', 'V', 'T', 'R', 'U', 'T', 'H', '1'};

std::string_view BytesOf(const std::vector<float>& v) {
  return {reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)};
}

}  // namespace

std::string DefaultCacheDir() {
  if (const char* dir = std::getenv("SIMVUS_CACHE_DIR"); dir != nullptr && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg) {
    return std::string(xdg) + "/simvus";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home) {
    return std::string(home) + "/.cache/simvus";
  }
  return "";
}

std::string CachedTruth(AnnDataset& data, const std::string& cache_dir) {
  if (cache_dir.empty()) {
    ComputeTruth(data);
    return "ground truth: computed (no cache directory: set SIMVUS_CACHE_DIR)";
  }
  char key[17];
  const uint64_t hash = ContentHash64(BytesOf(data.base)) * 31 +
                        ContentHash64(BytesOf(data.queries)) * 7 + static_cast<uint64_t>(data.k);
  std::snprintf(key, sizeof(key), "%016llx", static_cast<unsigned long long>(hash));
  const std::string path = cache_dir + "/truth/" + data.name + "-" + std::to_string(data.n) + "x" +
                           std::to_string(data.dim) + "-q" + std::to_string(data.nq) + "-k" +
                           std::to_string(data.k) + "-" + key + ".bin";
  const auto want = static_cast<size_t>(data.nq * data.k);
  if (std::ifstream in(path, std::ios::binary); in) {
    char magic[8];
    int64_t nq = 0, k = 0;
    in.read(magic, 8);
    in.read(reinterpret_cast<char*>(&nq), sizeof(nq));
    in.read(reinterpret_cast<char*>(&k), sizeof(k));
    std::vector<int64_t> truth(want);
    in.read(reinterpret_cast<char*>(truth.data()),
            static_cast<std::streamsize>(want * sizeof(int64_t)));
    if (in && std::memcmp(magic, kTruthMagic, 8) == 0 && nq == data.nq && k == data.k &&
        in.peek() == std::char_traits<char>::eof()) {
      data.truth = std::move(truth);
      return "ground truth: read from the cache, " + path;
    }
  }
  ComputeTruth(data);
  std::error_code error;
  std::filesystem::create_directories(cache_dir + "/truth", error);
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(kTruthMagic, 8);
    out.write(reinterpret_cast<const char*>(&data.nq), sizeof(data.nq));
    out.write(reinterpret_cast<const char*>(&data.k), sizeof(data.k));
    out.write(reinterpret_cast<const char*>(data.truth.data()),
              static_cast<std::streamsize>(want * sizeof(int64_t)));
    if (!out.flush()) {
      std::filesystem::remove(temp, error);
      return "ground truth: computed (warning: cannot write the cache file " + temp + ")";
    }
  }
  std::filesystem::rename(temp, path, error);  // whole files only: a reader never sees a part
  if (error) return "ground truth: computed (warning: cannot write " + path + ")";
  return "ground truth: computed and cached, " + path;
}

double RecallAtK(const AnnDataset& data, const std::vector<int64_t>& ids) {
  return RecallAtK(data.truth, ids, data.nq, data.k);
}

std::vector<int64_t> ComputeFilteredTruth(const AnnDataset& data, const ann::Bitset& filter,
                                          int64_t nq) {
  ann::FlatSearchInput input;
  input.metric = ann::MetricType::kL2;
  input.dim = data.dim;
  input.base = data.base.data();
  input.n = data.n;
  input.filter = &filter;
  return ann::FlatSearch(input, data.queries.data(), nq, data.k).ids;
}

double RecallAtK(const std::vector<int64_t>& truth, const std::vector<int64_t>& ids, int64_t nq,
                 int64_t k) {
  int64_t hits = 0;
  int64_t wanted = 0;
  for (int64_t q = 0; q < nq; ++q) {
    std::set<int64_t> want;
    for (int64_t j = 0; j < k; ++j) {
      const int64_t id = truth[static_cast<size_t>(q * k + j)];
      if (id >= 0) want.insert(id);
    }
    wanted += static_cast<int64_t>(want.size());
    for (int64_t j = 0; j < k; ++j) {
      const int64_t id = ids[static_cast<size_t>(q * k + j)];
      if (id >= 0) hits += static_cast<int64_t>(want.count(id));
    }
  }
  return wanted == 0 ? 1.0 : static_cast<double>(hits) / static_cast<double>(wanted);
}

}  // namespace simvus::scenarios::bench
