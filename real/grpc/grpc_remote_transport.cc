#include "real/grpc/grpc_remote_transport.h"

#include <grpcpp/grpcpp.h>

#include <chrono>

#include "components/env/completion.h"
#include "real/grpc/grpc_channel_args.h"
#include "real/grpc/grpc_status.h"
#include "real/grpc/node_transport.grpc.pb.h"
#include "real/runtime/offload.h"

namespace simvus::real {

namespace {

// What one asynchronous call needs until its callback has run.
struct CallState {
  grpc::ClientContext context;
  node::NodeCall request;
  node::NodeReply reply;
  node::SendAck ack;
};

std::chrono::system_clock::time_point DeadlineAfter(Duration deadline) {
  return std::chrono::system_clock::now() + std::chrono::nanoseconds(deadline.ns);
}

// One-way messages get this long to be queued at the peer.
constexpr Duration kSendDeadline = Duration::Seconds(5);

}  // namespace

struct GrpcRemoteTransport::Peer {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<node::Node::Stub> stub;
};

GrpcRemoteTransport::GrpcRemoteTransport(std::map<std::string, std::string> addresses)
    : addresses_(std::move(addresses)) {}

GrpcRemoteTransport::~GrpcRemoteTransport() = default;

bool GrpcRemoteTransport::Knows(const std::string& node) const {
  return addresses_.count(node) > 0;
}

GrpcRemoteTransport::Peer& GrpcRemoteTransport::PeerOf(const std::string& node) {
  const std::string& address = addresses_.at(node);
  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<Peer>& peer = peers_[address];
  if (peer == nullptr) {
    peer = std::make_unique<Peer>();
    peer->channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                              PeerChannelArguments());
    peer->stub = node::Node::NewStub(peer->channel);
  }
  return *peer;
}

Task<Result<Bytes>> GrpcRemoteTransport::Call(ExecutorRef caller, std::string from, std::string to,
                                              std::string method, Bytes request,
                                              Duration deadline) {
  Peer& peer = PeerOf(to);
  auto state = std::make_shared<CallState>();
  state->context.set_deadline(DeadlineAfter(deadline));
  state->request.set_to(to);
  state->request.set_from(std::move(from));
  state->request.set_method(method);
  state->request.set_payload(std::move(request));
  Completion<Result<Bytes>> done(caller);
  std::string what = method + " to " + to;
  peer.stub->async()->Call(
      &state->context, &state->request, &state->reply,
      [state, caller, done, what](grpc::Status status) {
        if (status.ok()) {
          SetFromAnyThread(caller, done, Result<Bytes>(std::move(*state->reply.mutable_payload())));
        } else {
          SetFromAnyThread(caller, done, Result<Bytes>(FromGrpc(status, what)));
        }
      });
  Result<Bytes> answer = co_await done;
  co_return answer;
}

void GrpcRemoteTransport::Send(std::string from, std::string to, std::string method,
                               Bytes message) {
  Peer& peer = PeerOf(to);
  auto state = std::make_shared<CallState>();
  state->context.set_deadline(DeadlineAfter(kSendDeadline));
  state->request.set_to(std::move(to));
  state->request.set_from(std::move(from));
  state->request.set_method(std::move(method));
  state->request.set_payload(std::move(message));
  // One-way: the outcome is dropped, as a lost message on a network would be.
  peer.stub->async()->Send(&state->context, &state->request, &state->ack, [state](grpc::Status) {});
}

}  // namespace simvus::real
