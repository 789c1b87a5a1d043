// Outlook mail stores (.pst): each layer of the reader on stores written by tests/support/pst_writer
// (checked against readpst and pffexport: tools/pst/compare_pst.py), damaged stores, and the ingest of
// a folder holding one.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "ingest/content_hash.h"
#include "ingest/extract.h"
#include "ingest/library/search.h"
#include "ingest/mail/pst_crypt.h"
#include "ingest/mail/pst_extract.h"
#include "ingest/mail/pst_header.h"
#include "ingest/source_kind.h"
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

namespace {

using folio::ingest::test::pstTestFolders;
using folio::ingest::test::pstTestMessage;

std::vector<PstFolderSpec> sampleFolders() { return pstTestFolders(); }
PstMessageSpec message(const std::string& subject, int day, const std::string& body) { return pstTestMessage(subject, day, body); }

folio::Result<ExtractedText> readStore(const std::string& bytes, const std::atomic<bool>* cancel = nullptr) {
  return folio::ingest::test::readPstStore(bytes, "store.pst", cancel);
}

std::string at(const std::string& text, size_t pos) { return text.substr(pos, 60); }

}  // namespace

TEST(PstCrypt, PermuteAndCyclicAreUndone) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (const PstCrypt method : {PstCrypt::Permute, PstCrypt::Cyclic}) {
    std::string b = bytes;
    pstEncrypt(method, b, 0x12345);
    EXPECT_NE(b, bytes);
    pstDecrypt(method, b, 0x12345);
    EXPECT_EQ(b, bytes);
  }
  std::string zero(1, '\0');
  pstEncrypt(PstCrypt::Permute, zero, 0);
  EXPECT_EQ(static_cast<uint8_t>(zero[0]), 65);  // [MS-PST] 5.1: mpbbR[0]
}

TEST(PstHeader, RefusesWhatItDoesNotReadWithTheReason) {
  std::string store = makePst(sampleFolders());
  MemoryPstSource ok(store);
  auto header = readPstHeader(ok, "a.pst");
  ASSERT_TRUE(header) << header.error().message;
  EXPECT_TRUE(header->unicode);
  EXPECT_EQ(header->crypt, PstCrypt::None);

  std::string later = store;
  later[10] = 24;  // between the Unicode format (23) and the 4 KiB-page one (36: test_extract_pst_4k.cpp)
  auto refused = readPstHeader(MemoryPstSource(later), "b.pst");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, folio::ErrorKind::Unsupported);
  EXPECT_NE(refused.error().message.find("b.pst: Outlook data file version 24 is not read"), std::string::npos)
      << refused.error().message;
  EXPECT_FALSE(header->page4k);

  std::string crypt = store;
  crypt[513] = 0x10;
  auto c = readPstHeader(MemoryPstSource(crypt), "c.pst");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("encryption method 16"), std::string::npos) << c.error().message;

  std::string ansi = store;
  ansi[10] = 14;
  ansi[461] = 0;  // bCryptMethod in the ANSI place
  ansi.replace(188, 4, std::string("\x00\x44\x00\x00", 4));  // NBT root in the ANSI place
  ansi.replace(196, 4, std::string("\x00\x44\x00\x00", 4));
  auto a = readPstHeader(MemoryPstSource(ansi), "d.pst");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_FALSE(a->unicode);

  auto none = readStore("not a store at all, but long enough " + std::string(600, 'x'));
  EXPECT_TRUE(none);  // not !BDN: read as a plain message, not as a store
  auto tiny = readPstHeader(MemoryPstSource("!BDN"), "e.pst");
  ASSERT_FALSE(tiny);
  EXPECT_NE(tiny.error().message.find("e.pst: not an Outlook data file"), std::string::npos);
}

