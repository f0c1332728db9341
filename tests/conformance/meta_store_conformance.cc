#include "tests/conformance/meta_store_conformance.h"

#include <string>
#include <vector>

namespace simvus::conformance {
namespace {

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MetaStoreConformance);

// Builds the request outside the co_await expression: GCC 12 destroys a braced temporary
// argument of a coroutine call inside co_await twice.
Task<Result<RangeResult>> RangeOf(MetaStore& m, const std::string& key, const std::string& end,
                                  int64_t revision, int64_t limit) {
  return m.Range(RangeRequest{key, end, revision, limit});
}

// The store's current revision (a Range of an unused key).
Task<Result<int64_t>> CurrentRevision(MetaStore& store) {
  Result<RangeResult> r = co_await RangeOf(store, "/conformance/no-such-key", {}, 0, 0);
  if (!r.ok()) co_return r.status();
  co_return r->revision;
}

TEST_P(MetaStoreConformance, PutThenRangeReturnsTheKeyWithItsRevisions) {
  const std::string p = h().Unique("/put") + "/";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<int64_t> start = co_await CurrentRevision(m);
    CO_ASSERT_OK(start);
    Result<PutResult> put = co_await m.Put(p + "a", "1");
    CO_ASSERT_OK(put);
    EXPECT_EQ(put->revision, *start + 1);
    EXPECT_FALSE(put->prev.has_value());
    Result<RangeResult> got = co_await RangeOf(m, p + "a", {}, 0, 0);
    CO_ASSERT_OK(got);
    CO_ASSERT_TRUE(got->kvs.size() == 1);
    const KeyValue& kv = got->kvs[0];
    EXPECT_EQ(kv.key, p + "a");
    EXPECT_EQ(kv.value, "1");
    EXPECT_EQ(kv.create_revision, *start + 1);
    EXPECT_EQ(kv.mod_revision, *start + 1);
    EXPECT_EQ(kv.version, 1);
    EXPECT_EQ(kv.lease, 0);
    EXPECT_EQ(got->count, 1);
    EXPECT_EQ(got->revision, *start + 1);
  });
}

TEST_P(MetaStoreConformance, OverwriteBumpsVersionAndModRevisionAndReturnsPrev) {
  const std::string k = h().Unique("/over") + "/k";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<PutResult> first = co_await m.Put(k, "1");
    CO_ASSERT_OK(first);
    Result<PutResult> second = co_await m.Put(k, "2");
    CO_ASSERT_OK(second);
    EXPECT_EQ(second->revision, first->revision + 1);
    CO_ASSERT_TRUE(second->prev.has_value());
    EXPECT_EQ(second->prev->value, "1");
    Result<RangeResult> got = co_await RangeOf(m, k, {}, 0, 0);
    CO_ASSERT_OK(got);
    CO_ASSERT_TRUE(got->kvs.size() == 1);
    EXPECT_EQ(got->kvs[0].value, "2");
    EXPECT_EQ(got->kvs[0].version, 2);
    EXPECT_EQ(got->kvs[0].create_revision, first->revision);
    EXPECT_EQ(got->kvs[0].mod_revision, second->revision);
  });
}

TEST_P(MetaStoreConformance, PrefixRangeIsSortedAndLimitSetsMore) {
  const std::string p = h().Unique("/prefix") + "/";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    const std::vector<std::string> names = {"c", "a", "b", "d"};
    for (const std::string& k : names) CO_ASSERT_OK(co_await m.Put(p + k, k));
    CO_ASSERT_OK(co_await m.Put(p.substr(0, p.size() - 1) + "0", "outside"));
    Result<RangeResult> all = co_await RangeOf(m, p, PrefixEnd(p), 0, 0);
    CO_ASSERT_OK(all);
    CO_ASSERT_TRUE(all->kvs.size() == 4);
    EXPECT_EQ(all->kvs[0].key, p + "a");
    EXPECT_EQ(all->kvs[3].key, p + "d");
    EXPECT_EQ(all->count, 4);
    EXPECT_FALSE(all->more);
    Result<RangeResult> two = co_await RangeOf(m, p, PrefixEnd(p), 0, 2);
    CO_ASSERT_OK(two);
    CO_ASSERT_TRUE(two->kvs.size() == 2);
    EXPECT_EQ(two->kvs[1].key, p + "b");
    EXPECT_EQ(two->count, 4);
    EXPECT_TRUE(two->more);
    Result<RangeResult> mid = co_await RangeOf(m, p + "b", p + "d", 0, 0);
    CO_ASSERT_OK(mid);
    EXPECT_EQ(mid->kvs.size(), 2u);
  });
}

