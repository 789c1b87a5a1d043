// Contracts from text, HTML and Word exports hold each clause's paragraph on one line. A line over 400
// bytes was never taken for a heading, so a long clause ran into the one before it: "184.5 The Supplier
// shall pay liquidated damages ..." was cited as clause 184.4.
#include <gtest/gtest.h>

#include <string>

#include "ingest/chunker.h"
#include "unit/ingest/test_chunk_support.h"

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::findByPath;

const EstimatingTokenCounter kTokens;

std::string filler(int sentences) {
  std::string s;
  for (int i = 0; i < sentences; ++i) s += " The Supplier shall keep records of each delivery made under this Agreement.";
  return s;
}

TEST(ChunkLegalLongLines, AClauseOnOneLongLineIsItsOwnChunk) {
  const std::string text = "MASTER SERVICES AGREEMENT\n\nARTICLE 4. DELIVERY\n\n4.1 Deliveries are made on working days." +
                           filler(2) + "\n\n4.2 The Supplier shall pay liquidated damages of 4,200 dollars." + filler(8) +
                           "\n\n4.3 Title passes on delivery.\n";
  ASSERT_GT(text.find("\n\n4.3") - text.find("4.2 The"), 400u);  // the clause's line is over 400 bytes
  const ExtractedText doc = test::textDoc(text);
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  const Chunk* c42 = findByPath(chunks, {"ARTICLE 4. DELIVERY", "4.2"});
  ASSERT_NE(c42, nullptr);
  EXPECT_EQ(c42->text.rfind("4.2 The Supplier shall pay liquidated damages", 0), 0u) << c42->text;
  EXPECT_EQ(c42->line_first, 7);
  const Chunk* c41 = findByPath(chunks, {"ARTICLE 4. DELIVERY", "4.1"});
  ASSERT_NE(c41, nullptr);
  EXPECT_EQ(c41->text.find("liquidated"), std::string::npos) << c41->text;
  ASSERT_NE(findByPath(chunks, {"ARTICLE 4. DELIVERY", "4.3"}), nullptr);
}

TEST(ChunkLegalLongLines, ALongLineIsNoTitleAndAWrappedReferenceStaysInItsClause) {
  // A long paragraph starting "5. The ..." opens clause 5 but gives no article title; a long line after
  // "under clause" continues the sentence even when it starts with a number.
  const std::string text = "ARTICLE 4. DELIVERY\n\n4.1 Goods are delivered as agreed under clause\n4.2 of the order" +
                           filler(7) + "\n\n4.2 Risk passes on delivery.\n";
  const ExtractedText doc = test::textDoc(text);
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  const Chunk* c41 = findByPath(chunks, {"ARTICLE 4. DELIVERY", "4.1"});
  ASSERT_NE(c41, nullptr);
  EXPECT_NE(c41->text.find("4.2 of the order"), std::string::npos) << c41->text;
  const Chunk* c42 = findByPath(chunks, {"ARTICLE 4. DELIVERY", "4.2"});
  ASSERT_NE(c42, nullptr);
  EXPECT_EQ(c42->text.rfind("4.2 Risk passes", 0), 0u) << c42->text;
}

}  // namespace
}  // namespace folio::ingest
