// MilvusServer's call handling, against stand-in roles (no backends): a RootCoord that knows one
// collection and a proxy whose Query never answers. Errors come back inside the answer with
// gRPC OK; a client that cancels or times out gets its own status and the server goes on
// serving; a frontend node that stops answers its calls in flight, and later ones, UNAVAILABLE;
// methods outside the served subset are UNIMPLEMENTED; the server's destructor waits for a call
// in flight, which ends at call_deadline with Milvus's timeout inside its answer.
#include "real/milvus/milvus_server.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "components/env/rpc.h"
#include "components/env/service.h"
#include "components/protocol/simvus.pb.h"
#include "milvus/proto/milvus.grpc.pb.h"
#include "real/runtime/runtime.h"

namespace simvus::real {
namespace {

namespace mm = ::milvus::proto::milvus;
namespace mc = ::milvus::proto::common;

class FakeRootCoord : public Service {
 public:
  explicit FakeRootCoord(Env& env) : env_(env) {}
  void Start() override {
    RegisterProto<proto::DescribeCollectionRequest, proto::CollectionInfo>(
        *env_.transport, roles::kDescribeCollection,
        [](std::string, proto::DescribeCollectionRequest r) -> Task<Result<proto::CollectionInfo>> {
          if (r.name() != "known") {
            Status missing = NotFound("collection '" + r.name() + "' does not exist");
            co_return missing;
          }
          proto::CollectionInfo info;
          info.set_id(42);
          info.set_create_ts(uint64_t{1767225600000} << 18);
          proto::CollectionSchema* schema = info.mutable_schema();
          schema->set_name("known");
          schema->set_shards_num(1);
          proto::FieldSchema* pk = schema->add_fields();
          pk->set_name("id");
          pk->set_type(proto::INT64);
          pk->set_is_primary_key(true);
          proto::FieldSchema* vec = schema->add_fields();
          vec->set_name("vec");
          vec->set_type(proto::FLOAT_VECTOR);
          vec->set_dim(4);
          co_return info;
        });
  }

 private:
  Env& env_;
};

class HangingProxy : public Service {
 public:
  explicit HangingProxy(Env& env) : env_(env) {}
  void Start() override {
    Env* env = &env_;
    RegisterProto<proto::QueryRequest, proto::QueryResults>(
        *env_.transport, roles::kQuery,
        [env](std::string, proto::QueryRequest) -> Task<Result<proto::QueryResults>> {
          co_await env->clock->Sleep(Duration::Seconds(3600));
          co_return proto::QueryResults();
        });
  }

 private:
  Env& env_;
};

class MilvusServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime_ =
        std::make_unique<RealRuntime>(RealRuntimeOptions{.strand_threads = 2}, RealPortFactories{});
    config_.root_coord = "rootcoord";
    runtime_->StartNode("rootcoord", [](Env& env) { return std::make_unique<FakeRootCoord>(env); });
    runtime_->StartNode("proxy-1", [](Env& env) { return std::make_unique<HangingProxy>(env); });
    runtime_->StartNode("frontend", nullptr);
    MilvusServerOptions options;
    options.address = "127.0.0.1:0";
    options.call_deadline = Duration::Seconds(1);
    Result<std::unique_ptr<MilvusServer>> server =
        MilvusServer::Start(*runtime_, "frontend", "proxy-1", config_, options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = mm::MilvusService::NewStub(channel_);
  }
  void TearDown() override {
    server_.reset();
    runtime_.reset();
  }

  static void Deadline(grpc::ClientContext* context, int ms) {
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(ms));
  }
  mm::QueryRequest HangingQuery() {
    mm::QueryRequest request;
    request.set_collection_name("known");
    request.set_expr("id > 0");
    request.add_output_fields("id");
    return request;
  }

  roles::ClusterConfig config_;
  std::unique_ptr<RealRuntime> runtime_;
  std::unique_ptr<MilvusServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<mm::MilvusService::Stub> stub_;
};

