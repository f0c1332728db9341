#include "components/roles/data_node.h"

#include "components/env/rpc.h"
#include "components/roles/channel_consumer.h"

namespace simvus::roles {

void DataNode::Start() {
  RegisterProto<proto::WatchChannelsRequest, proto::Empty>(
      *env_.transport, kWatchDmChannels,
      [this](std::string, proto::WatchChannelsRequest r) { return Watch(std::move(r)); });
  env_.Spawn(Recover());
}

Task<void> DataNode::Recover() {
  const std::string prefix = kChannelWatchPrefix + env_.node + "/";
  for (;;) {
    const RangeRequest assignments{.key = prefix, .range_end = PrefixEnd(prefix)};
    Result<RangeResult> range = co_await env_.meta_store->Range(assignments);
    if (range.ok()) {
      for (const KeyValue& kv : range->kvs) {
        proto::WatchChannelsRequest watch;
        if (!watch.ParseFromString(kv.value)) continue;
        const proto::CollectionInfo& info = watch.collection();
        for (int i = 0; i < info.vchannels_size(); ++i)
          WatchOne(info.vchannels(i), info.pchannels(i));
      }
      co_return;
    }
    co_await env_.clock->Sleep(Duration::Millis(200));
  }
}

Task<Result<proto::Empty>> DataNode::Watch(proto::WatchChannelsRequest request) {
  const proto::CollectionInfo& info = request.collection();
  for (int i = 0; i < info.vchannels_size(); ++i) WatchOne(info.vchannels(i), info.pchannels(i));
  co_return proto::Empty();
}

void DataNode::WatchOne(const std::string& vchannel, const std::string& pchannel) {
  if (buffers_.count(vchannel)) return;
  buffers_[vchannel] = Buffer{};
  const bool first = vchannels_of_[pchannel].empty();
  vchannels_of_[pchannel].insert(vchannel);
  env_.Step("data.watch",
            "watches " + vchannel + ": consumes " + pchannel + " into its insert buffer");
  if (first) {
    env_.Spawn(ConsumePChannel(
        env_, pchannel, [this, pchannel](const proto::LogMessage& m) { Apply(pchannel, m); }));
  }
}

void DataNode::Apply(const std::string& pchannel, const proto::LogMessage& message) {
  if (message.has_insert() && buffers_.count(message.insert().vchannel())) {
    Buffer& buffer = buffers_[message.insert().vchannel()];
    buffer.insert_rows += message.insert().num_rows();
    env_.Step("data.buffer",
              "buffers insert ts=" + ToString(Timestamp{message.insert().ts()}) + " for " +
                  message.insert().vchannel() + " (" + std::to_string(buffer.insert_rows) +
                  " row(s) buffered, not yet flushed)",
              pchannel, env_.node);
  } else if (message.has_delete_() && buffers_.count(message.delete_().vchannel())) {
    Buffer& buffer = buffers_[message.delete_().vchannel()];
    buffer.delete_pks += message.delete_().pks_size();
    env_.Step("data.buffer",
              "buffers delete ts=" + ToString(Timestamp{message.delete_().ts()}) + " for " +
                  message.delete_().vchannel(),
              pchannel, env_.node);
  } else if (message.has_time_tick()) {
    for (const std::string& vchannel : vchannels_of_[pchannel]) {
      buffers_[vchannel].consumed_tick = message.time_tick().ts();
    }
  }
}

}  // namespace simvus::roles
