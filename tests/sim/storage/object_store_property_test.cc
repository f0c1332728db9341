// Property tests: SimObjectStore against a std::map, without and with injected faults.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "tests/conformance/sim_storage_harness.h"

namespace simvus::sim {
namespace {

using conformance::SimStorageHarness;
using Op = std::tuple<int, int, int>;  // (kind, key index, argument)

const std::vector<std::string> kKeys = {"a", "a/b", "a/c", "a/c/d", "ab", "b/x/y", "b/z", "c"};
const std::vector<std::string> kPrefixes = {"", "a", "a/", "b/", "z"};

// What a full, paginated listing must return, computed from the model.
std::pair<std::vector<std::string>, std::vector<std::string>> ExpectedListing(
    const std::map<std::string, Bytes>& model, const std::string& prefix,
    const std::string& delimiter) {
  std::vector<std::string> keys;
  std::set<std::string> prefixes;
  for (const auto& [key, value] : model) {
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    const size_t at = delimiter.empty() ? std::string::npos : key.find(delimiter, prefix.size());
    if (at == std::string::npos) {
      keys.push_back(key);
    } else {
      prefixes.insert(key.substr(0, at + delimiter.size()));
    }
  }
  return {keys, {prefixes.begin(), prefixes.end()}};
}

// Ops: 0-1 put, 2 get, 3 delete, 4 ranged get, 5 paginated list.
RC_GTEST_PROP(SimObjectStoreProperty, MatchesAMap, ()) {
  const auto ops = *rc::gen::container<std::vector<Op>>(
      rc::gen::tuple(rc::gen::inRange(0, 6), rc::gen::inRange(0, static_cast<int>(kKeys.size())),
                     rc::gen::inRange(0, 20)));
  SimStorageHarness h;
  std::vector<std::string> failures;
  h.Run([&]() -> Task<void> {
    ObjectStore& s = h.object_store();
    std::map<std::string, Bytes> model;
    int n = 0;
    for (const auto& [kind, k, arg] : ops) {
      const std::string& key = kKeys[static_cast<size_t>(k)];
      const std::string step = "op " + std::to_string(n++) + " on " + key + ": ";
      if (kind <= 1) {
        Bytes value = "v" + std::to_string(n) + std::string(static_cast<size_t>(arg), 'y');
        Status put = co_await s.Put(key, value);
        if (!put.ok()) failures.push_back(step + put.ToString());
        model[key] = value;
      } else if (kind == 2) {
        Result<Bytes> got = co_await s.Get(key);
        auto it = model.find(key);
        if (it == model.end() ? got.status().code() != StatusCode::kNotFound
                              : !got.ok() || *got != it->second) {
          failures.push_back(step + "get");
        }
      } else if (kind == 3) {
        Status del = co_await s.Delete(key);
        if (!del.ok()) failures.push_back(step + del.ToString());
        model.erase(key);
      } else if (kind == 4) {
        const int64_t offset = arg % 5;
        Result<Bytes> got = co_await s.GetRange(key, offset, 3);
        auto it = model.find(key);
        if (it == model.end()) {
          if (got.status().code() != StatusCode::kNotFound) failures.push_back(step + "range nf");
        } else if (offset >= static_cast<int64_t>(it->second.size())) {
          if (got.status().code() != StatusCode::kOutOfRange)
            failures.push_back(step + "range oor");
        } else if (!got.ok() || *got != it->second.substr(static_cast<size_t>(offset), 3)) {
          failures.push_back(step + "range bytes");
        }
      } else {
        const std::string& prefix = kPrefixes[static_cast<size_t>(k) % kPrefixes.size()];
        const std::string delimiter = arg % 2 == 0 ? "/" : "";
        ListObjectsRequest request;
        request.prefix = prefix;
        request.delimiter = delimiter;
        request.max_keys = 1 + arg % 3;
        std::vector<std::string> keys, prefixes;
        for (int pages = 0; pages < 50; ++pages) {
          Result<ListObjectsPage> page = co_await s.List(request);
          if (!page.ok()) {
            failures.push_back(step + page.status().ToString());
            break;
          }
          for (const ObjectInfo& o : page->objects) {
            keys.push_back(o.key);
            auto it = model.find(o.key);
            if (it == model.end() || o.size_bytes != static_cast<int64_t>(it->second.size())) {
              failures.push_back(step + "listed size of " + o.key);
            }
          }
          for (const std::string& p : page->common_prefixes) prefixes.push_back(p);
          if (!page->truncated) break;
          request.continuation_token = page->next_continuation_token;
        }
        std::sort(prefixes.begin(), prefixes.end());
        if (std::make_pair(keys, prefixes) != ExpectedListing(model, prefix, delimiter)) {
          failures.push_back(step + "listing of '" + prefix + "' delimiter '" + delimiter + "'");
        }
      }
    }
  });
  for (const std::string& f : failures) RC_LOG() << f << "\n";
  RC_ASSERT(failures.empty());
}

// Under faults (SlowDown, refusals, lost requests and replies) every acknowledged Put is readable
// afterwards and nothing is listed that was never written.
RC_GTEST_PROP(SimObjectStoreProperty, AcknowledgedPutsSurviveFaults, ()) {
  const auto count = *rc::gen::inRange(1, 60);
  const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  SimStorageHarness h(SimStorageOptions{}, seed);
  SimServiceFaults faults;
  faults.unavailable_probability = 0.1;
  faults.throttle_probability = 0.1;
  faults.lost_request_probability = 0.1;
  faults.lost_reply_probability = 0.1;
  faults.slow_probability = 0.2;
  h.storage().object_store().host().set_faults(faults);
  // The host crashes once, at a drawn time, and restarts a second later: its data must survive.
  const auto crash_at_ms = *rc::gen::inRange<int64_t>(0, 3000);
  h.StartStorm(h.storage().object_store_host(), Duration::Millis(crash_at_ms));
  std::map<std::string, Bytes> acked, attempted;
  h.Run([&]() -> Task<void> {
    for (int i = 0; i < count; ++i) {
      const std::string key = "seg/" + std::to_string(i);
      const Bytes value = "data-" + std::to_string(i);
      attempted[key] = value;
      Status put = co_await h.object_store().Put(key, value);
      if (put.ok()) acked[key] = value;
    }
  });
  h.storage().object_store().host().set_faults({});
  h.EndStorm();
  // Past the crash and restart of the host, whenever they were drawn.
  h.Run([&]() -> Task<void> { co_await h.Sleep(Duration::Seconds(5)); });
  std::vector<std::string> failures;
  h.Run([&]() -> Task<void> {
    for (const auto& [key, value] : acked) {
      Result<Bytes> got = co_await h.object_store().Get(key);
      if (!got.ok() || *got != value) failures.push_back("acked put lost: " + key);
    }
    ListObjectsRequest request;
    request.prefix = "seg/";
    Result<ListObjectsPage> page = co_await h.object_store().List(request);
    if (!page.ok()) {
      failures.push_back(page.status().ToString());
      co_return;
    }
    for (const ObjectInfo& o : page->objects) {
      if (attempted.count(o.key) == 0) failures.push_back("never written: " + o.key);
    }
  });
  for (const std::string& f : failures) RC_LOG() << f << "\n";
  RC_ASSERT(failures.empty());
}

}  // namespace
}  // namespace simvus::sim