TEST_F(MilvusServerTest, AnswersErrorsInsideTheResponseWithGrpcOk) {
  grpc::ClientContext context;
  Deadline(&context, 5000);
  mm::DescribeCollectionRequest request;
  request.set_collection_name("missing");
  mm::DescribeCollectionResponse response;
  grpc::Status status = stub_->DescribeCollection(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status().code(), 100);
  EXPECT_EQ(response.status().error_code(), mc::CollectionNotExists);
  EXPECT_EQ(response.status().reason(), "collection not found[collection=missing]");

  grpc::ClientContext known_context;
  Deadline(&known_context, 5000);
  request.set_collection_name("known");
  status = stub_->DescribeCollection(&known_context, request, &response);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(response.status().code(), 0);
  EXPECT_EQ(response.collectionid(), 42);
  ASSERT_EQ(response.schema().fields_size(), 2);
  EXPECT_EQ(response.schema().fields(1).fieldid(), 101);

  grpc::ClientContext other_db;
  Deadline(&other_db, 5000);
  other_db.AddMetadata("dbname", "other");
  status = stub_->DescribeCollection(&other_db, request, &response);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(response.status().code(), 800);
}

TEST_F(MilvusServerTest, ConnectGivesANonZeroIdentifier) {
  grpc::ClientContext context;
  mm::ConnectRequest request;
  mm::ConnectResponse response;
  ASSERT_TRUE(stub_->Connect(&context, request, &response).ok());
  EXPECT_NE(response.identifier(), 0);
  EXPECT_EQ(response.server_info().build_tags(), "simvus");
}

TEST_F(MilvusServerTest, MethodsOutsideTheSubsetAreUnimplemented) {
  grpc::GenericStub generic(channel_);
  grpc::ClientContext context;
  Deadline(&context, 5000);
  std::promise<grpc::Status> done;
  grpc::Slice empty("");  // an empty GetVersionRequest
  grpc::ByteBuffer request(&empty, 1), response;
  generic.UnaryCall(&context, "/milvus.proto.milvus.MilvusService/GetVersion", grpc::StubOptions(),
                    &request, &response, [&done](grpc::Status s) { done.set_value(s); });
  EXPECT_EQ(done.get_future().get().error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(MilvusServerTest, AClientThatGivesUpDoesNotStopTheServer) {
  grpc::ClientContext late;
  Deadline(&late, 200);
  mm::QueryResults results;
  EXPECT_EQ(stub_->Query(&late, HangingQuery(), &results).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  grpc::ClientContext cancelled;
  Deadline(&cancelled, 5000);
  std::thread canceller([&cancelled] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancelled.TryCancel();
  });
  EXPECT_EQ(stub_->Query(&cancelled, HangingQuery(), &results).error_code(),
            grpc::StatusCode::CANCELLED);
  canceller.join();
  grpc::ClientContext next;
  Deadline(&next, 5000);
  mm::HasCollectionRequest has;
  has.set_collection_name("known");
  mm::BoolResponse answer;
  ASSERT_TRUE(stub_->HasCollection(&next, has, &answer).ok());
  EXPECT_TRUE(answer.value());
}

TEST_F(MilvusServerTest, AStoppedFrontendAnswersUnavailableNeverHangs) {
  std::promise<grpc::Status> in_flight;
  std::thread caller([this, &in_flight] {
    grpc::ClientContext context;
    Deadline(&context, 10000);
    mm::QueryResults results;
    in_flight.set_value(stub_->Query(&context, HangingQuery(), &results));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  runtime_->StopNode("frontend");
  grpc::Status status = in_flight.get_future().get();
  caller.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("frontend node stopped"), std::string::npos);

  grpc::ClientContext after;
  Deadline(&after, 5000);
  mm::HasCollectionRequest has;
  has.set_collection_name("known");
  mm::BoolResponse answer;
  EXPECT_EQ(stub_->HasCollection(&after, has, &answer).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(MilvusServerTest, ShutdownWaitsForACallInFlightWhichTimesOutInsideTheAnswer) {
  std::promise<std::pair<grpc::Status, mm::QueryResults>> in_flight;
  std::thread caller([this, &in_flight] {
    grpc::ClientContext context;
    Deadline(&context, 20000);
    mm::QueryResults results;
    grpc::Status status = stub_->Query(&context, HangingQuery(), &results);
    in_flight.set_value({status, results});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto begin = std::chrono::steady_clock::now();
  // Waits for the call: its proxy call gives up after call_deadline (1 s), and the client gets
  // Milvus's timeout inside the answer.
  server_.reset();
  const auto waited = std::chrono::steady_clock::now() - begin;
  auto [status, results] = in_flight.get_future().get();
  caller.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(results.status().code(), 10001) << results.status().reason();
  EXPECT_LT(waited, std::chrono::seconds(5));
}

}  // namespace
}  // namespace simvus::real
