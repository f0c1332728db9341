#include "real/milvus/milvus_server.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>

#include "milvus/proto/milvus.grpc.pb.h"
#include "real/milvus/milvus_frontend.h"
#include "real/runtime/wall_clock.h"

namespace simvus::real {

namespace {

using milvus_api::MilvusFrontend;
namespace mc = ::milvus::proto::common;
namespace mm = ::milvus::proto::milvus;

// Milvus's own limit (proxy.grpc.serverMaxRecvSize); inserts of many rows exceed gRPC's 4 MiB.
constexpr int kMaxMessageBytes = 256 << 20;

// The answer to one call, given once: the task's response, CANCELLED when the client goes away
// first, or UNAVAILABLE when the last reference goes without either (the frontend node stopped:
// its queued work or the task's frame was dropped). Finishing the reactor is allowed from any
// thread; the response message is written only by the one Finish that wins.
class Reply {
 public:
  Reply(grpc::ServerUnaryReactor* reactor, google::protobuf::Message* response, const char* method)
      : reactor_(reactor), response_(response), method_(method) {}
  ~Reply() {
    Finish(
        grpc::Status(grpc::StatusCode::UNAVAILABLE,
                     std::string("simvus: the frontend node stopped before answering ") + method_),
        nullptr);
  }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;

  // Moves `answer` into the call's response and finishes with OK (Milvus's errors are inside).
  void Answer(google::protobuf::Message* answer) { Finish(grpc::Status::OK, answer); }
  void Cancel() {
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the call"), nullptr);
  }

 private:
  void Finish(grpc::Status status, google::protobuf::Message* answer) {
    if (finished_.exchange(true)) return;
    if (answer != nullptr) response_->GetReflection()->Swap(response_, answer);
    reactor_->Finish(std::move(status));
  }

  grpc::ServerUnaryReactor* reactor_;
  google::protobuf::Message* response_;  // gRPC's, valid until the reactor is done
  const char* method_;
  std::atomic<bool> finished_{false};
};

// A unary reactor that answers CANCELLED as soon as the call is cancelled (the client's deadline,
// a cancel, a dropped connection), so that nothing waits on an abandoned call.
class Reactor final : public grpc::ServerUnaryReactor {
 public:
  void Watch(std::weak_ptr<Reply> reply) { reply_ = std::move(reply); }
  void OnCancel() override {
    if (std::shared_ptr<Reply> reply = reply_.lock()) reply->Cancel();
  }
  void OnDone() override { delete this; }

