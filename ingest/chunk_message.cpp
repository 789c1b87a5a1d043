// A message with attached files (mail/message_text.h writes each one's text after a line
// "---------- Attachment: <name> ----------"; ExtractedText::attached_files says where each one's text
// lies): each attached file's text is chunked as that file on its own would be — a contract attached as
// a PDF by its clauses, a spreadsheet by its rows — with its chunks' heading paths led by
// "Attachment: <name>"; the message's own text (headers, body, attached messages, the list of
// attachments not read) by the generic chunker. A file attached to an attached message (an .eml or .msg
// forwarded as a file, a mailbox) is led by the whole chain, outermost first ("Attachment: Fwd draft.eml
// › Attachment: lease.pdf, page 3 › 4.2"), and where it ends the attached message's remaining text is
// that message's again. A message attached inline (MIME message/rfc822, Outlook's attached message) is
// such a span too, named by its subject ("Attachment: Re: draft SPA (message) › Attachment: lease.pdf,
// page 3"; by its file name where the part has an .eml one); its own text is chunked as a message's is.
// Offsets, lines and pages are the message's. In a mailbox or mail store each page is a message opening
// "# Message N of M: …"; the message's text after its attached files is headed by it.
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
constexpr std::string_view kFileOpen = "---------- File: ";  // a file in a zip archive
constexpr std::string_view kAttachedMessage = "---------- Attached message ----------";
// How mail/message_text.h names a message attached inline (attachedMessageName): no file kind read ends so.
constexpr std::string_view kMessageSuffix = " (message)";

