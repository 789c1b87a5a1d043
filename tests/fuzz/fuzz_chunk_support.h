// Invariants every chunker must keep on any input (used by the chunker fuzz targets).
#pragma once

#include <cstdlib>
#include <vector>

#include "ingest/chunk.h"

namespace folio::ingest::fuzz {

inline void checkChunks(const ExtractedText& doc, const std::vector<Chunk>& chunks) {
  const int64_t size = static_cast<int64_t>(doc.text.size());
  for (const Chunk& c : chunks) {
    if (c.byte_begin < 0 || c.byte_end > size || c.byte_begin >= c.byte_end) std::abort();
    if (c.line_first < 1 || (c.line_last < c.line_first && c.page_first == c.page_last)) std::abort();
    if (c.page_first > c.page_last) std::abort();
    if (c.kind == ChunkKind::Outline) continue;
    if (doc.text.compare(static_cast<size_t>(c.byte_begin), static_cast<size_t>(c.byte_end - c.byte_begin), c.text) != 0) {
      std::abort();
    }
  }
}

// Chunkers that give each unit its own text (code, legal, paper) never cover a byte twice: chunks other than
// the outline come in document order without overlap (overlapping code chunks once made a 200 KB file
// 488,343 chunks). The generic chunker overlaps its paragraphs on purpose and is not checked.
inline void checkNoOverlap(const std::vector<Chunk>& chunks) {
  int64_t end = 0;
  for (const Chunk& c : chunks) {
    if (c.kind == ChunkKind::Outline) continue;
    if (c.byte_begin < end) std::abort();
    end = c.byte_end;
  }
}

}  // namespace folio::ingest::fuzz