TEST_P(MetaStoreConformance, DeleteReturnsPrevAndOnlyRealDeletesBumpTheRevision) {
  const std::string p = h().Unique("/del") + "/";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    CO_ASSERT_OK(co_await m.Put(p + "a", "1"));
    CO_ASSERT_OK(co_await m.Put(p + "b", "2"));
    Result<int64_t> before = co_await CurrentRevision(m);
    CO_ASSERT_OK(before);
    Result<DeleteResult> none = co_await m.Delete(p + "zzz");
    CO_ASSERT_OK(none);
    EXPECT_EQ(none->deleted, 0);
    Result<int64_t> same = co_await CurrentRevision(m);
    CO_ASSERT_OK(same);
    EXPECT_EQ(*same, *before);
    Result<DeleteResult> both = co_await m.Delete(p, PrefixEnd(p));
    CO_ASSERT_OK(both);
    EXPECT_EQ(both->deleted, 2);
    EXPECT_EQ(both->revision, *before + 1);
    CO_ASSERT_TRUE(both->prev.size() == 2);
    EXPECT_EQ(both->prev[0].value, "1");
    Result<RangeResult> gone = co_await RangeOf(m, p, PrefixEnd(p), 0, 0);
    CO_ASSERT_OK(gone);
    EXPECT_TRUE(gone->kvs.empty());
    // A re-created key starts a new life: version 1, a new create revision.
    Result<PutResult> again = co_await m.Put(p + "a", "3");
    CO_ASSERT_OK(again);
    Result<RangeResult> fresh = co_await RangeOf(m, p + "a", {}, 0, 0);
    CO_ASSERT_OK(fresh);
    CO_ASSERT_TRUE(fresh->kvs.size() == 1);
    EXPECT_EQ(fresh->kvs[0].version, 1);
    EXPECT_EQ(fresh->kvs[0].create_revision, again->revision);
  });
}

TEST_P(MetaStoreConformance, RangeAtAPastRevisionSeesThePastUntilCompacted) {
  const std::string k = h().Unique("/past") + "/k";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<PutResult> v1 = co_await m.Put(k, "1");
    CO_ASSERT_OK(v1);
    Result<PutResult> v2 = co_await m.Put(k, "2");
    CO_ASSERT_OK(v2);
    Result<RangeResult> old = co_await RangeOf(m, k, {}, v1->revision, 0);
    CO_ASSERT_OK(old);
    CO_ASSERT_TRUE(old->kvs.size() == 1);
    EXPECT_EQ(old->kvs[0].value, "1");
    Result<RangeResult> before = co_await RangeOf(m, k, {}, v1->revision - 1, 0);
    CO_ASSERT_OK(before);
    EXPECT_TRUE(before->kvs.empty());
    CO_ASSERT_OK(co_await m.Compact(v2->revision));
    CO_ASSERT_CODE(co_await RangeOf(m, k, {}, v1->revision, 0), StatusCode::kOutOfRange);
    Result<RangeResult> at = co_await RangeOf(m, k, {}, v2->revision, 0);
    CO_ASSERT_OK(at);
    CO_ASSERT_TRUE(at->kvs.size() == 1);
    EXPECT_EQ(at->kvs[0].value, "2");
  });
}

TEST_P(MetaStoreConformance, RangeAtAFutureRevisionIsOutOfRange) {
  const std::string k = h().Unique("/future") + "/k";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<PutResult> put = co_await m.Put(k, "1");
    CO_ASSERT_OK(put);
    CO_ASSERT_CODE(co_await RangeOf(m, k, {}, put->revision + 1000, 0), StatusCode::kOutOfRange);
  });
}

