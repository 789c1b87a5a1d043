#include "ingest/extract.h"

#include "engine/common/file_io.h"
#include "ingest/archive_member.h"
#include "ingest/html_text.h"
#include "ingest/image_pdf.h"
#include "ingest/mail/email_extract.h"
#include "ingest/mail/mbox_extract.h"
#include "ingest/mail/pst_extract.h"
#include "ingest/mail/pst_header.h"
#include "ingest/office/office_extract.h"
#include "ingest/office/xls_workbook.h"
#include "ingest/ole/compound_file.h"
#include "ingest/ole/ole_extract.h"
#include "ingest/pdf_extract.h"
#include "ingest/rtf/rtf_extract.h"
#include "ingest/utf8_text.h"
#include "ingest/walker.h"
#include "ingest/zip_extract.h"

namespace folio::ingest {
namespace {

// The largest XML part of an Office file read: a 2,000-page contract's document.xml is tens of MiB.
constexpr uint64_t kMaxOfficePartBytes = 256ull << 20;

// A Markdown title: the first ATX heading ("# Title") in the first 4 KiB, else empty.
std::string markdownTitle(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size() && pos < 4096) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.size() > 2 && line[0] == '#') {
      const size_t start = line.find_first_not_of('#');
      if (start != std::string_view::npos && start <= 6 && line[start] == ' ') {
        line.remove_prefix(start + 1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '#')) line.remove_suffix(1);
        return std::string(line);
      }
    }
  }
  return {};
}

// How deep attached files are read: a file attached to a message attached as a file to a message (a
// file in a zip archive counts as attached to it).
constexpr int kMaxAttachmentDepth = 3;

Result<ExtractedText> extractAt(std::string_view bytes, SourceType type, const std::string& name,
                                const ExtractOptions& options, int depth);

// Reads a message's attached files of the kinds Folio reads, as it reads such files on disk.
mail::AttachmentReader attachmentReader(const ExtractOptions& options, int depth) {
  if (depth >= kMaxAttachmentDepth) return {};
  return [&options, depth](std::string_view bytes, const std::string& file_name) -> std::optional<Result<ExtractedText>> {
    SourceType type = classifySource(file_name);
    if (type.kind == SourceKind::Unknown || sniffContent(bytes, type)) return std::nullopt;
    return extractAt(bytes, type, file_name, options, depth + 1);
  };
}

Result<ExtractedText> mailStore(const mail::PstSource& source, const std::string& name, const ExtractOptions& options,
                                const mail::AttachmentReader& attachments) {
  mail::PstOptions pst;
  pst.cancel = options.cancel;
  auto text = mail::extractPst(source, name, attachments, pst);
  // A stop while an attached file was read left it out: the store is not kept without it.
  if (options.cancel != nullptr && options.cancel->load()) return cancelled(name + ": stopped while reading");
  return text;
}

