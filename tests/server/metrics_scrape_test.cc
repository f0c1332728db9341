// Real mode serves each process's metrics on loopback, as Prometheus would scrape them: against
// `simvus up` (one process per role), an application creates a collection, inserts through
// Milvus's API and loads it; then `curl` fetches GET /metrics from the addresses the cluster file
// names (metrics.<process>): the proxy's process counts the inserted rows, and a query node's
// process shows the tSafe of the channel it leads moving forward.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "milvus/proto/milvus.grpc.pb.h"

namespace simvus {
namespace {

namespace mc = milvus::proto::common;
namespace mm = milvus::proto::milvus;
namespace ms = milvus::proto::schema;

constexpr int kDim = 4;
constexpr int kRows = 50;
const char* const kCollection = "metrics_scrape";

std::string Run(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  pclose(pipe);
  return output;
}

// The cluster file's metrics.<process> addresses.
std::map<std::string, std::string> MetricsAddresses(const std::string& dir) {
  std::map<std::string, std::string> addresses;
  std::ifstream in(dir + "/cluster.conf");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("metrics.", 0) != 0) continue;
    const size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    addresses[line.substr(8, equals - 8)] = line.substr(equals + 1);
  }
  return addresses;
}

// The values of `name`'s series whose labels include `node="<node>"` in a text exposition.
std::vector<double> Values(const std::string& exposition, const std::string& name,
                           const std::string& node) {
  std::vector<double> values;
  std::istringstream in(exposition);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + "{", 0) != 0) continue;
    if (line.find("node=\"" + node + "\"") == std::string::npos) continue;
    values.push_back(std::strtod(line.substr(line.rfind(' ') + 1).c_str(), nullptr));
  }
  return values;
}

// GET /metrics: the body, and curl's view of the HTTP status ("200"; "000" when unreachable).
std::string Scrape(const std::string& address, std::string* status = nullptr) {
  std::string out = Run("curl -s --max-time 5 -w '\n%{http_code}' http://" + address + "/metrics");
  const size_t last = out.rfind('\n');
  if (status != nullptr) *status = last == std::string::npos ? out : out.substr(last + 1);
  return last == std::string::npos ? "" : out.substr(0, last);
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return context;
}

#define ASSERT_MILVUS_OK(status) ASSERT_EQ((status).code(), 0) << (status).reason()