 private:
  std::weak_ptr<Reply> reply_;
};

template <typename Req, typename Resp>
Task<void> RunCall(std::shared_ptr<MilvusFrontend> frontend, std::shared_ptr<Reply> reply,
                   Req request, Task<Resp> (MilvusFrontend::*method)(Req)) {
  Task<Resp> call = (frontend.get()->*method)(std::move(request));
  Resp response = co_await std::move(call);
  reply->Answer(&response);
}

std::string Header(const grpc::CallbackServerContext* context, const std::string& key) {
  auto it = context->client_metadata().find(key);
  if (it == context->client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

class MilvusServer::Service final : public mm::MilvusService::CallbackService {
 public:
  Service(std::shared_ptr<MilvusFrontend> frontend, ExecutorRef executor)
      : frontend_(std::move(frontend)),
        executor_(std::move(executor)),
        next_identifier_(WallNow().unix_ms()) {}

  // Connect needs nothing of the cluster: answered here. The SDKs send `identifier` back as a
  // header on every later call; it must not be 0.
  grpc::ServerUnaryReactor* Connect(grpc::CallbackServerContext* context,
                                    const mm::ConnectRequest* /*request*/,
                                    mm::ConnectResponse* response) override {
    response->mutable_status();
    mc::ServerInfo* info = response->mutable_server_info();
    info->set_build_tags("simvus");
    info->set_deploy_mode("CLUSTER");
    (*info->mutable_reserved())["api"] = "Milvus 2.5 client API (simvus)";
    response->set_identifier(next_identifier_.fetch_add(1));
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

#define SIMVUS_MILVUS_METHOD(Method, Req, Resp)                                              \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, const Req* request, \
                                   Resp* response) override {                                \
    return Serve(context, request, response, &MilvusFrontend::Method, #Method);              \
  }
  SIMVUS_MILVUS_METHOD(CreateCollection, mm::CreateCollectionRequest, mc::Status)
  SIMVUS_MILVUS_METHOD(DescribeCollection, mm::DescribeCollectionRequest,
                       mm::DescribeCollectionResponse)
  SIMVUS_MILVUS_METHOD(HasCollection, mm::HasCollectionRequest, mm::BoolResponse)
  SIMVUS_MILVUS_METHOD(DropCollection, mm::DropCollectionRequest, mc::Status)
  SIMVUS_MILVUS_METHOD(ShowCollections, mm::ShowCollectionsRequest, mm::ShowCollectionsResponse)
  SIMVUS_MILVUS_METHOD(GetCollectionStatistics, mm::GetCollectionStatisticsRequest,
                       mm::GetCollectionStatisticsResponse)
  SIMVUS_MILVUS_METHOD(Insert, mm::InsertRequest, mm::MutationResult)
  SIMVUS_MILVUS_METHOD(Upsert, mm::UpsertRequest, mm::MutationResult)
  SIMVUS_MILVUS_METHOD(Delete, mm::DeleteRequest, mm::MutationResult)
  SIMVUS_MILVUS_METHOD(Flush, mm::FlushRequest, mm::FlushResponse)
  SIMVUS_MILVUS_METHOD(GetFlushState, mm::GetFlushStateRequest, mm::GetFlushStateResponse)
  SIMVUS_MILVUS_METHOD(CreateIndex, mm::CreateIndexRequest, mc::Status)
  SIMVUS_MILVUS_METHOD(DescribeIndex, mm::DescribeIndexRequest, mm::DescribeIndexResponse)
  SIMVUS_MILVUS_METHOD(LoadCollection, mm::LoadCollectionRequest, mc::Status)
  SIMVUS_MILVUS_METHOD(GetLoadingProgress, mm::GetLoadingProgressRequest,
                       mm::GetLoadingProgressResponse)
  SIMVUS_MILVUS_METHOD(GetLoadState, mm::GetLoadStateRequest, mm::GetLoadStateResponse)
  SIMVUS_MILVUS_METHOD(ReleaseCollection, mm::ReleaseCollectionRequest, mc::Status)
  SIMVUS_MILVUS_METHOD(Search, mm::SearchRequest, mm::SearchResults)
  SIMVUS_MILVUS_METHOD(Query, mm::QueryRequest, mm::QueryResults)
#undef SIMVUS_MILVUS_METHOD

 private:
  // Runs `method` on the frontend node: from this gRPC thread only a copy of the request is
  // posted to the node's strand; the reactor is finished from there (or by Reply's rules).
  template <typename Req, typename Resp>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context, const Req* request,
                                  Resp* response, Task<Resp> (MilvusFrontend::*method)(Req),
                                  const char* name) {
    auto* reactor = new Reactor();
    const std::string db = Header(context, "dbname");
    if (!db.empty() && db != "default") {
      *response = milvus_api::Failed<Resp>(milvus_api::DatabaseNotFound(db));
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
    auto reply = std::make_shared<Reply>(reactor, response, name);
    reactor->Watch(reply);
    executor_->Post([frontend = frontend_, reply, request = *request, method]() mutable {
      frontend->env().Spawn(RunCall<Req, Resp>(frontend, reply, std::move(request), method));
    });
    return reactor;
  }

  std::shared_ptr<MilvusFrontend> frontend_;
  ExecutorRef executor_;  // the frontend node's strand (kept alive here even if the node stops)
  std::atomic<int64_t> next_identifier_;
};

Result<std::unique_ptr<MilvusServer>> MilvusServer::Start(RealRuntime& runtime,
                                                          std::string frontend, std::string proxy,
                                                          roles::ClusterConfig config,
                                                          MilvusServerOptions options) {
  Env* env = runtime.EnvOf(frontend);
  if (env == nullptr) {
    return FailedPrecondition("Milvus API: no running node '" + frontend + "' to serve from");
  }
  auto api = std::make_shared<MilvusFrontend>(*env, std::move(proxy), std::move(config),
                                              options.call_deadline);
  std::unique_ptr<MilvusServer> server(new MilvusServer());
  server->options_ = options;
  server->service_ = std::make_unique<Service>(std::move(api), env->executor);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.address, grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  // The SDKs ping every 55 s, also with no call open (grpc.keepalive_permit_without_calls);
  // gRPC's default policy would answer those pings with GOAWAY "too_many_pings". Milvus's
  // server permits them (MinTime 5 s, PermitWithoutStream).
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 5000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return Unavailable("Milvus API: cannot listen on " + options.address + " (port in use?)");
  }
  return server;
}

MilvusServer::~MilvusServer() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::nanoseconds(options_.call_deadline.ns));
  server_->Wait();
}

}  // namespace simvus::real
