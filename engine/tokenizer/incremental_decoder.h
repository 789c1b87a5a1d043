// Token-by-token decoding for streaming output: each call returns text that is valid UTF-8 and never
// half a character. Bytes of an unfinished character are held back until the character completes; bytes
// that can no longer form a character become U+FFFD (one per maximal invalid subpart), as does an
// unfinished character at finish().
#pragma once

#include <string>
#include <string_view>

#include "engine/tokenizer/tokenizer.h"

namespace folio::engine {

class IncrementalDecoder {
 public:
  // The tokenizer must outlive the decoder.
  explicit IncrementalDecoder(const Tokenizer& tokenizer, DecodeOptions options = {})
      : tok_(tokenizer), options_(options) {}

  // The text that token `id` completes (possibly empty).
  std::string push(TokenId id);
  // Raw bytes from elsewhere (e.g. a stop string's text), held back and repaired the same way.
  std::string pushBytes(std::string_view bytes);
  // End of the stream: whatever is held back, repaired.
  std::string finish();

  // Bytes held back for an unfinished character (at most 3).
  size_t pendingBytes() const { return pending_.size(); }

 private:
  const Tokenizer& tok_;
  DecodeOptions options_;
  std::string pending_;
};

}  // namespace folio::engine