TEST(MetricsEndpoint, ServesTheProxysInsertCountAndAQueryNodesTsafe) {
  const char* dir = std::getenv("SIMVUS_UP_DIR");
  const char* address = std::getenv("SIMVUS_MILVUS_ADDRESS");
  ASSERT_TRUE(dir != nullptr && address != nullptr)
      << "set SIMVUS_UP_DIR and SIMVUS_MILVUS_ADDRESS to a running `simvus up`";
  const std::map<std::string, std::string> metrics = MetricsAddresses(dir);
  ASSERT_TRUE(metrics.count("proxy-1")) << "no metrics.proxy-1 in " << dir << "/cluster.conf";
  ASSERT_TRUE(metrics.count("querynode-1"));

  auto stub =
      mm::MilvusService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  {
    ms::CollectionSchema schema;
    schema.set_name(kCollection);
    ms::FieldSchema* pk = schema.add_fields();
    pk->set_fieldid(100);
    pk->set_name("pk");
    pk->set_is_primary_key(true);
    pk->set_data_type(ms::DataType::Int64);
    ms::FieldSchema* vec = schema.add_fields();
    vec->set_fieldid(101);
    vec->set_name("vec");
    vec->set_data_type(ms::DataType::FloatVector);
    mc::KeyValuePair* dim = vec->add_type_params();
    dim->set_key("dim");
    dim->set_value(std::to_string(kDim));
    mm::CreateCollectionRequest request;
    request.set_collection_name(kCollection);
    request.set_schema(schema.SerializeAsString());
    mc::Status status;
    ASSERT_TRUE(stub->CreateCollection(Context().get(), request, &status).ok());
    ASSERT_MILVUS_OK(status);
  }
  std::string http_status;
  const std::string before = Scrape(metrics.at("proxy-1"), &http_status);
  ASSERT_EQ(http_status, "200") << "GET http://" << metrics.at("proxy-1") << "/metrics";
  double inserted_before = 0;
  for (double v : Values(before, "milvus_proxy_insert_vectors_count", "proxy-1")) {
    inserted_before += v;
  }
  {
    mm::InsertRequest request;
    request.set_collection_name(kCollection);
    request.set_num_rows(kRows);
    ms::FieldData* pk = request.add_fields_data();
    pk->set_field_name("pk");
    pk->set_type(ms::DataType::Int64);
    ms::FieldData* vec = request.add_fields_data();
    vec->set_field_name("vec");
    vec->set_type(ms::DataType::FloatVector);
    vec->mutable_vectors()->set_dim(kDim);
    for (int64_t p = 1; p <= kRows; ++p) {
      pk->mutable_scalars()->mutable_long_data()->add_data(p);
      for (int d = 0; d < kDim; ++d) {
        vec->mutable_vectors()->mutable_float_vector()->add_data(static_cast<float>(p + d));
      }
    }
    mm::MutationResult result;
    ASSERT_TRUE(stub->Insert(Context().get(), request, &result).ok());
    ASSERT_MILVUS_OK(result.status());
  }
  {
    mm::CreateIndexRequest request;
    request.set_collection_name(kCollection);
    request.set_field_name("vec");
    const std::vector<std::pair<std::string, std::string>> params = {{"index_type", "FLAT"},
                                                                     {"metric_type", "COSINE"}};
    for (const auto& [key, value] : params) {
      mc::KeyValuePair* kv = request.add_extra_params();
      kv->set_key(key);
      kv->set_value(value);
    }
    mc::Status status;
    ASSERT_TRUE(stub->CreateIndex(Context().get(), request, &status).ok());
    ASSERT_MILVUS_OK(status);
    mm::LoadCollectionRequest load;
    load.set_collection_name(kCollection);
    load.set_replica_number(1);
    ASSERT_TRUE(stub->LoadCollection(Context().get(), load, &status).ok());
    ASSERT_MILVUS_OK(status);
  }

  // The proxy's process: the insert counter moved by the rows just inserted.
  const std::string after = Scrape(metrics.at("proxy-1"));
  double inserted = 0;
  for (double v : Values(after, "milvus_proxy_insert_vectors_count", "proxy-1")) inserted += v;
  EXPECT_GE(inserted - inserted_before, kRows) << after;
  EXPECT_FALSE(Values(after, "milvus_proxy_mutation_latency_count", "proxy-1").empty());

  // A query node's process: once the load made it a delegator, its tSafe gauge moves with the
  // time ticks (polled: the load and the first ticks take a moment).
  std::string seen;
  bool advanced = false;
  std::map<std::string, double> first;
  for (int attempt = 0; attempt < 120 && !advanced; ++attempt) {
    for (const auto& [process, at] : metrics) {
      if (process.rfind("querynode-", 0) != 0) continue;
      seen = Scrape(at);
      const std::vector<double> tsafe = Values(seen, "simvus_querynode_tsafe_ms", process);
      if (tsafe.empty() || tsafe.front() <= 0) continue;
      if (!first.count(process)) first[process] = tsafe.front();
      advanced = advanced || tsafe.front() > first[process];
    }
    if (!advanced) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_TRUE(advanced) << "no query node's simvus_querynode_tsafe_ms moved; last scrape:\n"
                        << seen;
  // By now the proxy has reported time ticks for the collection's pchannel.
  const std::string later = Scrape(metrics.at("proxy-1"));
  EXPECT_FALSE(Values(later, "simvus_proxy_time_tick_ms", "proxy-1").empty()) << later;
}

}  // namespace
}  // namespace simvus
