// Fuzzes what a citation shows of its passage: the first line of the input is the question, the second
// the answer citing [1], the rest the passage (document text as extraction left it: valid UTF-8). A
// quote is never longer than asked, stays valid UTF-8, and ranking words point into their text; for
// prose and for code (quoted as whole lines, citations.h quotesLines).
// fuzz-link: folio_app folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/pipeline/citations.h"
#include "app/pipeline/evidence.h"
#include "ingest/utf8_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const std::string text = folio::ingest::normalizeText(raw);  // what extraction stores
  const size_t q_end = text.find('\n');
  const std::string question = text.substr(0, q_end);
  const size_t a_end = q_end == std::string::npos ? std::string::npos : text.find('\n', q_end + 1);
  const std::string answer = q_end == std::string::npos ? "" : text.substr(q_end + 1, a_end - q_end - 1);
  folio::app::Citation c;
  c.n = 1;
  c.source.n = 1;
  c.source.kind = "chunk";
  c.source.text = a_end == std::string::npos ? text : text.substr(a_end + 1);
  for (const char* path : {"contract.txt", "src/server.c"}) {
    c.source.path = path;
    for (size_t max : {size_t{1}, size_t{7}, size_t{60}, size_t{64}, size_t{65}, folio::app::kQuoteBytes}) {
      for (std::string_view ans : {std::string_view(), std::string_view(answer)}) {
        const std::string quote = folio::app::citationQuote(c, question, ans, max);
        if (quote.size() > max) std::abort();
        if (c.source.text.size() <= max && quote != c.source.text) std::abort();  // a passage that fits comes whole
        if (!folio::ingest::isValidUtf8(quote)) std::abort();
      }
    }
  }
  for (const auto& w : folio::app::rankingWordsAt(c.source.text)) {
    if (w.word.empty() || w.offset >= c.source.text.size()) std::abort();
  }
  return 0;
}
