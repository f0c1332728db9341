// S3ObjectStore: the ObjectStore port (components/env/object_store.h) over S3's REST API, for AWS
// S3 or any S3-compatible server (tested: s3rver, OpenStack Swift's s3api).
//
// Requests: path-style URLs (ENDPOINT/BUCKET/KEY, the key %-encoded keeping '/'), signed with
// AWS Signature Version 4 by libcurl; every request carries x-amz-content-sha256, the SHA-256 of
// its body, so a server also checks the payload. Each call is one blocking libcurl transfer
// (HttpPerform) on the I/O pool through Offload; the coroutine resumes on the node's strand, and
// the transfer never touches the store, so a node may stop while one is in flight.
//
// Errors (the message always names "S3 at ENDPOINT bucket BUCKET", the operation and the key;
// never the secret):
//   404 NoSuchKey -> kNotFound;  404 NoSuchBucket -> kFailedPrecondition naming bucket and endpoint
//   403 (AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId) -> kPermissionDenied
//   416 InvalidRange -> kOutOfRange;  503 SlowDown -> kResourceExhausted;  other 5xx ->
//   kUnavailable could not connect -> kUnavailable;  sent but no full answer in time ->
//   kDeadlineExceeded 400 -> kInvalidArgument;  anything else -> kInternal with the status and S3
//   code.
// A HEAD answers without a body, so a 404 cannot say which is missing: until one request has
// shown the bucket exists, a HEAD 404 is followed by a HEAD of the bucket.
//
// Listing is ListObjectsV2. A page holds at most max_keys entries (objects plus common prefixes)
// even from a server that returns more (s3rver counts only objects against max-keys and returns
// every common prefix): the store trims the page in key order and resumes after its last entry
// with start-after. Continuation tokens are opaque: "c" + the server's token, or "a" + the last
// entry returned.
//
// Not deterministic (a real server): use the simulated store (sim/storage/) for simulation.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "components/env/executor.h"
#include "components/env/object_store.h"
#include "real/runtime/thread_pool.h"

namespace simvus::real {

struct S3Config {
  std::string
      endpoint;  // "http://127.0.0.1:4568": scheme, host and port; a trailing '/' is dropped
  std::string bucket;
  std::string region = "us-east-1";
  std::string access_key;  // may contain ':' (Swift's "test:tester")
  std::string secret_key;  // passed to libcurl only; never printed
  Duration connect_timeout = Duration::Seconds(3);
  Duration timeout = Duration::Seconds(30);  // the whole request
};

class S3ObjectStore final : public ObjectStore {
 public:
  // REQUIRES: config.endpoint and config.bucket are not empty.
  S3ObjectStore(ExecutorRef executor, ThreadPool& io, S3Config config);
  ~S3ObjectStore() override;

  Task<Status> Put(std::string key, Bytes data) override;
  Task<Result<Bytes>> Get(std::string key) override;
  Task<Result<Bytes>> GetRange(std::string key, int64_t offset, int64_t length) override;
  Task<Result<ObjectInfo>> Head(std::string key) override;
  Task<Result<ListObjectsPage>> List(ListObjectsRequest request) override;
  Task<Status> Delete(std::string key) override;
  // One DELETE per key (no multi-object POST): every key is tried; the first error is returned.
  Task<Status> DeleteMany(std::vector<std::string> keys) override;

  // Creates the bucket (PUT /BUCKET); OK if it exists already and belongs to these credentials.
  Task<Status> CreateBucketIfMissing();

  // "S3 at ENDPOINT bucket BUCKET", the prefix of every error message.
  const std::string& name() const;

  class Client;  // the blocking requests; shared with transfers still in flight

 private:
  ExecutorRef executor_;
  ThreadPool& io_;
  std::shared_ptr<const Client> client_;
};

}  // namespace simvus::real
