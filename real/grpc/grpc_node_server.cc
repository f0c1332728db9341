#include "real/grpc/grpc_node_server.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>

#include "real/grpc/grpc_channel_args.h"
#include "real/grpc/grpc_status.h"
#include "real/grpc/node_transport.grpc.pb.h"

namespace simvus::real {

namespace {

// The answer to one call, given once: by the handler's result, or UNAVAILABLE when the last
// reference goes without one (the target node stopped, its queued work or task frame dropped).
class Answer {
 public:
  Answer(grpc::ServerUnaryReactor* reactor, node::NodeReply* reply, std::string what)
      : reactor_(reactor), reply_(reply), what_(std::move(what)) {}
  ~Answer() {
    if (!finished_.exchange(true)) {
      reactor_->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    what_ + ": the node stopped before answering"));
    }
  }
  Answer(const Answer&) = delete;
  Answer& operator=(const Answer&) = delete;

  void Finish(Result<Bytes> result) {
    if (finished_.exchange(true)) return;
    if (!result.ok()) {
      reactor_->Finish(ToGrpc(result.status()));
      return;
    }
    reply_->set_payload(std::move(*result));
    reactor_->Finish(grpc::Status::OK);
  }

 private:
  grpc::ServerUnaryReactor* reactor_;
  node::NodeReply* reply_;
  std::string what_;
  std::atomic<bool> finished_{false};
};

Task<void> Serve(Transport::Handler handler, std::string from, Bytes request,
                 std::shared_ptr<Answer> answer) {
  Result<Bytes> result = co_await handler(std::move(from), std::move(request));
  answer->Finish(std::move(result));
}

}  // namespace

class GrpcNodeServer::Service final : public node::Node::CallbackService {
 public:
  explicit Service(TransportHub& hub) : hub_(hub) {}

  grpc::ServerUnaryReactor* Call(grpc::CallbackServerContext* context, const node::NodeCall* call,
                                 node::NodeReply* reply) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    const std::string what = call->method() + " to " + call->to();
    std::shared_ptr<Endpoint> target = hub_.Find(call->to());
    if (target == nullptr) {
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                   "no node named '" + call->to() + "' is up here"));
      return reactor;
    }
    auto answer = std::make_shared<Answer>(reactor, reply, what);
    target->executor->Post([target, answer, method = call->method(), from = call->from(),
                            request = call->payload(), to = call->to()]() mutable {
      auto it = target->handlers.find(method);
      if (it == target->handlers.end()) {
        answer->Finish(Unavailable(to + " serves no method '" + method + "'"));
        return;
      }
      target->scope->Spawn(Serve(it->second, std::move(from), std::move(request), answer));
    });
    return reactor;
  }

  grpc::ServerUnaryReactor* Send(grpc::CallbackServerContext* context, const node::NodeCall* call,
                                 node::SendAck* /*ack*/) override {
    std::shared_ptr<Endpoint> target = hub_.Find(call->to());
    if (target != nullptr) {
      target->executor->Post([target, method = call->method(), from = call->from(),
                              message = call->payload()]() mutable {
        auto it = target->one_way.find(method);
        if (it != target->one_way.end()) it->second(std::move(from), std::move(message));
      });
    }
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  TransportHub& hub_;
};

Result<std::unique_ptr<GrpcNodeServer>> GrpcNodeServer::Start(TransportHub& hub,
                                                              const std::string& address) {
  std::unique_ptr<GrpcNodeServer> server(new GrpcNodeServer());
  server->service_ = std::make_unique<Service>(hub);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return Unavailable("cannot listen on " + address + " (port in use?)");
  }
  return server;
}

GrpcNodeServer::~GrpcNodeServer() {
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
    server_->Wait();
  }
}

}  // namespace simvus::real
