#include "sim/storage/sim_object_store.h"

#include <utility>

namespace simvus::sim {

namespace {

Task<Result<Unit>> ServePut(SimObjectStoreService* service, std::string key, Bytes data) {
  const size_t size = data.size();
  Status status = service->state().Put(key, std::move(data));
  if (status.ok()) service->host().Note("s3.put", key + " (" + std::to_string(size) + " B)");
  co_return FromStatus(status);
}
// The transfer time of a Get (or a ranged Get) depends on the object's size, which only the server
// knows.
Task<Result<Bytes>> ServeGet(SimObjectStoreService* service, std::string key) {
  Result<Bytes> data = service->state().Get(key);
  if (data.ok()) {
    co_await service->host().Sleep(service->ServiceTime(static_cast<int64_t>(data->size())));
  }
  co_return data;
}
Task<Result<Bytes>> ServeGetRange(SimObjectStoreService* service, std::string key, int64_t offset,
                                  int64_t length) {
  Result<Bytes> data = service->state().GetRange(key, offset, length);
  if (data.ok()) {
    co_await service->host().Sleep(service->ServiceTime(static_cast<int64_t>(data->size())));
  }
  co_return data;
}
Task<Result<ObjectInfo>> ServeHead(ObjectStoreState* state, std::string key) {
  co_return state->Head(key);
}
Task<Result<ListObjectsPage>> ServeList(ObjectStoreState* state, ListObjectsRequest request) {
  co_return state->List(request);
}
Task<Result<Unit>> ServeDeleteMany(ObjectStoreState* state, std::vector<std::string> keys) {
  for (const std::string& key : keys) {
    Status status = state->Delete(key);
    if (!status.ok()) co_return status;
  }
  co_return Unit{};
}

int64_t BytesReply(const Result<Bytes>& r) {
  return r.ok() ? 64 + static_cast<int64_t>(r->size()) : int64_t{64};
}
int64_t SmallReply(const Result<Unit>&) { return 64; }

class SimObjectStore : public ObjectStore {
 public:
  SimObjectStore(SimObjectStoreService* service, NodeId node) : service_(service), node_(node) {}

  Task<Status> Put(std::string key, Bytes data) override {
    SimObjectStoreService* service = service_;
    const int64_t size = static_cast<int64_t>(data.size());
    // Shared, so that the copies of the request along the simulated network copy no bytes.
    auto shared = std::make_shared<const Bytes>(std::move(data));
    std::function<Task<Result<Unit>>()> apply = [service, key, shared] {
      return ServePut(service, key, *shared);
    };
    std::function<int64_t(const Result<Unit>&)> reply = SmallReply;
    const StorageCallSpec spec = Spec("s3.PutObject", 256 + size, service_->ServiceTime(size));
    Result<Unit> result = co_await service_->host().Call<Unit>(node_, spec, apply, reply);
    co_return ToStatus(result);
  }

  Task<Result<Bytes>> Get(std::string key) override {
    SimObjectStoreService* service = service_;
    std::function<Task<Result<Bytes>>()> apply = [service, key] { return ServeGet(service, key); };
    std::function<int64_t(const Result<Bytes>&)> reply = BytesReply;
    const StorageCallSpec spec = Spec("s3.GetObject", 256, Duration::Zero());
    Result<Bytes> result = co_await service_->host().Call<Bytes>(node_, spec, apply, reply);
    co_return result;
  }

  Task<Result<Bytes>> GetRange(std::string key, int64_t offset, int64_t length) override {
    SimObjectStoreService* service = service_;
    std::function<Task<Result<Bytes>>()> apply = [service, key, offset, length] {
      return ServeGetRange(service, key, offset, length);
    };
    std::function<int64_t(const Result<Bytes>&)> reply = BytesReply;
    const StorageCallSpec spec = Spec("s3.GetObject(range)", 256, Duration::Zero());
    Result<Bytes> result = co_await service_->host().Call<Bytes>(node_, spec, apply, reply);
    co_return result;
  }

