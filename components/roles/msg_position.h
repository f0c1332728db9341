// MsgPosition helpers: a place in a pchannel (offset) with the ts below which everything is
// covered (see proto::MsgPosition). Positions order by offset, then ts.
#pragma once

#include <cstdint>
#include <string>

#include "components/protocol/simvus.pb.h"

namespace simvus::roles {

inline proto::MsgPosition MakePosition(const std::string& pchannel, int64_t offset, uint64_t ts) {
  proto::MsgPosition p;
  p.set_pchannel(pchannel);
  p.set_offset(offset);
  p.set_ts(ts);
  return p;
}

inline bool PositionBefore(const proto::MsgPosition& a, const proto::MsgPosition& b) {
  return a.offset() != b.offset() ? a.offset() < b.offset() : a.ts() < b.ts();
}

}  // namespace simvus::roles
