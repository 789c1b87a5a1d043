// Outlook 2013+ offline stores (.ost, wVer 36): 4 KiB B-tree pages with 2-byte counts, blocks of up to
// 64 KiB in steps of 512 bytes, deflated blocks and wider HIDs — written by tests/support/pst_writer and
// read as the Unicode store of the same messages reads (checked against readpst and pffexport:
// tools/pst/compare_pst.py); damaged deflated blocks, absurd sizes and truncated pages.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/content_hash.h"
#include "ingest/extract.h"
#include "ingest/library/search.h"
#include "ingest/mail/pst_extract.h"
#include "ingest/mail/pst_header.h"
#include "ingest/mail/pst_le.h"
#include "support/msg_writer.h"
#include "support/pst_writer.h"
#include "unit/ingest/pst_test_store.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using namespace folio::ingest::mail;
using folio::test::makePst;
using folio::test::PstFolderSpec;
using folio::test::PstMessageSpec;
using folio::test::PstWriterOptions;

namespace {

PstMessageSpec message(const std::string& subject, int day, const std::string& body) {
  return folio::ingest::test::pstTestMessage(subject, day, body);
}

std::string memo(size_t bytes) {
  std::string body;
  for (int i = 0; body.size() < bytes; ++i) body += "Line " + std::to_string(i) + " of the memorandum.\n";
  return body;
}

// Folders, subfolders, HTML and plain bodies, a body of several blocks, attachments (files, and an
// attached message with a file of its own), an appointment with named properties.
std::vector<PstFolderSpec> folders() {
  // 300,000 bytes of UTF-16 in the lease message: an XBLOCK of 5 blocks
  std::vector<PstFolderSpec> out = folio::ingest::test::pstTestFolders(memo(150000));
  PstFolderSpec calendar{"Calendar", {}, {}};
  PstMessageSpec meeting = message("Meeting with Acme", 4, "Agenda: the SPA's indemnities.");
  meeting.message_class = "IPM.Appointment";
  const std::string appointment = "00062002-0000-0000-C000-000000000046";
  meeting.props = {folio::test::pstTime(appointment, 0x820D, folio::test::fileTime(2026, 3, 5, 14, 0)),
                   folio::test::pstTime(appointment, 0x820E, folio::test::fileTime(2026, 3, 5, 15, 30)),
                   folio::test::pstText(appointment, 0x8208, "Acme HQ, Room 401")};
  calendar.messages = {meeting};
  out.push_back(calendar);
  return out;
}

PstWriterOptions page4k() {
  PstWriterOptions o;
  o.page4k = true;
  return o;
}

folio::Result<ExtractedText> readStore(const std::string& bytes) { return folio::ingest::test::readPstStore(bytes, "store.ost"); }

// The block B-tree's leaf entries of a 4 KiB-page store: (bid, ib, stored size, inflated size), and the
// offset of each entry in the file.
struct BbtEntry {
  uint64_t bid, ib;
  uint16_t cb, inflated;
  size_t at;
};
std::vector<BbtEntry> blocks(const std::string& store, int* levels = nullptr) {
  std::vector<BbtEntry> out;
  int deepest = 0;
  auto walk = [&](auto&& self, uint64_t page, int depth) -> void {
    const size_t count = le16(store, page + 4056), entry = static_cast<uint8_t>(store[page + 4060]);
    const int level = static_cast<uint8_t>(store[page + 4061]);
    deepest = std::max(deepest, depth + 1);
    for (size_t i = 0; i < count; ++i) {
      const size_t at = page + i * entry;
      if (level > 0) self(self, le64(store, at + 16), depth + 1);
      else out.push_back({le64(store, at), le64(store, at + 8), le16(store, at + 16), le16(store, at + 18), at});
    }
  };
  walk(walk, le64(store, 240), 0);
  if (levels != nullptr) *levels = deepest;
  return out;
}

int nbtLevels(const std::string& store) {
  int levels = 0;
  for (uint64_t page = le64(store, 224);; page = le64(store, page + 16)) {
    ++levels;
    if (store[page + 4061] == 0) return levels;
  }
}

}  // namespace

TEST(Pst4k, TheHeaderSaysWhichFormat) {
  const std::string store = makePst(folders(), page4k());
  EXPECT_EQ(le16(store, 10), 36);  // wVer
  EXPECT_EQ(store.substr(8, 2), "SO");  // an offline store
  auto header = readPstHeader(MemoryPstSource(store), "a.ost");
  ASSERT_TRUE(header) << header.error().message;
  EXPECT_TRUE(header->page4k);
  EXPECT_TRUE(header->unicode);
  EXPECT_TRUE(header->ost);
  EXPECT_EQ(header->pageSize(), 4096u);
  EXPECT_EQ(header->maxBlockData(), 65512u);

  std::string later = store;
  later[10] = 37;
  auto refused = readPstHeader(MemoryPstSource(later), "b.ost");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, folio::ErrorKind::Unsupported);
  EXPECT_NE(refused.error().message.find("b.ost: Outlook data file version 37 is not read"), std::string::npos)
      << refused.error().message;
}

