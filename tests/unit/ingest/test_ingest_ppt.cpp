// PowerPoint 97-2003 files in a folder, end to end: a .ppt (and the same file as a .pps slide show)
// ingested as presentations whose slides are pages, found by search with the slide as the page; a
// password-protected one fails with what to do and the rest of the folder is read.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "support/ppt_writer.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;

TEST(IngestPpt, APowerPointFolderIsReadSlideBySlide) {
  folio::test::PptTestDeck deck;
  deck.title = "Board meeting";
  for (int i = 1; i <= 4; ++i) {
    folio::test::PptTestSlide s;
    s.title = "Agenda item " + std::to_string(i);
    s.body = {"Discussion of point " + std::to_string(i)};
    if (i == 3) s.body.push_back("The indemnification cap stays at two million");
    if (i == 3) s.notes = {"Ask counsel about the carve-outs"};
    deck.slides.push_back(s);
  }
  TempDir dir;
  const fs::path tree = dir.path() / "decks";
  fs::create_directories(tree);
  folio::ingest::test::writeText(tree / "board.ppt", folio::test::pptBytes(deck));
  folio::ingest::test::writeText(tree / "board.pps", folio::test::pptBytes(deck));
  deck.encrypted = true;
  folio::ingest::test::writeText(tree / "locked.ppt", folio::test::pptBytes(deck));

  auto folder = folio::ingest::test::ingestFolderInto(dir.path() / "lib.sqlite", tree);
  ASSERT_TRUE(folder.lib);
  const IngestReport& report = folder.report;
  Library& lib = *folder.lib;
  EXPECT_EQ(report.added, 2u);
  EXPECT_EQ(report.failed, 1u);

  const DocumentRecord* doc = folder.at("board.ppt");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->kind, "presentation");
  EXPECT_EQ(doc->title, "Board meeting");
  EXPECT_EQ(doc->page_count, 4);
  const DocumentRecord* locked = folder.at("locked.ppt");
  ASSERT_NE(locked, nullptr);
  EXPECT_EQ(locked->status, DocumentStatus::Failed);
  EXPECT_NE(locked->error.find("password-protected"), std::string::npos) << locked->error;

  auto found = search(lib.db(), "indemnification cap");
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->hits.empty());
  const SearchHit& hit = found->hits.front();
  EXPECT_TRUE(hit.rel_path == "board.ppt" || hit.rel_path == "board.pps") << hit.rel_path;
  EXPECT_EQ(hit.page_first, 3);
  auto notes = search(lib.db(), "carve-outs");
  ASSERT_TRUE(notes);
  ASSERT_FALSE(notes->hits.empty());
  EXPECT_EQ(notes->hits.front().page_first, 3);
}
