// The text of an e-mail message as Folio extracts it, whatever file it came from (an Internet .eml,
// an Outlook .msg): the header fields a reader looks at, the body, attached messages after it, and
// the names of the attachments that are not read at the end.
//
//   Subject: Lease
//   From: Renée Dubois <renee@example.com>
//   To: legal@example.com
//   Date: Tue, 3 Mar 2026 10:12:00 +0100
//
//   The tenant may end the lease early.
//
//   ---------- Attached message ----------
//   Subject: Fwd: notice
//   …  (its body, and its attached files' text)
//   ---------- Attachment: lease.pdf ----------
//   (the attached file's text, where Folio reads its kind)
//
//   Attachments (not read):
//   - photo.tif (image/tiff)
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/result.h"
#include "ingest/chunk.h"

namespace folio::ingest::mail {

// Reads an attached file's text by its name and bytes (extract.cpp gives one that reads the formats
// Folio reads, nesting bounded); nullopt when its kind is not read. Empty: attachments are only named.
using AttachmentReader =
    std::function<std::optional<Result<ExtractedText>>(std::string_view bytes, const std::string& file_name)>;

struct MessageFields {
  std::string subject, from, to, cc, date;
  // An Outlook item's own fields after Date ("When", "Where", "E-mail", "Due"…), in order: label, value.
  std::vector<std::pair<std::string, std::string>> item;
};

class MessageText {
 public:
  // A message's files are attachments; a zip archive's, the files it holds ("---------- File: …",
  // "Files not read:").
  enum class Holder { Message, Archive };
  explicit MessageText(Holder holder = Holder::Message) : holder_(holder) {}

  // The header block: the fields that are not empty (the item's after Date), then a blank line (none when all are empty and
  // `blank_line_when_empty` is false: a text without headers).
  void addHeaders(const MessageFields& fields, bool blank_line_when_empty = true);
  // A body (or a body part), trimmed, followed by a blank line; nothing when it is empty.
  void addBody(const std::string& body);
  // The line that opens an attached (forwarded) message; its headers, body and attached files follow,
  // up to endAttachedMessage.
  void beginAttachedMessage();
  // Ends the attached message begun last: its text after the line is an attached file's span
  // (ExtractedText::attached_files), so a file attached to it is cited through it. Named by its file
  // name where it came as a message file ("Fwd draft.eml", a MIME part's filename), else by its subject
  // (attachedMessageName).
  void endAttachedMessage(const std::string& subject, const std::string& file_name = "");
  // An attachment that is not read, shown by name and media type at the end (with why, when reading
  // it failed).
  void addAttachment(const std::string& name, const std::string& type, const std::string& reason = "");
  // An attachment: its text where `reader` reads it, else its name at the end.
  void addAttachment(const AttachmentReader& reader, std::string_view bytes, const std::string& name, const std::string& type);

  std::string finish() const;
  // Scanned pages of the attached files read: by OCR, and left unread (with why), as ExtractedText counts
  // them, so the message is reported and re-read as a PDF with such pages would be; and OCR's readings,
  // kept with the message so that reading it again reads no scan again. Once.
  void moveScannedPagesTo(ExtractedText& out);
  // Where the pages of the attached files read start in finish()'s text (ExtractedText::attached_page_starts).
  const std::vector<int64_t>& attachedPageStarts() const { return attached_page_starts_; }
  // Where the attached files read lie in finish()'s text, with those attached to them (ExtractedText::attached_files).
  const std::vector<AttachedFile>& attachedFiles() const { return attached_files_; }

 private:
  std::string text_;
  ExtractedText scanned_;  // the attached files' scanned pages (addScannedPages)
  std::vector<int64_t> attached_page_starts_;
  std::vector<AttachedFile> attached_files_;
  std::vector<int64_t> open_messages_;  // where each attached message begun and not yet ended starts
  std::vector<std::string> attachments_;
  Holder holder_;
};

// An attached message's name among ExtractedText::attached_files without a file name: its subject (or
// "(no subject)") and " (message)", which no file kind Folio reads ends in (chunk_message.cpp tells it so).
std::string attachedMessageName(const std::string& subject);

}  // namespace folio::ingest::mail
