// ConsumePChannel: the consume loop every role that reads a pchannel runs (data nodes, query
// nodes): subscribe (retrying while the log is unavailable), poll in order, decode each record as
// a LogMessage and hand it to `apply`. A position below the log's retention (kOutOfRange) is data
// loss: it is narrated and the loop ends, never skipped silently.
// The loop lives in the caller's TaskScope and dies with the node.
#pragma once

#include <functional>
#include <string>

#include "components/env/env.h"
#include "components/protocol/simvus.pb.h"

namespace simvus::roles {

Task<void> ConsumePChannel(Env& env, std::string pchannel,
                           std::function<void(const proto::LogMessage&)> apply);

}  // namespace simvus::roles
