#include "real/milvus/milvus_error.h"

#include "components/env/check.h"

namespace simvus::real::milvus_api {

mc::ErrorCode LegacyErrorCode(int32_t code) {
  // merr.oldCode (pkg/util/merr/utils.go), in its order.
  switch (code) {
    case 0:
      return mc::Success;
    case kServiceNotReady:
      return mc::NotReadyServe;
    case kCollectionNotFound:
      return mc::CollectionNotExists;
    case kParameterInvalid:
      return mc::IllegalArgument;
    case 904:  // ErrNodeNotMatch
      return mc::NodeIDNotMatch;
    case kPartitionNotFound:
    case 400:  // ErrReplicaNotFound
    case 501:  // ErrChannelLack
      return mc::MetaFailed;
    case 401:  // ErrReplicaNotAvailable
    case 503:  // ErrChannelNotAvailable
    case 905:  // ErrNodeNotAvailable
      return mc::NoReplicaAvailable;
    case 3:  // ErrServiceMemoryLimitExceeded
      return mc::InsufficientMemoryToLoad;
    case 7:  // ErrServiceDiskLimitExceeded
      return mc::DiskQuotaExhausted;
    case 11:  // ErrServiceTimeTickLongDelay
      return mc::TimeTickLongDelay;
    case 8:  // ErrServiceRateLimit
      return mc::RateLimit;
    case 9:  // ErrServiceQuotaExceeded
      return mc::ForceDeny;
    case kIndexNotFound:
      return mc::IndexNotExist;
    case kSegmentNotFound:
      return mc::SegmentNotFound;
    default:
      return mc::UnexpectedError;
  }
}

mc::Status MilvusStatus(int32_t code, std::string reason, bool retriable) {
  SIMVUS_CHECK(code != 0, "MilvusStatus: an error needs a non-zero code");
  mc::Status status;
  status.set_code(code);
  status.set_error_code(LegacyErrorCode(code));
  status.set_detail(reason);
  status.set_reason(std::move(reason));
  status.set_retriable(retriable);
  return status;
}

mc::Status CollectionNotFound(const std::string& collection) {
  return MilvusStatus(kCollectionNotFound, "collection not found[collection=" + collection + "]");
}

mc::Status CollectionNotLoaded(const std::string& collection) {
  return MilvusStatus(kCollectionNotLoaded, "collection not loaded[collection=" + collection + "]");
}

mc::Status DatabaseNotFound(const std::string& database) {
  return MilvusStatus(kDatabaseNotFound, "database not found[database=" + database + "]");
}

mc::Status PartitionNotFound(const std::string& partition) {
  return MilvusStatus(kPartitionNotFound, "partition not found[partition=" + partition + "]");
}

mc::Status IndexNotFound(const std::string& collection) {
  return MilvusStatus(kIndexNotFound, "index not found[collection=" + collection + "]");
}

mc::Status SegmentNotFound(int64_t segment) {
  return MilvusStatus(kSegmentNotFound,
                      "segment not found[segment=" + std::to_string(segment) + "]");
}

mc::Status FieldNotFound(const std::string& field) {
  return MilvusStatus(kFieldNotFound, "field not found[field=" + field + "]");
}

mc::Status ParameterInvalid(const std::string& message) {
  return MilvusStatus(kParameterInvalid, message + ": invalid parameter");
}

mc::Status ParameterInvalid(const std::string& message, const std::string& expected,
                            const std::string& actual) {
  return MilvusStatus(kParameterInvalid, message + ": invalid parameter[expected=" + expected +
                                             "][actual=" + actual + "]");
}

mc::Status ParameterMissing(const std::string& param) {
  return MilvusStatus(kParameterMissing, "missing parameter[missing_param=" + param + "]");
}

mc::Status Unsupported(const std::string& message) {
  return MilvusStatus(kOperationNotSupported, message + ": unsupported operation");
}

namespace {

bool Mentions(const std::string& text, const char* word) {
  return text.find(word) != std::string::npos;
}

}  // namespace

mc::Status ToMilvus(const Status& status, const std::string& collection) {
  SIMVUS_CHECK(!status.ok(), "ToMilvus: an OK status is not an error");
  const std::string& message = status.message();
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
    case StatusCode::kAlreadyExists:
      return ParameterInvalid(message);
    case StatusCode::kNotFound:
      if (Mentions(message, "collection") && Mentions(message, "not exist")) {
        return CollectionNotFound(collection);
      }
      return MilvusStatus(kUnexpected, message);
    case StatusCode::kFailedPrecondition:
      if (Mentions(message, "not loaded")) return CollectionNotLoaded(collection);
      return ParameterInvalid(message);
    case StatusCode::kUnavailable:
      return MilvusStatus(kServiceUnavailable, "service unavailable: " + message,
                          /*retriable=*/true);
    case StatusCode::kDeadlineExceeded:
      return MilvusStatus(kTimeout, message + ": context deadline exceeded");
    case StatusCode::kCancelled:
      return MilvusStatus(kCanceled, message + ": context canceled");
    case StatusCode::kResourceExhausted:
      return MilvusStatus(kServiceRequestLimitExceeded, "request limit exceeded: " + message,
                          /*retriable=*/true);
    case StatusCode::kDataLoss:
      return MilvusStatus(kIoFailed, "IO failed: " + message);
    default:
      return MilvusStatus(kUnexpected, message);
  }
}

}  // namespace simvus::real::milvus_api
