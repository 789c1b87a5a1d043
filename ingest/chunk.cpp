#include "ingest/chunk.h"

namespace folio::ingest {

std::string_view chunkKindName(ChunkKind kind) {
  switch (kind) {
    case ChunkKind::Outline: return "outline";
    case ChunkKind::Function: return "function";
    case ChunkKind::Class: return "class";
    case ChunkKind::Section: return "section";
    case ChunkKind::Clause: return "clause";
    case ChunkKind::Definitions: return "definitions";
    case ChunkKind::Schedule: return "schedule";
    case ChunkKind::Abstract: return "abstract";
    case ChunkKind::References: return "references";
    case ChunkKind::Page: return "page";
    case ChunkKind::Paragraph: return "paragraph";
  }
  return "paragraph";
}

void addScannedPages(ExtractedText& whole, ExtractedText&& part) {
  whole.ocr_pages += part.ocr_pages;
  whole.ocr_reused += part.ocr_reused;
  whole.ocr_blank += part.ocr_blank;
  whole.unread_pages += part.unread_pages;
  if (whole.ocr_problem.empty()) whole.ocr_problem = std::move(part.ocr_problem);
  for (OcrPageTexts& reading : part.ocr_texts) {
    bool known = false;
    for (const OcrPageTexts& kept : whole.ocr_texts) known = known || kept.pdf_hash == reading.pdf_hash;
    if (!known) whole.ocr_texts.push_back(std::move(reading));
  }
}

void addAttachedFiles(ExtractedText& whole, const std::vector<AttachedFile>& files, int64_t at) {
  for (const AttachedFile& f : files) whole.attached_files.push_back({f.name, f.begin + at, f.end + at});
}

}  // namespace folio::ingest