  Task<Result<ObjectInfo>> Head(std::string key) override {
    ObjectStoreState* state = &service_->state();
    std::function<Task<Result<ObjectInfo>>()> apply = [state, key] {
      return ServeHead(state, key);
    };
    std::function<int64_t(const Result<ObjectInfo>&)> reply = [](const Result<ObjectInfo>&) {
      return int64_t{128};
    };
    const StorageCallSpec spec = Spec("s3.HeadObject", 256, service_->ServiceTime(0));
    Result<ObjectInfo> result =
        co_await service_->host().Call<ObjectInfo>(node_, spec, apply, reply);
    co_return result;
  }

  Task<Result<ListObjectsPage>> List(ListObjectsRequest request) override {
    ObjectStoreState* state = &service_->state();
    std::function<Task<Result<ListObjectsPage>>()> apply = [state, request] {
      return ServeList(state, request);
    };
    std::function<int64_t(const Result<ListObjectsPage>&)> reply =
        [](const Result<ListObjectsPage>& r) {
          int64_t bytes = 256;
          if (r.ok()) {
            for (const ObjectInfo& o : r->objects) bytes += 96 + static_cast<int64_t>(o.key.size());
            for (const std::string& p : r->common_prefixes) {
              bytes += 32 + static_cast<int64_t>(p.size());
            }
          }
          return bytes;
        };
    const StorageCallSpec spec = Spec("s3.ListObjectsV2", 256, service_->ServiceTime(0));
    Result<ListObjectsPage> result =
        co_await service_->host().Call<ListObjectsPage>(node_, spec, apply, reply);
    co_return result;
  }

  Task<Status> Delete(std::string key) override {
    std::vector<std::string> keys{std::move(key)};
    std::string label = "s3.DeleteObject";
    Status status = co_await DeleteKeys(std::move(keys), label);
    co_return status;
  }

  Task<Status> DeleteMany(std::vector<std::string> keys) override {
    std::string label = "s3.DeleteObjects";
    Status status = co_await DeleteKeys(std::move(keys), label);
    co_return status;
  }

 private:
  Task<Status> DeleteKeys(std::vector<std::string> keys, std::string label) {
    ObjectStoreState* state = &service_->state();
    int64_t size = 256;
    for (const std::string& k : keys) size += 32 + static_cast<int64_t>(k.size());
    std::function<Task<Result<Unit>>()> apply = [state, keys] {
      return ServeDeleteMany(state, keys);
    };
    std::function<int64_t(const Result<Unit>&)> reply = SmallReply;
    const StorageCallSpec spec = Spec(std::move(label), size, service_->ServiceTime(0));
    Result<Unit> result = co_await service_->host().Call<Unit>(node_, spec, apply, reply);
    co_return ToStatus(result);
  }

  StorageCallSpec Spec(std::string label, int64_t bytes, Duration service_time) const {
    return {std::move(label), bytes, service_time, service_->options().request_timeout};
  }

  SimObjectStoreService* service_;
  NodeId node_;
};

}  // namespace

SimObjectStoreService::SimObjectStoreService(SimWorld& world, NodeId host,
                                             SimObjectStoreOptions options)
    : world_(world), options_(options), host_(world, host, "object_store", options.faults) {}

std::unique_ptr<ObjectStore> SimObjectStoreService::ClientFor(const NodeContext& context) {
  return std::make_unique<SimObjectStore>(this, context.id);
}

Duration SimObjectStoreService::ServiceTime(int64_t bytes) const {
  const int64_t bw = options_.bandwidth_bytes_per_sec > 0 ? options_.bandwidth_bytes_per_sec : 1;
  // bytes * 1e9 / bw without overflow for objects up to a few GB.
  const int64_t transfer_ns =
      static_cast<int64_t>(static_cast<__int128>(bytes) * 1'000'000'000 / bw);
  return options_.first_byte_latency + Duration::Nanos(transfer_ns);
}

void SimObjectStoreService::Outage(Duration d) {
  const Instant now = world_.scheduler().now();
  host_.AddOutage(now, now + d, Unavailable("s3: 503 ServiceUnavailable"));
}

void SimObjectStoreService::SlowDownStorm(Duration d) {
  const Instant now = world_.scheduler().now();
  host_.AddOutage(now, now + d, ResourceExhausted("s3: 503 SlowDown, reduce your request rate"));
}

}  // namespace simvus::sim
