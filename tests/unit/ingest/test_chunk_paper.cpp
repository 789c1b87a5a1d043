#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "unit/ingest/test_chunk_support.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::findByPath;

const EstimatingTokenCounter kTokens;

ExtractedText paper() {
  auto r = extractDocument(fs::path(FOLIO_RESOURCES_DIR) / "samples/papers/decay-gated-retrieval.pdf",
                           SourceType{SourceKind::Pdf, ""});
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : ExtractedText{};
}

TEST(ChunkPaper, SamplePaperStructure) {
  const ExtractedText doc = paper();
  EXPECT_EQ(classifyText(doc.text), TextGenre::Paper);
  const auto chunks = chunkDocument(doc, SourceType{SourceKind::Pdf, ""}, kTokens);
  expectProvenance(doc, chunks);
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks[0].heading_path, std::vector<std::string>{"Decay-Gated Linear Attention for Long-Document Retrieval"});
  const Chunk* abstract = findByPath(chunks, {"Abstract"});
  ASSERT_NE(abstract, nullptr);
  EXPECT_EQ(abstract->kind, ChunkKind::Abstract);
  EXPECT_EQ(abstract->page_first, 1);
  const Chunk* intro = findByPath(chunks, {"1. Introduction"});
  ASSERT_NE(intro, nullptr);
  EXPECT_EQ(intro->kind, ChunkKind::Section);
  const Chunk* sub = findByPath(chunks, {"2. Background", "2.2 Linear attention with decay"});
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->page_first, 1);
  EXPECT_EQ(sub->page_last, 2);  // continues on the next page
  const Chunk* refs = findByPath(chunks, {"References"});
  ASSERT_NE(refs, nullptr);
  EXPECT_EQ(refs->kind, ChunkKind::References);
  EXPECT_EQ(refs->page_first, 3);
  EXPECT_NE(refs->text.find("[1] A. Vaswani"), std::string::npos);
  EXPECT_NE(findByPath(chunks, {"7. Conclusion"}), nullptr);
}

TEST(ChunkPaper, ReferencesSplitAtEntriesAndNamedSections) {
  ExtractedText doc;
  doc.text = "A Title\n\nAbstract\nWe do things.\n\nIntroduction\nText [1].\n\nReferences\n";
  for (int i = 1; i <= 40; ++i) doc.text += "[" + std::to_string(i) + "] Author " + std::to_string(i) + ". A long title of a paper. Venue, 2020.\n";
  ChunkOptions small;
  small.target_tokens = 60;
  const auto chunks = chunkPaper(doc, kTokens, small);
  expectProvenance(doc, chunks);
  ASSERT_NE(findByPath(chunks, {"Introduction"}), nullptr);
  int refs = 0;
  for (const Chunk& c : chunks) {
    if (c.kind != ChunkKind::References) continue;
    ++refs;
    EXPECT_LE(c.token_count, 60);
    if (refs > 1) {
      EXPECT_EQ(c.text.front(), '[');  // parts start at an entry
    }
  }
  EXPECT_GT(refs, 3);
}

}  // namespace
}  // namespace folio::ingest
