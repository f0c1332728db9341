// Property tests: SimMetaStore against a map per revision (the whole revision history), without
// and with injected faults.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "tests/conformance/sim_storage_harness.h"

namespace simvus::sim {
namespace {

using conformance::SimStorageHarness;
using Op = std::tuple<int, int, int>;  // (kind, key index, argument)
using Snapshot = std::map<std::string, KeyValue>;

const std::vector<std::string> kKeys = {"a", "a/1", "a/2", "b", "b/1"};
const std::string kAll(1, '\0');

std::vector<KeyValue> Values(const Snapshot& s) {
  std::vector<KeyValue> out;
  for (const auto& [key, kv] : s) out.push_back(kv);
  return out;
}

bool InRange(const std::string& k, const std::string& key, const std::string& end) {
  if (end.empty()) return k == key;
  return k >= key && (end == kAll || k < end);
}

// Ops: 0-1 put, 2 delete (a key or a prefix), 3 txn on a version compare, 4 range at a past
// revision, 5 compact.
RC_GTEST_PROP(SimMetaStoreProperty, MatchesAMapWithRevisionHistory, ()) {
  const auto ops = *rc::gen::container<std::vector<Op>>(
      rc::gen::tuple(rc::gen::inRange(0, 6), rc::gen::inRange(0, static_cast<int>(kKeys.size())),
                     rc::gen::inRange(0, 12)));
  SimStorageHarness h;
  std::vector<std::string> failures;
  std::vector<Snapshot> history(2);  // history[r]: the state after revision r (1: empty)
  int64_t compacted = 0;
  h.Run([&]() -> Task<void> {
    MetaStore& m = h.meta_store();
    int n = 0;
    for (const auto& [kind, k, arg] : ops) {
      const std::string& key = kKeys[static_cast<size_t>(k)];
      const std::string step = "op " + std::to_string(n++) + " on " + key + ": ";
      const int64_t rev = static_cast<int64_t>(history.size()) - 1;
      const Snapshot& now = history.back();
      auto put_into = [&](Snapshot next, const Bytes& value) {
        auto it = now.find(key);
        KeyValue kv{key,
                    value,
                    it == now.end() ? rev + 1 : it->second.create_revision,
                    rev + 1,
                    it == now.end() ? 1 : it->second.version + 1,
                    0};
        next[key] = kv;
        return next;
      };
      if (kind <= 1) {
        const Bytes value = "v" + std::to_string(n);
        Result<PutResult> put = co_await m.Put(key, value);
        auto it = now.find(key);
        if (!put.ok() || put->revision != rev + 1 || put->prev.has_value() != (it != now.end()) ||
            (put->prev && *put->prev != it->second)) {
          failures.push_back(step + "put");
        }
        history.push_back(put_into(now, value));
      } else if (kind == 2) {
        const std::string end = arg % 2 == 0 ? std::string() : PrefixEnd(key);
        Result<DeleteResult> del = co_await m.Delete(key, end);
        Snapshot next = now;
        std::erase_if(next, [&](const auto& e) { return InRange(e.first, key, end); });
        const int64_t deleted = static_cast<int64_t>(now.size() - next.size());
        if (!del.ok() || del->deleted != deleted) failures.push_back(step + "delete count");
        if (deleted > 0) history.push_back(std::move(next));
      } else if (kind == 3) {
        Compare c{key, Compare::Target::kVersion, Compare::Op::kEqual, Bytes(), arg % 3};
        TxnOp put{TxnOp::Kind::kPut, key, std::string(), "t" + std::to_string(n), 0};
        TxnOp get{TxnOp::Kind::kRange, key, std::string(), Bytes(), 0};
        std::vector<Compare> cs{c};
        std::vector<TxnOp> then_ops{put};
        std::vector<TxnOp> else_ops{get};
        Result<TxnResult> txn = co_await m.Txn(cs, then_ops, else_ops);
        auto it = now.find(key);
        const bool holds = (it == now.end() ? 0 : it->second.version) == arg % 3;
        if (!txn.ok() || txn->succeeded != holds) {
          failures.push_back(step + "txn branch");
        } else if (!holds && (txn->results.size() != 1 ||
                              txn->results[0].range.kvs.size() != (it == now.end() ? 0u : 1u))) {
          failures.push_back(step + "txn range");
        }
        if (holds) history.push_back(put_into(now, put.value));
      } else if (kind == 4) {
        const int64_t at = std::max<int64_t>(1, rev - arg % 6);
        RangeRequest request;
        request.key = "a";
        request.range_end = kAll;
        request.revision = at;
        Result<RangeResult> got = co_await m.Range(request);
        if (at < compacted) {
          if (got.status().code() != StatusCode::kOutOfRange)
            failures.push_back(step + "compacted");
        } else if (!got.ok() || got->kvs != Values(history[static_cast<size_t>(at)]) ||
                   got->revision != rev) {
          failures.push_back(step + "range at " + std::to_string(at));
        }
      } else if (arg % 4 == 0) {
        const int64_t at = rev - arg % 3;
        Status status = co_await m.Compact(at);
        if (at <= compacted) {
          if (status.code() != StatusCode::kOutOfRange) failures.push_back(step + "compact");
        } else if (!status.ok()) {
          failures.push_back(step + status.ToString());
        } else {
          compacted = at;
        }
      }
    }
    // A watch from the oldest retained revision replays exactly the model's changes.
    const int64_t last = static_cast<int64_t>(history.size()) - 1;
    const int64_t from = std::max<int64_t>(2, compacted);
    if (from > last) co_return;
    Result<std::unique_ptr<MetaWatch>> watch = co_await m.Watch("a", kAll, from);
    if (!watch.ok()) {
      failures.push_back("watch: " + watch.status().ToString());
      co_return;
    }
    std::map<int64_t, int> per_revision;
    int64_t seen = from - 1;
    while (seen < last) {
      Result<std::vector<WatchEvent>> events = co_await (*watch)->Next();
      if (!events.ok()) {
        failures.push_back("watch next: " + events.status().ToString());
        co_return;
      }
      for (const WatchEvent& e : *events) {
        const int64_t r = e.kv.mod_revision;
        if (r < seen) failures.push_back("watch out of order");
        seen = r;
        per_revision[r]++;
        const Snapshot& after = history[static_cast<size_t>(r)];
        const Snapshot& before = history[static_cast<size_t>(r - 1)];
        if (e.type == WatchEvent::Type::kPut) {
          auto it = after.find(e.kv.key);
          if (it == after.end() || it->second != e.kv) failures.push_back("watch put event");
        } else if (after.count(e.kv.key) != 0 || before.count(e.kv.key) == 0) {
          failures.push_back("watch delete event");
        }
      }
    }
    for (int64_t r = from; r <= last; ++r) {
      const Snapshot& after = history[static_cast<size_t>(r)];
      const Snapshot& before = history[static_cast<size_t>(r - 1)];
      int changed = 0;
      for (const auto& [key, kv] : after) changed += before.count(key) == 0 || before.at(key) != kv;
      for (const auto& [key, kv] : before) changed += after.count(key) == 0;
      if (per_revision[r] != changed) failures.push_back("events at " + std::to_string(r));
    }
  });
  for (const std::string& f : failures) RC_LOG() << f << "\n";
  RC_ASSERT(failures.empty());
}

// Under faults every acknowledged put is visible afterwards (or overwritten by a later attempt),
// and nothing is read that was never written.
RC_GTEST_PROP(SimMetaStoreProperty, AcknowledgedPutsSurviveFaults, ()) {
  const auto keys = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 3));
  const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  SimStorageHarness h(SimStorageOptions{}, seed);
  SimServiceFaults faults;
  faults.unavailable_probability = 0.1;
  faults.lost_request_probability = 0.1;
  faults.lost_reply_probability = 0.1;
  faults.slow_probability = 0.2;
  h.storage().meta_store().host().set_faults(faults);
  // The host crashes once, at a drawn time, and restarts a second later: its data must survive.
  const auto crash_at_ms = *rc::gen::inRange<int64_t>(0, 3000);
  h.StartStorm(h.storage().meta_store_host(), Duration::Millis(crash_at_ms));
  std::map<std::string, std::vector<Bytes>> attempts;  // per key, in order
  std::map<std::string, size_t> last_acked;            // index into attempts
  h.Run([&]() -> Task<void> {
    int n = 0;
    for (int k : keys) {
      const std::string key = "/k/" + std::to_string(k);
      const Bytes value = "v" + std::to_string(n++);
      attempts[key].push_back(value);
      Result<PutResult> put = co_await h.meta_store().Put(key, value);
      if (put.ok()) last_acked[key] = attempts[key].size() - 1;
    }
  });
  h.storage().meta_store().host().set_faults({});
  h.EndStorm();
  // Past the crash and restart of the host, whenever they were drawn.
  h.Run([&]() -> Task<void> { co_await h.Sleep(Duration::Seconds(5)); });
  std::vector<std::string> failures;
  h.Run([&]() -> Task<void> {
    for (const auto& [key, values] : attempts) {
      RangeRequest request;
      request.key = key;
      Result<RangeResult> got = co_await h.meta_store().Range(request);
      if (!got.ok()) {
        failures.push_back(got.status().ToString());
        continue;
      }
      auto acked = last_acked.find(key);
      if (got->kvs.empty()) {
        if (acked != last_acked.end()) failures.push_back("acked put lost: " + key);
        continue;
      }
      auto pos = std::find(values.begin(), values.end(), got->kvs[0].value);
      if (pos == values.end()) {
        failures.push_back("never written: " + got->kvs[0].value);
      } else if (acked != last_acked.end() &&
                 static_cast<size_t>(pos - values.begin()) < acked->second) {
        failures.push_back("acked put overwritten by an older one: " + key);
      }
    }
  });
  for (const std::string& f : failures) RC_LOG() << f << "\n";
  RC_ASSERT(failures.empty());
}

}  // namespace
}  // namespace simvus::sim
