#include "components/roles/data_coord.h"

#include "components/env/rpc.h"

namespace simvus::roles {

void DataCoord::Start() {
  RegisterProto<proto::WatchChannelsRequest, proto::Empty>(
      *env_.transport, kWatchChannels,
      [this](std::string, proto::WatchChannelsRequest r) { return WatchChannels(std::move(r)); });
}

Task<Result<proto::Empty>> DataCoord::WatchChannels(proto::WatchChannelsRequest request) {
  const proto::CollectionInfo& info = request.collection();
  for (int i = 0; i < info.vchannels_size(); ++i) {
    const std::string& data_node =
        config_.data_nodes[static_cast<size_t>(i) % config_.data_nodes.size()];
    proto::WatchChannelsRequest watch;
    proto::CollectionInfo* one = watch.mutable_collection();
    *one = info;
    one->clear_vchannels();
    one->clear_pchannels();
    one->add_vchannels(info.vchannels(i));
    one->add_pchannels(info.pchannels(i));
    // Persist first, so that a restarted data node finds its channels.
    Result<PutResult> put = co_await env_.meta_store->Put(
        kChannelWatchPrefix + data_node + "/" + info.vchannels(i), watch.SerializeAsString());
    if (!put.ok()) co_return put.status();
    env_.Step("data.assign",
              "assigns " + info.vchannels(i) + " to " + data_node + " (recorded in the meta store)",
              env_.node, data_node);
    Result<proto::Empty> watched = co_await CallProto<proto::Empty>(
        *env_.transport, data_node, kWatchDmChannels, watch, config_.rpc_deadline);
    if (!watched.ok()) co_return watched.status();
  }
  co_return proto::Empty();
}

}  // namespace simvus::roles
