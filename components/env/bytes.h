// Bytes: an owned byte string. Everything that crosses a node boundary or lands in storage is
// protobuf-encoded Bytes, so simulated and real runs serialize the very same way.
#pragma once

#include <string>

namespace simvus {
using Bytes = std::string;
}  // namespace simvus