Result<ExtractedText> extractAt(std::string_view bytes, SourceType type, const std::string& name,
                                const ExtractOptions& options, int depth) {
  if (bytes.size() > options.max_file_bytes) {
    return badInput(name + ": too large: " + std::to_string(bytes.size()) + " bytes > " +
                    std::to_string(options.max_file_bytes));
  }
  const uint64_t part_cap = std::min(options.max_file_bytes, kMaxOfficePartBytes);  // a part or stream inside
  switch (type.kind) {
    case SourceKind::Pdf: return extractPdfIsolated(bytes, name, options);
    case SourceKind::Image: {
      auto pdf = imageAsPdf(bytes, name);
      if (!pdf.ok()) return pdf.error();
      return extractPdfIsolated(*pdf, name, options);
    }
    case SourceKind::Word:
      // Told apart by their first bytes: Word 97-2003 (a compound file), RTF (text), zip packages.
      if (ole::isCompoundFile(bytes)) return ole::extractCompoundFile(bytes, name, part_cap);
      if (bytes.substr(0, 5) == "{\\rtf") return rtf::extractRtf(bytes);
      return office::extractOfficeDocument(bytes, name, part_cap);
    case SourceKind::Spreadsheet:
    case SourceKind::Presentation:
      // A password-protected one is a compound file holding the encrypted package, as is an Excel or
      // PowerPoint 97-2003 file; Excel 2.x-4.0 workbooks are bare record streams.
      if (ole::isCompoundFile(bytes)) return ole::extractCompoundFile(bytes, name, part_cap);
      if (type.kind == SourceKind::Spreadsheet) FOLIO_TRY(office::refuseExcel4OrOlder(bytes, name));
      return office::extractOfficeDocument(bytes, name, part_cap);
    case SourceKind::Email: {
      // An Outlook .msg is a compound file; a mailbox starts with a "From " line; an .eml is text; a
      // store (.pst) in memory is one attached to a message, or a test's.
      const mail::AttachmentReader attachments = attachmentReader(options, depth);
      if (mail::isPstStore(bytes)) return mailStore(mail::MemoryPstSource(bytes), name, options, attachments);
      Result<ExtractedText> message = ole::isCompoundFile(bytes) ? ole::extractCompoundFile(bytes, name, part_cap, attachments)
                                      : mail::isMailbox(bytes)   ? Result<ExtractedText>(mail::extractMailbox(bytes, attachments))
                                                                 : Result<ExtractedText>(mail::extractEmail(bytes, attachments));
      // A stop while an attached file was read left it out: the message is not kept without it.
      if (options.cancel != nullptr && options.cancel->load()) return cancelled(name + ": stopped while reading");
      return message;
    }
    case SourceKind::Archive: {
      ExtractOptions inside = options;
      if (!inside.zip_expanded) inside.zip_expanded = std::make_shared<std::atomic<uint64_t>>(0);
      ZipLimits limits;
      limits.max_file_bytes = options.max_file_bytes;
      limits.expanded = inside.zip_expanded.get();
      limits.cancel = options.cancel;
      return extractZip(bytes, name, attachmentReader(inside, depth), limits);
    }
    case SourceKind::Html: {
      HtmlText html = htmlToText(normalizeText(bytes));
      ExtractedText out;
      out.text = std::move(html.text);
      out.title = std::move(html.title);
      return out;
    }
    case SourceKind::Markdown: {
      ExtractedText out;
      out.text = normalizeText(bytes);
      out.title = markdownTitle(out.text);
      return out;
    }
    case SourceKind::PlainText:
    case SourceKind::Code:
    case SourceKind::Unknown: {
      if (bytes.substr(0, 8192).find('\0') != std::string_view::npos) {
        return badInput(name + ": binary content (NUL byte in the first 8 KiB)");
      }
      ExtractedText out;
      out.text = normalizeText(bytes);
      return out;
    }
  }
  return badInput(name + ": unsupported source kind");
}

}  // namespace

Result<ExtractedText> extractBytes(std::string_view bytes, SourceType type, const std::string& name,
                                   const ExtractOptions& options) {
  return extractAt(bytes, type, name, options, 0);
}

Result<ExtractedText> extractMailStore(const std::filesystem::path& path, const std::string& name, const ExtractOptions& options) {
  auto source = mail::FilePstSource::open(path);
  if (!source) return source.error();
  return mailStore(**source, name, options, attachmentReader(options, 0));
}

Result<ExtractedText> extractDocument(const std::filesystem::path& path, SourceType type, const ExtractOptions& options) {
  if (isMailStore(type) && !archiveMemberOf(path)) return extractMailStore(path, path.string(), options);
  auto bytes = readDocumentBytes(path, options.max_file_bytes);  // a file in a zip archive too
  if (!bytes.ok()) return bytes.error();
  return extractBytes(*bytes, type, path.string(), options);
}

}  // namespace folio::ingest
