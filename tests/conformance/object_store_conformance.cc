#include "tests/conformance/object_store_conformance.h"

#include <set>
#include <string>
#include <vector>

namespace simvus::conformance {
namespace {

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ObjectStoreConformance);

// Builds the request outside the co_await expression: GCC 12 destroys a braced temporary
// argument of a coroutine call inside co_await twice.
Task<Result<ListObjectsPage>> ListOf(ObjectStore& s, const std::string& prefix,
                                     const std::string& delimiter, int32_t max_keys,
                                     const std::string& token) {
  return s.List(ListObjectsRequest{prefix, delimiter, max_keys, token});
}

TEST_P(ObjectStoreConformance, PutThenGetReturnsTheBytesAndOverwriteReplacesThem) {
  const std::string k = h().Unique("put") + "/obj";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    const Bytes binary("a\0b\xff", 4);
    CO_ASSERT_OK(co_await s.Put(k, binary));
    Result<Bytes> got = co_await s.Get(k);
    CO_ASSERT_OK(got);
    EXPECT_EQ(*got, binary);
    Result<ObjectInfo> head = co_await s.Head(k);
    CO_ASSERT_OK(head);
    EXPECT_EQ(head->key, k);
    EXPECT_EQ(head->size_bytes, 4);
    CO_ASSERT_OK(co_await s.Put(k, "second version"));
    Result<Bytes> again = co_await s.Get(k);
    CO_ASSERT_OK(again);
    EXPECT_EQ(*again, "second version");
    Result<ObjectInfo> head2 = co_await s.Head(k);
    CO_ASSERT_OK(head2);
    EXPECT_EQ(head2->size_bytes, 14);
    EXPECT_NE(head2->etag, head->etag);
  });
}

// S3's ETag of a single-part upload is the MD5 of the bytes: it names the content, not the put.
// (s3rver and Swift showed it; the simulated S3 used to change it on every put.)
TEST_P(ObjectStoreConformance, TheEtagNamesTheContentNotThePut) {
  const std::string a = h().Unique("etag") + "/a";
  const std::string b = h().Unique("etag") + "/b";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    CO_ASSERT_OK(co_await s.Put(a, "same bytes"));
    Result<ObjectInfo> first = co_await s.Head(a);
    CO_ASSERT_OK(first);
    CO_ASSERT_OK(co_await s.Put(a, "same bytes"));
    Result<ObjectInfo> again = co_await s.Head(a);
    CO_ASSERT_OK(again);
    EXPECT_EQ(again->etag, first->etag);
    CO_ASSERT_OK(co_await s.Put(b, "same bytes"));
    Result<ObjectInfo> other_key = co_await s.Head(b);
    CO_ASSERT_OK(other_key);
    EXPECT_EQ(other_key->etag, first->etag);
    CO_ASSERT_OK(co_await s.Put(a, "other bytes"));
    Result<ObjectInfo> changed = co_await s.Head(a);
    CO_ASSERT_OK(changed);
    EXPECT_NE(changed->etag, first->etag);
  });
}

TEST_P(ObjectStoreConformance, MissingKeysAreNotFound) {
  const std::string k = h().Unique("missing") + "/obj";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    CO_ASSERT_CODE(co_await s.Get(k), StatusCode::kNotFound);
    CO_ASSERT_CODE(co_await s.Head(k), StatusCode::kNotFound);
    CO_ASSERT_CODE(co_await s.GetRange(k, 0, 10), StatusCode::kNotFound);
  });
}

TEST_P(ObjectStoreConformance, EmptyObjectsExist) {
  const std::string k = h().Unique("empty") + "/obj";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    CO_ASSERT_OK(co_await s.Put(k, ""));
    Result<Bytes> got = co_await s.Get(k);
    CO_ASSERT_OK(got);
    EXPECT_TRUE(got->empty());
    Result<ObjectInfo> head = co_await s.Head(k);
    CO_ASSERT_OK(head);
    EXPECT_EQ(head->size_bytes, 0);
  });
}

TEST_P(ObjectStoreConformance, RangedGetIsClippedAndFailsPastTheEnd) {
  const std::string k = h().Unique("range") + "/obj";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    CO_ASSERT_OK(co_await s.Put(k, "0123456789"));
    Result<Bytes> mid = co_await s.GetRange(k, 2, 3);
    CO_ASSERT_OK(mid);
    EXPECT_EQ(*mid, "234");
    Result<Bytes> tail = co_await s.GetRange(k, 7, 100);
    CO_ASSERT_OK(tail);
    EXPECT_EQ(*tail, "789");
    CO_ASSERT_CODE(co_await s.GetRange(k, 10, 1), StatusCode::kOutOfRange);
  });
}

TEST_P(ObjectStoreConformance, DeleteIsIdempotent) {
  const std::string k = h().Unique("delete") + "/obj";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    CO_ASSERT_OK(co_await s.Put(k, "x"));
    CO_ASSERT_OK(co_await s.Delete(k));
    CO_ASSERT_CODE(co_await s.Get(k), StatusCode::kNotFound);
    CO_ASSERT_OK(co_await s.Delete(k));
  });
}

