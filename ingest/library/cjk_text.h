// Which characters the library's search index treats as CJK (Han ideographs, kana, Hangul, bopomofo):
// scripts written without spaces between words, which the FTS5 word tokenizers would turn into one
// token per unbroken run (so a word inside a run could not be found). fts_cjk_tokenizer.h indexes
// them one character at a time instead.
#pragma once

#include <cstddef>
#include <string_view>

namespace folio::ingest {

// A letter of a CJK script (punctuation such as 、。「」・ and symbols such as radicals are not).
bool isCjkCodePoint(char32_t cp);

// The length in bytes of the CJK character at s[pos], or 0 when the bytes there are not a
// well-formed UTF-8 sequence of one.
size_t cjkCharacterLength(std::string_view s, size_t pos);

// The last character of s is a CJK character.
bool endsWithCjkCharacter(std::string_view s);

}  // namespace folio::ingest