TEST_P(MetaStoreConformance, TxnRunsSuccessOrFailureOpsAtomically) {
  const std::string p = h().Unique("/txn") + "/";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    // Create-if-absent: version == 0.
    Compare absent{p + "k", Compare::Target::kVersion, Compare::Op::kEqual, {}, 0};
    TxnOp put_k{TxnOp::Kind::kPut, p + "k", {}, Bytes("v1"), 0};
    TxnOp put_side{TxnOp::Kind::kPut, p + "side", {}, Bytes("s"), 0};
    TxnOp get_k{TxnOp::Kind::kRange, p + "k", {}, {}, 0};
    std::vector<Compare> created_if{absent};
    std::vector<TxnOp> created_then{put_k, put_side};
    std::vector<TxnOp> created_else{get_k};
    Result<TxnResult> created = co_await m.Txn(created_if, created_then, created_else);
    CO_ASSERT_OK(created);
    EXPECT_TRUE(created->succeeded);
    CO_ASSERT_TRUE(created->results.size() == 2);
    Result<RangeResult> both = co_await RangeOf(m, p, PrefixEnd(p), 0, 0);
    CO_ASSERT_OK(both);
    CO_ASSERT_TRUE(both->kvs.size() == 2);
    EXPECT_EQ(both->kvs[0].mod_revision, both->kvs[1].mod_revision);  // one revision
    EXPECT_EQ(both->kvs[0].mod_revision, created->revision);
    std::vector<Compare> again_if{absent};
    std::vector<TxnOp> again_then{put_k};
    std::vector<TxnOp> again_else{get_k};
    Result<TxnResult> again = co_await m.Txn(again_if, again_then, again_else);
    CO_ASSERT_OK(again);
    EXPECT_FALSE(again->succeeded);
    EXPECT_EQ(again->revision, created->revision);  // a read-only branch writes nothing
    CO_ASSERT_TRUE(again->results.size() == 1);
    CO_ASSERT_TRUE(again->results[0].range.kvs.size() == 1);
    EXPECT_EQ(again->results[0].range.kvs[0].value, "v1");
    // Compare-and-swap on the value and on the mod revision.
    Compare is_v1{p + "k", Compare::Target::kValue, Compare::Op::kEqual, Bytes("v1"), 0};
    TxnOp put_v2{TxnOp::Kind::kPut, p + "k", {}, Bytes("v2"), 0};
    std::vector<Compare> swapped_if{is_v1};
    std::vector<TxnOp> swapped_then{put_v2};
    std::vector<TxnOp> swapped_else{};
    Result<TxnResult> swapped = co_await m.Txn(swapped_if, swapped_then, swapped_else);
    CO_ASSERT_OK(swapped);
    EXPECT_TRUE(swapped->succeeded);
    Compare stale{
        p + "k", Compare::Target::kModRevision, Compare::Op::kEqual, {}, created->revision};
    std::vector<Compare> lost_if{stale};
    std::vector<TxnOp> lost_then{put_k};
    std::vector<TxnOp> lost_else{};
    Result<TxnResult> lost = co_await m.Txn(lost_if, lost_then, lost_else);
    CO_ASSERT_OK(lost);
    EXPECT_FALSE(lost->succeeded);
    Compare newer{
        p + "k", Compare::Target::kModRevision, Compare::Op::kGreater, {}, created->revision};
    std::vector<Compare> greater_if{newer};
    std::vector<TxnOp> greater_then{};
    std::vector<TxnOp> greater_else{};
    Result<TxnResult> greater = co_await m.Txn(greater_if, greater_then, greater_else);
    CO_ASSERT_OK(greater);
    EXPECT_TRUE(greater->succeeded);
  });
}

