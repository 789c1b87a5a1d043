// Word files in a folder: ingested as documents of kind "word" (a zip archive is not skipped as
// binary), chunked by their clauses, found by search with their clause heading and page; a broken
// one fails with its reason and the rest of the folder is read.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "support/docx_writer.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;
using folio::ingest::test::writeText;

namespace {

const std::string kNumbering =
    R"(<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>)"
    R"(<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>)"
    R"(<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>)";

std::string lease() {
  using folio::test::wordParagraph;
  folio::test::DocxParts p;
  p.numbering = kNumbering;
  p.title = "Warehouse Lease";
  for (int clause = 1; clause <= 9; ++clause) {
    p.body += wordParagraph(clause == 7 ? "Termination" : "Clause heading " + std::to_string(clause), "", 1, 0);
    for (int sub = 1; sub <= 4; ++sub) {
      const std::string text = clause == 7 && sub == 3
                                   ? "The Tenant may end this Lease early by giving six months' written notice."
                                   : "Each Party shall observe this Agreement as to item " + std::to_string(sub) + ".";
      p.body += wordParagraph(text, "", 1, 1);
    }
    if (clause == 5) p.body += R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)";
  }
  return folio::test::docxBytes(p);
}

}  // namespace

TEST(IngestWord, AWordContractIsReadChunkedByClauseAndFound) {
  TempDir dir;
  const fs::path tree = dir.path() / "contracts";
  writeText(tree / "lease.docx", lease());
  writeText(tree / "broken.docx", "PK\x03\x04 this is not really a zip archive");
  writeText(tree / "notes.txt", "Renewal options are discussed in the lease.\n");
  auto folder = folio::ingest::test::ingestFolderInto(dir.path() / "lib.sqlite", tree);
  ASSERT_TRUE(folder.lib);
  const IngestReport& report = folder.report;
  Library& lib = *folder.lib;
  EXPECT_EQ(report.added, 2u);
  EXPECT_EQ(report.failed, 1u);

  const DocumentRecord* word = folder.at("lease.docx");
  ASSERT_NE(word, nullptr);
  EXPECT_EQ(word->kind, "word");
  EXPECT_EQ(word->title, "Warehouse Lease");
  EXPECT_EQ(word->chunker, "legal");
  EXPECT_EQ(word->page_count, 2);
  const DocumentRecord* broken = folder.at("broken.docx");
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->status, DocumentStatus::Failed);
  EXPECT_NE(broken->error.find("not a readable zip archive"), std::string::npos) << broken->error;

  auto found = search(lib.db(), "tenant six months notice");
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->hits.empty());
  const SearchHit& hit = found->hits.front();
  EXPECT_EQ(hit.rel_path, "lease.docx");
  EXPECT_NE(hit.heading.find("7. Termination"), std::string::npos) << hit.heading;
  EXPECT_NE(hit.heading.find("7.3"), std::string::npos) << hit.heading;
  EXPECT_EQ(hit.page_first, 2);
}
