// The S3 XML extractor on answers as s3rver and Swift's s3api write them (no server needed).
#include "real/s3/s3_xml.h"

#include <gtest/gtest.h>

namespace simvus::real {
namespace {

TEST(S3Xml, DecodesEntitiesAndKeepsUnknownOnes) {
  EXPECT_EQ(XmlDecode("a&amp;b&lt;c&gt;d&quot;e&apos;f"), "a&b<c>d\"e'f");
  EXPECT_EQ(XmlDecode("&#65;&#x42;&#xfc;&#x1F600;"), "AB\xc3\xbc\xf0\x9f\x98\x80");
  EXPECT_EQ(XmlDecode("a & b &bogus; &#xZZ; &"), "a & b &bogus; &#xZZ; &");
}

TEST(S3Xml, FindsWholeElementNamesOnly) {
  size_t pos = 0;
  const std::string xml = "<PrefixList>no</PrefixList><Prefix a=\"1\">yes</Prefix><Prefix/>";
  EXPECT_EQ(XmlNextElement(xml, "Prefix", &pos), std::optional<std::string_view>("yes"));
  EXPECT_EQ(XmlNextElement(xml, "Prefix", &pos), std::optional<std::string_view>(""));
  EXPECT_EQ(XmlNextElement(xml, "Prefix", &pos), std::nullopt);
}

TEST(S3Xml, ParsesAListBucketResultWithObjectsPrefixesAndAToken) {
  const std::string xml =
      "<?xml version='1.0' encoding='UTF-8'?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>simvus</Name>"
      "<Prefix>p/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys><Delimiter>/</Delimiter>"
      "<IsTruncated>true</IsTruncated><NextContinuationToken>tok&amp;en</NextContinuationToken>"
      "<Contents><Key>p/a&amp;b</Key><LastModified>2026-12-01T18:50:00.000Z</LastModified>"
      "<ETag>&quot;5d41402abc4b2a76b9719d911017c592&quot;</ETag><Size>5</Size>"
      "<StorageClass>STANDARD</StorageClass></Contents>"
      "<CommonPrefixes><Prefix>p/d/</Prefix></CommonPrefixes>"
      "<Contents><Key>p/e</Key><ETag>\"x\"</ETag><Size>0</Size></Contents>"
      "</ListBucketResult>";
  Result<ListObjectsPage> page = ParseListBucketResult(xml);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "p/a&b");
  EXPECT_EQ(page->objects[0].size_bytes, 5);
  EXPECT_EQ(page->objects[0].etag, "\"5d41402abc4b2a76b9719d911017c592\"");
  EXPECT_EQ(page->objects[1].key, "p/e");
  EXPECT_EQ(page->common_prefixes, std::vector<std::string>{"p/d/"});
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_continuation_token, "tok&en");
}

TEST(S3Xml, RejectsWhatIsNotAListing) {
  EXPECT_EQ(ParseListBucketResult("<Error><Code>X</Code></Error>").status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(ParseListBucketResult("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size>"
                                  "</Contents></ListBucketResult>")
                .status()
                .code(),
            StatusCode::kDataLoss);
}

TEST(S3Xml, ParsesAnErrorBody) {
  const S3ErrorBody error = ParseS3Error(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code>"
      "<Message>The specified bucket does not exist</Message><BucketName>b</BucketName></Error>");
  EXPECT_EQ(error.code, "NoSuchBucket");
  EXPECT_EQ(error.message, "The specified bucket does not exist");
  EXPECT_EQ(ParseS3Error("").code, "");
}

}  // namespace
}  // namespace simvus::real