TEST_P(MetaStoreConformance, TxnDeletesARangeAndComparesLeases) {
  const std::string p = h().Unique("/txndel") + "/";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<LeaseId> lease = co_await m.LeaseGrant(Duration::Seconds(30));
    CO_ASSERT_OK(lease);
    CO_ASSERT_OK(co_await m.Put(p + "a", "1", *lease));
    CO_ASSERT_OK(co_await m.Put(p + "b", "2"));
    Compare leased{p + "a", Compare::Target::kLease, Compare::Op::kEqual, Bytes(), *lease};
    TxnOp del{TxnOp::Kind::kDelete, p, PrefixEnd(p), Bytes(), 0};
    std::vector<Compare> compares{leased};
    std::vector<TxnOp> success{del};
    std::vector<TxnOp> failure;
    Result<TxnResult> txn = co_await m.Txn(compares, success, failure);
    CO_ASSERT_OK(txn);
    EXPECT_TRUE(txn->succeeded);
    CO_ASSERT_TRUE(txn->results.size() == 1);
    EXPECT_EQ(txn->results[0].del.deleted, 2);
    EXPECT_EQ(txn->results[0].del.prev.size(), 2u);
    Result<RangeResult> gone = co_await RangeOf(m, p, PrefixEnd(p), 0, 0);
    CO_ASSERT_OK(gone);
    EXPECT_TRUE(gone->kvs.empty());
    CO_ASSERT_OK(co_await m.LeaseRevoke(*lease));
  });
}

TEST_P(MetaStoreConformance, ValueCompareOnAMissingKeyFails) {
  const std::string k = h().Unique("/missing") + "/k";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Compare empty_value{k, Compare::Target::kValue, Compare::Op::kEqual, Bytes(), 0};
    std::vector<Compare> r_if{empty_value};
    std::vector<TxnOp> r_then{};
    std::vector<TxnOp> r_else{};
    Result<TxnResult> r = co_await m.Txn(r_if, r_then, r_else);
    CO_ASSERT_OK(r);
    EXPECT_FALSE(r->succeeded);
    Compare not_equal{k, Compare::Target::kValue, Compare::Op::kNotEqual, Bytes("x"), 0};
    std::vector<Compare> r2_if{not_equal};
    std::vector<TxnOp> r2_then{};
    std::vector<TxnOp> r2_else{};
    Result<TxnResult> r2 = co_await m.Txn(r2_if, r2_then, r2_else);
    CO_ASSERT_OK(r2);
    EXPECT_FALSE(r2->succeeded);
  });
}

TEST_P(MetaStoreConformance, WatchDeliversEveryEventInRevisionOrder) {
  const std::string p = h().Unique("/watch") + "/";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<PutResult> a1 = co_await m.Put(p + "a", "1");
    CO_ASSERT_OK(a1);
    CO_ASSERT_OK(co_await m.Put(p + "b", "1"));
    CO_ASSERT_OK(co_await m.Put(p.substr(0, p.size() - 1) + "~", "outside"));
    CO_ASSERT_OK(co_await m.Put(p + "a", "2"));
    CO_ASSERT_OK(co_await m.Delete(p + "b"));
    Result<std::unique_ptr<MetaWatch>> watch = co_await m.Watch(p, PrefixEnd(p), a1->revision);
    CO_ASSERT_OK(watch);
    std::vector<WatchEvent> events;
    while (events.size() < 4) {
      Result<std::vector<WatchEvent>> batch = co_await (*watch)->Next();
      CO_ASSERT_OK(batch);
      events.insert(events.end(), batch->begin(), batch->end());
    }
    CO_ASSERT_TRUE(events.size() == 4);
    EXPECT_EQ(events[0].kv.key, p + "a");
    EXPECT_EQ(events[0].kv.mod_revision, a1->revision);
    EXPECT_EQ(events[1].kv.key, p + "b");
    EXPECT_EQ(events[2].type, WatchEvent::Type::kPut);
    EXPECT_EQ(events[2].kv.value, "2");
    EXPECT_EQ(events[3].type, WatchEvent::Type::kDelete);
    EXPECT_EQ(events[3].kv.key, p + "b");
    for (size_t i = 1; i < events.size(); ++i) {
      EXPECT_LT(events[i - 1].kv.mod_revision, events[i].kv.mod_revision);
    }
  });
}

