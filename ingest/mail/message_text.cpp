#include "ingest/mail/message_text.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "ingest/source_kind.h"

namespace folio::ingest::mail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// A file name as one line of text: the attachment line is parsed back (chunk_message.cpp).
std::string oneLine(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

}  // namespace

void MessageText::addHeaders(const MessageFields& f, bool blank_line_when_empty) {
  bool any = false;
  for (const auto& [label, value] : {std::pair{"Subject", &f.subject}, std::pair{"From", &f.from}, std::pair{"To", &f.to},
                                     std::pair{"Cc", &f.cc}, std::pair{"Date", &f.date}}) {
    if (value->empty()) continue;
    text_ += std::string(label) + ": " + *value + "\n";
    any = true;
  }
  for (const auto& [label, value] : f.item) {
    if (value.empty()) continue;
    text_ += label + ": " + value + "\n";
    any = true;
  }
  if (any || blank_line_when_empty) text_ += "\n";
}

void MessageText::addBody(const std::string& body) {
  const std::string_view b = trim(body);
  if (b.empty()) return;
  text_ += std::string(b) + "\n\n";
}

void MessageText::beginAttachedMessage() {
  text_ += "---------- Attached message ----------\n";
  open_messages_.push_back(static_cast<int64_t>(text_.size()));
}

void MessageText::endAttachedMessage(const std::string& subject, const std::string& file_name) {
  if (open_messages_.empty()) return;
  const int64_t begin = open_messages_.back();
  open_messages_.pop_back();
  auto end = static_cast<int64_t>(text_.size());
  if (end - begin >= 2 && text_.compare(static_cast<size_t>(end - 2), 2, "\n\n") == 0) --end;  // not its closing blank line
  if (begin >= end) return;
  const bool message_file = !file_name.empty() && classifySource(oneLine(file_name)).kind == SourceKind::Email;
  attached_files_.push_back({message_file ? oneLine(file_name) : attachedMessageName(subject), begin, end});
}

std::string attachedMessageName(const std::string& subject) {
  const std::string_view s = trim(subject);
  return (s.empty() ? std::string("(no subject)") : oneLine(std::string(s))) + " (message)";
}

void MessageText::addAttachment(const std::string& name, const std::string& type, const std::string& reason) {
  attachments_.push_back((name.empty() ? std::string("(unnamed)") : oneLine(name)) + (type.empty() ? "" : " (" + type + ")") +
                         (reason.empty() ? "" : ": " + reason));
}

void MessageText::addAttachment(const AttachmentReader& reader, std::string_view bytes, const std::string& name,
                                const std::string& type) {
  std::optional<Result<ExtractedText>> read;
  if (reader && !name.empty()) read = reader(bytes, name);
  if (!read) return addAttachment(name, type);
  if (!read->ok()) {  // the reason without the file's name, which the line already shows
    const std::string& why = read->error().message;
    return addAttachment(name, type, why.rfind(name + ": ", 0) == 0 ? why.substr(name.size() + 2) : why);
  }
  text_ += std::string(holder_ == Holder::Archive ? "---------- File: " : "---------- Attachment: ") + oneLine(name) +
           " ----------\n";
  const std::string_view t = trim((*read)->text);
  // The attached file's pages (a PDF's, a presentation's slides), and those of files attached to it.
  const auto lead = static_cast<int64_t>(t.empty() ? 0 : t.data() - (*read)->text.data());
  std::vector<int64_t> starts = (*read)->page_starts.size() > 1 ? (*read)->page_starts : std::vector<int64_t>{};
  starts.insert(starts.end(), (*read)->attached_page_starts.begin(), (*read)->attached_page_starts.end());
  std::sort(starts.begin(), starts.end());
  for (const int64_t start : starts) {
    const int64_t at = std::max<int64_t>(start - lead, 0);
    if (at < static_cast<int64_t>(t.size())) attached_page_starts_.push_back(static_cast<int64_t>(text_.size()) + at);
  }
  // Its text's span, and within it those of the files attached to it (an attached message's).
  const auto base = static_cast<int64_t>(text_.size());
  const auto size = static_cast<int64_t>(t.size());
  attached_files_.push_back({oneLine(name), base, base + (t.empty() ? 0 : size + 1)});
  for (const AttachedFile& f : (*read)->attached_files) {
    const int64_t begin = std::max<int64_t>(f.begin - lead, 0), end = std::min<int64_t>(f.end - lead, size);
    if (begin < end) attached_files_.push_back({f.name, base + begin, base + end});
  }
  if (!t.empty()) text_ += std::string(t) + "\n";
  text_ += "\n";
  addScannedPages(scanned_, std::move(**read));
}

void MessageText::moveScannedPagesTo(ExtractedText& out) { addScannedPages(out, std::exchange(scanned_, {})); }

std::string MessageText::finish() const {
  std::string out = text_;
  if (!attachments_.empty()) {
    out += holder_ == Holder::Archive ? "Files not read:" : "Attachments (not read):";
    for (const auto& a : attachments_) out += "\n- " + a;
    out += "\n";
  }
  return out;
}

}  // namespace folio::ingest::mail
