// Text in a legacy character set as UTF-8, for the formats that name theirs (e-mail parts, RTF code
// pages). Untrusted input: any bytes and any name give valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest {

// The bytes of `charset` as UTF-8: UTF-8 and ASCII as they are (invalid bytes replaced by U+FFFD),
// others through iconv ("iso-8859-1", "windows-1252", "CP1251", …); an unknown charset is read as
// Windows-1252 (what mislabelled text usually is).
std::string toUtf8(std::string_view bytes, std::string_view charset);

}  // namespace folio::ingest
