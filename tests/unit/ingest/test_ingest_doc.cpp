// Word 97-2003 files in a folder, end to end: a .doc (and the same file as a .dot template) ingested
// as documents of kind "word" with their clause numbers in the chunks, found by search; a Word 95 file
// fails with what to do and the rest of the folder is read.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;

TEST(IngestDoc, AWordDocFolderIsReadWithItsClauseNumbers) {
  TempDir dir;
  const fs::path tree = dir.path() / "contracts";
  fs::create_directories(tree);
  const fs::path fixture = fs::path(FOLIO_FIXTURES_DIR) / "doc" / "contract.doc";
  fs::copy_file(fixture, tree / "services.doc");
  fs::copy_file(fixture, tree / "template.dot");
  // The same file claiming to be Word 95: nFib 104 after the FIB's signature (0xA5EC, then 0x0101).
  {
    std::ifstream in(fixture, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t fib = bytes.find(std::string("\xEC\xA5\x01\x01", 4));
    ASSERT_NE(fib, std::string::npos);
    bytes[fib + 2] = 104;
    bytes[fib + 3] = 0;
    folio::ingest::test::writeText(tree / "old.doc", bytes);
  }
  auto folder = folio::ingest::test::ingestFolderInto(dir.path() / "lib.sqlite", tree);
  ASSERT_TRUE(folder.lib);
  const IngestReport& report = folder.report;
  Library& lib = *folder.lib;
  EXPECT_EQ(report.added, 2u);
  EXPECT_EQ(report.failed, 1u);

  const DocumentRecord* doc = folder.at("services.doc");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->kind, "word");
  EXPECT_EQ(doc->title, "Services Agreement");
  EXPECT_EQ(doc->chunker, "legal");
  EXPECT_EQ(doc->page_count, 2);
  const DocumentRecord* old = folder.at("old.doc");
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->status, DocumentStatus::Failed);
  EXPECT_NE(old->error.find("Word 6/95 file"), std::string::npos) << old->error;

  auto chunks = lib.chunks(doc->id);
  ASSERT_TRUE(chunks);
  std::string all;
  for (const auto& c : *chunks) all += c.text + "\n";
  for (const char* clause : {"2.1 The Client shall pay the Fee within 30 days[1].", "(b) “Fee” means €1,000",
                             "3.2 Either party may terminate it on notice.", "Party | Address | Role"}) {
    EXPECT_NE(all.find(clause), std::string::npos) << clause << "\n" << all;
  }

  auto found = search(lib.db(), "client shall pay fee");
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->hits.empty());
  const SearchHit& hit = found->hits.front();
  EXPECT_TRUE(hit.rel_path == "services.doc" || hit.rel_path == "template.dot") << hit.rel_path;
  EXPECT_NE(hit.heading.find("2. Payment"), std::string::npos) << hit.heading;
}
