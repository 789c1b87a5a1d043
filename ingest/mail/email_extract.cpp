#include "ingest/mail/email_extract.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "engine/common/ascii_case.h"
#include "ingest/html_text.h"
#include "ingest/charset.h"
#include "ingest/mail/message_text.h"
#include "ingest/mail/mime_decode.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::mail {
namespace {

constexpr int kMaxDepth = 8;       // multipart inside multipart inside …
constexpr int kMaxParts = 1000;    // parts of one message, all levels together

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

struct Header {
  std::string name;   // lower case
  std::string value;  // unfolded, raw
};

struct Part {
  std::vector<Header> headers;
  std::string_view body;

  std::string get(std::string_view name) const {
    for (const auto& h : headers)
      if (h.name == name) return h.value;
    return {};
  }
};

// Header fields up to the first empty line; the rest is the body. Text without a header block (no
// "Name:" on the first line) is all body.
Part splitPart(std::string_view text) {
  Part p;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    if (line.empty()) {
      pos = nl + 1;
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !p.headers.empty()) {
      p.headers.back().value += " ";
      p.headers.back().value += trim(line);
    } else {
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0 || line.find(' ') < colon) {
        if (p.headers.empty()) return Part{{}, text};  // no header block at all
        break;
      }
      p.headers.push_back({lowerAscii(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
    }
    pos = nl + 1;
  }
  p.body = text.substr(std::min(pos, text.size()));
  return p;
}

// "text/plain; charset=\"utf-8\"; name*=UTF-8''caf%C3%A9.pdf" -> the type and one parameter.
std::string mediaType(const std::string& content_type) {
  std::string t;  // shown among the attachments: valid UTF-8 whatever the bytes
  appendValidUtf8(t, lowerAscii(trim(std::string_view(content_type).substr(0, content_type.find(';')))));
  return t.empty() ? "text/plain" : t;
}

std::string parameter(const std::string& field, std::string_view name) {
  size_t pos = field.find(';');
  while (pos != std::string::npos) {
    const size_t start = pos + 1;
    size_t end = start;
    bool quoted = false;
    while (end < field.size() && (quoted || field[end] != ';')) {
      if (field[end] == '"') quoted = !quoted;
      ++end;
    }
    const std::string_view item = trim(std::string_view(field).substr(start, end - start));
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      std::string key = lowerAscii(trim(item.substr(0, eq)));
      std::string_view value = trim(item.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      if (key == name) return decodeHeaderValue(value);
      if (key == std::string(name) + "*") {  // RFC 2231: charset'language'percent-encoded
        const size_t q1 = value.find('\'');
        const size_t q2 = q1 == std::string_view::npos ? q1 : value.find('\'', q1 + 1);
        if (q2 != std::string_view::npos) {
          std::string raw;
          for (size_t i = q2 + 1; i < value.size(); ++i) {
            if (value[i] == '%' && i + 2 < value.size() && std::isxdigit(static_cast<unsigned char>(value[i + 1])) &&
                std::isxdigit(static_cast<unsigned char>(value[i + 2]))) {
              raw.push_back(static_cast<char>(std::stoi(std::string(value.substr(i + 1, 2)), nullptr, 16)));
              i += 2;
            } else {
              raw.push_back(value[i]);
            }
          }
          return toUtf8(raw, value.substr(0, q1));
        }
      }
    }
    pos = end < field.size() ? end : std::string::npos;
  }
  return {};
}

std::string decodedBody(const Part& p) {
  const std::string encoding = lowerAscii(trim(p.get("content-transfer-encoding")));
  if (encoding == "base64") return decodeBase64(p.body);
  if (encoding == "quoted-printable") return decodeQuotedPrintable(p.body);
  return std::string(p.body);
}

std::string textOf(const Part& p, const std::string& type) {
  const std::string text = toUtf8(decodedBody(p), parameter(p.get("content-type"), "charset"));
  if (type == "text/html") return htmlToText(text).text;
  return text;
}

// The parts between "--boundary" lines.
std::vector<std::string_view> multipartBodies(std::string_view body, const std::string& boundary) {
  std::vector<std::string_view> parts;
  if (boundary.empty()) return parts;
  const std::string marker = "--" + boundary;
  size_t pos = 0;
  long open = -1;  // where the current part's text starts
  while (pos <= body.size()) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    const std::string_view line = body.substr(pos, nl - pos);
    if (line.substr(0, marker.size()) == marker) {
      const std::string_view rest = trim(line.substr(marker.size()));
      if (open >= 0) {
        const size_t end = pos > 0 ? pos - 1 : 0;  // the line break before the marker belongs to it
        parts.push_back(body.substr(static_cast<size_t>(open), end > static_cast<size_t>(open) ? end - static_cast<size_t>(open) : 0));
      }
      if (rest.substr(0, 2) == "--") return parts;
      open = static_cast<long>(std::min(nl + 1, body.size()));
    }
    if (nl == body.size()) break;
    pos = nl + 1;
  }
  if (open >= 0 && static_cast<size_t>(open) < body.size()) parts.push_back(body.substr(static_cast<size_t>(open)));
  return parts;
}

class Reader {
 public:
  explicit Reader(const AttachmentReader& attachments) : attachments_(attachments) {}
  MessageText out;

