// Chunks for the prefix-search tests: words that share prefixes of every length from 1 to 9
// characters (made of a few syllables, as in bench_ingest, plus English word families that the
// porter stemmer folds), so prefix queries hit the prefix indexes (3-6 characters) and the lengths
// around them, with many chunks scoring alike.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "ingest/chunk.h"
#include "unit/ingest/test_library_util.h"

namespace folio::ingest::test {

inline std::vector<Chunk> prefixCorpus(int count, unsigned seed) {
  static const char* kSyllables[] = {"ka", "ro", "mi", "te", "lu", "san", "dor", "vel"};
  static const char* kEnglish[] = {"term",    "terms",    "terminate", "termination", "terminal",
                                   "index",   "indexing", "indemnify", "indemnity",   "independent",
                                   "indent",  "contract", "contracts", "contractor",  "control",
                                   "consent", "consider", "teles",     "sans",        "quite",
                                   "quiet",   "Ünicode",  "unit"};
  std::mt19937 rng(seed);
  auto word = [&] {
    if (rng() % 3 == 0) return std::string(kEnglish[rng() % std::size(kEnglish)]);
    std::string w;
    const int syllables = 1 + static_cast<int>(rng() % 4);
    for (int s = 0; s < syllables; ++s) w += kSyllables[rng() % std::size(kSyllables)];
    return w;
  };
  std::vector<Chunk> chunks;
  for (int c = 0; c < count; ++c) {
    std::string text;
    const int words = 3 + static_cast<int>(rng() % 14);
    for (int w = 0; w < words; ++w) text += word() + (w % 7 == 6 ? ". " : " ");
    chunks.push_back(makeChunk(text, {std::to_string(c % 9 + 1) + ". " + word()}));
  }
  return chunks;
}

// Prefix queries over prefixCorpus: every length from 1 to 9, stems that porter shortens (`sans*`
// asks for `san*`, `quite*` for `quit*`), accents folded. Two match nothing: `zzzz*`, and
// `terminat*`, since porter indexes "terminate" and "termination" as `termin`.
inline const std::vector<std::string>& prefixQueries() {
  static const std::vector<std::string> kQueries = {
      "k*",         "ka*",    "kar*",      "karo*",   "karom*",    "karomi*",      "karomit*", "karomite*",
      "sandorvel*", "sa*",    "san*",      "sand*",   "sando*",    "sandor*",      "sans*",    "te*",
      "ter*",       "term*",  "termi*",    "termin*", "terminat*", "termination*", "inde*",    "indem*",
      "indemn*",    "quite*", "contract*", "con*",    "unic*",     "Ünic*",        "velvel*",  "zzzz*"};
  return kQueries;
}

}  // namespace folio::ingest::test
