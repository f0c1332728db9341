#include "sim/storage/object_store_state.h"

#include <algorithm>
#include <cstdio>

#include "components/env/content_hash.h"
#include "components/env/meta_store.h"

namespace simvus::sim {

namespace {
Status BadKey(const std::string& key) {
  return InvalidArgument("object key '" + key + "': expected 1 to 1024 bytes");
}
bool KeyOk(const std::string& key) { return !key.empty() && key.size() <= 1024; }
}  // namespace

Status ObjectStoreState::Put(const std::string& key, Bytes data) {
  if (!KeyOk(key)) return BadKey(key);
  // A hash of the content, as S3's ETag of a single-part upload is its MD5: the same bytes put
  // twice give the same ETag (the conformance suite on s3rver and Swift showed it; this used to
  // change on every put).
  char etag[48];
  std::snprintf(etag, sizeof(etag), "\"%016llx\"",
                static_cast<unsigned long long>(ContentHash64(data)));

  Object& object = objects_[key];
  total_bytes_ += static_cast<int64_t>(data.size()) - static_cast<int64_t>(object.data.size());
  object.data = std::move(data);
  object.etag = etag;
  object.lost = false;
  return Status::Ok();
}

Result<const ObjectStoreState::Object*> ObjectStoreState::Readable(const std::string& key) const {
  auto it = objects_.find(key);
  if (it == objects_.end()) return NotFound("NoSuchKey: " + key);
  if (it->second.lost) return DataLoss("object " + key + " lost its data (injected data loss)");
  return &it->second;
}

Result<Bytes> ObjectStoreState::Get(const std::string& key) const {
  Result<const Object*> object = Readable(key);
  if (!object.ok()) return object.status();
  return (*object)->data;
}

Result<Bytes> ObjectStoreState::GetRange(const std::string& key, int64_t offset,
                                         int64_t length) const {
  if (offset < 0 || length <= 0) {
    return InvalidArgument("range offset " + std::to_string(offset) + " length " +
                           std::to_string(length) + ": expected offset >= 0 and length > 0");
  }
  Result<const Object*> object = Readable(key);
  if (!object.ok()) return object.status();
  const Bytes& data = (*object)->data;
  const int64_t size = static_cast<int64_t>(data.size());
  if (offset >= size) {
    return OutOfRange("InvalidRange: offset " + std::to_string(offset) + " of " + key +
                      " is past its size " + std::to_string(size));
  }
  return data.substr(static_cast<size_t>(offset),
                     static_cast<size_t>(std::min(length, size - offset)));
}

Result<ObjectInfo> ObjectStoreState::Head(const std::string& key) const {
  Result<const Object*> object = Readable(key);
  if (!object.ok()) return object.status();
  return ObjectInfo{key, static_cast<int64_t>((*object)->data.size()), (*object)->etag};
}

Result<ListObjectsPage> ObjectStoreState::List(const ListObjectsRequest& request) const {
  if (request.max_keys < 1) {
    return InvalidArgument("max_keys " + std::to_string(request.max_keys) +
                           ": expected at least 1");
  }
  const int32_t max_keys = std::min(request.max_keys, 1000);  // S3 clips to 1000
  auto it = objects_.lower_bound(request.prefix);
  const std::string& token = request.continuation_token;
  if (!token.empty()) {
    // Resume strictly after the last entry returned (and after every key it folded).
    const std::string last = token.substr(1);
    if (token[0] == 'k') {
      if (last >= request.prefix) it = objects_.upper_bound(last);
    } else if (token[0] == 'p') {
      const std::string end = PrefixEnd(last);
      if (end == std::string(1, '\0')) {
        it = objects_.end();
      } else if (end > request.prefix) {
        it = objects_.lower_bound(end);
      }
    } else {
      return InvalidArgument("continuation token '" + token + "' was not issued by this store");
    }
  }
  ListObjectsPage page;
  std::string last_token;
  int32_t entries = 0;
  for (; it != objects_.end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, request.prefix.size(), request.prefix) != 0) break;
    std::string common;
    if (!request.delimiter.empty()) {
      const size_t at = key.find(request.delimiter, request.prefix.size());
      if (at != std::string::npos) common = key.substr(0, at + request.delimiter.size());
    }
    if (!common.empty() && !page.common_prefixes.empty() && page.common_prefixes.back() == common) {
      continue;  // folded into the common prefix already returned
    }
    if (entries == max_keys) {
      page.truncated = true;
      page.next_continuation_token = last_token;
      break;
    }
    if (common.empty()) {
      page.objects.push_back({key, static_cast<int64_t>(it->second.data.size()), it->second.etag});
      last_token = "k" + key;
    } else {
      page.common_prefixes.push_back(common);
      last_token = "p" + common;
    }
    entries++;
  }
  return page;
}

Status ObjectStoreState::Delete(const std::string& key) {
  if (!KeyOk(key)) return BadKey(key);
  auto it = objects_.find(key);
  if (it != objects_.end()) {
    total_bytes_ -= static_cast<int64_t>(it->second.data.size());
    objects_.erase(it);
  }
  return Status::Ok();
}

bool ObjectStoreState::Lose(const std::string& key) {
  auto it = objects_.find(key);
  if (it == objects_.end()) return false;
  it->second.lost = true;
  return true;
}

}  // namespace simvus::sim
