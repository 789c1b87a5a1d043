// What kind of source a file is, decided from its name (content checks such as the binary test
// happen when the file is read).
#pragma once

#include <filesystem>
#include <string_view>

namespace folio::ingest {

enum class SourceKind { Pdf, Image, Word, Spreadsheet, Presentation, Email, Archive, Markdown, Html, PlainText, Code, Unknown };

struct SourceType {
  SourceKind kind = SourceKind::Unknown;
  std::string_view language;  // for Code: "c", "cpp", "python", "javascript", "typescript", "java", "go", "rust", ...
};

SourceType classifySource(const std::filesystem::path& path);

// PDF, Word, e-mail and archive files are binary by format or carry attachments (a .docx is a zip
// archive, an Outlook .msg a compound file, an .eml base64 attachments): they are not sniffed for text,
// and get the larger size cap.
inline bool isBinaryFormat(SourceKind kind) {
  return kind == SourceKind::Pdf || kind == SourceKind::Image || kind == SourceKind::Word || kind == SourceKind::Spreadsheet ||
         kind == SourceKind::Presentation || kind == SourceKind::Email || kind == SourceKind::Archive;
}
std::string_view sourceKindName(SourceKind kind);

// Outlook mail stores (.pst, .ost) run to tens of GiB: they are read from the file a block at a time
// (extractMailStore), never whole into memory, and have their own size cap.
inline bool isMailStore(const SourceType& type) { return type.kind == SourceKind::Email && type.language == "pst"; }

}  // namespace folio::ingest
