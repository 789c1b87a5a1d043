// Token counting for the pipeline: the loaded model's tokenizer when there is one (real counts), the
// ingest estimate otherwise. Both behind ingest::TokenCounter so planner, summarizers and evidence
// selection do not care which.
#pragma once

#include <memory>
#include <string_view>

#include "engine/tokenizer/tokenizer.h"
#include "ingest/chunker.h"

namespace folio::app {

// Counts with a tokenizer; document text is encoded with special tokens as plain text, as prompts do.
class TokenizerTokenCounter final : public ingest::TokenCounter {
 public:
  explicit TokenizerTokenCounter(const engine::Tokenizer& tokenizer) : tokenizer_(tokenizer) {}
  int count(std::string_view text) const override;

 private:
  const engine::Tokenizer& tokenizer_;  // not owned; outlives the counter
};

// The tokenizer's counter when `tokenizer` is not null, else the estimate.
std::unique_ptr<ingest::TokenCounter> makeTokenCounter(const engine::Tokenizer* tokenizer);

}  // namespace folio::app
