// The font table of a Word 97-2003 document ([MS-DOC] 2.9.274 SttbfFfn), as far as text needs it:
// which fonts are symbol fonts, whose characters are pictures rather than letters (a bullet "l" in
// Wingdings is a black circle), and what the common symbols of such fonts (sprmCSymbol: "m" in the
// Symbol font is "μ") are in Unicode.
//
// Untrusted input: read within the table; a font index past its end is no symbol font.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/doc_fib.h"

namespace folio::ingest::office {

enum class SymbolFont { None, Symbol, Wingdings, Other };

class DocFonts {
 public:
  static DocFonts read(std::string_view table, FcLcb sttbf_ffn);
  SymbolFont symbolFont(uint16_t ftc) const { return ftc < fonts_.size() ? fonts_[ftc] : SymbolFont::None; }

 private:
  std::vector<SymbolFont> fonts_;
};

// A symbol character (its code in the font, 0x20..0xFF, or the same plus 0xF000) as UTF-8: Symbol's
// Greek letters and mathematical signs, Wingdings' bullets, boxes and ticks; "" for others.
std::string symbolText(SymbolFont font, uint16_t code);

}  // namespace folio::ingest::office
