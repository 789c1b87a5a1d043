// UTF-8 text helpers for ingest: content sniffing and the normalisation that defines the extracted
// text of text-like sources (the text that chunk byte offsets refer to).
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest {

// True when a file head looks like text: no NUL bytes, and at most 1 in 32 bytes are control
// characters other than tab, LF, CR, FF and ESC or bytes that are not part of valid UTF-8 (so a
// mostly-ASCII Latin-1 file still counts as text). An empty head is text.
bool looksLikeText(std::string_view head);

// Length of the well-formed UTF-8 sequence at s[pos], or 0 if the bytes there are not one.
size_t utf8SequenceLength(std::string_view s, size_t pos);

// True when all of s is well-formed UTF-8.
bool isValidUtf8(std::string_view s);

// The extracted text of a text-like file: a leading UTF-8 BOM dropped, CRLF and lone CR turned into
// LF (so line numbers match what an editor shows), and each maximal invalid UTF-8 subsequence
// replaced by U+FFFD.
std::string normalizeText(std::string_view bytes);

// Appends s to out with invalid UTF-8 replaced by U+FFFD (no newline handling).
void appendValidUtf8(std::string& out, std::string_view s);

// The largest offset <= pos that does not fall inside a UTF-8 sequence of s.
size_t utf8Boundary(std::string_view s, size_t pos);

// `text` when at most `keep` bytes, else its first and last keep/2 bytes (cut at UTF-8 boundaries)
// joined by " … ": how a long quoted change is shown (a tracked change, a compared version's clause).
std::string elideMiddle(std::string_view text, size_t keep);

}  // namespace folio::ingest
