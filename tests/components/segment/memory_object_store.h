// A minimal in-memory ObjectStore for segment tests (the simulator's SimObjectStore is not a
// dependency of components/). Every call completes immediately. Corrupt/Truncate let tests damage
// stored objects.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "components/env/object_store.h"
#include "components/env/task_scope.h"

namespace simvus::segment::testing {

class MemoryObjectStore : public ObjectStore {
 public:
  Task<Status> Put(std::string key, Bytes data) override {
    objects_[key] = std::move(data);
    co_return Status::Ok();
  }
  Task<Result<Bytes>> Get(std::string key) override {
    auto it = objects_.find(key);
    if (it == objects_.end()) co_return NotFound("NoSuchKey: " + key);
    co_return it->second;
  }
  Task<Result<Bytes>> GetRange(std::string key, int64_t offset, int64_t length) override {
    auto it = objects_.find(key);
    if (it == objects_.end()) co_return NotFound("NoSuchKey: " + key);
    if (offset >= static_cast<int64_t>(it->second.size())) co_return OutOfRange(key);
    co_return it->second.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
  }
  Task<Result<ObjectInfo>> Head(std::string key) override {
    auto it = objects_.find(key);
    if (it == objects_.end()) co_return NotFound("NoSuchKey: " + key);
    co_return ObjectInfo{key, static_cast<int64_t>(it->second.size()), ""};
  }
  Task<Result<ListObjectsPage>> List(ListObjectsRequest request) override {
    ListObjectsPage page;
    for (const auto& [k, v] : objects_) {
      if (k.compare(0, request.prefix.size(), request.prefix) == 0) {
        page.objects.push_back({k, static_cast<int64_t>(v.size()), ""});
      }
    }
    co_return page;
  }
  Task<Status> Delete(std::string key) override {
    objects_.erase(key);
    co_return Status::Ok();
  }
  Task<Status> DeleteMany(std::vector<std::string> keys) override {
    for (const auto& k : keys) objects_.erase(k);
    co_return Status::Ok();
  }

  std::map<std::string, Bytes>& objects() { return objects_; }
  const std::map<std::string, Bytes>& objects() const { return objects_; }

 private:
  std::map<std::string, Bytes> objects_;
};

// Runs a task that completes without suspending (everything here is synchronous) and returns its
// value.
template <typename T>
T RunSync(Task<T> task) {
  std::optional<T> out;
  TaskScope scope;
  scope.Spawn([](Task<T> t, std::optional<T>& o) -> Task<void> { o.emplace(co_await t); }(
                                                     std::move(task), out));
  SIMVUS_CHECK(out.has_value(), "RunSync: task suspended");
  return std::move(*out);
}

}  // namespace simvus::segment::testing
