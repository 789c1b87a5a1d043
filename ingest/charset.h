// Text in a legacy character set as UTF-8, for the formats that name theirs (e-mail parts, RTF code
// pages). Untrusted input: any bytes and any name give valid UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace folio::ingest {

// The bytes of `charset` as UTF-8: UTF-8 and ASCII as they are (invalid bytes replaced by U+FFFD),
// others through iconv ("iso-8859-1", "windows-1252", "CP1251", …); an unknown charset is read as
// Windows-1252 (what mislabelled text usually is).
std::string toUtf8(std::string_view bytes, std::string_view charset);

// The iconv name of a Windows code page number (RTF's \\ansicpg, Outlook's PR_MESSAGE_CODEPAGE):
// 1252 -> "CP1252", 65001 -> "UTF-8", 28591 -> "ISO-8859-1", 936 -> "GBK", …
std::string windowsCodePage(int code_page);

// Appends the UTF-8 bytes of one code point; a surrogate or a value past U+10FFFF as U+FFFD.
void appendCodePoint(std::string& out, uint32_t cp);

// UTF-16LE (Windows' wide strings: Office binary files, Outlook messages) as UTF-8, surrogate pairs
// joined, a lone surrogate or an odd last byte as U+FFFD. Stops at the first NUL code unit when
// `stop_at_nul` (fixed-size name fields are NUL-terminated).
std::string utf16leToUtf8(std::string_view bytes, bool stop_at_nul = false);

}  // namespace folio::ingest
