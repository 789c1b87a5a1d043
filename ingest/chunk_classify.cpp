// classifyText: a cheap genre test over the first 64 KiB of a PDF or plain-text document.
//   Paper: an "Abstract" heading (a line that is, or starts with, "Abstract") within the first 4 KiB,
//          and either a "References"/"Bibliography" heading line anywhere in the sample or at least
//          three bracketed citations ("[12]").
//   Legal: at least three clause-numbered lines ("1. Title", "4.2 ...", "Section 4", "Article IV") and
//          at least 4 legal terms per 1,000 words (and 5 in all), or 25 in absolute terms: the old drafting words
//          ("shall", "Agreement", "Party"/"Parties", "hereby", "herein", "whereas", "governed by"),
//          the subjects every contract has ("indemnif...", "terminat...", "liabilit...", "breach",
//          "warrant...", "obligation", "pursuant", "notwithstanding") and defined terms ("“Uptime”
//          means"): a plain-English agreement ("Provider will ...") has few of the old words.
//   Generic otherwise. Papers are tested first: a contract has no abstract.
#include <cctype>
#include <string>

#include "ingest/chunker.h"

namespace folio::ingest {
namespace {

std::string_view trimLine(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '.' || s.back() == ':')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool clauseLine(std::string_view l) {
  size_t i = 0;
  while (i < l.size() && i < 3 && std::isdigit(static_cast<unsigned char>(l[i]))) ++i;
  if (i > 0 && i < l.size()) {
    if (l[i] == '.' && i + 2 < l.size() && l[i + 1] == ' ' && std::isupper(static_cast<unsigned char>(l[i + 2]))) return true;
    if (l[i] == '.' && i + 1 < l.size() && std::isdigit(static_cast<unsigned char>(l[i + 1]))) return true;
  }
  for (std::string_view w : {"Section ", "SECTION ", "Article ", "ARTICLE "}) {
    if (l.substr(0, w.size()) == w && l.size() > w.size() &&
        (std::isdigit(static_cast<unsigned char>(l[w.size()])) || l[w.size()] == 'I' || l[w.size()] == 'V' || l[w.size()] == 'X')) {
      return true;
    }
  }
  return false;
}

// A defined term's definition: a closing quote, then " means" ("“Service Credit” means", "\"PHI\" means").
size_t countDefinitions(std::string_view text) {
  size_t n = 0;
  for (size_t pos = text.find(" means"); pos != std::string_view::npos; pos = text.find(" means", pos + 6)) {
    const std::string_view before = text.substr(0, pos);
    const bool word_ends = pos + 6 == text.size() || text[pos + 6] == ' ' || text[pos + 6] == '\n';
    if (word_ends && (before.ends_with("\"") || before.ends_with("\xE2\x80\x9D"))) ++n;
  }
  return n;
}

size_t countWord(std::string_view text, std::string_view word) {
  size_t n = 0;
  for (size_t pos = text.find(word); pos != std::string_view::npos; pos = text.find(word, pos + word.size())) {
    const bool start_ok = pos == 0 || !std::isalpha(static_cast<unsigned char>(text[pos - 1]));
    if (start_ok) ++n;
  }
  return n;
}

}  // namespace

TextGenre classifyText(std::string_view text) {
  text = text.substr(0, 64 * 1024);
  bool abstract = false, references = false;
  size_t clause_lines = 0, words = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view raw = text.substr(pos, nl - pos);
    const std::string_view line = trimLine(raw);
    if (pos < 4096 && (iequals(line, "abstract") || iequals(line.substr(0, 9), "abstract:") ||
                       iequals(line.substr(0, 9), "abstract.") || line.substr(0, 11) == "Abstract\xE2\x80\x94")) {
      abstract = true;
    }
    if (iequals(line, "references") || iequals(line, "bibliography")) references = true;
    if (clauseLine(line)) ++clause_lines;
    pos = nl + 1;
  }
  bool in_word = false;
  for (const char c : text) {
    const bool w = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (w && !in_word) ++words;
    in_word = w;
  }
  size_t citations = 0;
  for (size_t p = text.find('['); p != std::string_view::npos && citations < 3; p = text.find('[', p + 1)) {
    size_t q = p + 1;
    while (q < text.size() && q - p <= 4 && std::isdigit(static_cast<unsigned char>(text[q]))) ++q;
    if (q > p + 1 && q < text.size() && text[q] == ']') ++citations;
  }
  if (abstract && (references || citations >= 3)) return TextGenre::Paper;
  size_t legal = 0;
  for (std::string_view t : {"shall", "Agreement", "Party", "Parties", "hereby", "herein", "whereas", "WHEREAS",
                             "governed by", "indemnif", "terminat", "Terminat", "liabilit", "Liabilit", "breach",
                             "warrant", "Warrant", "obligation", "pursuant", "notwithstanding", "Notwithstanding"}) {
    legal += countWord(text, t);
  }
  legal += countDefinitions(text);
  // Five at least: one "breach" in a short incident report is no contract.
  const bool dense = words > 0 && legal >= 5 && legal * 1000 >= 4 * words;
  if (clause_lines >= 3 && (dense || legal >= 25)) return TextGenre::Legal;
  return TextGenre::Generic;
}

std::string_view textGenreName(TextGenre genre) {
  switch (genre) {
    case TextGenre::Legal: return "legal";
    case TextGenre::Paper: return "paper";
    case TextGenre::Generic: return "generic";
  }
  return "generic";
}

}  // namespace folio::ingest
