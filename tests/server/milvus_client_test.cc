// simvus as a server, end to end as a C++ application would use it: against `simvus up` (a local
// cluster, one process per role, the backends on loopback), Milvus's own gRPC API, from the stubs
// generated out of the SDK's descriptors, runs the flow an application runs: create a
// collection, insert, flush, build an HNSW index, load on two replicas, search with a filter,
// count, delete, search again. Answers are checked against a brute-force model of the rows.
// Then a query-node process is killed with SIGKILL mid-run: searches go on answering correctly
// (the other replica), and `simvus restart` brings the process back.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "milvus/proto/milvus.grpc.pb.h"

namespace simvus {
namespace {

namespace mc = milvus::proto::common;
namespace mm = milvus::proto::milvus;
namespace ms = milvus::proto::schema;

constexpr int kDim = 8;
constexpr int kRows = 300;
const char* const kCollection = "sdk_flow";

std::string Shell(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  return "exit=" + std::to_string(WEXITSTATUS(status)) + "\n" + output;
}

// One row of the model: what the collection should hold.
struct Row {
  int64_t pk;
  int64_t tag;
  std::vector<float> vec;
};

std::vector<float> VectorOf(int64_t pk) {
  std::vector<float> v(kDim);
  uint64_t x = static_cast<uint64_t>(pk) * 0x9E3779B97F4A7C15ULL + 12345;
  for (int d = 0; d < kDim; ++d) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    v[d] = static_cast<float>(x % 10000) / 10000.0f;
  }
  return v;
}

// COSINE, Milvus 2.5's default metric for float vectors: higher is closer.
float Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (int d = 0; d < kDim; ++d) {
    dot += a[d] * b[d];
    na += a[d] * a[d];
    nb += b[d] * b[d];
  }
  return static_cast<float>(dot / std::sqrt(na * nb));
}

class MilvusClientTest : public ::testing::Test {
 protected:
  // The cluster is ctest's fixture (simvus-up-start / simvus-up-stop); run by hand:
  //   simvus up --detach --dir D --port P
  //   SIMVUS_UP_DIR=D SIMVUS_MILVUS_ADDRESS=127.0.0.1:P milvus_client_test; simvus down --dir D
  static void SetUpTestSuite() {
    const char* dir = std::getenv("SIMVUS_UP_DIR");
    const char* address = std::getenv("SIMVUS_MILVUS_ADDRESS");
    ASSERT_TRUE(dir != nullptr && address != nullptr)
        << "set SIMVUS_UP_DIR and SIMVUS_MILVUS_ADDRESS to a running `simvus up`";
    dir_ = new std::string(dir);
    address_ = new std::string(address);
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    channel_ = new std::shared_ptr<grpc::Channel>(
        grpc::CreateCustomChannel(*address_, grpc::InsecureChannelCredentials(), args));
  }
  static void TearDownTestSuite() {
    delete channel_;
    if (HasFailure()) std::printf("the cluster's logs are in %s/logs\n", dir_->c_str());
  }

  std::unique_ptr<mm::MilvusService::Stub> Stub() { return mm::MilvusService::NewStub(*channel_); }

