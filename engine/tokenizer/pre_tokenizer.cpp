#include "engine/tokenizer/pre_tokenizer.h"

#include "engine/tokenizer/utf8.h"

namespace folio::engine {
namespace {

// Where to search after an empty match at pos: past one character (or one invalid byte).
size_t afterEmptyMatch(std::string_view text, size_t pos) {
  const size_t n = utf8::validSequenceLength(text, pos);
  return pos + (n == 0 ? 1 : n);
}

// Hugging Face's SplitDelimiterBehavior over the splits (matches and the gaps between them). Whether two
// neighbouring splits join depends only on their two flags, as in tokenizers' normalizer.rs.
void applyBehavior(SplitBehavior behavior, const std::vector<PreTokenizer::Range>& splits,
                   std::vector<PreTokenizer::Range>& pieces) {
  pieces.clear();
  bool previous_delimiter = false;
  for (size_t i = 0; i < splits.size(); ++i) {
    const PreTokenizer::Range& s = splits[i];
    bool join = false;
    switch (behavior) {
      case SplitBehavior::Removed:
        if (s.delimiter) continue;
        break;
      case SplitBehavior::Isolated:
        break;
      case SplitBehavior::MergedWithPrevious:
        join = s.delimiter && !previous_delimiter;
        break;
      case SplitBehavior::MergedWithNext:
        // A delimiter joins the split after it unless that one is a delimiter too.
        join = i > 0 && !s.delimiter && splits[i - 1].delimiter;
        break;
      case SplitBehavior::Contiguous:
        join = i > 0 && s.delimiter == previous_delimiter;
        break;
    }
    previous_delimiter = s.delimiter;
    if (join && !pieces.empty()) {
      pieces.back().end = s.end;
    } else {
      pieces.push_back({s.begin, s.end, s.delimiter});
    }
  }
}

}  // namespace

PreTokenizer::Scratch::Scratch(const PreTokenizer& pre) : steps_(pre.steps_.size()) {
  for (size_t i = 0; i < pre.steps_.size(); ++i) {
    if (pre.steps_[i].regex) steps_[i].match = std::make_unique<Pcre2Regex::Scratch>(*pre.steps_[i].regex);
  }
}

Result<PreTokenizer> PreTokenizer::create(const PreTokenizerConfig& config) {
  PreTokenizer pre;
  bool byte_level_seen = false;
  for (size_t i = 0; i < config.steps.size(); ++i) {
    const PreTokenizerStep& step = config.steps[i];
    const std::string where = "pre_tokenizer step " + std::to_string(i);
    if (byte_level_seen) {
      return Error{ErrorKind::Unsupported,
                   where + ": a step after ByteLevel is not supported (it would see byte-level characters)"};
    }
    CompiledStep compiled{step, nullptr};
    if (step.kind == PreTokenizerStep::Kind::ByteLevel) {
      byte_level_seen = true;
      if (step.use_regex) {
        auto regex = Pcre2Regex::compile(kGpt2Pattern);
        FOLIO_CHECK_MSG(regex.ok(), "GPT-2 pattern must compile");
        compiled.regex = std::make_unique<Pcre2Regex>(std::move(regex).value());
      }
    } else {
      auto regex = step.pattern_is_regex ? Pcre2Regex::compile(step.pattern) : Pcre2Regex::literal(step.pattern);
      if (!regex.ok()) return regex.error().context(where + " (Split pattern)");
      compiled.regex = std::make_unique<Pcre2Regex>(std::move(regex).value());
    }
    pre.steps_.push_back(std::move(compiled));
  }
  if (!byte_level_seen) {
    return Error{ErrorKind::Unsupported,
                 "pre_tokenizer: no ByteLevel step; only byte-level BPE tokenizers are supported"};
  }
  return pre;
}

size_t PreTokenizer::splitRanges(const Pcre2Regex& regex, SplitBehavior behavior, bool invert, std::string_view text,
                                 bool more_follows, Scratch::Step& scratch) {
  std::vector<Range>& splits = scratch.splits;
  splits.clear();
  size_t from = 0, previous_end = 0;
  while (from <= text.size()) {
    const Pcre2Regex::Found found = regex.find(text, from, more_follows, *scratch.match);
    if (found.outcome != Pcre2Regex::Outcome::Match) break;
    if (found.start > previous_end) splits.push_back({previous_end, found.start, false});
    if (found.end > found.start) splits.push_back({found.start, found.end, true});
    previous_end = found.end;
    if (found.end == text.size()) break;
    from = found.end > found.start ? found.end : afterEmptyMatch(text, found.end);
  }
  // The gap after the last match is final only when the text is complete.
  if (!more_follows && previous_end < text.size()) splits.push_back({previous_end, text.size(), false});
  if (invert) {
    for (Range& s : splits) s.delimiter = !s.delimiter;
  }
  applyBehavior(behavior, splits, scratch.pieces);
  if (!more_follows) return text.size();
  if (splits.empty()) {
    scratch.pieces.clear();
    return 0;
  }
  // The last split may still join whatever comes next: keep the piece holding it for the next call.
  size_t cut = splits.back().begin;
  for (const Range& p : scratch.pieces) {
    if (p.end > cut) cut = std::min(cut, p.begin);
  }
  while (!scratch.pieces.empty() && scratch.pieces.back().end > cut) scratch.pieces.pop_back();
  return cut;
}

size_t PreTokenizer::run(std::string_view text, bool more_follows, bool continues_segment, Scratch& scratch,
                         const Emit& emit) const {
  return runStep(0, text, more_follows, continues_segment, scratch, emit);
}

size_t PreTokenizer::runStep(size_t index, std::string_view text, bool more_follows, bool continues_segment,
                             Scratch& scratch, const Emit& emit) const {
  if (index == steps_.size()) {
    if (more_follows) return 0;  // an unsplit piece is final only when the text is complete
    emit(text);
    return text.size();
  }
  const CompiledStep& step = steps_[index];
  Scratch::Step& local = scratch.steps_[index];
  std::string_view subject = text;
  bool prefixed = false;
  if (step.config.kind == PreTokenizerStep::Kind::ByteLevel) {
    // Hugging Face adds the space to every non-empty piece that does not start with one.
    prefixed = step.config.add_prefix_space && !continues_segment && !text.empty() && text.front() != ' ';
    if (prefixed) {
      local.prefixed.assign(1, ' ');
      local.prefixed.append(text);
      subject = local.prefixed;
    }
    if (!step.regex) {
      const size_t done = runStep(index + 1, subject, more_follows, false, scratch, emit);
      return prefixed && done > 0 ? done - 1 : done;
    }
  }
  const SplitBehavior behavior =
      step.config.kind == PreTokenizerStep::Kind::ByteLevel ? SplitBehavior::Isolated : step.config.behavior;
  const bool invert = step.config.kind == PreTokenizerStep::Kind::Split && step.config.invert;
  size_t cut = splitRanges(*step.regex, behavior, invert, subject, more_follows, local);
  // Committing only the prefix space would make the next call add it again: commit nothing instead.
  if (prefixed && cut == 1) {
    cut = 0;
    local.pieces.clear();
  }
  // Deeper steps have their own scratch, so local.pieces stays intact while they run.
  for (const Range& p : local.pieces) {
    runStep(index + 1, subject.substr(p.begin, p.end - p.begin), false, false, scratch, emit);
  }
  return prefixed && cut > 0 ? cut - 1 : cut;
}

}  // namespace folio::engine
