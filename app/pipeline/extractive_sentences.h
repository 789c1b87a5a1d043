// The sentences an extractive summary chooses from. Chunk text is read line by line: headings
// (Markdown "#" lines and setext underlines; ALL-CAPS lines; short numbered or title-case lines that
// open a paragraph and end no sentence, such as "ARTICLE 6. CONFIDENTIALITY" or "6.1 Confidential
// Information"), table rows and fenced code lines are units of their own, in a lower tier than prose;
// the prose between them is split into sentences with its Markdown markup (list bullets, emphasis,
// links, inline code) removed. A fragment of fewer than kMinSentenceWords words is weak too, and so is
// a first sentence that starts in lower case (a chunk cut in the middle of a sentence: its start is in
// the chunk before). Plain prose comes back as splitSentences gives it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace folio::app {

// What a sentence is, best first: a summary takes sentences of the best tier its texts hold.
enum class SentenceTier {
  Prose,
  Weak,  // a heading, a table row, a fragment (or the tail of a sentence a chunk starts in the middle of)
  Code,  // a line of a fenced code block
};

struct Sentence {
  std::string text;
  SentenceTier tier = SentenceTier::Prose;
};

inline constexpr int kMinSentenceWords = 4;

// Split at . ! ? and blank lines (clause numbers such as "10.2" are not sentence ends), whitespace
// collapsed to single spaces.
std::vector<std::string> splitSentences(std::string_view text);

std::vector<Sentence> summarySentences(std::string_view text);

// One line of prose without its Markdown markup: a leading quote marker, list bullet or task box;
// **strong**, *emphasis*, __strong__, _emphasis_ and ~~struck~~ markers; [text](url), [text][ref] and
// ![alt](url) become their text; `code` loses its backticks; <https://...> its angle brackets; "\*" is
// "*". Text without markup comes back unchanged but for surrounding spaces ("a * b", "max_tokens", "[1]").
std::string stripMarkdown(std::string_view line);

}  // namespace folio::app