TEST(PstExtract, MessagesArePagesInFolderOrderWithTheirFields) {
  // Unicode stores unscrambled, with compressible and with high encryption; an ANSI one.
  for (int variant = 0; variant < 4; ++variant) {
    SCOPED_TRACE(variant);
    folio::test::PstWriterOptions options;
    options.permute = variant == 1 || variant == 3;
    options.crypt = variant == 2 ? PstCrypt::Cyclic : PstCrypt::None;
    options.unicode = variant != 3;
    const std::string store = makePst(sampleFolders(), options);
    EXPECT_EQ(static_cast<uint8_t>(store[options.unicode ? 513 : 461]), variant == 0 ? 0 : variant == 2 ? 2 : 1);
    auto header = readPstHeader(MemoryPstSource(store), "v.pst");
    ASSERT_TRUE(header) << header.error().message;
    EXPECT_EQ(header->unicode, options.unicode);
    auto text = readStore(store);
    ASSERT_TRUE(text) << text.error().message;
    const std::string& t = text->text;
    ASSERT_EQ(text->page_starts.size(), 5u) << t;
    EXPECT_EQ(text->title, "Personal Folders");
    // Folder tree depth first; a folder's messages by delivery time.
    EXPECT_EQ(at(t, text->page_starts[0]).substr(0, 34), "# Message 1 of 5: Inbox \u203A First\n");
    EXPECT_EQ(at(t, text->page_starts[1]).substr(0, 35), "# Message 2 of 5: Inbox \u203A Second\n");
    EXPECT_NE(at(t, text->page_starts[2]).find("Inbox \u203A Project Alpha \u203A Re: draft SPA"), std::string::npos);
    EXPECT_NE(at(t, text->page_starts[4]).find("Sent Items \u203A Signed lease"), std::string::npos);
    EXPECT_NE(t.find("From: Renée Dubois <renee@example.com>\nTo: Legal Team <legal@example.com>\nCc: Ann Archer "
                     "<ann@example.com>\nDate: Mon, 02 Mar 2026 10:12:00 +0000\n\nDelivered first."),
              std::string::npos)
        << t;
    EXPECT_EQ(t.find("bcc@example.com"), std::string::npos);
    EXPECT_NE(t.find("The board approved the merger."), std::string::npos);  // the HTML body as text
    EXPECT_NE(t.find("---------- Attachment: lease.txt ----------\nThe tenant may end the lease early"), std::string::npos);
    EXPECT_NE(t.find("---------- Attached message ----------\nSubject: Fwd: side letter"), std::string::npos);
    EXPECT_NE(t.find("Side letter text: no break fee."), std::string::npos);  // a file attached to the attached message
    EXPECT_NE(t.find("- photo.jpg (image/jpeg)"), std::string::npos);
  }
}

TEST(PstExtract, APasswordProtectedStoreIsReadAllTheSame) {
  folio::test::PstWriterOptions options;
  options.password_crc = 0x1BADB002;  // Outlook's check of a password, kept in the store's properties
  const std::string store = makePst(sampleFolders(), options);
  ASSERT_NE(store.find(std::string("\xFF\x67\x03\x00\x02\xB0\xAD\x1B", 8)), std::string::npos);  // the PC record, unscrambled
  auto text = readStore(store);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->page_starts.size(), 5u);
  EXPECT_NE(text->text.find("Clause 4.2 is agreed."), std::string::npos);
}

TEST(PstExtract, LargeValuesAndTablesSpanBlocks) {
  PstFolderSpec big{"Archive", {}, {}};
  std::string body;
  for (int i = 0; body.size() < 100000; ++i) body += "Line " + std::to_string(i) + " of the memorandum.\n";
  PstMessageSpec memo = message("Memo", 1, body);  // a body of 13 blocks: an XBLOCK
  std::string annex;
  for (int i = 0; annex.size() < 9000000; ++i) annex += "Annex row " + std::to_string(i) + "\n";  // > 1021 blocks: an XXBLOCK
  memo.attachments.push_back({"annex.txt", "text/plain", annex, nullptr});
  big.messages.push_back(memo);
  for (int i = 0; i < 400; ++i) big.messages.push_back(message("Note " + std::to_string(i), 2 + i % 20, "n"));  // rows in a subnode
  auto text = readStore(makePst({big}));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->page_starts.size(), 401u);
  EXPECT_NE(text->text.find("Line 3000 of the memorandum."), std::string::npos);
  EXPECT_NE(text->text.find("Annex row 500000\n"), std::string::npos);
  EXPECT_NE(text->text.find("# Message 401 of 401: Archive \u203A "), std::string::npos);
}

