// Pre-tokenization: the text between added tokens is cut into pre-tokens (words) before BPE, by the
// steps of a Hugging Face pre_tokenizer: Split (a regex or literal with a delimiter behaviour) and
// ByteLevel (an optional prefix space and GPT-2's regex). The steps run as a Sequence, each on the
// pieces of the one before. ByteLevel must be the last step: BPE then sees raw bytes.
//
// Streaming: run() can be told that more text follows; it then commits only the pieces that no later
// text can change (a PCRE2 "hard partial" match tells when a match attempt reached the end) and reports
// how far it got, so the caller keeps just the unfinished tail. Patterns that look behind the start of
// the text (lookbehind, \b, ^) could see less context after such a cut; GPT-2's and cl100k-style
// patterns do not.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "engine/tokenizer/pcre2_regex.h"

namespace folio::engine {

// Hugging Face SplitDelimiterBehavior.
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

struct PreTokenizerStep {
  enum class Kind { Split, ByteLevel };
  Kind kind = Kind::Split;
  // Split
  std::string pattern;             // a regex, or a literal when !pattern_is_regex
  bool pattern_is_regex = true;
  SplitBehavior behavior = SplitBehavior::Isolated;
  bool invert = false;
  // ByteLevel (Hugging Face defaults)
  bool add_prefix_space = true;
  bool use_regex = true;
};

// Pre-tokenizer configuration: the steps of a Sequence (one step for a plain Split or ByteLevel).
struct PreTokenizerConfig {
  std::vector<PreTokenizerStep> steps;
};

// GPT-2's pre-tokenizer regex, used by ByteLevel with use_regex.
inline constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class PreTokenizer {
 public:
  struct Range {
    size_t begin = 0, end = 0;
    bool delimiter = false;
  };

  // Called with each pre-token, in order; the view is valid only during the call.
  using Emit = std::function<void(std::string_view)>;

  // Matching scratch for one thread (one per regex).
  class Scratch {
   public:
    explicit Scratch(const PreTokenizer& pre);

   private:
    friend class PreTokenizer;
    struct Step {
      std::unique_ptr<Pcre2Regex::Scratch> match;  // null for a step without a regex
      std::vector<Range> splits, pieces;           // reused between calls
      std::string prefixed;                        // the text with ByteLevel's prefix space
    };
    std::vector<Step> steps_;
  };

  // Errors name the step ("pre_tokenizer.pretokenizers[0].pattern: ...").
  static Result<PreTokenizer> create(const PreTokenizerConfig& config);

  // Emits the pre-tokens of `text`. With `more_follows`, `text` is the start of a longer segment: only
  // final pre-tokens are emitted and the return value is how many bytes of `text` they cover (the caller
  // passes the rest again with more text). `continues_segment`: `text` does not start a segment (the
  // earlier part was committed by a previous call), so no prefix space is added. Returns text.size()
  // when !more_follows.
  size_t run(std::string_view text, bool more_follows, bool continues_segment, Scratch& scratch,
             const Emit& emit) const;

 private:
  struct CompiledStep {
    PreTokenizerStep config;
    std::unique_ptr<Pcre2Regex> regex;  // Split's pattern, or GPT-2's for ByteLevel with use_regex
  };

  // Cuts text by one regex into pieces per behaviour; returns how much of text the pieces finalise.
  static size_t splitRanges(const Pcre2Regex& regex, SplitBehavior behavior, bool invert, std::string_view text,
                            bool more_follows, Scratch::Step& scratch);
  size_t runStep(size_t index, std::string_view text, bool more_follows, bool continues_segment,
                 Scratch& scratch, const Emit& emit) const;

  std::vector<CompiledStep> steps_;
};

}  // namespace folio::engine