  // Returns its subject.
  std::string message(std::string_view raw, int depth) {
    const Part p = splitPart(raw);
    MessageFields f;
    f.subject = decodeHeaderValue(p.get("subject"));
    f.from = decodeHeaderValue(p.get("from"));
    f.to = decodeHeaderValue(p.get("to"));
    f.cc = decodeHeaderValue(p.get("cc"));
    f.date = decodeHeaderValue(p.get("date"));
    out.addHeaders(f, !p.headers.empty());
    content(p, depth);
    return f.subject;
  }

 private:
  void content(const Part& p, int depth) {
    if (++parts_ > kMaxParts) return;
    const std::string content_type = p.get("content-type");
    const std::string type = mediaType(content_type);
    const std::string disposition = lowerAscii(p.get("content-disposition"));
    std::string filename = parameter(p.get("content-disposition"), "filename");
    if (filename.empty()) filename = parameter(content_type, "name");
    const bool attached = disposition.rfind("attachment", 0) == 0;
    if (type.rfind("multipart/", 0) == 0 && depth < kMaxDepth) {
      const auto bodies = multipartBodies(p.body, parameter(content_type, "boundary"));
      if (bodies.empty()) return out.addBody(toUtf8(p.body, parameter(content_type, "charset")));
      if (type == "multipart/alternative") return alternative(bodies, depth);
      for (const auto& b : bodies) content(splitPart(b), depth + 1);
      return;
    }
    if (type == "message/rfc822" && depth < kMaxDepth) {
      out.beginAttachedMessage();
      out.endAttachedMessage(message(decodedBody(p), depth + 1), filename);
      return;
    }
    if ((type == "text/plain" || type == "text/html") && !attached) return out.addBody(textOf(p, type));
    out.addAttachment(attachments_, decodedBody(p), filename, type);
  }

  // The plain-text alternative where there is one, else the richest one this reader can read.
  void alternative(const std::vector<std::string_view>& bodies, int depth) {
    const Part* html = nullptr;
    std::vector<Part> parts;
    for (const auto& b : bodies) parts.push_back(splitPart(b));
    for (const auto& part : parts) {
      const std::string type = mediaType(part.get("content-type"));
      if (type == "text/plain") return out.addBody(textOf(part, type));
      if (type == "text/html" && html == nullptr) html = &part;
    }
    if (html != nullptr) return out.addBody(textOf(*html, "text/html"));
    if (!parts.empty()) content(parts.back(), depth + 1);
  }

  const AttachmentReader& attachments_;
  int parts_ = 0;
};

}  // namespace

std::string lfLineEnds(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
    } else {
      out.push_back(bytes[i]);
    }
  }
  return out;
}

std::string headerField(std::string_view headers, std::string_view name) {
  const std::string normalized = lfLineEnds(headers);
  return decodeHeaderValue(splitPart(normalized).get(lowerAscii(name)));
}

ExtractedText extractEmail(std::string_view bytes, const AttachmentReader& attachments) {
  const std::string normalized = lfLineEnds(bytes);
  Reader reader(attachments);
  reader.message(normalized, 0);
  ExtractedText out;
  out.text = reader.out.finish();
  reader.out.moveScannedPagesTo(out);
  out.attached_page_starts = reader.out.attachedPageStarts();
  out.attached_files = reader.out.attachedFiles();
  const Part top = splitPart(normalized);
  out.title = decodeHeaderValue(top.get("subject"));
  out.author = decodeHeaderValue(top.get("from"));
  return out;
}

}  // namespace folio::ingest::mail
