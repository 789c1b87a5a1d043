// Helpers shared by the chunker tests: provenance invariants and lookups.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/chunk.h"
#include "ingest/chunker.h"

namespace folio::ingest::test {

// Every non-outline chunk's text is exactly its byte range of the extracted text, and its line and
// page spans agree with an independent count over that text.
inline void expectProvenance(const ExtractedText& doc, const std::vector<Chunk>& chunks) {
  for (const Chunk& c : chunks) {
    ASSERT_GE(c.byte_begin, 0);
    ASSERT_LE(c.byte_end, static_cast<int64_t>(doc.text.size()));
    ASSERT_LT(c.byte_begin, c.byte_end);
    EXPECT_GT(c.token_count, 0);
    if (c.kind == ChunkKind::Outline) continue;
    EXPECT_EQ(c.text, doc.text.substr(static_cast<size_t>(c.byte_begin), static_cast<size_t>(c.byte_end - c.byte_begin)));
    auto pageOf = [&](int64_t off) {
      int p = 0;
      for (size_t i = 0; i < doc.page_starts.size(); ++i) if (doc.page_starts[i] <= off) p = static_cast<int>(i) + 1;
      return p;
    };
    auto lineOf = [&](int64_t off) {
      const int64_t from = doc.page_starts.empty() ? 0 : doc.page_starts[static_cast<size_t>(pageOf(off) - 1)];
      int line = 1;
      for (int64_t i = from; i < off; ++i) line += doc.text[static_cast<size_t>(i)] == '\n';
      return line;
    };
    EXPECT_EQ(c.page_first, pageOf(c.byte_begin));
    EXPECT_EQ(c.page_last, pageOf(c.byte_end - 1));
    EXPECT_EQ(c.line_first, lineOf(c.byte_begin));
    EXPECT_EQ(c.line_last, lineOf(c.byte_end - 1));
  }
}

inline const Chunk* findByPath(const std::vector<Chunk>& chunks, const std::vector<std::string>& path) {
  for (const Chunk& c : chunks) {
    if (c.heading_path == path) return &c;
  }
  return nullptr;
}

inline const Chunk* findByLast(const std::vector<Chunk>& chunks, const std::string& last) {
  for (const Chunk& c : chunks) {
    if (!c.heading_path.empty() && c.heading_path.back() == last) return &c;
  }
  return nullptr;
}

inline ExtractedText textDoc(std::string text) {
  ExtractedText d;
  d.text = std::move(text);
  return d;
}

}  // namespace folio::ingest::test
