// ObjectStoreState: the data of one simulated S3 bucket, as plain synchronous operations.
//
// Invariants: keys are kept in byte order; a Put replaces the whole object and gives it a new
// etag; a Delete of a missing key succeeds; List pages never repeat or skip a key present for the
// whole listing. A "lost" object (the explicit data-loss fault) answers kDataLoss until it is
// overwritten or deleted.
// List clips max_keys to 1000, as S3 does.
// Continuation tokens are opaque to callers: "k" + the last key returned, or "p" + the last common
// prefix returned; the next page starts after it.
// Determinism: ordered containers only; etags come from a counter and the content hash.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "components/env/object_store.h"
#include "components/env/result.h"

namespace simvus::sim {

class ObjectStoreState {
 public:
  Status Put(const std::string& key, Bytes data);
  Result<Bytes> Get(const std::string& key) const;
  Result<Bytes> GetRange(const std::string& key, int64_t offset, int64_t length) const;
  Result<ObjectInfo> Head(const std::string& key) const;
  Result<ListObjectsPage> List(const ListObjectsRequest& request) const;
  Status Delete(const std::string& key);

  // Fault "data loss": the object's bytes are gone; reads answer kDataLoss. False if missing.
  bool Lose(const std::string& key);
  size_t object_count() const { return objects_.size(); }
  int64_t total_bytes() const { return total_bytes_; }

 private:
  struct Object {
    Bytes data;
    std::string etag;
    bool lost = false;
  };
  Result<const Object*> Readable(const std::string& key) const;

  std::map<std::string, Object> objects_;
  int64_t total_bytes_ = 0;
};

}  // namespace simvus::sim