TEST(PstExtract, DamagedStoresFailWithTheReasonOrLeaveOutWhatIsDamaged) {
  const std::string store = makePst(sampleFolders());
  // Truncated: the B-trees are written last, so half a store has none.
  auto half = readStore(store.substr(0, store.size() / 2));
  ASSERT_FALSE(half);
  EXPECT_NE(half.error().message.find("store.pst: "), std::string::npos) << half.error().message;
  // A B-tree page whose trailer is not a node B-tree page's.
  const size_t nbt = static_cast<uint8_t>(store[224]) | static_cast<uint8_t>(store[225]) << 8 | static_cast<size_t>(static_cast<uint8_t>(store[226])) << 16;
  std::string bad = store;
  bad[nbt + 496] = '\x7F';
  auto b = readStore(bad);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("store.pst: damaged B-tree page at offset " + std::to_string(nbt)), std::string::npos)
      << b.error().message;
  // A loop: the root page made an index page whose one entry leads back to itself.
  std::string loop = store;
  loop[nbt + 488] = 1;   // cEnt
  loop[nbt + 490] = 24;  // cbEnt
  loop[nbt + 491] = 1;   // cLevel
  loop.replace(nbt, 24, std::string(24, '\0'));
  for (int i = 0; i < 8; ++i) loop[nbt + 16 + static_cast<size_t>(i)] = static_cast<char>((nbt >> (8 * i)) & 0xFF);
  auto l = readStore(loop);
  ASSERT_FALSE(l);
  EXPECT_NE(l.error().message.find("damaged B-tree page"), std::string::npos) << l.error().message;
  // A damaged heap in one message: that message is named at the end, the others read.
  const std::string subject = folio::test::utf16le("\x01\x01Re: draft SPA");
  const size_t found = store.find(subject);
  ASSERT_NE(found, std::string::npos);
  std::string heap = store;
  size_t block = found / 64 * 64;
  while (block > 0 && !(static_cast<uint8_t>(heap[block + 2]) == 0xEC && static_cast<uint8_t>(heap[block + 3]) == 0xBC)) block -= 64;
  heap[block + 2] = 0;
  auto h = readStore(heap);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->page_starts.size(), 4u);
  EXPECT_NE(h->text.find("1 message could not be read:\n- Inbox \u203A Project Alpha: message 0x"), std::string::npos) << h->text;
  EXPECT_NE(h->text.find("damaged heap"), std::string::npos);
  EXPECT_NE(h->text.find("# Message 4 of 5"), std::string::npos);  // numbered by its place in the store
}

TEST(PstExtract, ACancelStopsBetweenMessages) {
  std::atomic<bool> cancel{true};
  auto text = readStore(makePst(sampleFolders()), &cancel);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, folio::ErrorKind::Cancelled);
}

TEST(ContentHash, PiecesHashAsTheWhole) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>(i * 7 + i / 13);
  for (const size_t piece : {1u, 5u, 31u, 32u, 33u, 100u, 999u}) {
    Xxh64Stream s;
    for (size_t at = 0; at < bytes.size(); at += piece) s.update(std::string_view(bytes).substr(at, piece));
    EXPECT_EQ(s.digest(), xxh64(bytes)) << piece;
  }
  folio::ingest::test::TempDir dir;
  folio::ingest::test::writeText(dir.path() / "f.bin", bytes);
  auto hash = fileContentHashHex(dir.path() / "f.bin");
  ASSERT_TRUE(hash);
  EXPECT_EQ(*hash, contentHashHex(bytes));
  std::atomic<bool> cancel{true};
  auto stopped = fileContentHashHex(dir.path() / "f.bin", &cancel);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().kind, folio::ErrorKind::Cancelled);
}

TEST(IngestPst, AStoreInAFolderIsOneEmailDocumentWithAPagePerMessage) {
  EXPECT_TRUE(isMailStore(classifySource("Custodian 7.PST")));
  EXPECT_TRUE(isMailStore(classifySource("offline.ost")));
  EXPECT_FALSE(isMailStore(classifySource("notice.msg")));
  folio::ingest::test::TempDir dir;
  auto folder = folio::ingest::test::expectStoreIngested(dir, "custodian.pst", makePst(sampleFolders()), 5);
  ASSERT_TRUE(folder.lib);
  auto lease = search(folder.lib->db(), "tenant lease early clause");
  ASSERT_TRUE(lease);
  ASSERT_FALSE(lease->hits.empty());
  EXPECT_EQ(lease->hits.front().page_first, 5);
}