  static std::unique_ptr<grpc::ClientContext> Context(int seconds = 60) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return context;
  }

  // Search with one query vector: (pk, distance) best first.
  static std::vector<std::pair<int64_t, float>> Search(mm::MilvusService::Stub& stub,
                                                       const std::vector<float>& query,
                                                       const std::string& filter, int topk,
                                                       mc::Status* status) {
    mc::PlaceholderGroup group;
    mc::PlaceholderValue* value = group.add_placeholders();
    value->set_tag("$0");
    value->set_type(mc::PlaceholderType::FloatVector);
    value->add_values(
        std::string(reinterpret_cast<const char*>(query.data()), query.size() * sizeof(float)));
    mm::SearchRequest request;
    request.set_collection_name(kCollection);
    request.set_dsl(filter);
    request.set_dsl_type(mc::DslType::BoolExprV1);
    request.set_placeholder_group(group.SerializeAsString());
    request.set_nq(1);
    request.set_consistency_level(mc::ConsistencyLevel::Strong);
    const std::vector<std::pair<std::string, std::string>> params = {{"anns_field", "vec"},
                                                                     {"topk", std::to_string(topk)},
                                                                     {"metric_type", "COSINE"},
                                                                     {"params", "{\"ef\": 64}"}};
    for (const auto& [key, v] : params) {
      mc::KeyValuePair* kv = request.add_search_params();
      kv->set_key(key);
      kv->set_value(v);
    }
    mm::SearchResults results;
    grpc::Status rpc = stub.Search(Context().get(), request, &results);
    std::vector<std::pair<int64_t, float>> hits;
    if (!rpc.ok()) {
      status->set_code(-1);
      status->set_reason("gRPC: " + rpc.error_message());
      return hits;
    }
    *status = results.status();
    const ms::SearchResultData& data = results.results();
    for (int i = 0; i < data.ids().int_id().data_size(); ++i) {
      hits.emplace_back(data.ids().int_id().data(i), data.scores(i));
    }
    return hits;
  }

  static std::vector<int64_t> Expected(const std::map<int64_t, Row>& rows,
                                       const std::vector<float>& query, int64_t tag, int topk) {
    std::vector<std::pair<float, int64_t>> scored;
    for (const auto& [pk, row] : rows) {
      if (row.tag == tag) scored.emplace_back(-Cosine(row.vec, query), pk);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<int64_t> pks;
    for (int i = 0; i < topk && i < static_cast<int>(scored.size()); ++i) {
      pks.push_back(scored[i].second);
    }
    return pks;
  }

  static int64_t Count(mm::MilvusService::Stub& stub, mc::Status* status) {
    mm::QueryRequest request;
    request.set_collection_name(kCollection);
    request.set_expr("");
    request.add_output_fields("count(*)");
    request.set_consistency_level(mc::ConsistencyLevel::Strong);
    mm::QueryResults results;
    grpc::Status rpc = stub.Query(Context().get(), request, &results);
    if (!rpc.ok()) {
      status->set_code(-1);
      status->set_reason("gRPC: " + rpc.error_message());
      return -1;
    }
    *status = results.status();
    for (const ms::FieldData& field : results.fields_data()) {
      if (field.field_name() == "count(*)" && field.scalars().long_data().data_size() == 1) {
        return field.scalars().long_data().data(0);
      }
    }
    return -1;
  }

  static std::string* dir_;
  static std::string* address_;
  static std::shared_ptr<grpc::Channel>* channel_;
  static std::map<int64_t, Row> rows_;  // the model, shared by the tests in order
};

std::string* MilvusClientTest::dir_ = nullptr;
std::string* MilvusClientTest::address_ = nullptr;
std::shared_ptr<grpc::Channel>* MilvusClientTest::channel_ = nullptr;
std::map<int64_t, Row> MilvusClientTest::rows_;

#define EXPECT_MILVUS_OK(status) EXPECT_EQ((status).code(), 0) << (status).reason()
#define ASSERT_MILVUS_OK(status) ASSERT_EQ((status).code(), 0) << (status).reason()

