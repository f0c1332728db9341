#include "scenarios/retrying_steps.h"

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

Task<Status> RetryingSteps::Delete(std::string label, int64_t pk) {
  const std::vector<int64_t> pks = {pk};
  std::function<Task<Result<proto::MutationResult>>()> attempt = [&] {
    return client_.Delete(label, collection_, pks);
  };
  Result<proto::MutationResult> r = co_await WithRetry(std::move(attempt), *client_.env().clock);
  if (!r.ok()) co_return r.status();
  ctx_.say(label + " -> acked at ts " + ToString(Timestamp{r->timestamp()}));
  co_return Status::Ok();
}

Task<Status> RetryingSteps::StrongSearch(std::string label) {
  const std::vector<float> query(static_cast<size_t>(dim_), 0.5f);
  std::function<Task<Result<proto::SearchResults>>()> attempt = [&] {
    return client_.Search(label, collection_, query, 10, proto::STRONG);
  };
  Result<proto::SearchResults> r = co_await WithRetry(std::move(attempt), *client_.env().clock);
  if (!r.ok()) co_return r.status();
  std::string pks;
  for (const proto::Hit& h : r->hits()) pks += (pks.empty() ? "" : ", ") + std::to_string(h.pk());
  ctx_.say(label + " (Strong) -> sees {" + pks + "}");
  co_return Status::Ok();
}

}  // namespace simvus::scenarios
