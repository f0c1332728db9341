// RetryingSteps: a workload's operations on one collection with SDK-style retries.
//
// Like pymilvus's retry decorator, an operation is repeated (every 200 ms, up to 20 times) while
// the cluster answers "unavailable", "deadline exceeded" or "throttled". Every attempt is its own
// operation in the history, so a timed-out insert stays "info" (maybe applied) and the checker
// allows for it. Each success is told as a story line.
#pragma once

#include <string>
#include <vector>

#include "scenarios/client.h"
#include "scenarios/scenario.h"

namespace simvus::scenarios {

class RetryingSteps {
 public:
  RetryingSteps(Client& client, ScenarioContext& ctx, std::string collection, int32_t dim = 4)
      : client_(client), ctx_(ctx), collection_(std::move(collection)), dim_(dim) {}

  // Inserts pk with the unit vector along `axis` (mod dim).
  Task<Status> Insert(std::string label, int64_t pk, int axis);
  Task<Status> Delete(std::string label, int64_t pk);
  // One request with every pk, each with the unit vector along pk mod dim.
  Task<Status> InsertRows(std::string label, std::vector<int64_t> pks);
  // Replaces those rows; the new versions point along (pk + 1) mod dim.
  Task<Status> UpsertRows(std::string label, std::vector<int64_t> pks);
  Task<Status> DeleteRows(std::string label, std::vector<int64_t> pks);
  // One insert (or upsert) request with these vectors.
  Task<Status> WriteVectors(std::string label, std::vector<int64_t> pks,
                            std::vector<std::vector<float>> vectors, bool upsert);
  // Flush the collection and wait until GetFlushState says its data is in the object store.
  Task<Status> Flush(std::string label);
  // A Strong search for the 10 nearest rows to the all-0.5 vector.
  Task<Status> StrongSearch(std::string label);
  // A search at `level` for the `topk` nearest rows to the all-0.5 vector, filtered by
  // `filter` (over the pk) if given. With nq > 1, one request of nq query vectors: the all-0.5
  // vector and, for q >= 1, the same with every component i = q - 1 (mod 16) raised to 1.5 (so
  // that queries differ in every 16 floats a batched kernel scores at once).
  Task<Status> Search(std::string label, proto::ConsistencyLevel level, int32_t topk,
                      std::string filter = "", int32_t nq = 1);
  // count(*) at `level` of the rows matching `filter` (all if empty).
  Task<Status> Count(std::string label, proto::ConsistencyLevel level, std::string filter = "");

 private:
  Task<Status> WriteRows(std::string label, std::vector<int64_t> pks, bool upsert);

  Client& client_;
  ScenarioContext& ctx_;
  std::string collection_;
  int32_t dim_;
};

}  // namespace simvus::scenarios
