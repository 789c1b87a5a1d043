#include "engine/tokenizer/incremental_decoder.h"

#include "engine/tokenizer/utf8.h"

namespace folio::engine {

std::string IncrementalDecoder::push(TokenId id) {
  if (!tok_.isKnown(id) || (options_.skip_special && tok_.isSpecial(id))) return {};
  return pushBytes(tok_.tokenBytes(id));
}

std::string IncrementalDecoder::pushBytes(std::string_view bytes) {
  pending_.append(bytes);
  // Everything but an unfinished character at the end is settled: repair it and emit it.
  const size_t keep = utf8::incompleteTailLength(pending_);
  std::string out;
  utf8::appendRepaired(out, std::string_view(pending_).substr(0, pending_.size() - keep));
  pending_.erase(0, pending_.size() - keep);
  return out;
}

std::string IncrementalDecoder::finish() {
  std::string out = utf8::repaired(pending_);
  pending_.clear();
  return out;
}

}  // namespace folio::engine
