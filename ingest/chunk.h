// A chunk: a coherent piece of a document (function, clause, section, page, paragraph) with its exact
// provenance, as the chunkers produce it and the library stores it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ocr_texts.h"

namespace folio::ingest {

enum class ChunkKind : uint8_t {
  Outline,     // a file-level outline of a source file (its declarations)
  Function,
  Class,
  Section,
  Clause,
  Definitions,
  Schedule,    // schedules, exhibits, annexes
  Abstract,
  References,
  Page,
  Paragraph,
};

std::string_view chunkKindName(ChunkKind kind);

struct Chunk {
  ChunkKind kind = ChunkKind::Paragraph;
  std::vector<std::string> heading_path;  // e.g. {"10. Term and Termination", "10.2"} or {"class RouteCache", "lengthOf"}
  int page_first = 0, page_last = 0;      // 1-based; 0 when the source has no pages
  int line_first = 0, line_last = 0;      // 1-based, inclusive; for PDFs, lines within the page text
  int64_t byte_begin = 0, byte_end = 0;   // offsets into the extracted text of the document
  std::string text;
  int token_count = 0;                    // tokenizer count, or an estimate until a tokenizer is loaded
};

// A file attached to a message whose text was read: its name and the byte range of its text (after the
// line "---------- Attachment: <name> ----------", up to the end of its last line).
struct AttachedFile {
  std::string name;
  int64_t begin = 0, end = 0;
};

// The text of a document as extracted, with page boundaries (byte offsets where each page starts).
struct ExtractedText {
  std::string text;                       // UTF-8 (invalid bytes replaced)
  std::vector<int64_t> page_starts;       // empty for sources without pages
  std::string title;
  std::string author;
  // PDF pages without a text layer (scans), each counted once: read by OCR now (with text), OCR's text
  // reused from an earlier reading (ExtractOptions::ocr_kept), blank to OCR (now or before), or unread.
  int ocr_pages = 0;
  int ocr_reused = 0;
  int ocr_blank = 0;
  int unread_pages = 0;                   // left empty (OCR off or failed)
  std::string ocr_problem;                // why pages without text stayed empty ("" when none did)
  // Where each page of a file attached to a message starts (byte offsets into `text`, ascending; the
  // message's own `page_starts` stay its own): chunk_message names an attached contract's page.
  std::vector<int64_t> attached_page_starts;
  // Where each attached file read lies in `text`, in text order: a file attached to an attached message
  // (or mailbox) lies within that one's span, so chunk_message can head it by the whole chain.
  std::vector<AttachedFile> attached_files;
  // Every reading behind the text (read now or reused), to keep: one for each PDF read (a message's
  // attached scans each have their own).
  std::vector<OcrPageTexts> ocr_texts;
};

// Adds the scanned pages of `part` (counts, why pages stayed unread, OCR's readings) to those of `whole`:
// a message and its attached files, a mailbox and its messages. A PDF read twice is kept once.
void addScannedPages(ExtractedText& whole, ExtractedText&& part);
// Adds `files`, lying `at` bytes into `whole`'s text (a message's within a mailbox's or store's).
void addAttachedFiles(ExtractedText& whole, const std::vector<AttachedFile>& files, int64_t at);

}  // namespace folio::ingest
