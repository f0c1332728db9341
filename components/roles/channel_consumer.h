// ConsumePChannel: the consume loop every role that reads a pchannel runs (data nodes, query
// nodes): subscribe (retrying while the log is unavailable), seek to `start` (a checkpoint's
// offset) if given, else read from the low watermark, poll in order, decode each record as a
// LogMessage and hand it with its offset to `apply`. A position below the log's retention
// (kOutOfRange) is data loss: it is narrated and the loop ends, never skipped silently. The loop
// lives in the caller's TaskScope and dies with the node.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "components/env/env.h"
#include "components/protocol/simvus.pb.h"

namespace simvus::roles {

Task<void> ConsumePChannel(Env& env, std::string pchannel,
                           std::function<void(const proto::LogMessage&)> apply);
Task<void> ConsumePChannelFrom(Env& env, std::string pchannel, std::optional<int64_t> start,
                               std::function<void(const proto::LogMessage&, int64_t offset)> apply);
// The same loop with an asynchronous `apply`, awaited message by message (a delegator forwards a
// delete to its workers before it consumes the next tick). Ends when `*stop` becomes true.
Task<void> ConsumePChannelAsync(Env& env, std::string pchannel, std::shared_ptr<bool> stop,
                                std::function<Task<void>(const proto::LogMessage&)> apply);

}  // namespace simvus::roles
