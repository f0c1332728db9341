#include "scenarios/retrying_steps.h"

#include <cctype>

namespace simvus::scenarios {
namespace {

constexpr int kMaxAttempts = 20;
constexpr Duration kBackoff = Duration::Millis(200);

template <typename T>
Task<Result<T>> WithRetry(std::function<Task<Result<T>>()> attempt, Clock& clock) {
  for (int i = 1;; ++i) {
    Result<T> r = co_await attempt();
    if (r.ok() || !IsRetryable(r.status().code()) || i == kMaxAttempts) co_return r;
    co_await clock.Sleep(kBackoff);
  }
}

}  // namespace

Task<Status> RetryingSteps::Insert(std::string label, int64_t pk, int axis) {
  const std::vector<int64_t> pks = {pk};
  std::vector<std::vector<float>> vectors(1, std::vector<float>(static_cast<size_t>(dim_), 0.0f));
  vectors[0][static_cast<size_t>(axis % dim_)] = 1.0f;
  std::function<Task<Result<proto::MutationResult>>()> attempt = [&] {
    return client_.Insert(label, collection_, pks, vectors);
  };
  Result<proto::MutationResult> r = co_await WithRetry(std::move(attempt), *client_.env().clock);
  if (!r.ok()) co_return r.status();
  ctx_.say(label + " -> acked at ts " + ToString(Timestamp{r->timestamp()}));
  co_return Status::Ok();
}

Task<Status> RetryingSteps::Flush(std::string label) {
  std::function<Task<Result<proto::FlushResponse>>()> attempt = [&] {
    return client_.Flush(label, collection_);
  };
  Result<proto::FlushResponse> r = co_await WithRetry(std::move(attempt), *client_.env().clock);
  if (!r.ok()) co_return r.status();
  ctx_.say(label + " -> flushed: " + std::to_string(r->segment_ids_size()) +
           " segment(s) sealed and synced, " + std::to_string(r->flushed_segment_ids_size()) +
           " flushed before; everything before flush ts " + ToString(Timestamp{r->flush_ts()}) +
           " is in the object store");
  co_return Status::Ok();
}

Task<Status> RetryingSteps::Delete(std::string label, int64_t pk) {
  // Named first: GCC 12 miscompiles a braced temporary inside co_await (components/env/task.h).
  std::vector<int64_t> pks = {pk};
  co_return co_await DeleteRows(std::move(label), std::move(pks));
}

Task<Status> RetryingSteps::InsertRows(std::string label, std::vector<int64_t> pks) {
  co_return co_await WriteRows(std::move(label), std::move(pks), /*upsert=*/false);
}

Task<Status> RetryingSteps::UpsertRows(std::string label, std::vector<int64_t> pks) {
  co_return co_await WriteRows(std::move(label), std::move(pks), /*upsert=*/true);
}

Task<Status> RetryingSteps::WriteRows(std::string label, std::vector<int64_t> pks, bool upsert) {
  // An upsert's new version points elsewhere (the next axis), so reads tell the versions apart.
  std::vector<std::vector<float>> vectors;
  for (int64_t pk : pks) {
    std::vector<float> v(static_cast<size_t>(dim_), 0.0f);
    v[static_cast<size_t>((((pk + (upsert ? 1 : 0)) % dim_) + dim_) % dim_)] = 1.0f;
    vectors.push_back(std::move(v));
  }
  co_return co_await WriteVectors(std::move(label), std::move(pks), std::move(vectors), upsert);
}

Task<Status> RetryingSteps::WriteVectors(std::string label, std::vector<int64_t> pks,
                                         std::vector<std::vector<float>> vectors, bool upsert) {
  std::function<Task<Result<proto::MutationResult>>()> attempt = [&] {
    return upsert ? client_.Upsert(label, collection_, pks, vectors)
                  : client_.Insert(label, collection_, pks, vectors);
  };
  Result<proto::MutationResult> r = co_await WithRetry(std::move(attempt), *client_.env().clock);
  if (!r.ok()) co_return r.status();
  ctx_.say(label + " -> acked at ts " + ToString(Timestamp{r->timestamp()}));
  co_return Status::Ok();
}

Task<Status> RetryingSteps::DeleteRows(std::string label, std::vector<int64_t> pks) {
  std::function<Task<Result<proto::MutationResult>>()> attempt = [&] {
    return client_.Delete(label, collection_, pks);
  };
  Result<proto::MutationResult> r = co_await WithRetry(std::move(attempt), *client_.env().clock);
  if (!r.ok()) co_return r.status();
  ctx_.say(label + " -> acked at ts " + ToString(Timestamp{r->timestamp()}));
  co_return Status::Ok();
}

Task<Status> RetryingSteps::StrongSearch(std::string label) {
  co_return co_await Search(std::move(label), proto::STRONG, 10);
}

namespace {

std::string LevelName(proto::ConsistencyLevel level) {
  std::string name = proto::ConsistencyLevel_Name(level);
  for (size_t i = 1; i < name.size(); ++i) {
    name[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  }
  return name;
}

}  // namespace

Task<Status> RetryingSteps::Search(std::string label, proto::ConsistencyLevel level, int32_t topk,
                                   std::string filter, int32_t nq) {
  std::vector<std::vector<float>> queries;
  for (int32_t q = 0; q < nq; ++q) {
    std::vector<float>& query = queries.emplace_back(static_cast<size_t>(dim_), 0.5f);
    for (int32_t i = (q - 1) % 16; q >= 1 && i < dim_; i += 16)
      query[static_cast<size_t>(i)] = 1.5f;
  }
  Client::ReadOptions options;
  options.filter = filter;
  std::function<Task<Result<proto::SearchResults>>()> attempt = [&] {
    return client_.SearchBatch(label, collection_, queries, topk, level, options);
  };
  Result<proto::SearchResults> r = co_await WithRetry(std::move(attempt), *client_.env().clock);
  if (!r.ok()) co_return r.status();
  // Each query's pks, "{...}" apiece.
  std::string seen;
  for (const std::vector<proto::Hit>& hits : HitsPerQuery(*r, nq)) {
    std::string pks;
    for (const proto::Hit& h : hits) pks += (pks.empty() ? "" : ", ") + std::to_string(h.pk());
    seen += (seen.empty() ? "{" : " {") + pks + "}";
  }
  ctx_.say(label + " (" + LevelName(level) + (filter.empty() ? "" : ", " + filter) +
           (nq > 1 ? ", nq " + std::to_string(nq) : "") + ") -> sees " + seen);
  co_return Status::Ok();
}

Task<Status> RetryingSteps::Count(std::string label, proto::ConsistencyLevel level,
                                  std::string filter) {
  std::function<Task<Result<proto::QueryResults>>()> attempt = [&] {
    return client_.Query(label, collection_, filter, level, /*count_only=*/true);
  };
  Result<proto::QueryResults> r = co_await WithRetry(std::move(attempt), *client_.env().clock);
  if (!r.ok()) co_return r.status();
  ctx_.say(label + " (" + LevelName(level) + (filter.empty() ? "" : ", " + filter) +
           ") -> count(*) = " + std::to_string(r->count()));
  co_return Status::Ok();
}

}  // namespace simvus::scenarios
