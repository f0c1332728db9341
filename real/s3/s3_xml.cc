#include "real/s3/s3_xml.h"

#include <charconv>
#include <cstdint>

namespace simvus::real {

namespace {

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the entity `name` (between '&' and ';') into `out`; false if it is not one we know.
bool DecodeEntity(std::string_view name, std::string& out) {
  if (name == "amp") {
    out.push_back('&');
  } else if (name == "lt") {
    out.push_back('<');
  } else if (name == "gt") {
    out.push_back('>');
  } else if (name == "quot") {
    out.push_back('"');
  } else if (name == "apos") {
    out.push_back('\'');
  } else if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    uint32_t cp = 0;
    const auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        cp > 0x10FFFF) {
      return false;
    }
    AppendUtf8(cp, out);
  } else {
    return false;
  }
  return true;
}

bool IsNameEnd(char c) {
  return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

Status Malformed(std::string_view what) {
  return DataLoss("S3 answered a malformed ListBucketResult: " + std::string(what));
}

}  // namespace

std::string XmlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '&') {
      const size_t semi = text.find(';', i + 1);
      // Entities are short; a lone '&' (not valid XML) is kept as it is.
      if (semi != std::string_view::npos && semi - i <= 12 &&
          DecodeEntity(text.substr(i + 1, semi - i - 1), out)) {
        i = semi + 1;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::optional<std::string_view> XmlNextElement(std::string_view xml, std::string_view tag,
                                               size_t* pos) {
  const std::string open = "<" + std::string(tag);
  const std::string close = "</" + std::string(tag) + ">";
  size_t from = *pos;
  for (;;) {
    const size_t at = xml.find(open, from);
    if (at == std::string_view::npos) return std::nullopt;
    const size_t name_end = at + open.size();
    if (name_end >= xml.size()) return std::nullopt;
    if (!IsNameEnd(xml[name_end])) {  // <PrefixList> is not <Prefix>
      from = name_end;
      continue;
    }
    const size_t gt = xml.find('>', name_end);
    if (gt == std::string_view::npos) return std::nullopt;
    if (xml[gt - 1] == '/') {  // <Tag/>
      *pos = gt + 1;
      return std::string_view();
    }
    const size_t end = xml.find(close, gt + 1);
    if (end == std::string_view::npos) return std::nullopt;
    *pos = end + close.size();
    return xml.substr(gt + 1, end - gt - 1);
  }
}

std::optional<std::string> XmlText(std::string_view xml, std::string_view tag) {
  size_t pos = 0;
  const std::optional<std::string_view> raw = XmlNextElement(xml, tag, &pos);
  if (!raw) return std::nullopt;
  return XmlDecode(*raw);
}

S3ErrorBody ParseS3Error(std::string_view xml) {
  S3ErrorBody error;
  size_t pos = 0;
  const std::optional<std::string_view> body = XmlNextElement(xml, "Error", &pos);
  if (!body) return error;
  error.code = XmlText(*body, "Code").value_or("");
  error.message = XmlText(*body, "Message").value_or("");
  return error;
}

Result<ListObjectsPage> ParseListBucketResult(std::string_view xml) {
  size_t pos = 0;
  const std::optional<std::string_view> result = XmlNextElement(xml, "ListBucketResult", &pos);
  if (!result) return Malformed("no <ListBucketResult> element");
  const std::string_view doc = *result;
  ListObjectsPage page;
  pos = 0;
  while (const std::optional<std::string_view> contents = XmlNextElement(doc, "Contents", &pos)) {
    ObjectInfo info;
    const std::optional<std::string> key = XmlText(*contents, "Key");
    if (!key) return Malformed("<Contents> without <Key>");
    info.key = *key;
    const std::string size = XmlText(*contents, "Size").value_or("");
    const auto [end, error] =
        std::from_chars(size.data(), size.data() + size.size(), info.size_bytes);
    if (size.empty() || error != std::errc() || end != size.data() + size.size() ||
        info.size_bytes < 0) {
      return Malformed("<Size>" + size + "</Size> of key '" + info.key + "'");
    }
    info.etag = XmlText(*contents, "ETag").value_or("");
    page.objects.push_back(std::move(info));
  }
  pos = 0;
  while (const std::optional<std::string_view> common =
             XmlNextElement(doc, "CommonPrefixes", &pos)) {
    std::optional<std::string> prefix = XmlText(*common, "Prefix");
    if (!prefix) return Malformed("<CommonPrefixes> without <Prefix>");
    page.common_prefixes.push_back(std::move(*prefix));
  }
  const std::string truncated = XmlText(doc, "IsTruncated").value_or("false");
  if (truncated != "true" && truncated != "false") {
    return Malformed("<IsTruncated>" + truncated + "</IsTruncated>");
  }
  page.truncated = truncated == "true";
  page.next_continuation_token = XmlText(doc, "NextContinuationToken").value_or("");
  return page;
}

}  // namespace simvus::real
