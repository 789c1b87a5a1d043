// A document version as the comparison sees it: its words and punctuation, each with where it stands
// (which stored chunk, which bytes of it), whitespace and layout ignored, so a contract saved as Word
// and printed to PDF reads the same. Left out: Folio's own marks and lists ("[change 3]", "[comment 2]",
// the "# Tracked changes", "# Comments" and "# Headers and footers" sections, PDF comment and
// signature lines) and the '#' of a heading line: they are what Folio adds, not the document's text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/library/library.h"

namespace folio::app {

struct VersionToken {
  uint64_t key = 0;        // hash of the token's normalized text (typographic quotes and dashes folded)
  uint32_t chunk = 0;      // index into VersionText::chunks
  uint32_t begin = 0, end = 0;  // bytes of that chunk's text
  bool clause_start = false;    // a clause number opening a line ("6.1 Duration"): a clause begins here
  bool list_item = false;       // the letter or number of a list item opening a line ("(c) use …": c)
};

struct VersionText {
  std::vector<ingest::StoredChunk> chunks;  // in document order
  std::vector<VersionToken> tokens;
  int ocr_pages = 0;  // pages read by OCR (a scan): its small differences may be misreadings
};

// Tokens: runs of letters and digits (any byte >= 0x80 counts as a letter, so words in any script stay
// whole), a number with its inner '.' and ',' as one token ("6.1", "1,500.00": a renumbered clause is
// one changed token), every other visible character alone.
VersionText tokenizeVersion(std::vector<ingest::StoredChunk> chunks);

// The text a token range covers, as written (whitespace runs as one space).
std::string tokenRangeText(const VersionText& v, size_t first, size_t last);

// True when the token's text is a clause or list number: "6", "6.1", "12.3.4" (not "1,500").
bool isClauseNumberToken(const VersionText& v, size_t i);

// True when the token is the first of its line.
bool startsLine(const VersionText& v, size_t i);

std::string_view tokenText(const VersionText& v, size_t i);

}  // namespace folio::app
