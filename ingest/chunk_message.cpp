// A message with attached files (mail/message_text.h writes each one's text after a line
// "---------- Attachment: <name> ----------"): each attached file's text is chunked as that file on its
// own would be — a contract attached as a PDF by its clauses, a spreadsheet by its rows — with its
// chunks' heading paths led by "Attachment: <name>"; the message's own text (headers, body, attached
// messages, the list of attachments not read) by the generic chunker. Offsets, lines and pages are the
// message's. In a mailbox or mail store each page is a message opening "# Message N of M: …": a page's
// start ends the attachment the message before it ended in, so the next message is never filed under
// that file (a "# Message" line elsewhere — quoted in a body, or an attached mailbox's — is only text).
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/chunk_util.h"
#include "ingest/chunker.h"

namespace folio::ingest {
namespace {

constexpr std::string_view kOpen = "---------- Attachment: ";
constexpr std::string_view kClose = " ----------";
constexpr std::string_view kRule = "---------- ";       // an attached message's line opens one too
constexpr std::string_view kNotRead = "Attachments (not read):";

struct Segment {
  size_t begin = 0, end = 0;  // byte range in the message's text
  std::string attachment;     // the attached file's name; empty for the message's own text
  std::string message;        // in a mailbox, its message's heading ("Message 2 of 9: Inbox › Re: lease")
};

// "Message 2 of 9: …" of a mailbox message's first line "# Message 2 of 9: …"; "" for another line.
std::string messageHeading(std::string_view line) {
  constexpr std::string_view kMessage = "# Message ";
  if (line.substr(0, kMessage.size()) != kMessage) return "";
  line.remove_prefix(2);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  return std::string(line);
}

// `message_starts`: where a mailbox's messages start (its page starts, ascending); empty for one message.
std::vector<Segment> segments(const std::string& text, const std::vector<int64_t>& message_starts) {
  std::vector<Segment> out;
  Segment current;
  size_t next_message = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    const size_t next = nl == std::string::npos ? text.size() : nl + 1;
    const std::string_view line = std::string_view(text).substr(pos, (nl == std::string::npos ? text.size() : nl) - pos);
    bool starts_message = false;
    while (next_message < message_starts.size() && message_starts[next_message] <= static_cast<int64_t>(pos)) {
      starts_message = true;
      ++next_message;
    }
    if (starts_message) {  // whatever the message before ended in ends here
      current.end = pos;
      out.push_back(current);
      current = Segment{};
      current.begin = pos;
      current.message = messageHeading(line);
      pos = next;
      continue;
    }
    const bool opens = line.size() > kOpen.size() + kClose.size() && line.substr(0, kOpen.size()) == kOpen &&
                       line.substr(line.size() - kClose.size()) == kClose;
    const bool ends_attachment = !current.attachment.empty() && (line.substr(0, kRule.size()) == kRule || line == kNotRead);
    if (opens || ends_attachment) {
      current.end = pos;
      out.push_back(current);
      std::string message = std::move(current.message);
      current = Segment{};
      current.begin = opens ? next : pos;  // the line naming the attachment belongs to neither
      current.message = std::move(message);
      if (opens) current.attachment = std::string(line.substr(kOpen.size(), line.size() - kOpen.size() - kClose.size()));
    }
    pos = next;
  }
  current.end = text.size();
  out.push_back(current);
  return out;
}

// ", page 37" / ", pages 37–38" / ", slide 4" of an attached file's chunk, from its pages within the
// file; "" for a file without pages, and for a spreadsheet (its sheet's name heads the chunk already).
std::string attachedSpan(SourceKind kind, int first, int last) {
  if (first <= 0 || kind == SourceKind::Spreadsheet || kind == SourceKind::Email) return "";
  const std::string unit = kind == SourceKind::Presentation ? "slide" : "page";
  if (last <= first) return ", " + unit + " " + std::to_string(first);
  return ", " + unit + "s " + std::to_string(first) + "\u2013" + std::to_string(last);
}

}  // namespace

std::vector<Chunk> chunkMessage(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options) {
  const std::vector<Segment> parts = segments(doc.text, doc.page_starts);
  if (std::none_of(parts.begin(), parts.end(), [](const Segment& s) { return !s.attachment.empty(); }))
    return chunkGeneric(doc, tokens, options, SourceKind::Email);
  const TextIndex index(doc);
  std::vector<Chunk> out;
  for (const Segment& s : parts) {
    if (s.end <= s.begin) continue;
    ExtractedText part;
    part.text = doc.text.substr(s.begin, s.end - s.begin);
    // The attached file's own pages, so that its chunks can say where in it they are.
    for (const int64_t start : doc.attached_page_starts)
      if (start >= static_cast<int64_t>(s.begin) && start < static_cast<int64_t>(s.end))
        part.page_starts.push_back(start - static_cast<int64_t>(s.begin));
    if (!part.page_starts.empty() && part.page_starts.front() > 0) part.page_starts.insert(part.page_starts.begin(), 0);
    SourceType type{SourceKind::Email, ""};
    if (!s.attachment.empty()) {
      type = classifySource(s.attachment);
      // An attached message's own attachments were split out here already; its text is plain prose.
      if (type.kind == SourceKind::Email || type.kind == SourceKind::Unknown) type = SourceType{SourceKind::PlainText, ""};
    }
    const ChunkerId chunker = s.attachment.empty() ? ChunkerId::Generic : chunkerFor(part, type);
    std::vector<Chunk> chunks = s.attachment.empty() ? chunkGeneric(part, tokens, options, SourceKind::Email)
                                                     : chunkWith(chunker, part, type, tokens, options);
    for (Chunk& c : chunks) {
      const std::string where = attachedSpan(type.kind, c.page_first, c.page_last);
      c.byte_begin += static_cast<int64_t>(s.begin);
      c.byte_end += static_cast<int64_t>(s.begin);
      // Lines and pages of the whole text (a mailbox's pages are its messages).
      c.line_first = index.lineNumber(c.byte_begin);
      c.line_last = index.lineNumber(c.byte_end - 1);
      c.page_first = index.pageOf(c.byte_begin);
      c.page_last = index.pageOf(c.byte_end - 1);
      if (!s.attachment.empty()) c.heading_path.insert(c.heading_path.begin(), "Attachment: " + s.attachment + where);
      // A message's text after its attached files (the list of those not read) is still that message's.
      else if (c.heading_path.empty() && !s.message.empty()) c.heading_path.push_back(s.message);
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace folio::ingest
