#include "app/pipeline/token_counter.h"

namespace folio::app {

int TokenizerTokenCounter::count(std::string_view text) const {
  if (text.empty()) return 0;
  return static_cast<int>(tokenizer_.encode(text, engine::SpecialTokens::AsText).size());
}

std::unique_ptr<ingest::TokenCounter> makeTokenCounter(const engine::Tokenizer* tokenizer) {
  if (tokenizer) return std::make_unique<TokenizerTokenCounter>(*tokenizer);
  return std::make_unique<ingest::EstimatingTokenCounter>();
}

}  // namespace folio::app
