// MilvusError: the errors of Milvus 2.5's client API (pkg/util/merr), as common.Status values.
//
// Milvus answers every error inside the response's Status with gRPC OK. A Status carries both the
// 2.3+ fields (`code`: merr's number, `reason` and `detail`: the message, `retriable`) and the
// deprecated `error_code` older clients still test (the Node SDK compares it with "Success"),
// derived from `code` exactly as merr's oldCode() does. Messages follow merr's shapes:
//   wrapFields      "collection not found[collection=c]"
//   errors.Wrap     "<what happened>: invalid parameter"
//   with fields     "<what happened>: invalid parameter[expected=8][actual=16]"
// A simvus Status from the cluster maps by its code (ToMilvus); the frontend checks what it can
// itself first so that the common mistakes get Milvus's own codes and wording.
#pragma once

#include <cstdint>
#include <string>

#include "components/env/status.h"
#include "milvus/proto/common.pb.h"

namespace simvus::real::milvus_api {

namespace mc = ::milvus::proto::common;

// merr codes (pkg/util/merr/errors.go) used here.
inline constexpr int32_t kServiceNotReady = 1;
inline constexpr int32_t kServiceUnavailable = 2;
inline constexpr int32_t kServiceRequestLimitExceeded = 4;
inline constexpr int32_t kCollectionNotFound = 100;
inline constexpr int32_t kCollectionNotLoaded = 101;
inline constexpr int32_t kPartitionNotFound = 200;
inline constexpr int32_t kSegmentNotFound = 600;
inline constexpr int32_t kIndexNotFound = 700;
inline constexpr int32_t kDatabaseNotFound = 800;
inline constexpr int32_t kIoFailed = 1001;
inline constexpr int32_t kParameterInvalid = 1100;
inline constexpr int32_t kParameterMissing = 1101;
inline constexpr int32_t kFieldNotFound = 1700;
inline constexpr int32_t kOperationNotSupported = 3000;
inline constexpr int32_t kCanceled = 10000;  // merr.CanceledCode: context canceled
inline constexpr int32_t kTimeout = 10001;   // merr.TimeoutCode: context deadline exceeded
inline constexpr int32_t kUnexpected = 65535;

inline bool IsOk(const mc::Status& status) {
  return status.code() == 0 && status.error_code() == mc::Success;
}

// A Status with merr `code` and `reason` (also the detail); error_code as merr's oldCode.
mc::Status MilvusStatus(int32_t code, std::string reason, bool retriable = false);
mc::ErrorCode LegacyErrorCode(int32_t code);

mc::Status CollectionNotFound(const std::string& collection);
mc::Status CollectionNotLoaded(const std::string& collection);
mc::Status DatabaseNotFound(const std::string& database);
mc::Status PartitionNotFound(const std::string& partition);
mc::Status IndexNotFound(const std::string& collection);
mc::Status SegmentNotFound(int64_t segment);
mc::Status FieldNotFound(const std::string& field);
// "<message>: invalid parameter", and with merr's [expected=..][actual=..] fields.
mc::Status ParameterInvalid(const std::string& message);
mc::Status ParameterInvalid(const std::string& message, const std::string& expected,
                            const std::string& actual);
mc::Status ParameterMissing(const std::string& param);
// A valid Milvus request that simvus cannot serve (autoID, partitions, dynamic fields, other data
// types...): "<message>: unsupported operation" (merr.ErrOperationNotSupported).
mc::Status Unsupported(const std::string& message);

// A simvus Status from the cluster: kInvalidArgument/kOutOfRange/kAlreadyExists -> 1100;
// kNotFound -> 100 for `collection` when the message is about a collection, else 65535;
// kFailedPrecondition -> 101 when the collection is not loaded, else 1100; kUnavailable -> 2
// (retriable); kDeadlineExceeded -> 10001; kCancelled -> 10000; kResourceExhausted -> 4
// (retriable); kDataLoss -> 1001; the rest -> 65535. REQUIRES: !status.ok().
mc::Status ToMilvus(const Status& status, const std::string& collection);

}  // namespace simvus::real::milvus_api