TEST_P(ObjectStoreConformance, DeleteManyRemovesEveryKey) {
  const std::string p = h().Unique("many") + "/";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    std::vector<std::string> keys;
    for (int i = 0; i < 5; ++i) {
      keys.push_back(p + std::to_string(i));
      CO_ASSERT_OK(co_await s.Put(keys.back(), "x"));
    }
    keys.push_back(p + "never-written");
    CO_ASSERT_OK(co_await s.DeleteMany(keys));
    Result<ListObjectsPage> page = co_await ListOf(s, p, {}, 1000, {});
    CO_ASSERT_OK(page);
    EXPECT_TRUE(page->objects.empty());
  });
}

TEST_P(ObjectStoreConformance, ListReturnsKeysUnderThePrefixInByteOrder) {
  const std::string p = h().Unique("list") + "/";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    const std::vector<std::string> names = {"b", "a", "c/1", "B"};
    for (const std::string& k : names) CO_ASSERT_OK(co_await s.Put(p + k, k));
    CO_ASSERT_OK(co_await s.Put(p.substr(0, p.size() - 1) + "-outside", "x"));
    Result<ListObjectsPage> page = co_await ListOf(s, p, {}, 1000, {});
    CO_ASSERT_OK(page);
    CO_ASSERT_TRUE(page->objects.size() == 4);
    EXPECT_EQ(page->objects[0].key, p + "B");
    EXPECT_EQ(page->objects[1].key, p + "a");
    EXPECT_EQ(page->objects[2].key, p + "b");
    EXPECT_EQ(page->objects[3].key, p + "c/1");
    EXPECT_EQ(page->objects[3].size_bytes, 3);
    EXPECT_FALSE(page->truncated);
    EXPECT_TRUE(page->common_prefixes.empty());
  });
}

TEST_P(ObjectStoreConformance, ListWithADelimiterGroupsCommonPrefixes) {
  const std::string p = h().Unique("delim") + "/";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    const std::vector<std::string> names = {"top", "seg/1/a", "seg/1/b", "seg/2/a", "idx/x"};
    for (const std::string& k : names) {
      CO_ASSERT_OK(co_await s.Put(p + k, "x"));
    }
    Result<ListObjectsPage> page = co_await ListOf(s, p, std::string("/"), 1000, {});
    CO_ASSERT_OK(page);
    CO_ASSERT_TRUE(page->objects.size() == 1);
    EXPECT_EQ(page->objects[0].key, p + "top");
    CO_ASSERT_TRUE(page->common_prefixes.size() == 2);
    EXPECT_EQ(page->common_prefixes[0], p + "idx/");
    EXPECT_EQ(page->common_prefixes[1], p + "seg/");
    Result<ListObjectsPage> inner = co_await ListOf(s, p + "seg/", std::string("/"), 1000, {});
    CO_ASSERT_OK(inner);
    EXPECT_TRUE(inner->objects.empty());
    CO_ASSERT_TRUE(inner->common_prefixes.size() == 2);
    EXPECT_EQ(inner->common_prefixes[1], p + "seg/2/");
  });
}

TEST_P(ObjectStoreConformance, PaginationVisitsEveryEntryExactlyOnce) {
  const std::string p = h().Unique("pages") + "/";
  h().Run([&]() -> Task<void> {
    ObjectStore& s = h().object_store();
    std::set<std::string> expected_keys, expected_prefixes;
    for (int i = 0; i < 7; ++i) {
      const std::string k = p + "k" + std::to_string(i);
      CO_ASSERT_OK(co_await s.Put(k, "x"));
      expected_keys.insert(k);
    }
    for (int i = 0; i < 4; ++i) {
      for (int j = 0; j < 3; ++j) {
        CO_ASSERT_OK(co_await s.Put(p + "d" + std::to_string(i) + "/" + std::to_string(j), "x"));
      }
      expected_prefixes.insert(p + "d" + std::to_string(i) + "/");
    }
    std::vector<std::string> keys, prefixes;
    ListObjectsRequest request{p, std::string("/"), 3, {}};
    int pages = 0;
    for (;;) {
      Result<ListObjectsPage> page = co_await s.List(request);
      CO_ASSERT_OK(page);
      CO_ASSERT_TRUE(page->objects.size() + page->common_prefixes.size() <= 3);
      for (const ObjectInfo& o : page->objects) keys.push_back(o.key);
      for (const std::string& cp : page->common_prefixes) prefixes.push_back(cp);
      ++pages;
      CO_ASSERT_TRUE(pages < 20);
      if (!page->truncated) break;
      CO_ASSERT_TRUE(!page->next_continuation_token.empty());
      request.continuation_token = page->next_continuation_token;
    }
    EXPECT_EQ(pages, 4);  // 11 entries, 3 per page
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()), expected_keys);
    EXPECT_EQ(keys.size(), expected_keys.size());
    EXPECT_EQ(std::set<std::string>(prefixes.begin(), prefixes.end()), expected_prefixes);
    EXPECT_EQ(prefixes.size(), expected_prefixes.size());
  });
}

}  // namespace
}  // namespace simvus::conformance
