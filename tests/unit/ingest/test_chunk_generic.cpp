#include <gtest/gtest.h>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "unit/ingest/test_chunk_support.h"

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::findByPath;
using test::textDoc;

const EstimatingTokenCounter kTokens;

TEST(ChunkGeneric, MarkdownHeadingsGiveThePath) {
  const ExtractedText doc = textDoc(
      "# Guide\nIntro text.\n\n## Install\nRun it.\n\n```\n# not a heading\n\nstill code\n```\n\nSetext\n------\nBody.\n");
  const auto chunks = chunkDocument(doc, SourceType{SourceKind::Markdown, ""}, kTokens);
  expectProvenance(doc, chunks);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].heading_path, std::vector<std::string>{"Guide"});
  EXPECT_EQ(chunks[1].heading_path, (std::vector<std::string>{"Guide", "Install"}));
  EXPECT_NE(chunks[1].text.find("still code"), std::string::npos);
  EXPECT_EQ(chunks[2].heading_path, (std::vector<std::string>{"Guide", "Setext"}));
  EXPECT_EQ(chunks[2].line_first, 13);
  EXPECT_EQ(chunks[2].kind, ChunkKind::Section);
}

TEST(ChunkGeneric, PacksParagraphsWithOverlap) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "Paragraph " + std::to_string(i) + " has a handful of words in it.\n\n";
  const ExtractedText doc = textDoc(text);
  ChunkOptions o;
  o.target_tokens = 60;
  o.overlap_tokens = 12;
  const auto chunks = chunkGeneric(doc, kTokens, o);
  expectProvenance(doc, chunks);
  ASSERT_GT(chunks.size(), 5u);
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_LE(chunks[i].token_count, 60);
    EXPECT_EQ(chunks[i].kind, ChunkKind::Paragraph);
    if (i > 0) {
      EXPECT_LT(chunks[i].byte_begin, chunks[i - 1].byte_end);  // overlaps the previous chunk
      EXPECT_GT(chunks[i].byte_end, chunks[i - 1].byte_end);    // and moves forward
    }
  }
  EXPECT_EQ(chunks.back().byte_end, static_cast<int64_t>(text.size() - 2));
}

TEST(ChunkGeneric, HugeParagraphAndHugeLineAreSplit) {
  const std::string line(20000, 'x');
  const ExtractedText doc = textDoc("Title\n=====\n" + line + "\n");
  const auto chunks = chunkGeneric(doc, kTokens);
  expectProvenance(doc, chunks);
  ASSERT_GT(chunks.size(), 5u);
  for (const Chunk& c : chunks) EXPECT_LE(c.token_count, 512);
}

TEST(ChunkGeneric, HtmlHeadingsAndPages) {
  auto html = extractBytes("<h1>Top</h1><p>one</p><h2>Sub</h2><p>two</p>", SourceType{SourceKind::Html, ""}, "x.html");
  ASSERT_TRUE(html.ok());
  const auto chunks = chunkDocument(*html, SourceType{SourceKind::Html, ""}, kTokens);
  expectProvenance(*html, chunks);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[1].heading_path, (std::vector<std::string>{"Top", "Sub"}));

  ExtractedText paged;
  paged.text = "first page words\nmore\nsecond page words\n";
  paged.page_starts = {0, 22};
  EXPECT_EQ(classifyText(paged.text), TextGenre::Generic);
  const auto pc = chunkDocument(paged, SourceType{SourceKind::Pdf, ""}, kTokens);
  expectProvenance(paged, pc);
  ASSERT_EQ(pc.size(), 1u);
  EXPECT_EQ(pc[0].page_first, 1);
  EXPECT_EQ(pc[0].page_last, 2);
  EXPECT_EQ(pc[0].line_last, 1);
}

TEST(ChunkGeneric, EmptyAndBlankDocuments) {
  EXPECT_TRUE(chunkGeneric(textDoc(""), kTokens).empty());
  EXPECT_TRUE(chunkGeneric(textDoc("\n\n  \n"), kTokens).empty());
  EXPECT_TRUE(chunkCode(textDoc(""), "cpp", kTokens).empty());
  EXPECT_TRUE(chunkLegal(textDoc(""), kTokens).empty());
  EXPECT_TRUE(chunkPaper(textDoc(""), kTokens).empty());
}

}  // namespace
}  // namespace folio::ingest
