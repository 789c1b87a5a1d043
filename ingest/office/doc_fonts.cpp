#include "ingest/office/doc_fonts.h"

#include <algorithm>
#include <cctype>

#include "ingest/charset.h"
#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {
namespace {

bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// The Symbol font's letters A..Z and a..z (Adobe's Symbol encoding).
constexpr char16_t kGreekUpper[26] = {u'Α', u'Β', u'Χ', u'Δ', u'Ε', u'Φ', u'Γ', u'Η', u'Ι', u'ϑ', u'Κ', u'Λ', u'Μ',
                                      u'Ν', u'Ο', u'Π', u'Θ', u'Ρ', u'Σ', u'Τ', u'Υ', u'ς', u'Ω', u'Ξ', u'Ψ', u'Ζ'};
constexpr char16_t kGreekLower[26] = {u'α', u'β', u'χ', u'δ', u'ε', u'φ', u'γ', u'η', u'ι', u'ϕ', u'κ', u'λ', u'μ',
                                      u'ν', u'ο', u'π', u'θ', u'ρ', u'σ', u'τ', u'υ', u'ϖ', u'ω', u'ξ', u'ψ', u'ζ'};

char16_t symbolFontCharacter(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return kGreekUpper[c - 'A'];
  if (c >= 'a' && c <= 'z') return kGreekLower[c - 'a'];
  switch (c) {
    case 0x22: return u'∀';
    case 0x24: return u'∃';
    case 0x27: return u'∋';
    case 0x2A: return u'∗';
    case 0x2D: return u'−';
    case 0x40: return u'≅';
    case 0x5C: return u'∴';
    case 0x5E: return u'⊥';
    case 0x7E: return u'∼';
    case 0xA2: return u'′';
    case 0xA3: return u'≤';
    case 0xA5: return u'∞';
    case 0xAB: return u'↔';
    case 0xAC: return u'←';
    case 0xAD: return u'↑';
    case 0xAE: return u'→';
    case 0xAF: return u'↓';
    case 0xB0: return u'°';
    case 0xB1: return u'±';
    case 0xB2: return u'″';
    case 0xB3: return u'≥';
    case 0xB4: return u'×';
    case 0xB5: return u'∝';
    case 0xB6: return u'∂';
    case 0xB7: return u'•';
    case 0xB8: return u'÷';
    case 0xB9: return u'≠';
    case 0xBA: return u'≡';
    case 0xBB: return u'≈';
    case 0xBC: return u'…';
    case 0xC5: return u'⊕';
    case 0xC6: return u'∅';
    case 0xC7: return u'∩';
    case 0xC8: return u'∪';
    case 0xCE: return u'∈';
    case 0xD1: return u'∇';
    case 0xD2: case 0xE2: return u'®';
    case 0xD3: case 0xE3: return u'©';
    case 0xD4: case 0xE4: return u'™';
    case 0xD5: return u'∏';
    case 0xD6: return u'√';
    case 0xD7: return u'⋅';
    case 0xD8: return u'¬';
    case 0xD9: return u'∧';
    case 0xDA: return u'∨';
    case 0xDB: return u'⇔';
    case 0xDE: return u'⇒';
    case 0xE5: return u'∑';
    case 0xF2: return u'∫';
    default: break;
  }
  return c >= 0x20 && c < 0x7F ? static_cast<char16_t>(c) : u'\0';  // digits and punctuation as ASCII
}

char16_t wingdingsCharacter(uint8_t c) {
  switch (c) {
    case 0x6C: return u'●';
    case 0x6E: case 0xA7: return u'▪';
    case 0x6F: case 0xA8: return u'☐';
    case 0x71: return u'❑';
    case 0x76: return u'❖';
    case 0x78: return u'☒';
    case 0xD8: return u'➢';
    case 0xE0: return u'→';
    case 0xFB: return u'✗';
    case 0xFC: return u'✓';
    case 0xFD: return u'☒';
    case 0xFE: return u'☑';
    default: return u'\0';
  }
}

}  // namespace

DocFonts DocFonts::read(std::string_view table, FcLcb fonts) {
  DocFonts out;
  const DocBytes b{table};
  if (!b.has(fonts.fc, fonts.lcb) || fonts.lcb < 4) return out;
  const uint64_t end = uint64_t{fonts.fc} + fonts.lcb;
  const uint16_t count = b.u16(fonts.fc);
  uint64_t at = fonts.fc + 4;  // cData, cbExtra
  for (uint16_t i = 0; i < count && at < end; ++i) {
    const uint8_t size = b.u8(at);
    const DocBytes ffn{b.sub(at + 1, std::min<uint64_t>(size, end - at - 1))};
    at += 1 + uint64_t{size};
    // FFN: the character set at 3 (2: symbol), the name (UTF-16, 0-terminated) at 39.
    std::string name = utf16leToUtf8(ffn.sub(39, ffn.data.size()), true);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    SymbolFont kind = SymbolFont::None;
    if (startsWith(name, "symbol")) kind = SymbolFont::Symbol;
    else if (startsWith(name, "wingdings")) kind = SymbolFont::Wingdings;
    else if (ffn.u8(3) == 2 || startsWith(name, "webdings") || startsWith(name, "zapf")) kind = SymbolFont::Other;
    out.fonts_.push_back(kind);
  }
  return out;
}

std::string symbolText(SymbolFont font, uint16_t code) {
  if (code >= 0xF000 && code <= 0xF0FF) code -= 0xF000;
  if (code > 0xFF) return {};
  const auto c = static_cast<uint8_t>(code);
  const char16_t u = font == SymbolFont::Symbol ? symbolFontCharacter(c) : font == SymbolFont::Wingdings ? wingdingsCharacter(c) : u'\0';
  std::string out;
  if (u != u'\0') appendCodePoint(out, u);
  return out;
}

}  // namespace folio::ingest::office
