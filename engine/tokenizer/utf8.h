// UTF-8 helpers for the tokenizer: sequence lengths, validity of a prefix, and repair of invalid bytes
// into U+FFFD (one per maximal invalid subpart, the Unicode-recommended practice that Python's
// errors="replace" also follows).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace folio::engine::utf8 {

// Length of the well-formed UTF-8 sequence starting at s[pos], or 0 when the bytes there are not a
// complete, well-formed sequence (invalid or cut off by the end of s).
size_t validSequenceLength(std::string_view s, size_t pos);

// Length of the longest prefix of s[pos..] that is a proper prefix of some well-formed sequence
// ("could still complete with more bytes"), at most 3. 0 when s[pos] cannot start a sequence.
size_t incompletePrefixLength(std::string_view s, size_t pos);

// Number of bytes at the end of s that form an incomplete (but so far valid) sequence; these must be
// held back when s is one piece of a longer stream.
size_t incompleteTailLength(std::string_view s);

// Appends s to out with every maximal invalid subpart replaced by U+FFFD. Complete input only: an
// incomplete sequence at the end is replaced too.
void appendRepaired(std::string& out, std::string_view s);
std::string repaired(std::string_view s);

// Appends the UTF-8 encoding of code point cp (< 0x110000, not a surrogate).
void appendCodePoint(std::string& out, uint32_t cp);

inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

}  // namespace folio::engine::utf8
