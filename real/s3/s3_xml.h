// S3 XML: the two answers the S3 adapter reads, ListBucketResult (ListObjectsV2) and Error,
// parsed by a small extractor instead of an XML library.
//
// Enough for S3's answers because they are flat, machine-written documents: element names never
// repeat at different depths inside the blocks we read (<Contents>, <CommonPrefixes>, <Error>), and
// text never holds a raw '<' (keys are escaped), so "<Tag>" finds exactly the element. Text is
// entity-decoded (&amp; &lt; &gt; &quot; &apos; &#N; &#xH;). Attributes, comments, CDATA and
// namespace prefixes are not needed and not handled.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "components/env/object_store.h"
#include "components/env/result.h"

namespace simvus::real {

// The decoded text of `text` (entities replaced; unknown entities kept as written).
std::string XmlDecode(std::string_view text);

// The raw (undecoded) content of the first <tag>...</tag> or <tag/> (empty) in xml[*pos, end),
// moving *pos past it; nullopt if there is none.
std::optional<std::string_view> XmlNextElement(std::string_view xml, std::string_view tag,
                                               size_t* pos);

// The decoded text of the first <tag> element in `xml`; nullopt if absent.
std::optional<std::string> XmlText(std::string_view xml, std::string_view tag);

struct S3ErrorBody {
  std::string code;     // "NoSuchKey", "SignatureDoesNotMatch", ...; empty if no XML error body
  std::string message;  // the server's sentence, may be empty
};
S3ErrorBody ParseS3Error(std::string_view xml);

// A ListObjectsV2 answer: objects (key, size, etag as sent, with its quotes), common prefixes,
// IsTruncated and NextContinuationToken, in the server's order. kDataLoss if the document is not a
// ListBucketResult or a number does not parse (a broken or foreign server).
Result<ListObjectsPage> ParseListBucketResult(std::string_view xml);

}  // namespace simvus::real
