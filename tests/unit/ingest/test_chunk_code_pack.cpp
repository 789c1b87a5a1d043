// Packing of neighbouring declarations: one chunk per declaration made a 100,000-file tree 598,797
// chunks, most of them a getter, a constant or an import of a few tokens.
#include <gtest/gtest.h>

#include <string>

#include "ingest/chunker.h"
#include "unit/ingest/test_chunk_support.h"

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::findByPath;
using test::textDoc;

const EstimatingTokenCounter kTokens;

std::vector<Chunk> bodyChunks(const std::vector<Chunk>& chunks) {
  std::vector<Chunk> out;
  for (const Chunk& c : chunks) {
    if (c.kind != ChunkKind::Outline) out.push_back(c);
  }
  return out;
}

// Chunks follow one another in the text without overlapping.
void expectInOrder(const std::vector<Chunk>& chunks) {
  int64_t end = 0;
  for (const Chunk& c : chunks) {
    EXPECT_GE(c.byte_begin, end) << c.text;
    end = c.byte_end;
  }
}

TEST(ChunkCodePack, SmallNeighboursShareAChunkAndNoneSpansALargeOne) {
  std::string src = "#include <a.h>\n#include <b.h>\n\n";  // lines 1-3
  for (int i = 0; i < 40; ++i) src += "int get" + std::to_string(i) + "() { return " + std::to_string(i) + "; }\n";  // 4-43
  src += "int huge() {\n";                                                                  // 44
  for (int i = 0; i < 400; ++i) src += "  x += " + std::to_string(i) + ";\n";             // 45-444
  src += "}\n";                                                                             // 445
  for (int i = 0; i < 3; ++i) src += "int tail" + std::to_string(i) + "() { return 0; }\n";  // 446-448
  const ExtractedText doc = textDoc(src);
  const auto chunks = bodyChunks(chunkCode(doc, "cpp", kTokens));
  expectProvenance(doc, chunks);
  expectInOrder(chunks);

  const Chunk* getters = findByPath(chunks, {"get0 … get39 (40 declarations)"});
  ASSERT_NE(getters, nullptr);
  EXPECT_EQ(getters->kind, ChunkKind::Function);
  EXPECT_EQ(getters->line_first, 1);  // the includes above the first declaration come with it
  EXPECT_EQ(getters->line_last, 43);

  int huge_parts = 0, last_line = 43;
  for (const Chunk& c : chunks) {
    EXPECT_LE(c.token_count, 512) << c.text;
    if (c.heading_path != std::vector<std::string>{"huge"}) continue;
    EXPECT_EQ(c.line_first, last_line + 1);
    last_line = c.line_last;
    ++huge_parts;
  }
  EXPECT_GT(huge_parts, 1);
  EXPECT_EQ(last_line, 445);

  const Chunk* tail = findByPath(chunks, {"tail0, tail1, tail2"});
  ASSERT_NE(tail, nullptr);
  EXPECT_EQ(tail->line_first, 446);
  EXPECT_EQ(tail->line_last, 448);
  EXPECT_EQ(chunks.size(), static_cast<size_t>(huge_parts + 2));
}

TEST(ChunkCodePack, MembersOfAClassOverTheTargetArePackedUnderTheClass) {
  std::string src = "class Big {\n public:\n";  // 1-2
  src += "  int a() const { return a_; }\n  int b() const { return b_; }\n";  // 3-4
  src += "  void run() {\n";                                                  // 5
  for (int i = 0; i < 60; ++i) src += "    step(" + std::to_string(i) + ");\n";  // 6-65
  src += "  }\n  int c() const { return c_; }\n  int alpha_, beta_, gamma_, delta_;\n};\n";  // 66-69
  const ExtractedText doc = textDoc(src);
  ChunkOptions options;
  options.target_tokens = 200;
  const auto chunks = bodyChunks(chunkCode(doc, "cpp", kTokens, options));
  expectProvenance(doc, chunks);
  expectInOrder(chunks);
  const Chunk* ab = findByPath(chunks, {"class Big", "a, b"});
  ASSERT_NE(ab, nullptr);
  EXPECT_EQ(ab->line_first, 3);  // "class Big {" and "public:" are too small for a chunk of their own
  EXPECT_EQ(ab->line_last, 4);
  const Chunk* c = findByPath(chunks, {"class Big", "c"});
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->line_first, 67);
  EXPECT_EQ(c->line_last, 69);  // the fields and the closing brace after it
  for (const Chunk& k : chunks) {
    EXPECT_EQ(k.heading_path.at(0), "class Big");
    EXPECT_LE(k.token_count, 200);
  }
}

TEST(ChunkCodePack, PythonImportsAndSmallFunctionsShareAChunk) {
  const ExtractedText doc = textDoc(
      "import os\n"          // 1
      "import sys\n"         // 2
      "\n"                   // 3
      "LIMIT = 10\n"         // 4
      "\n"                   // 5
      "def a():\n"           // 6
      "    return 1\n"       // 7
      "\n"                   // 8
      "class B:\n"           // 9
      "    def m(self):\n"   // 10
      "        return 2\n");  // 11
  const auto chunks = bodyChunks(chunkCode(doc, "python", kTokens));
  expectProvenance(doc, chunks);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].heading_path, std::vector<std::string>{"a, class B"});
  EXPECT_EQ(chunks[0].line_first, 1);
  EXPECT_EQ(chunks[0].line_last, 11);
}

// The shape of the minified bundle that never finished ingesting (one line of 27-byte declarations):
// one chunk per declaration gave 73,704 chunks of 8 tokens for 1.99 MB.
TEST(ChunkCodePack, MinifiedOneLineBundleIsPackedToTheTarget) {
  std::string js = "var a;";
  while (js.size() < 60000) js += "var b=function(){return 1};";
  const ExtractedText doc = textDoc(js);
  const auto chunks = bodyChunks(chunkCode(doc, "javascript", kTokens));
  expectProvenance(doc, chunks);
  expectInOrder(chunks);
  ASSERT_FALSE(chunks.empty());
  const size_t declarations = (js.size() - 6) / 27;
  EXPECT_LT(chunks.size(), declarations / 40);
  for (const Chunk& c : chunks) EXPECT_LE(c.token_count, 512);
  EXPECT_EQ(chunks.back().byte_end, static_cast<int64_t>(js.size()));
  EXPECT_EQ(chunks[0].heading_path.at(0).rfind("b … b (", 0), 0u) << chunks[0].heading_path.at(0);
}

// Counts like the estimate and adds up the bytes it was asked to count.
class MeteredCounter final : public TokenCounter {
 public:
  int count(std::string_view text) const override {
    bytes += static_cast<int64_t>(text.size());
    return kTokens.count(text);
  }
  mutable int64_t bytes = 0;
};

// One line of minified code that is no declaration (an IIFE) is cut into parts; each part counted the
// rest of the line again, so a 2 MB bundle took 8-14 s.
TEST(ChunkCodePack, LongLineIsCutWithoutCountingTheRestOfItForEachPart) {
  std::string js = "!function(){";
  while (js.size() < 400000) js += "a.b(c,d);";
  js += "}();";
  const ExtractedText doc = textDoc(js);
  MeteredCounter metered;
  const auto chunks = bodyChunks(chunkCode(doc, "javascript", metered));
  expectProvenance(doc, chunks);
  expectInOrder(chunks);
  EXPECT_GT(chunks.size(), 100u);
  EXPECT_LT(metered.bytes, 10 * static_cast<int64_t>(js.size()));
}

}  // namespace
}  // namespace folio::ingest
