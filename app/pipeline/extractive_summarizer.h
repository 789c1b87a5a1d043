// Extractive summaries and passage ranking without a model: TextRank over sentences. Sentences come
// from summarySentences (extractive_sentences.h: headings, table rows, code and fragments set aside,
// Markdown markup stripped), each becomes a TF-IDF vector over lower-cased words (stop words dropped),
// edges are cosine similarities, and PageRank (damping 0.85, up to 50 iterations or a change below
// 1e-6) ranks them (degree centrality on very many sentences, see kTextRankDenseLimit). The summary
// takes the top sentences, within the token budget, in their original order. Source code is ranked by
// what its comments say (code_comments.h) where it has any: its statements make no sentences.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "app/pipeline/extractive_sentences.h"
#include "app/pipeline/summarizer.h"
#include "ingest/chunker.h"

namespace folio::app {

// Lower-cased words of 2+ letters/digits that are not stop words.
// A byte of a word as contentWords and the ranking read words: an ASCII letter or digit, '_', or any
// byte of a multi-byte character.
bool isWordByte(char c);

std::vector<std::string> contentWords(std::string_view text);
bool isStopWord(std::string_view lower_word);

// Above this many sentences (a document node over a thousand sections, a collection node over
// thousands of documents) the n × n similarity graph would take n² doubles (25,000 sentences: 5 GB)
// and minutes; textRank then scores by degree centrality (LexRank's degree: each sentence's summed
// cosine similarity to all others, computed in linear time from the sum of the unit vectors), with
// the same damping: (1 - 0.85) / n + 0.85 · degree / Σ degree.
inline constexpr size_t kTextRankDenseLimit = 2000;

// PageRank scores over a sentence similarity graph (one score per sentence, summing to ~1); degree
// centrality above kTextRankDenseLimit sentences.
std::vector<double> textRank(const std::vector<std::string>& sentences);

// The top-ranked sentences that fit `max_tokens` (counted by `tokens`), in original order, joined by
// spaces. Only sentences of the best tier the texts hold are ranked (prose before headings and
// fragments before code, see SentenceTier), a sentence repeated by overlapping chunks once.
// Always at least the first-ranked sentence is tried; an empty string when nothing fits.
std::string extractiveSummary(const std::vector<std::string>& texts, int max_tokens, const ingest::TokenCounter& tokens);

class ExtractiveSummarizer final : public Summarizer {
 public:
  explicit ExtractiveSummarizer(const ingest::TokenCounter& tokens) : tokens_(tokens) {}
  std::string identity() const override { return kExtractiveIdentity; }
  std::string modelName() const override { return {}; }
  bool usesModel() const override { return false; }
  // 2: headings, table rows, code and markup are set aside (dd15eae); version-1 summaries quote them.
  // 3: source code is summarized from its comments (code_comments.h), not its statements.
  int version() const override { return 3; }
  Result<std::string> summarize(const SummaryRequest& request, StageUsage& usage,
                                const std::atomic<bool>* cancel) override;

 private:
  const ingest::TokenCounter& tokens_;
};

}  // namespace folio::app