TEST_P(MetaStoreConformance, WatchWaitsForTheNextWrite) {
  const std::string k = h().Unique("/wait") + "/k";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<std::unique_ptr<MetaWatch>> watch = co_await m.Watch(k, {}, 0);
    CO_ASSERT_OK(watch);
    h().Spawn([](StorageHarness* harness, std::string key) -> Task<void> {
      co_await harness->Sleep(Duration::Millis(200));
      Result<PutResult> put = co_await harness->meta_store().Put(key, "later");
      EXPECT_TRUE(put.ok()) << put.status().ToString();
    }(&h(), k));
    Result<std::vector<WatchEvent>> batch = co_await (*watch)->Next();
    CO_ASSERT_OK(batch);
    CO_ASSERT_TRUE(batch->size() == 1);
    EXPECT_EQ((*batch)[0].kv.value, "later");
  });
}

TEST_P(MetaStoreConformance, WatchFromACompactedRevisionFails) {
  const std::string k = h().Unique("/compacted") + "/k";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<PutResult> v1 = co_await m.Put(k, "1");
    CO_ASSERT_OK(v1);
    Result<PutResult> v2 = co_await m.Put(k, "2");
    CO_ASSERT_OK(v2);
    CO_ASSERT_OK(co_await m.Compact(v2->revision));
    Result<std::unique_ptr<MetaWatch>> watch = co_await m.Watch(k, {}, v1->revision);
    if (watch.ok()) {
      // Some backends report the compaction on the stream rather than at creation.
      CO_ASSERT_CODE(co_await (*watch)->Next(), StatusCode::kOutOfRange);
    } else {
      CO_ASSERT_CODE(watch, StatusCode::kOutOfRange);
    }
  });
}

TEST_P(MetaStoreConformance, RevokingALeaseDeletesItsKeysWithEvents) {
  const std::string p = h().Unique("/lease") + "/";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<LeaseId> lease = co_await m.LeaseGrant(Duration::Seconds(30));
    CO_ASSERT_OK(lease);
    Result<PutResult> put = co_await m.Put(p + "session", "node-1", *lease);
    CO_ASSERT_OK(put);
    Result<RangeResult> got = co_await RangeOf(m, p + "session", {}, 0, 0);
    CO_ASSERT_OK(got);
    CO_ASSERT_TRUE(got->kvs.size() == 1);
    EXPECT_EQ(got->kvs[0].lease, *lease);
    Result<Duration> ttl = co_await m.LeaseKeepAlive(*lease);
    CO_ASSERT_OK(ttl);
    EXPECT_GT(*ttl, Duration::Zero());
    Result<std::unique_ptr<MetaWatch>> watch = co_await m.Watch(p, PrefixEnd(p), put->revision + 1);
    CO_ASSERT_OK(watch);
    CO_ASSERT_OK(co_await m.LeaseRevoke(*lease));
    Result<std::vector<WatchEvent>> events = co_await (*watch)->Next();
    CO_ASSERT_OK(events);
    CO_ASSERT_TRUE(events->size() == 1);
    EXPECT_EQ((*events)[0].type, WatchEvent::Type::kDelete);
    EXPECT_EQ((*events)[0].kv.key, p + "session");
    Result<RangeResult> gone = co_await RangeOf(m, p + "session", {}, 0, 0);
    CO_ASSERT_OK(gone);
    EXPECT_TRUE(gone->kvs.empty());
    CO_ASSERT_CODE(co_await m.LeaseKeepAlive(*lease), StatusCode::kNotFound);
    CO_ASSERT_CODE(co_await m.Put(p + "other", "x", *lease), StatusCode::kNotFound);
  });
}

