// WhenAll: run several calls at once on this node and wait for every one (a fan-out).
//
// Each call is spawned into the node's TaskScope, so they proceed concurrently (their RPCs are in
// flight together); the awaiting coroutine resumes once the last has finished, with the results
// in call order (deterministic whatever order they finished in). A crash destroys the spawned
// calls with the rest of the node's work.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "components/env/completion.h"
#include "components/env/env.h"
#include "components/env/result.h"

namespace simvus {

template <typename T>
Task<std::vector<Result<T>>> WhenAll(const Env& env,
                                     std::vector<std::function<Task<Result<T>>()>> calls) {
  struct State {
    std::vector<std::optional<Result<T>>> results;
    size_t pending = 0;
  };
  auto state = std::make_shared<State>();
  state->results.resize(calls.size());
  state->pending = calls.size();
  Signal done(env.executor);
  if (calls.empty()) done.Set(Unit{});
  for (size_t i = 0; i < calls.size(); ++i) {
    env.Spawn([](std::function<Task<Result<T>>()> call, std::shared_ptr<State> s, size_t index,
                 Signal all) -> Task<void> {
      Result<T> r = co_await call();
      s->results[index].emplace(std::move(r));
      if (--s->pending == 0) all.Set(Unit{});
    }(std::move(calls[i]), state, i, done));
  }
  co_await done;
  std::vector<Result<T>> out;
  out.reserve(state->results.size());
  for (std::optional<Result<T>>& r : state->results) out.push_back(std::move(*r));
  co_return out;
}

}  // namespace simvus
