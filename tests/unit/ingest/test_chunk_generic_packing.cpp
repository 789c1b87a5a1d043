// Packing paragraphs counts the whole span a chunk will hold, blank lines between paragraphs and the
// overlap carried from the chunk before included: counted in parts, a packed chunk came out over the
// target and was cut again, leaving remainders of a line or two that win every search for their words
// (redis.conf had a 28-token chunk of its three last lines of a paragraph).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "unit/ingest/test_chunk_support.h"

namespace folio::ingest {
namespace {

const EstimatingTokenCounter kTokens;

// Every paragraph of `text` is under the target: every chunk must end where a paragraph ends (a blank
// line or the end follows), none inside one, and none is over the target.
void expectChunksEndAtParagraphEnds(const std::string& text, SourceKind kind) {
  const ExtractedText doc = test::textDoc(text);
  const ChunkOptions o;  // the defaults: target and overlap as ingest uses them
  const auto chunks = chunkGeneric(doc, kTokens, o, kind);
  test::expectProvenance(doc, chunks);
  ASSERT_GT(chunks.size(), 3u);
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    const size_t nl = text.find('\n', at);
    lines.push_back(text.substr(at, nl - at));
    at = nl == std::string::npos ? text.size() : nl + 1;
  }
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_LE(chunks[i].token_count, o.target_tokens) << i;
    const size_t next = static_cast<size_t>(chunks[i].line_last);  // 0-based index of the line after it
    EXPECT_TRUE(next >= lines.size() || lines[next].empty())
        << "chunk " << i << " of " << chunks.size() << " (lines " << chunks[i].line_first << "-"
        << chunks[i].line_last << ", " << chunks[i].token_count << " tokens) ends inside a paragraph";
  }
}

TEST(ChunkGenericPacking, ProseParagraphsFillChunksWithoutRemainders) {
  std::string text = "# Handbook\n\n";
  for (int i = 0; i < 200; ++i)
    text += "Paragraph " + std::to_string(i) + " explains one rule of the warehouse in a sentence or two.\n\n";
  expectChunksEndAtParagraphEnds(text, SourceKind::Markdown);
}

TEST(ChunkGenericPacking, ConfigCommentBlocksFillChunksWithoutRemainders) {
  std::string text;
  for (int i = 0; i < 150; ++i) {
    for (int k = 0; k < 3 + i % 7; ++k)
      text += "# When setting " + std::to_string(i) + " is enabled, the server waits in order to let more\n";
    text += "#\n# The delay is specified in seconds, and by default is " + std::to_string(i) + " seconds.\n";
    text += "setting-" + std::to_string(i) + "    " + std::to_string(i * 10) + "\n\n";
  }
  expectChunksEndAtParagraphEnds(text, SourceKind::Unknown);
}

TEST(ChunkGenericPacking, ParagraphsOfEverySizeEndChunksAtTheirEnds) {
  // Comment paragraphs of pseudo-random sizes up to just under the target: some land where the overlap
  // carried from the chunk before does not fit beside them.
  std::string text;
  uint32_t seed = 12345;
  for (int p = 0; p < 300; ++p) {
    seed = seed * 1103515245u + 12345u;
    const int want = 1 + static_cast<int>((seed >> 16) % (ChunkOptions{}.target_tokens - 8));
    std::string para;
    for (int line = 0;; ++line) {
      const std::string next = "# Line " + std::to_string(line) + " of setting " + std::to_string(p) + " says what it does.\n";
      if (line > 0 && kTokens.count(para + next) > want) break;
      para += next;
    }
    text += para + "setting-" + std::to_string(p) + " " + std::to_string(p * 3) + "\n\n";
  }
  expectChunksEndAtParagraphEnds(text, SourceKind::Unknown);
}

}  // namespace
}  // namespace folio::ingest
