#include "ingest/mail/mbox_extract.h"

#include <string>
#include <vector>

#include "ingest/mail/email_extract.h"

namespace folio::ingest::mail {
namespace {

bool separatorAt(std::string_view bytes, size_t pos) { return bytes.compare(pos, 5, "From ") == 0; }

// A message's bytes without its separator line, with mboxrd's quoted ">From " lines unquoted.
std::string messageBytes(std::string_view raw) {
  const size_t first_nl = raw.find('\n');
  raw = first_nl == std::string_view::npos ? std::string_view() : raw.substr(first_nl + 1);
  std::string out;
  out.reserve(raw.size());
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t nl = raw.find('\n', pos);
    if (nl == std::string_view::npos) nl = raw.size() - 1;
    std::string_view line = raw.substr(pos, nl - pos + 1);
    size_t quotes = 0;
    while (quotes < line.size() && line[quotes] == '>') ++quotes;
    if (quotes > 0 && line.compare(quotes, 5, "From ") == 0) line.remove_prefix(1);
    out += line;
    pos = nl + 1;
  }
  return out;
}

}  // namespace

bool isMailbox(std::string_view bytes) { return separatorAt(bytes, 0); }

ExtractedText extractMailbox(std::string_view bytes, const AttachmentReader& attachments) {
  // Separator lines: "From " at the start of the file or of a line.
  std::vector<size_t> starts;
  for (size_t pos = 0; pos < bytes.size();) {
    if (separatorAt(bytes, pos)) starts.push_back(pos);
    const size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  // One message after a separator line (Thunderbird saves a message so): read as that message.
  if (starts.size() == 1) return extractEmail(messageBytes(bytes), attachments);
  ExtractedText out;
  for (size_t i = 0; i < starts.size(); ++i) {
    const size_t end = i + 1 < starts.size() ? starts[i + 1] : bytes.size();
    ExtractedText message = extractEmail(messageBytes(bytes.substr(starts[i], end - starts[i])), attachments);
    if (!out.text.empty()) out.text += '\n';
    out.page_starts.push_back(static_cast<int64_t>(out.text.size()));
    out.text += "# Message " + std::to_string(i + 1) + " of " + std::to_string(starts.size()) +
                (message.title.empty() ? "" : ": " + message.title) + "\n\n";
    for (const int64_t start : message.attached_page_starts)
      out.attached_page_starts.push_back(static_cast<int64_t>(out.text.size()) + start);
    addAttachedFiles(out, message.attached_files, static_cast<int64_t>(out.text.size()));
    out.text += message.text;
    addScannedPages(out, std::move(message));
  }
  if (out.page_starts.size() <= 1) out.page_starts.clear();
  return out;
}

}  // namespace folio::ingest::mail
