// Text extraction: the bytes of a document -> ExtractedText (UTF-8 text, page starts, metadata).
//
// Offsets: every byte offset a chunk carries refers to ExtractedText::text, the extracted text, not
// to the file on disk. For text, Markdown and code the extracted text is the file with invalid UTF-8
// sequences replaced by U+FFFD (each maximal invalid subsequence -> one U+FFFD), CRLF and lone CR
// turned into LF, and a leading BOM dropped; line numbers are the same as in the file. For HTML it is
// the visible text (scripts/styles/comments dropped, entities decoded), with headings on their own
// lines prefixed by '#' marks ("## Heading") and block elements separated by newlines. For PDFs it is
// the text of each page in reading order (poppler's non-raw, non-physical layout), each page ending
// with '\n' (form feeds become '\n'), page_starts[i] the offset where page i+1 starts; encrypted files
// that open with an empty user password are read, those that need a password fail. For Word files it
// is the text Word shows, numbering written out, one paragraph per line (office/docx_extract.h); the
// same for OpenDocument text (office/odt_extract.h) and RTF (rtf/rtf_extract.h); for e-mail (.eml,
// Outlook .msg), its header fields and text, then the text of each attached file of a kind read here,
// read as that file would be, attachments inside attachments up to 3 deep (mail/message_text.h).
//
// PDFs are parsed by poppler-cpp in a forked child process with RLIMIT_AS / RLIMIT_CPU set; the parent
// kills it after pdf_timeout_s of wall-clock time. A hostile or broken PDF fails that document with a
// reason (Error kind BadInput), never the process.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/ocr_texts.h"
#include "ingest/source_kind.h"

namespace folio::ingest {

struct ExtractOptions {
  int pdf_timeout_s = 60;
  uint64_t pdf_memory_bytes = 1ull << 30;
  uint64_t max_file_bytes = 1ull << 30;  // refuse larger inputs outright
  // PDF pages without a text layer (scans) are read by OCR (pdf_ocr.h), each adding this much to the
  // time and CPU limits, for at most ocr_max_pages pages of a file.
  bool ocr = true;
  int ocr_page_timeout_s = 60;
  int ocr_max_pages = 5000;
  // Threads reading one file's scanned pages (each with its own engine, ~256 MiB more memory allowed
  // for each beyond the first); the ingest job gives a file the cores no other file is using.
  int ocr_threads = 1;
  // Tesseract's languages, its syntax: "eng", "deu+eng" (the first is the main one).
  std::string ocr_languages = std::string(kDefaultOcrLanguages);
  // The readings kept from an earlier extraction of the PDF whose bytes have this hash (contentHashHex;
  // an image file's: the PDF made of it) made with ocr_languages and kOcrVersion (others are not used):
  // a scanned page found there is not read again. Called on the extracting thread before the PDF reader
  // starts. None: every scanned page is read.
  std::function<OcrPageTexts(const std::string& pdf_hash)> ocr_kept;
  // After a PDF whose kept readings were asked for is read: its readings (pages read or reused; null when
  // reading it failed). Called once for each call of ocr_kept, on the same thread, whatever happens.
  std::function<void(const std::string& pdf_hash, const OcrPageTexts* readings)> ocr_made;
  // When set, a PDF being read stops within a second of it (Cancelled): OCR of a long scan takes minutes.
  const std::atomic<bool>* cancel = nullptr;
  // How many bytes the zip archive being read and those inside it have expanded to so far: one budget
  // (ZipLimits::max_total_bytes) for them all, so archives nested in archives cannot multiply it. Set by
  // the reader of the outermost archive; leave it empty.
  std::shared_ptr<std::atomic<uint64_t>> zip_expanded;
};

// Reads and extracts one document (a file, or a file in a zip archive: archive_member.h). Errors name the
// file and the reason ("encrypted", "not a PDF",
// "timed out after 60 s", "exceeded the memory limit", ...).
Result<ExtractedText> extractDocument(const std::filesystem::path& path, SourceType type,
                                      const ExtractOptions& options = {});

// An Outlook mail store (.pst, .ost: isMailStore) read in place from its file, a block at a time, each
// message a page (mail/pst_extract.h); `options.cancel` stops it between messages. `name` is used in
// messages.
Result<ExtractedText> extractMailStore(const std::filesystem::path& path, const std::string& name,
                                       const ExtractOptions& options = {});

// The same from bytes already in memory (e.g. read once for hashing). `name` is used in messages.
Result<ExtractedText> extractBytes(std::string_view bytes, SourceType type, const std::string& name,
                                   const ExtractOptions& options = {});

}  // namespace folio::ingest
