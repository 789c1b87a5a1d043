// Reading a Hugging Face tokenizer.json into a TokenizerSpec. Supported: model BPE (vocab; merges as
// "a b" strings or ["a", "b"] pairs; ignore_merges), added_tokens, normalizer null, pre_tokenizer
// ByteLevel / Split (Regex or String pattern, any behavior, invert) / Sequence of those, decoder
// ByteLevel. post_processor is ignored: Folio adds bos/eos through the chat template. Anything else is
// refused with an error that names the field.
#pragma once

#include <string_view>

#include "engine/common/result.h"
#include "engine/tokenizer/tokenizer.h"

namespace folio::engine {

// Errors are BadInput (malformed) or Unsupported and name the field, without the file name.
Result<TokenizerSpec> parseTokenizerJson(std::string_view json_text);

}  // namespace folio::engine
