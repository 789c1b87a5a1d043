#include "engine/tokenizer/stream_encoder.h"

#include <algorithm>
#include <fstream>

#include "engine/tokenizer/utf8.h"

namespace folio::engine {
namespace {

// feed() works through its input in slices of this size so that cancellation and progress stay
// responsive and the ids handed to the sink at once stay bounded.
constexpr size_t kSliceBytes = size_t{1} << 20;

}  // namespace

StreamEncoder::StreamEncoder(const Tokenizer& tokenizer, Sink sink, StreamEncodeOptions options)
    : tok_(tokenizer), sink_(std::move(sink)), options_(std::move(options)), pre_scratch_(tokenizer.pre_tokenizer_) {
  emit_word_ = [this](std::string_view word) { tok_.bpe_.encodeWord(word, bpe_workspace_, ids_); };
}

void StreamEncoder::encodeSegment(std::string_view text) {
  if (!text.empty()) tok_.pre_tokenizer_.run(text, false, continues_segment_, pre_scratch_, emit_word_);
  continues_segment_ = false;
}

size_t StreamEncoder::consume(std::string_view text, bool at_end) {
  const bool parse_special = options_.specials == SpecialTokens::Parse;
  const size_t max_added = tok_.added_matcher_.maxLength(parse_special);
  // A special token can be recognised only where all of it would fit in the text we have.
  const size_t decided_starts = at_end ? text.size() : text.size() - std::min(text.size(), max_added - (max_added > 0));
  size_t pos = 0;
  while (true) {
    const auto hit = tok_.added_matcher_.find(text, pos, decided_starts, parse_special);
    if (hit) {
      encodeSegment(text.substr(pos, hit->start - pos));
      ids_.push_back(hit->id);
      pos = hit->start + hit->length;
      continue;
    }
    if (at_end) {
      encodeSegment(text.substr(pos));
      return text.size();
    }
    // Keep back what might start a special token and an unfinished UTF-8 character; of the rest,
    // commit what the pre-tokenizer says is final.
    size_t limit = std::max(pos, decided_starts);
    limit = std::max(pos, std::min(limit, text.size() - utf8::incompleteTailLength(text)));
    if (limit > pos) {
      const size_t done = tok_.pre_tokenizer_.run(text.substr(pos, limit - pos), true, continues_segment_,
                                                  pre_scratch_, emit_word_);
      if (done > 0) {
        pos += done;
        continues_segment_ = true;
      }
    }
    return pos;
  }
}

Status StreamEncoder::step(std::string_view slice, bool at_end) {
  if (failed_ || cancelled()) {
    failed_ = true;
    return folio::cancelled("tokenizer: encoding cancelled after " + std::to_string(encoded_) + " bytes");
  }
  size_t consumed = 0;
  if (buffer_.empty()) {
    consumed = consume(slice, at_end);  // no copy of the input unless something is left over
    buffer_.assign(slice.substr(consumed));
  } else {
    buffer_.append(slice);
    consumed = consume(buffer_, at_end);
    buffer_.erase(0, consumed);
  }
  encoded_ = fed_ - buffer_.size();
  if (!ids_.empty()) {
    sink_(ids_);
    ids_.clear();
  }
  if (options_.progress) options_.progress(encoded_);
  return {};
}

Status StreamEncoder::feed(std::string_view text) {
  do {
    const std::string_view slice = text.substr(0, kSliceBytes);
    text.remove_prefix(slice.size());
    fed_ += slice.size();
    FOLIO_TRY(step(slice, false));
  } while (!text.empty());
  return {};
}

Status StreamEncoder::finish() { return step({}, true); }

Status encodeFileStreaming(const Tokenizer& tokenizer, const std::filesystem::path& path,
                           const StreamEncoder::Sink& sink, StreamEncodeOptions options, size_t slice_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ioError(path.string() + ": cannot open for reading");
  StreamEncoder encoder(tokenizer, sink, std::move(options));
  std::string slice(std::max<size_t>(slice_bytes, 1), '\0');
  while (in) {
    in.read(slice.data(), static_cast<std::streamsize>(slice.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (in.bad()) return ioError(path.string() + ": read failed after " + std::to_string(encoder.bytesFed()) + " bytes");
    if (got > 0) FOLIO_TRY(encoder.feed(std::string_view(slice.data(), got)));
  }
  return encoder.finish();
}

}  // namespace folio::engine
