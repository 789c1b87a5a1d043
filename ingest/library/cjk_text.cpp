#include "ingest/library/cjk_text.h"

#include "ingest/utf8_text.h"

namespace folio::ingest {
namespace {

// The code point of the well-formed sequence of n bytes at s[pos].
char32_t decode(std::string_view s, size_t pos, size_t n) {
  static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t cp = static_cast<unsigned char>(s[pos]) & kLeadMask[n];
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + k]) & 0x3F);
  return cp;
}

}  // namespace

bool isCjkCodePoint(char32_t cp) {
  if (cp < 0x1100) return false;  // the common case: ASCII, Latin, Greek, Cyrillic, ...
  return (cp >= 0x1100 && cp <= 0x11FF) ||    // Hangul Jamo
         (cp >= 0x3005 && cp <= 0x3007) ||    // 々 〆 〇
         (cp >= 0x3041 && cp <= 0x309F) ||    // Hiragana (with its sound marks)
         (cp >= 0x30A1 && cp <= 0x30FA) ||    // Katakana, without ゠ (a hyphen)
         (cp >= 0x30FC && cp <= 0x30FF) ||    // ー ヽ ヾ ヿ (not the middle dot ・)
         (cp >= 0x3105 && cp <= 0x312F) ||    // Bopomofo
         (cp >= 0x3131 && cp <= 0x318E) ||    // Hangul Compatibility Jamo
         (cp >= 0x31A0 && cp <= 0x31BF) ||    // Bopomofo Extended
         (cp >= 0x31F0 && cp <= 0x31FF) ||    // Katakana Phonetic Extensions
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK Unified Ideographs Extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK Unified Ideographs
         (cp >= 0xA960 && cp <= 0xA97F) ||    // Hangul Jamo Extended-A
         (cp >= 0xAC00 && cp <= 0xD7A3) ||    // Hangul Syllables
         (cp >= 0xD7B0 && cp <= 0xD7FF) ||    // Hangul Jamo Extended-B
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK Compatibility Ideographs
         (cp >= 0xFF66 && cp <= 0xFF9F) ||    // Halfwidth Katakana (not the halfwidth punctuation)
         (cp >= 0xFFA0 && cp <= 0xFFDC) ||    // Halfwidth Hangul
         (cp >= 0x1B000 && cp <= 0x1B16F) ||  // Kana Supplement and Extended-A
         (cp >= 0x20000 && cp <= 0x3134F);    // CJK Unified Ideographs Extensions B-G, Compatibility Supplement
}

size_t cjkCharacterLength(std::string_view s, size_t pos) {
  // Every CJK character is encoded in 3 or 4 bytes with a lead byte of 0xE1 or above.
  if (pos >= s.size() || static_cast<unsigned char>(s[pos]) < 0xE1) return 0;
  const size_t n = utf8SequenceLength(s, pos);
  return n != 0 && isCjkCodePoint(decode(s, pos, n)) ? n : 0;
}

bool endsWithCjkCharacter(std::string_view s) {
  for (size_t back = 3; back <= 4 && back <= s.size(); ++back) {
    if (cjkCharacterLength(s, s.size() - back) == back) return true;
  }
  return false;
}

}  // namespace folio::ingest
