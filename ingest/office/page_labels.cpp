#include "ingest/office/page_labels.h"

#include <cctype>

namespace folio::ingest::office {
namespace {

// The length of the space or separator ("-", "|", "/", ",", an en or em dash) that `s` ends with
// (`at_end`) or starts with, 0 for none.
size_t separatorLength(std::string_view s, bool at_end) {
  if (s.empty()) return 0;
  const char c = at_end ? s.back() : s.front();
  if (c == ' ' || c == '\t' || c == '\n' || c == '-' || c == '|' || c == '/' || c == ',') return 1;
  if (s.size() < 3) return 0;
  const std::string_view three = at_end ? s.substr(s.size() - 3) : s.substr(0, 3);
  return three == "\xE2\x80\x93" || three == "\xE2\x80\x94" ? 3 : 0;
}

}  // namespace

bool pageFieldCode(std::string_view code) {
  size_t at = 0;
  while (at < code.size() && (code[at] == ' ' || code[at] == '\t')) ++at;
  std::string word;
  while (at < code.size() && word.size() < 16 && std::isalpha(static_cast<unsigned char>(code[at]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(code[at++])));
  }
  return word == "PAGE" || word == "NUMPAGES" || word == "SECTIONPAGES" || word == "SECTION";
}

bool pageLabelOnly(std::string_view text) {
  size_t words = 0, letters = 0;
  bool long_word = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (c == ' ' || c == '\t' || c == '\n') {
      if (letters > 0) ++words;
      long_word = long_word || letters > 6;
      letters = 0;
    } else if (std::isalpha(c) || (c >= 0xC0 && c != 0xE2)) {
      ++letters;  // one per UTF-8 lead byte, a character; 0xE2 leads dashes and other punctuation
    }
  }
  return words <= 2 && !long_word;
}

std::string withoutDanglingSeparators(std::string s) {
  while (const size_t n = separatorLength(s, true)) s.resize(s.size() - n);
  while (const size_t n = separatorLength(s, false)) s.erase(0, n);
  return s;
}

}  // namespace folio::ingest::office