TEST_P(MetaStoreConformance, ALeaseNotKeptAliveExpiresAndTakesItsKeys) {
  const std::string k = h().Unique("/expiry") + "/session";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<LeaseId> lease = co_await m.LeaseGrant(Duration::Seconds(2));
    CO_ASSERT_OK(lease);
    CO_ASSERT_OK(co_await m.Put(k, "alive", *lease));
    co_await h().Sleep(Duration::Seconds(1));
    CO_ASSERT_OK(co_await m.LeaseKeepAlive(*lease));
    co_await h().Sleep(Duration::Seconds(1));
    Result<RangeResult> kept = co_await RangeOf(m, k, {}, 0, 0);
    CO_ASSERT_OK(kept);
    EXPECT_EQ(kept->kvs.size(), 1u);  // the keep-alive renewed it
    co_await h().Sleep(Duration::Seconds(4));
    Result<RangeResult> gone = co_await RangeOf(m, k, {}, 0, 0);
    CO_ASSERT_OK(gone);
    EXPECT_TRUE(gone->kvs.empty());
    CO_ASSERT_CODE(co_await m.LeaseKeepAlive(*lease), StatusCode::kNotFound);
  });
}

// etcd grants leases in whole seconds and at least its minimum TTL (2 s with the default
// heartbeat); the simulated etcd used to keep any TTL as asked.
TEST_P(MetaStoreConformance, LeaseTtlsAreWholeSecondsAndAtLeastTheMinimum) {
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    Result<LeaseId> short_lease = co_await m.LeaseGrant(Duration::Millis(500));
    CO_ASSERT_OK(short_lease);
    Result<Duration> short_ttl = co_await m.LeaseKeepAlive(*short_lease);
    CO_ASSERT_OK(short_ttl);
    EXPECT_EQ(*short_ttl, Duration::Seconds(2));
    Result<LeaseId> odd = co_await m.LeaseGrant(Duration::Millis(3500));
    CO_ASSERT_OK(odd);
    Result<Duration> odd_ttl = co_await m.LeaseKeepAlive(*odd);
    CO_ASSERT_OK(odd_ttl);
    EXPECT_EQ(*odd_ttl, Duration::Seconds(4));
    CO_ASSERT_OK(co_await m.LeaseRevoke(*short_lease));
    CO_ASSERT_OK(co_await m.LeaseRevoke(*odd));
  });
}

std::vector<TxnOp> Puts(const std::string& prefix, int n, bool same_key) {
  std::vector<TxnOp> ops;
  for (int i = 0; i < n; ++i) {
    ops.push_back(TxnOp{.kind = TxnOp::Kind::kPut,
                        .key = prefix + (same_key ? std::string("k") : std::to_string(i)),
                        .value = "v"});
  }
  return ops;
}

// etcd refuses a txn with more than 128 operations in a branch, or one that writes a key twice
// (put twice, or put inside a range it deletes), before evaluating it; the simulation did not.
TEST_P(MetaStoreConformance, TxnRefusesTooManyOperationsAndKeysWrittenTwice) {
  const std::string p = h().Unique("/txn-shape") + "/";
  h().Run([&]() -> Task<void> {
    MetaStore& m = h().meta_store();
    std::vector<Compare> none;
    std::vector<TxnOp> nothing;
    CO_ASSERT_OK(co_await m.Txn(none, Puts(p, 128, false), nothing));
    CO_ASSERT_CODE(co_await m.Txn(none, Puts(p, 129, false), nothing),
                   StatusCode::kInvalidArgument);
    CO_ASSERT_CODE(co_await m.Txn(none, Puts(p, 2, true), nothing), StatusCode::kInvalidArgument);
    // Checked in the branch that does not run, too.
    CO_ASSERT_CODE(co_await m.Txn(none, nothing, Puts(p, 2, true)), StatusCode::kInvalidArgument);
    std::vector<TxnOp> put_and_delete = Puts(p, 1, false);
    put_and_delete.push_back(
        TxnOp{.kind = TxnOp::Kind::kDelete, .key = p, .range_end = PrefixEnd(p)});
    CO_ASSERT_CODE(co_await m.Txn(none, put_and_delete, nothing), StatusCode::kInvalidArgument);
    // Nothing of the refused ones was written.
    Result<RangeResult> all = co_await RangeOf(m, p, PrefixEnd(p), 0, 0);
    CO_ASSERT_OK(all);
    EXPECT_EQ(all->count, 128);
  });
}

}  // namespace
}  // namespace simvus::conformance
