// Streaming encode of arbitrarily large text with bounded memory: feed the text in pieces of any size
// (cut anywhere, even inside a UTF-8 character or a special token) and the ids come out through a sink
// as soon as they are final. Only an unfinished tail is kept between calls: an incomplete character,
// the last bytes that might start a special token, and the pre-tokens that more text could still change
// (see PreTokenizer::run). The ids are exactly those of Tokenizer::encode on the whole text.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "engine/tokenizer/tokenizer.h"

namespace folio::engine {

struct StreamEncodeOptions {
  SpecialTokens specials = SpecialTokens::Parse;
  // Called after each slice of work with the number of input bytes encoded so far.
  std::function<void(uint64_t bytes_encoded)> progress;
  // When set to true, feed/finish stop and return a Cancelled error; the encoder is then unusable.
  const std::atomic<bool>* cancel = nullptr;
};

class StreamEncoder {
 public:
  using Sink = std::function<void(std::span<const TokenId>)>;

  // The tokenizer must outlive the encoder.
  StreamEncoder(const Tokenizer& tokenizer, Sink sink, StreamEncodeOptions options = {});

  // Encodes what can be encoded of the text so far. Fails only when cancelled.
  Status feed(std::string_view text);
  // Encodes the rest: the end of the text has been reached.
  Status finish();

  uint64_t bytesFed() const { return fed_; }
  uint64_t bytesEncoded() const { return encoded_; }
  // Bytes held back for the next call (bounded by the longest pre-token, not by the input size).
  size_t bufferedBytes() const { return buffer_.size(); }

 private:
  // Encodes the final part of text; returns how many bytes were consumed.
  size_t consume(std::string_view text, bool at_end);
  void encodeSegment(std::string_view text);
  Status step(std::string_view slice, bool at_end);
  bool cancelled() const { return options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed); }

  const Tokenizer& tok_;
  Sink sink_;
  StreamEncodeOptions options_;
  PreTokenizer::Scratch pre_scratch_;
  BpeModel::Workspace bpe_workspace_;
  PreTokenizer::Emit emit_word_;
  std::string buffer_;          // unconsumed text carried to the next call
  std::vector<TokenId> ids_;    // ids of the current slice, handed to the sink after it
  bool continues_segment_ = false;  // the buffer continues a segment whose start was already encoded
  bool failed_ = false;
  uint64_t fed_ = 0, encoded_ = 0;
};

// Encodes a file in slices of `slice_bytes` (memory stays bounded whatever the file size); errors name
// the file. Ids go to the sink.
Status encodeFileStreaming(const Tokenizer& tokenizer, const std::filesystem::path& path,
                           const StreamEncoder::Sink& sink, StreamEncodeOptions options = {},
                           size_t slice_bytes = size_t{1} << 20);

}  // namespace folio::engine
