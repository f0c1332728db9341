// Status <-> grpc::Status: the two code sets are the same canonical list, so the mapping is one
// to one (kOk..kPermissionDenied onto gRPC's codes of the same name); gRPC codes simvus has no
// name for (UNKNOWN, ABORTED, UNIMPLEMENTED, UNAUTHENTICATED) arrive as kInternal, kUnavailable,
// kInternal and kPermissionDenied, the handling a caller must give them.
#pragma once

#include <grpcpp/support/status.h>

#include "components/env/status.h"

namespace simvus::real {

grpc::Status ToGrpc(const Status& status);
Status FromGrpc(const grpc::Status& status, const std::string& what);

}  // namespace simvus::real