TEST_F(MilvusClientTest, TheApplicationFlowAnswersAsMilvusWould) {
  auto stub = Stub();
  {
    ms::CollectionSchema schema;
    schema.set_name(kCollection);
    ms::FieldSchema* pk = schema.add_fields();
    pk->set_fieldid(100);
    pk->set_name("pk");
    pk->set_is_primary_key(true);
    pk->set_data_type(ms::DataType::Int64);
    ms::FieldSchema* tag = schema.add_fields();
    tag->set_fieldid(101);
    tag->set_name("tag");
    tag->set_data_type(ms::DataType::Int64);
    ms::FieldSchema* vec = schema.add_fields();
    vec->set_fieldid(102);
    vec->set_name("vec");
    vec->set_data_type(ms::DataType::FloatVector);
    mc::KeyValuePair* dim = vec->add_type_params();
    dim->set_key("dim");
    dim->set_value(std::to_string(kDim));
    mm::CreateCollectionRequest request;
    request.set_collection_name(kCollection);
    request.set_schema(schema.SerializeAsString());
    request.set_shards_num(2);
    mc::Status status;
    ASSERT_TRUE(stub->CreateCollection(Context().get(), request, &status).ok());
    ASSERT_MILVUS_OK(status);
  }
  {
    mm::HasCollectionRequest request;
    request.set_collection_name(kCollection);
    mm::BoolResponse response;
    ASSERT_TRUE(stub->HasCollection(Context().get(), request, &response).ok());
    EXPECT_TRUE(response.value());
  }
  {
    mm::InsertRequest request;
    request.set_collection_name(kCollection);
    request.set_num_rows(kRows);
    ms::FieldData* pk = request.add_fields_data();
    pk->set_field_name("pk");
    pk->set_type(ms::DataType::Int64);
    ms::FieldData* tag = request.add_fields_data();
    tag->set_field_name("tag");
    tag->set_type(ms::DataType::Int64);
    ms::FieldData* vec = request.add_fields_data();
    vec->set_field_name("vec");
    vec->set_type(ms::DataType::FloatVector);
    vec->mutable_vectors()->set_dim(kDim);
    for (int64_t p = 1; p <= kRows; ++p) {
      Row row{p, p % 3, VectorOf(p)};
      pk->mutable_scalars()->mutable_long_data()->add_data(p);
      tag->mutable_scalars()->mutable_long_data()->add_data(row.tag);
      for (float f : row.vec) vec->mutable_vectors()->mutable_float_vector()->add_data(f);
      rows_[p] = row;
    }
    mm::MutationResult result;
    ASSERT_TRUE(stub->Insert(Context().get(), request, &result).ok());
    ASSERT_MILVUS_OK(result.status());
    EXPECT_EQ(result.insert_cnt(), kRows);
    EXPECT_EQ(result.ids().int_id().data_size(), kRows);
  }
  {
    mm::FlushRequest request;
    request.add_collection_names(kCollection);
    mm::FlushResponse response;
    ASSERT_TRUE(stub->Flush(Context().get(), request, &response).ok());
    ASSERT_MILVUS_OK(response.status());
    mm::GetFlushStateRequest state;
    state.set_collection_name(kCollection);
    for (int64_t id : response.coll_segids().at(kCollection).data()) state.add_segmentids(id);
    state.set_flush_ts(response.coll_flush_ts().at(kCollection));
    bool flushed = false;
    for (int i = 0; i < 300 && !flushed; ++i) {
      mm::GetFlushStateResponse answer;
      ASSERT_TRUE(stub->GetFlushState(Context().get(), state, &answer).ok());
      ASSERT_MILVUS_OK(answer.status());
      flushed = answer.flushed();
      if (!flushed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(flushed) << "GetFlushState never said flushed";
  }
  {
    mm::CreateIndexRequest request;
    request.set_collection_name(kCollection);
    request.set_field_name("vec");
    request.set_index_name("vec_hnsw");
    const std::vector<std::pair<std::string, std::string>> params = {
        {"index_type", "HNSW"},
        {"metric_type", "COSINE"},
        {"params", "{\"M\": 16, \"efConstruction\": 64}"}};
    for (const auto& [key, value] : params) {
      mc::KeyValuePair* kv = request.add_extra_params();
      kv->set_key(key);
      kv->set_value(value);
    }
    mc::Status status;
    ASSERT_TRUE(stub->CreateIndex(Context().get(), request, &status).ok());
    ASSERT_MILVUS_OK(status);
    bool finished = false;
    for (int i = 0; i < 600 && !finished; ++i) {
      mm::DescribeIndexRequest describe;
      describe.set_collection_name(kCollection);
      mm::DescribeIndexResponse answer;
      ASSERT_TRUE(stub->DescribeIndex(Context().get(), describe, &answer).ok());
      ASSERT_MILVUS_OK(answer.status());
      ASSERT_EQ(answer.index_descriptions_size(), 1);
      finished = answer.index_descriptions(0).state() == mc::IndexState::Finished;
      if (!finished) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(finished) << "the index never finished";
  }
  {
    mm::LoadCollectionRequest request;
    request.set_collection_name(kCollection);
    request.set_replica_number(2);  // one per query-node process
    mc::Status status;
    ASSERT_TRUE(stub->LoadCollection(Context().get(), request, &status).ok());
    ASSERT_MILVUS_OK(status);
    bool loaded = false;
    for (int i = 0; i < 600 && !loaded; ++i) {
      mm::GetLoadStateRequest state;
      state.set_collection_name(kCollection);
      mm::GetLoadStateResponse answer;
      ASSERT_TRUE(stub->GetLoadState(Context().get(), state, &answer).ok());
      ASSERT_MILVUS_OK(answer.status());
      loaded = answer.state() == mc::LoadState::LoadStateLoaded;
      if (!loaded) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(loaded) << "the collection never loaded";
  }
  for (int64_t probe : {7, 150, 299}) {
    mc::Status status;
    auto hits = Search(*stub, VectorOf(probe), "tag == 1", 5, &status);
    ASSERT_MILVUS_OK(status);
    std::vector<int64_t> pks;
    for (const auto& [pk, distance] : hits) {
      pks.push_back(pk);
      EXPECT_EQ(rows_.at(pk).tag, 1) << "the filter let pk " << pk << " through";
      EXPECT_NEAR(distance, Cosine(rows_.at(pk).vec, VectorOf(probe)), 1e-4);
    }
    EXPECT_EQ(pks, Expected(rows_, VectorOf(probe), 1, 5)) << "query of pk " << probe;
  }
  {
    mc::Status status;
    EXPECT_EQ(Count(*stub, &status), kRows);
    EXPECT_MILVUS_OK(status);
  }
  {
    // Delete the best hits of a probe; a Strong search must not return them again.
    const std::vector<int64_t> best = Expected(rows_, VectorOf(150), 1, 3);
    mm::DeleteRequest request;
    request.set_collection_name(kCollection);
    std::string expr = "pk in [";
    for (size_t i = 0; i < best.size(); ++i) {
      expr += (i ? ", " : "") + std::to_string(best[i]);
      rows_.erase(best[i]);
    }
    request.set_expr(expr + "]");
    mm::MutationResult result;
    ASSERT_TRUE(stub->Delete(Context().get(), request, &result).ok());
    ASSERT_MILVUS_OK(result.status());
    EXPECT_EQ(result.delete_cnt(), 3);
    mc::Status status;
    auto hits = Search(*stub, VectorOf(150), "tag == 1", 5, &status);
    ASSERT_MILVUS_OK(status);
    std::vector<int64_t> pks;
    for (const auto& [pk, distance] : hits) pks.push_back(pk);
    EXPECT_EQ(pks, Expected(rows_, VectorOf(150), 1, 5));
    EXPECT_EQ(Count(*stub, &status), kRows - 3);
  }
}

TEST_F(MilvusClientTest, BadInputGetsMilvusErrorsAndTheServerKeepsServing) {
  auto stub = Stub();
  {
    mm::DescribeCollectionRequest request;
    request.set_collection_name("no_such_collection");
    mm::DescribeCollectionResponse response;
    ASSERT_TRUE(stub->DescribeCollection(Context().get(), request, &response).ok());
    EXPECT_EQ(response.status().code(), 100) << response.status().reason();  // CollectionNotFound
    EXPECT_NE(response.status().reason().find("collection not found"), std::string::npos)
        << response.status().reason();
  }
  {
    mm::InsertRequest request;
    request.set_collection_name(kCollection);
    request.set_num_rows(1);
    ms::FieldData* pk = request.add_fields_data();
    pk->set_field_name("pk");
    pk->set_type(ms::DataType::Int64);
    pk->mutable_scalars()->mutable_long_data()->add_data(100000);
    ms::FieldData* tag = request.add_fields_data();
    tag->set_field_name("tag");
    tag->set_type(ms::DataType::Int64);
    tag->mutable_scalars()->mutable_long_data()->add_data(1);
    ms::FieldData* vec = request.add_fields_data();
    vec->set_field_name("vec");
    vec->set_type(ms::DataType::FloatVector);
    vec->mutable_vectors()->set_dim(4);  // the schema says 8
    for (int d = 0; d < 4; ++d) vec->mutable_vectors()->mutable_float_vector()->add_data(0.5f);
    mm::MutationResult result;
    ASSERT_TRUE(stub->Insert(Context().get(), request, &result).ok());
    EXPECT_EQ(result.status().code(), 1100) << result.status().reason();  // ParameterInvalid
  }
  {
    mm::SearchRequest request;
    request.set_collection_name(kCollection);
    request.set_placeholder_group("this is not a placeholder group");
    request.set_nq(1);
    mc::KeyValuePair* kv = request.add_search_params();
    kv->set_key("anns_field");
    kv->set_value("vec");
    mm::SearchResults results;
    ASSERT_TRUE(stub->Search(Context().get(), request, &results).ok());
    EXPECT_NE(results.status().code(), 0);
  }
  {
    // A method outside the subset: UNIMPLEMENTED, as gRPC says for any unknown method.
    grpc::GenericStub generic(*channel_);
    grpc::Slice empty("");  // an empty CreatePartitionRequest
    grpc::ByteBuffer request(&empty, 1), response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Status status;
    bool done = false;
    std::mutex mutex;
    std::condition_variable cv;
    generic.UnaryCall(&context, "/milvus.proto.milvus.MilvusService/CreatePartition",
                      grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
                        std::lock_guard<std::mutex> lock(mutex);
                        status = s;
                        done = true;
                        cv.notify_all();
                      });
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return done; });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }
  {
    // A client that gives up mid-call (a deadline far shorter than the call) does not hurt
    // the next one.
    mm::QueryRequest request;
    request.set_collection_name(kCollection);
    request.add_output_fields("count(*)");
    mm::QueryResults results;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1));
    grpc::Status cut = stub->Query(&context, request, &results);
    EXPECT_FALSE(cut.ok());
    mc::Status status;
    EXPECT_EQ(Count(*stub, &status), static_cast<int64_t>(rows_.size()));
    EXPECT_MILVUS_OK(status);
  }
}

