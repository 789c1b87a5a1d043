// What ranks a passage for a question besides the words of its own text (rankChunks):
//   - how rare each of the question's words is in the library: a word in most passages (a project's
//     name, "function") says little about which passage answers, "listpack" or "indemnify" much;
//   - the words of its document's path: in a repository the file is named for what it does
//     (src/expire.c for "how do keys expire?", src/slowlog.c for "the slow log"); and of its title:
//     "CSA.pdf" opens "Cloud Service Agreement", which is how a lawyer names it in a question;
//   - whether its document is a test or a data file: a question about how something works is answered
//     by the code that does it before the tests that exercise it or the JSON that describes it, unless
//     it asks about tests or data.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::app {

// How many of the library's chunks hold each word (as search matches it), and how many chunks there are.
struct WordCounts {
  int64_t chunks = 1;
  std::vector<int64_t> holding;
};
Result<WordCounts> wordChunkCounts(ingest::Database& db, const std::vector<std::string>& words);

// ln(1 + N / df) for word i, N the library's chunks and df those holding the word; a word in no chunk
// weighs as if in one.
double wordWeight(const WordCounts& counts, size_t i);

// wordWeight of each word.
Result<std::vector<double>> wordWeights(ingest::Database& db, const std::vector<std::string>& words);

// The coverage keys (coverageKeys) of a document's path, split at separators and inside identifiers:
// its file's name without the extension, and its folders' names.
struct PathKeys {
  std::unordered_set<std::string> name, folders;
};
PathKeys pathCoverageKeys(std::string_view rel_path);

// The title of a document that is not source code: its recorded title, else its first line where that
// reads as one ("Cloud Service Agreement", "# Pilot Agreement": a short line of capitalised words, no
// sentence). Empty when there is none.
std::string documentTitle(std::string_view recorded_title, std::string_view kind, std::string_view first_chunk_text);

// Adds a title's words to a document's name keys: a question naming the document names it by its title.
void addTitleKeys(PathKeys& keys, std::string_view title);

// A file of a test suite: under a folder named test, tests, testing, spec, specs or __tests__, or named
// test_x, x_test, x.test, x.spec or XTest(s) (Java, C#).
bool isTestPath(std::string_view rel_path);

// A data file (JSON, YAML, TOML): it describes what code implements (Redis's src/commands/bitfield.json,
// named for the command, beside src/bitops.c that runs it).
bool isDataDocument(std::string_view kind, std::string_view language);

// The question asks about data files or their fields ("which JSON file …", "the YAML schema").
bool asksAboutData(const std::vector<std::string>& question_words);

// The question names tests ("which tests cover …", "how is eviction tested?").
bool asksAboutTests(const std::vector<std::string>& question_words);

}  // namespace folio::app
