// Channel settings shared by simvus's gRPC clients and servers.
#pragma once

#include <grpcpp/support/channel_arguments.h>

namespace simvus::real {

// Segment loads and large inserts exceed gRPC's 4 MiB default; Milvus's own limit is 256 MiB
// (grpc.serverMaxRecvSize).
inline constexpr int kMaxMessageBytes = 256 << 20;

// A peer that restarts is reachable again within a second: gRPC's reconnect backoff would
// otherwise grow to two minutes while the peer is down, and every call fail fast meanwhile.
inline grpc::ChannelArguments PeerChannelArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  return args;
}

}  // namespace simvus::real
