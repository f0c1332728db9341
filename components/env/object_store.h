// ObjectStore: object storage (S3 semantics) for one bucket.
//
// Model (as S3 has it today): strong read-after-write consistency for put, overwrite, delete and
// list; Put atomically replaces the whole object; Delete of a missing key succeeds; List returns
// keys in lexicographic (byte) order, grouping keys that contain `delimiter` after `prefix` into
// common prefixes, at most max_keys entries per page, with a continuation token for the next page.
// Errors: kNotFound (NoSuchKey), kResourceExhausted (503 SlowDown: retry later), kUnavailable
// (transient), kDeadlineExceeded (a Put may or may not have taken effect), kOutOfRange (ranged
// get past the end), kDataLoss (only under an explicit data-loss fault).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/env/bytes.h"
#include "components/env/result.h"
#include "components/env/task.h"
#include "components/env/time.h"

namespace simvus {

struct ObjectInfo {
  std::string key;
  int64_t size_bytes = 0;
  std::string etag;  // a hash of the content (S3: MD5 of a single-part upload)
};

struct ListObjectsRequest {
  std::string prefix;
  std::string delimiter;    // empty: no grouping
  int32_t max_keys = 1000;  // S3's default and maximum
  std::string continuation_token;
};

struct ListObjectsPage {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_continuation_token;  // set when truncated
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  virtual Task<Status> Put(std::string key, Bytes data) = 0;
  virtual Task<Result<Bytes>> Get(std::string key) = 0;
  // Bytes [offset, offset + length) clipped to the object's end; kOutOfRange if offset >= size.
  virtual Task<Result<Bytes>> GetRange(std::string key, int64_t offset, int64_t length) = 0;
  virtual Task<Result<ObjectInfo>> Head(std::string key) = 0;
  virtual Task<Result<ListObjectsPage>> List(ListObjectsRequest request) = 0;
  virtual Task<Status> Delete(std::string key) = 0;
  // Deletes every key; OK only if all deletions succeeded.
  virtual Task<Status> DeleteMany(std::vector<std::string> keys) = 0;
};

}  // namespace simvus
