// Invariants every extraction must keep on any input (used by the document-format fuzz targets): its
// text, title and author are valid UTF-8, page starts increase from 0 inside the text, and its chunks
// lie inside the text with pages in order.
#pragma once

#include <cstdlib>
#include <string>

#include "ingest/chunker.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::fuzz {

inline void checkExtracted(const ExtractedText& doc, const SourceType& type) {
  for (const std::string* s : {&doc.text, &doc.title, &doc.author}) {
    if (!isValidUtf8(*s)) std::abort();
  }
  for (size_t i = 0; i < doc.page_starts.size(); ++i) {
    if (i == 0 ? doc.page_starts[0] != 0 : doc.page_starts[i] <= doc.page_starts[i - 1]) std::abort();
    if (i > 0 && doc.page_starts[i] >= static_cast<int64_t>(doc.text.size())) std::abort();
  }
  const EstimatingTokenCounter tokens;
  for (const Chunk& c : chunkDocument(doc, type, tokens)) {
    if (c.byte_begin < 0 || c.byte_end > static_cast<int64_t>(doc.text.size()) || c.byte_begin >= c.byte_end) std::abort();
    if (!doc.page_starts.empty() && (c.page_first < 1 || c.page_last < c.page_first)) std::abort();
  }
}

}  // namespace folio::ingest::fuzz
