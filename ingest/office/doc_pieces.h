// The text of a Word 97-2003 document: its piece table ([MS-DOC] 2.4.1, the Clx in the table stream)
// says where each run of characters lies in the WordDocument stream, as 8-bit "compressed" characters
// (Windows-1252 as [MS-DOC] maps it) or UTF-16LE. Characters are numbered by CP (character
// position): the main text, then footnotes, headers, comments, endnotes and text boxes.
//
// Untrusted input: pieces must follow each other in CP order; the text is at most as many characters
// as the stream has bytes, and characters whose bytes lie outside the stream read as 0 (no text), so
// positions stay where the other structures expect them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/office/doc_fib.h"

namespace folio::ingest::office {

class DocPieces {
 public:
  // The pieces of the Clx at `clx` in `table`.
  static Result<DocPieces> parse(std::string_view table, FcLcb clx, const std::string& name);

  // Characters [0, count) as UTF-16 code units; fewer when the pieces end sooner.
  std::u16string text(std::string_view word_document, uint64_t count) const;
  // The offset in the WordDocument stream of character `cp` (where its properties are looked up).
  std::optional<uint32_t> fcOf(uint32_t cp) const;

 private:
  struct Piece {
    uint32_t cp_begin = 0, cp_end = 0;
    uint32_t fc = 0;  // byte offset of the first character
    bool compressed = false;
  };
  std::vector<Piece> pieces_;
};

// A compressed (8-bit) character as Unicode: Windows-1252 for 0x80..0x9F as [MS-DOC] 2.4.1 lists them
// (the rest of 0x80..0x9F, and every other byte, stand for themselves).
char16_t compressedCharacter(uint8_t byte);

}  // namespace folio::ingest::office