TEST(Pst4k, AStoreReadsAsTheUnicodeStoreOfTheSameMessages) {
  auto unicode = readStore(makePst(folders()));
  ASSERT_TRUE(unicode) << unicode.error().message;
  ASSERT_EQ(unicode->page_starts.size(), 6u);
  struct Variant {
    const char* what;
    PstWriterOptions options;
  };
  std::vector<Variant> variants;
  variants.push_back({"deflated", page4k()});
  PstWriterOptions o = page4k();
  o.permute = true;
  variants.push_back({"permute", o});
  o = page4k();
  o.crypt = PstCrypt::Cyclic;
  variants.push_back({"cyclic", o});
  o.scramble_after_compress = true;  // the deflated stream scrambled, not the data before it was deflated
  variants.push_back({"cyclic, scrambled after deflating", o});
  o = page4k();
  o.compress_internal = true;  // XBLOCKs and subnode blocks deflated too
  o.permute = true;
  variants.push_back({"internal blocks deflated", o});
  o = page4k();
  o.compress = false;
  variants.push_back({"stored", o});
  o = page4k();
  o.block_data = 512;  // heaps, values and tables over many blocks; an XXBLOCK for the long body
  o.page_entries = 4;  // B-trees of several levels
  o.permute = true;
  variants.push_back({"small blocks, deep B-trees", o});
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.what);
    const std::string store = makePst(folders(), v.options);
    auto text = readStore(store);
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(text->text, unicode->text);
    EXPECT_EQ(text->page_starts, unicode->page_starts);
    EXPECT_EQ(text->title, "Personal Folders");
    const auto all = blocks(store);
    size_t deflated = 0;
    for (const auto& b : all) deflated += b.cb != b.inflated ? 1 : 0;
    // Cyclic scrambling leaves nothing to deflate, unless the store deflates before it scrambles.
    const bool cyclic = v.options.crypt == PstCrypt::Cyclic && !v.options.scramble_after_compress;
    if (v.options.compress && !cyclic) {
      EXPECT_GT(deflated, all.size() / 2);
    } else if (!v.options.compress) {
      EXPECT_EQ(deflated, 0u);
    }
  }
  const std::string& t = unicode->text;
  EXPECT_NE(t.find("# Message 1 of 6: Inbox \u203A First\n"), std::string::npos);
  EXPECT_NE(t.find("Line 5000 of the memorandum."), std::string::npos);
  EXPECT_NE(t.find("---------- Attachment: lease.txt ----------\nThe tenant may end the lease early"), std::string::npos);
  EXPECT_NE(t.find("Side letter text: no break fee."), std::string::npos);
  EXPECT_NE(t.find("Where: Acme HQ, Room 401"), std::string::npos);
}

TEST(Pst4k, DeepTreesLargeValuesAndTablesSpanningBlocks) {
  PstFolderSpec big{"Archive", {}, {}};
  PstMessageSpec m = message("Memo", 1, memo(50000));
  std::string annex;
  for (int i = 0; annex.size() < 600000; ++i) annex += "Annex row " + std::to_string(i) + "\n";
  m.attachments.push_back({"annex.txt", "text/plain", annex, nullptr});  // 586 blocks of 1 KiB: an XXBLOCK
  big.messages.push_back(m);
  for (int i = 0; i < 300; ++i) big.messages.push_back(message("Note " + std::to_string(i), 2 + i % 20, "n"));
  PstWriterOptions o = page4k();
  o.block_data = 1024;   // the contents table's 301 rows in several blocks
  o.page_entries = 16;   // node and block B-trees of several levels
  const std::string store = makePst({big}, o);
  int levels = 0;
  blocks(store, &levels);
  EXPECT_GE(levels, 3);
  EXPECT_GE(nbtLevels(store), 2);
  auto text = readStore(store);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->page_starts.size(), 301u);
  EXPECT_NE(text->text.find("Line 1500 of the memorandum."), std::string::npos);
  EXPECT_NE(text->text.find("Annex row 38000\n"), std::string::npos);
  EXPECT_NE(text->text.find("# Message 301 of 301: Archive \u203A "), std::string::npos);
  EXPECT_EQ(text->text.find("could not be read"), std::string::npos);
}

