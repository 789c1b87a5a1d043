// XXH64 against published test vectors, and the hex form stored in documents.content_hash.
#include <gtest/gtest.h>

#include <string>

#include "ingest/content_hash.h"

using namespace folio::ingest;

TEST(ContentHash, MatchesXxh64Vectors) {
  EXPECT_EQ(xxh64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(xxh64("a"), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(xxh64("abc"), 0x44BC2CF5AD770999ULL);
  EXPECT_EQ(xxh64("The quick brown fox jumps over the lazy dog"), 0x0B242D361FDA71BCULL);
}

TEST(ContentHash, HexIsSixteenDigitsAndSensitiveToEveryByte) {
  EXPECT_EQ(hashToHex(0xEF46DB3751D8E999ULL), "ef46db3751d8e999");
  EXPECT_EQ(hashToHex(1), "0000000000000001");
  std::string text(1000, 'x');
  const std::string base = contentHashHex(text);
  EXPECT_EQ(base.size(), 16u);
  for (size_t i : {0u, 31u, 32u, 500u, 996u, 999u}) {
    std::string changed = text;
    changed[i] = 'y';
    EXPECT_NE(contentHashHex(changed), base) << i;
  }
}
