// ASCII case folding for names a format spells in any case (HTML tags, header fields, charsets, style
// names, paths): bytes A-Z lowered, everything else (UTF-8 included) kept.
#pragma once

#include <string>
#include <string_view>

namespace folio {

inline std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace folio