TEST(Pst4k, ADamagedDeflatedBlockLeavesOutItsMessageAndTheRestIsRead) {
  const std::string store = makePst(folders(), page4k());
  // The long memo's blocks are the only ones that inflate to 65,512 bytes.
  std::vector<BbtEntry> memo_blocks;
  for (const auto& b : blocks(store))
    if (b.inflated == 65512 && b.cb < b.inflated) memo_blocks.push_back(b);
  ASSERT_FALSE(memo_blocks.empty());
  const BbtEntry& b = memo_blocks.front();
  std::string damaged = store;
  for (size_t i = b.cb / 2u; i < b.cb / 2u + 16; ++i) damaged[b.ib + i] = static_cast<char>(~damaged[b.ib + i]);
  auto text = readStore(damaged);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->page_starts.size(), 5u);
  EXPECT_NE(text->text.find("1 message could not be read:\n- Sent Items: message 0x"), std::string::npos) << text->text;
  char bid[32];
  std::snprintf(bid, sizeof bid, "0x%llX", static_cast<unsigned long long>(b.bid));
  EXPECT_NE(text->text.find("store.ost: damaged compressed block " + std::string(bid) + " at offset " + std::to_string(b.ib) +
                            " (it does not inflate to its 65512 bytes)"),
            std::string::npos)
      << text->text;
  EXPECT_NE(text->text.find("The board approved the merger."), std::string::npos);
  EXPECT_NE(text->text.find("# Message 6 of 6: Calendar \u203A Meeting with Acme"), std::string::npos);

  // A block B-tree entry that claims one byte more than the block inflates to: damaged, not padded.
  std::string longer = store;
  longer[b.at + 18] = static_cast<char>(0xE9);  // 65,513
  auto l = readStore(longer);
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_NE(l->text.find("larger than a block can be"), std::string::npos) << l->text;
  std::string shorter = store;
  shorter[b.at + 18] = static_cast<char>(0xE7);  // 65,511
  auto s = readStore(shorter);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_NE(s->text.find("(it does not inflate to its 65511 bytes)"), std::string::npos) << s->text;
}

TEST(Pst4k, AbsurdSizesAndTruncatedPagesFailWithTheReason) {
  const std::string store = makePst(folders(), page4k());
  // Every block B-tree entry claiming 64 KiB inflated: refused before anything is inflated.
  std::string absurd = store;
  for (const auto& b : blocks(store)) absurd[b.at + 18] = absurd[b.at + 19] = '\xFF';
  auto a = readStore(absurd);  // nothing but the B-trees can be read: the folders are named at the end
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(a->page_starts.empty());
  EXPECT_NE(a->text.find("the top folder: store.ost: block 0x"), std::string::npos) << a->text;
  EXPECT_NE(a->text.find("larger than a block can be"), std::string::npos) << a->text;

  // Cut inside the last page (the node B-tree's root): its root is outside the file.
  const uint64_t nbt = le64(store, 224);
  auto cut = readStore(store.substr(0, nbt + 2000));
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("store.ost: damaged header: a B-tree root at offset " + std::to_string(nbt)),
            std::string::npos)
      << cut.error().message;

  // A branch entry leading to a page that runs past the end of the file.
  PstWriterOptions o = page4k();
  o.page_entries = 4;
  const std::string deep = makePst(folders(), o);
  const uint64_t root = le64(deep, 224);
  ASSERT_GT(deep[root + 4061], 0);  // a branch page
  std::string past = deep;
  const uint64_t near_end = deep.size() - 1000;
  for (size_t e = 0; e < le16(deep, root + 4056); ++e) {
    for (size_t i = 0; i < 8; ++i) past[root + e * 24 + 16 + i] = static_cast<char>((near_end >> (8 * i)) & 0xFF);
  }
  auto p = readStore(past);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("store.ost: B-tree page at offset " + std::to_string(near_end) + " is outside the file"),
            std::string::npos)
      << p.error().message;

  // A page whose 2-byte entry count says more entries than the page holds.
  std::string many = store;
  many[nbt + 4056] = '\xFF';
  many[nbt + 4057] = '\x00';  // 255 entries of 32 bytes
  auto m = readStore(many);
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("damaged B-tree page at offset " + std::to_string(nbt) +
                                   " (level 0, 255 entries of 32 bytes)"),
            std::string::npos)
      << m.error().message;
}

TEST(Pst4k, AnOfflineStoreInAFolderIsIngestedLikeAnyOther) {
  folio::ingest::test::TempDir dir;
  folio::ingest::test::expectStoreIngested(dir, "mailbox.ost", makePst(folders(), page4k()), 6);
}