TEST_F(MilvusClientTest, SearchesRecoverWhenAQueryNodeProcessIsKilled) {
  auto stub = Stub();
  std::ifstream pid_file(*dir_ + "/pids/querynode-1.pid");
  pid_t pid = 0;
  ASSERT_TRUE(pid_file >> pid) << "no pid file for querynode-1";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  // Every search while it is gone still answers, and answers right: the other replica serves.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  int searches = 0;
  while (std::chrono::steady_clock::now() < until) {
    const int64_t probe = 1 + searches * 37 % kRows;
    mc::Status status;
    auto hits = Search(*stub, VectorOf(probe), "tag == 2", 4, &status);
    ASSERT_MILVUS_OK(status) << " (search " << searches << " after the kill)";
    std::vector<int64_t> pks;
    for (const auto& [pk, distance] : hits) pks.push_back(pk);
    EXPECT_EQ(pks, Expected(rows_, VectorOf(probe), 2, 4));
    ++searches;
  }
  std::printf("%d searches answered right in 8 s while querynode-1 was down\n", searches);
  EXPECT_GT(searches, 3);
  const std::string restarted =
      Shell(std::string(SIMVUS_BINARY) + " restart querynode-1 --dir " + *dir_);
  ASSERT_NE(restarted.find("exit=0"), std::string::npos) << restarted;
  // Still right after the restart, with a write in between.
  {
    mm::DeleteRequest request;
    request.set_collection_name(kCollection);
    const int64_t victim = Expected(rows_, VectorOf(42), 2, 1).front();
    request.set_expr("pk in [" + std::to_string(victim) + "]");
    rows_.erase(victim);
    mm::MutationResult result;
    ASSERT_TRUE(stub->Delete(Context().get(), request, &result).ok());
    ASSERT_MILVUS_OK(result.status());
  }
  for (int i = 0; i < 5; ++i) {
    mc::Status status;
    auto hits = Search(*stub, VectorOf(42), "tag == 2", 4, &status);
    ASSERT_MILVUS_OK(status);
    std::vector<int64_t> pks;
    for (const auto& [pk, distance] : hits) pks.push_back(pk);
    EXPECT_EQ(pks, Expected(rows_, VectorOf(42), 2, 4));
  }
}

}  // namespace
}  // namespace simvus
