// The OLE compound file reader against files written by tests/support/compound_file_writer (itself
// checked against olefile), at both sector sizes, and against damaged files.
#include <gtest/gtest.h>

#include <string>

#include "ingest/ole/compound_file.h"
#include "tests/support/compound_file_writer.h"
#include "tests/support/little_endian.h"

namespace folio::ingest::ole {
namespace {

using test::CfbNode;

std::string pattern(size_t n, int seed) {
  std::string s(n, '\0');
  uint32_t x = 2463534242u + static_cast<uint32_t>(seed);
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return s;
}

const auto put32 = folio::test::put32le;

class CompoundFileVersions : public ::testing::TestWithParam<int> {};

TEST_P(CompoundFileVersions, StreamsOfEverySizeReadBackInTheirStorages) {
  // Sizes on both sides of the 64-byte mini sector, the 4,096-byte mini stream cutoff and a sector.
  const std::vector<size_t> sizes = {0, 1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 100003};
  std::vector<CfbNode> inner;
  for (size_t i = 0; i < sizes.size(); ++i) inner.push_back(CfbNode::stream(std::to_string(sizes[i]).insert(0, 1, 's'), pattern(sizes[i], static_cast<int>(i))));
  const std::string bytes = test::compoundFileBytes(
      {CfbNode::stream("WordDocument", pattern(5000, 99)), CfbNode::folder("Inner", {CfbNode::folder("Deeper", inner)}),
       CfbNode::stream("\x01" "CompObj", "x")},
      GetParam());
  auto file = CompoundFile::open(bytes, "t.doc");
  ASSERT_TRUE(file.ok()) << file.error().message;
  for (size_t i = 0; i < sizes.size(); ++i) {
    auto s = file->readPath(std::string("inner/DEEPER/s").append(std::to_string(sizes[i])), 1 << 20);  // names ignore case
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(s->has_value()) << sizes[i];
    EXPECT_EQ(**s, pattern(sizes[i], static_cast<int>(i))) << sizes[i];
  }
  auto top = file->children(CompoundFile::kRoot);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].name, "Inner");  // the format's order: by length, then name
  EXPECT_TRUE(top[0].storage);
  EXPECT_EQ(top[1].name, "\x01" "CompObj");
  EXPECT_EQ(top[2].name, "WordDocument");
  EXPECT_EQ(top[2].size, 5000u);
  EXPECT_EQ(file->children(top[0].id).size(), 1u);
  auto deeper = file->find("Inner/Deeper");
  ASSERT_TRUE(deeper.has_value());
  EXPECT_EQ(file->children(deeper->id).size(), sizes.size());
  auto missing = file->readPath("Inner/nothing", 100);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

INSTANTIATE_TEST_SUITE_P(SectorSizes, CompoundFileVersions, ::testing::Values(3, 4));

TEST(CompoundFile, AFileWithMoreAllocationSectorsThanTheHeaderListsIsRead) {
  // 109 allocation sectors cover 109 * 128 * 512 bytes = 6.8 MiB; past that DIFAT sectors list them.
  const std::string big = pattern(8u << 20, 7);
  const std::string bytes = test::compoundFileBytes({CfbNode::stream("big", big), CfbNode::stream("small", "tail")});
  auto file = CompoundFile::open(bytes, "big.msg");
  ASSERT_TRUE(file.ok()) << file.error().message;
  auto s = file->readPath("big", 16u << 20);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_TRUE(**s == big);
  EXPECT_EQ(*file->readPath("small", 100).value(), "tail");
}

TEST(CompoundFile, AStreamLargerThanTheBoundIsRefusedWithItsName) {
  const std::string bytes = test::compoundFileBytes({CfbNode::stream("Attachment", pattern(10000, 1))});
  auto file = CompoundFile::open(bytes, "m.msg");
  ASSERT_TRUE(file.ok());
  auto s = file->readPath("Attachment", 9999);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("m.msg: stream \"Attachment\" is 10000 bytes"), std::string::npos) << s.error().message;
}

TEST(CompoundFile, DamagedFilesFailWithAReason) {
  const std::string good = test::compoundFileBytes({CfbNode::stream("a", pattern(20000, 1)), CfbNode::stream("b", "bee")});
  EXPECT_FALSE(CompoundFile::open("PK\x03\x04 not ole", "x.doc").ok());
  EXPECT_FALSE(CompoundFile::open(good.substr(0, 512), "x.doc").ok());

  // A stream whose chain starts at a sector past the end of the file: reading it fails, naming it.
  {
    auto file = CompoundFile::open(good, "x.doc");
    ASSERT_TRUE(file.ok());
    auto a = file->find("a");
    ASSERT_TRUE(a.has_value());
    std::string bad = good;
    const auto dir_start = static_cast<uint32_t>(static_cast<unsigned char>(good[48]) | static_cast<unsigned char>(good[49]) << 8);
    const size_t entry = (dir_start + 1) * 512 + a->id * 128;
    put32(bad, entry + 116, 100000);
    auto damaged = CompoundFile::open(bad, "x.doc");
    ASSERT_TRUE(damaged.ok());
    auto s = damaged->readPath("a", 1 << 20);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message.find("stream \"a\""), std::string::npos) << s.error().message;
  }
  // A chain that loops on itself: the first FAT sector's entry 0 pointing at 0.
  {
    std::string bad = good;
    const auto fat0 = static_cast<uint32_t>(static_cast<unsigned char>(good[76]) | static_cast<unsigned char>(good[77]) << 8);
    put32(bad, (fat0 + 1) * 512, 0);
    auto damaged = CompoundFile::open(bad, "x.doc");
    ASSERT_TRUE(damaged.ok());
    auto s = damaged->readPath("a", 1 << 20);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message.find("loops"), std::string::npos) << s.error().message;
  }
  // A directory whose sibling links point back up: listing ends.
  {
    std::string bad = good;
    const auto dir_start = static_cast<uint32_t>(static_cast<unsigned char>(good[48]) | static_cast<unsigned char>(good[49]) << 8);
    for (uint32_t id = 1; id <= 2; ++id) {
      put32(bad, (dir_start + 1) * 512 + id * 128 + 68, 0);
      put32(bad, (dir_start + 1) * 512 + id * 128 + 72, 1);
    }
    auto damaged = CompoundFile::open(bad, "x.doc");
    ASSERT_TRUE(damaged.ok());
    EXPECT_LE(damaged->children(CompoundFile::kRoot).size(), 2u);
  }
}

}  // namespace
}  // namespace folio::ingest::ole