// A piece of the message's text: the message's own, or an attached file's up to where a file attached
// to it starts or it ends.
struct Piece {
  size_t begin = 0, end = 0;  // byte range in the message's text
  std::vector<size_t> chain;  // the attached files it lies in (indices into the sorted files), outermost first
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

std::string_view lineAt(const std::string& text, size_t pos) {
  const size_t nl = text.find('\n', pos);
  return std::string_view(text).substr(pos, (nl == std::string::npos ? text.size() : nl) - pos);
}

// Where the line naming a file attached at `begin` starts: that line belongs to neither the file nor
// the text around it.
size_t namingLine(const std::string& text, size_t begin, size_t floor) {
  if (begin <= floor || text[begin - 1] != '\n') return begin;
  const size_t nl = begin >= 2 ? text.rfind('\n', begin - 2) : std::string::npos;
  const size_t line = nl == std::string::npos ? 0 : nl + 1;
  if (line < floor) return begin;
  if (text.compare(line, kOpen.size(), kOpen) != 0 && text.compare(line, kFileOpen.size(), kFileOpen) != 0 &&
      !(begin - line == kAttachedMessage.size() + 1 && text.compare(line, kAttachedMessage.size(), kAttachedMessage) == 0))
    return begin;
  return line;
}

// The attached files' spans that lie in the text, outer before inner (a span holding another first).
std::vector<AttachedFile> sortedFiles(const ExtractedText& doc) {
  std::vector<AttachedFile> files;
  const auto size = static_cast<int64_t>(doc.text.size());
  for (const AttachedFile& f : doc.attached_files)
    if (f.begin >= 0 && f.begin < f.end && f.end <= size) files.push_back(f);
  std::stable_sort(files.begin(), files.end(), [](const AttachedFile& a, const AttachedFile& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  return files;
}

// The text cut where a message (a mailbox's page), an attached file or a file attached to it starts or
// ends. `message_starts`: the mailbox's page starts, ascending; empty for one message.
std::vector<Piece> pieces(const std::string& text, std::vector<AttachedFile>& files,
                          const std::vector<int64_t>& message_starts) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  std::vector<Piece> out;
  Piece current;
  size_t next_file = 0, next_message = 0;
  const auto emit = [&](size_t end) {
    current.end = end;
    if (current.end > current.begin) out.push_back(current);
  };
  while (true) {
    const size_t file_end = current.chain.empty() ? kNone : static_cast<size_t>(files[current.chain.back()].end);
    size_t message = kNone;
    while (next_message < message_starts.size() && static_cast<size_t>(message_starts[next_message]) < current.begin)
      ++next_message;
    if (next_message < message_starts.size()) message = static_cast<size_t>(message_starts[next_message]);
    while (next_file < files.size() && static_cast<size_t>(files[next_file].begin) < current.begin) ++next_file;  // overlapping
    const size_t file = next_file < files.size() ? namingLine(text, static_cast<size_t>(files[next_file].begin), current.begin) : kNone;
    const size_t at = std::min({file_end, message, file});
    if (at == kNone) break;
    emit(at);
    current.begin = at;
    if (at == file_end) {  // back in the file (or message) it was attached to
      current.chain.pop_back();
    } else if (at == message) {  // whatever the message before ended in ends here
      current.chain.clear();
      current.message = messageHeading(lineAt(text, at));
      ++next_message;
    } else {
      AttachedFile& f = files[next_file];
      if (!current.chain.empty()) f.end = std::min(f.end, files[current.chain.back()].end);  // within its parent
      current.begin = static_cast<size_t>(f.begin);
      current.chain.push_back(next_file++);
    }
  }
  emit(text.size());
  return out;
}

// A message attached inline, not a file.
bool inlineMessage(const std::string& name) {
  return name.size() > kMessageSuffix.size() &&
         name.compare(name.size() - kMessageSuffix.size(), kMessageSuffix.size(), kMessageSuffix) == 0 &&
         classifySource(name).kind == SourceKind::Unknown;
}

// How an attached file's text is chunked: as its kind, an attached message's (or mailbox's) as plain
// prose (its own attachments are pieces of their own).
SourceType attachedType(const std::string& name) {
  const SourceType type = classifySource(name);
  if (type.kind == SourceKind::Email || type.kind == SourceKind::Archive || type.kind == SourceKind::Unknown)
    return SourceType{SourceKind::PlainText, ""};
  return type;
}

// ", page 37" / ", pages 37–38" / ", slide 4" of an attached file's chunk, from its pages within the
// file; "" for a file without pages, and for a spreadsheet (its sheet's name heads the chunk already).
std::string attachedSpan(SourceKind kind, int first, int last) {
  if (first <= 0 || kind == SourceKind::Spreadsheet || kind == SourceKind::Email || kind == SourceKind::Archive) return "";
  const std::string unit = kind == SourceKind::Presentation ? "slide" : "page";
  if (last <= first) return ", " + unit + " " + std::to_string(first);
  return ", " + unit + "s " + std::to_string(first) + "\u2013" + std::to_string(last);
}

// An attached file's own pages (not those of files attached to it), where they start in the message's text.
struct FilePages {
  int64_t begin = 0;
  std::vector<int64_t> starts;
  // The file's page holding `offset`; 0 for a file without pages.
  int pageOf(int64_t offset) const {
    if (starts.empty()) return 0;
    const auto n = static_cast<int>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
    return n + (starts.front() > begin ? 1 : 0);  // text before its first page start is page 1
  }
};

}  // namespace

std::vector<Chunk> chunkMessage(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options,
                                SourceKind holder) {
  std::vector<AttachedFile> files = sortedFiles(doc);
  if (files.empty()) return chunkGeneric(doc, tokens, options, SourceKind::Email);
  const std::vector<Piece> parts = pieces(doc.text, files, doc.page_starts);
  std::vector<int64_t> page_starts = doc.attached_page_starts;
  std::sort(page_starts.begin(), page_starts.end());
  std::vector<FilePages> pages(files.size());
  for (size_t i = 0; i < files.size(); ++i) pages[i].begin = files[i].begin;
  for (const Piece& s : parts) {  // in text order, so each file's own starts come ascending
    if (s.chain.empty()) continue;
    const auto from = std::lower_bound(page_starts.begin(), page_starts.end(), static_cast<int64_t>(s.begin));
    const auto to = std::lower_bound(from, page_starts.end(), static_cast<int64_t>(s.end));
    pages[s.chain.back()].starts.insert(pages[s.chain.back()].starts.end(), from, to);
  }
  const TextIndex index(doc);
  std::vector<Chunk> out;
  for (const Piece& s : parts) {
    ExtractedText part;
    part.text = doc.text.substr(s.begin, s.end - s.begin);
    const SourceType type = s.chain.empty() ? SourceType{SourceKind::Email, ""} : attachedType(files[s.chain.back()].name);
    if (!s.chain.empty()) {  // the attached file's own pages, so that its chunks can say where in it they are
      for (const int64_t start : pages[s.chain.back()].starts)
        if (start >= static_cast<int64_t>(s.begin) && start < static_cast<int64_t>(s.end))
          part.page_starts.push_back(start - static_cast<int64_t>(s.begin));
      if (!part.page_starts.empty() && part.page_starts.front() > 0) part.page_starts.insert(part.page_starts.begin(), 0);
    }
    // A message's own text, and that of one attached inline, as a message's; an attached file's as its kind.
    std::vector<Chunk> chunks = s.chain.empty() || inlineMessage(files[s.chain.back()].name)
                                    ? chunkGeneric(part, tokens, options, SourceKind::Email)
                                    : chunkWith(chunkerFor(part, type), part, type, tokens, options);
    for (Chunk& c : chunks) {
      c.byte_begin += static_cast<int64_t>(s.begin);
      c.byte_end += static_cast<int64_t>(s.begin);
      // Lines and pages of the whole text (a mailbox's pages are its messages).
      c.line_first = index.lineNumber(c.byte_begin);
      c.line_last = index.lineNumber(c.byte_end - 1);
      c.page_first = index.pageOf(c.byte_begin);
      c.page_last = index.pageOf(c.byte_end - 1);
      // "Attachment: Fwd draft.eml › Attachment: lease.pdf, page 3": each file it came through, with its page.
      std::vector<std::string> chain;
      for (size_t level = 0; level < s.chain.size(); ++level) {
        const size_t f = s.chain[level];
        const bool inner = level + 1 == s.chain.size();
        const SourceKind kind = inner ? type.kind : attachedType(files[f].name).kind;
        // A zip archive holds files; a message has them attached.
        const SourceKind within = level == 0 ? holder : classifySource(files[s.chain[level - 1]].name).kind;
        chain.push_back((within == SourceKind::Archive ? "File: " : "Attachment: ") + files[f].name +
                        attachedSpan(kind, pages[f].pageOf(c.byte_begin), pages[f].pageOf(inner ? c.byte_end - 1 : c.byte_begin)));
      }
      c.heading_path.insert(c.heading_path.begin(), chain.begin(), chain.end());
      // A message's text after its attached files (the list of those not read) is still that message's.
      if (c.heading_path.empty() && !s.message.empty()) c.heading_path.push_back(s.message);
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace folio::ingest
