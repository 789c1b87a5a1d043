// Excel 97-2003 workbooks in a folder, end to end: a .xls (and a .xlt template) ingested as documents
// of kind "spreadsheet", one page a sheet, rows found by search under their sheet's and columns'
// headings like an .xlsx's; a password-protected one fails with what to do and the rest is read.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "support/xls_writer.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;
namespace xls = folio::test::xls;

namespace {

xls::Book ledger() {
  xls::Book book;
  book.globals = xls::xf(0) + xls::xf(14) + xls::sst({u"Date", u"Counterparty", u"Amount", u"Agreed with the auditors."});
  std::string rows = xls::labelSst(0, 0, 0) + xls::labelSst(0, 1, 1) + xls::labelSst(0, 2, 2);
  for (uint16_t i = 1; i <= 400; ++i) {
    const std::u16string who = i == 250 ? u"Zanzibar Shipping Company" : u"Counterparty " + std::u16string(1, static_cast<char16_t>(u'A' + i % 26));
    rows += xls::number(i, 0, 1, 45352 + i % 30) + xls::label(i, 1, who) + xls::number(i, 2, 0, i * 100.0);
  }
  book.sheets = {{"Ledger", rows, false, false}, {"Notes", xls::labelSst(0, 0, 3), false, false}};
  return book;
}

}  // namespace

TEST(IngestXls, AnExcel97FolderIsReadSheetBySheetAndFoundBySearch) {
  TempDir dir;
  const fs::path tree = dir.path() / "accounts";
  fs::create_directories(tree);
  folio::ingest::test::writeText(tree / "ledger.xls", xls::file(ledger()));
  folio::ingest::test::writeText(tree / "template.xlt", xls::file(ledger()));
  xls::Book locked = ledger();
  locked.globals = xls::filePass() + locked.globals;
  folio::ingest::test::writeText(tree / "locked.xls", xls::file(locked));
  auto folder = folio::ingest::test::ingestFolderInto(dir.path() / "lib.sqlite", tree);
  ASSERT_TRUE(folder.lib);
  const IngestReport& report = folder.report;
  Library& lib = *folder.lib;
  EXPECT_EQ(report.added, 2u);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.skipped, 0u);

  const DocumentRecord* doc = folder.at("ledger.xls");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->status, DocumentStatus::Ok);
  EXPECT_EQ(doc->kind, "spreadsheet");
  EXPECT_EQ(doc->page_count, 2);
  const DocumentRecord* bad = folder.at("locked.xls");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->status, DocumentStatus::Failed);
  EXPECT_NE(bad->error.find("password-protected Excel workbook"), std::string::npos) << bad->error;

  auto chunks = lib.chunks(doc->id);
  ASSERT_TRUE(chunks);
  std::string all;
  for (const auto& c : *chunks) all += c.text + "\n";
  for (const char* row : {"Date | Counterparty | Amount", "2024-03-02 | Counterparty B | 100", "Zanzibar Shipping Company | 25000",
                          "Agreed with the auditors."}) {
    EXPECT_NE(all.find(row), std::string::npos) << row;
  }

  auto found = search(lib.db(), "zanzibar shipping");
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->hits.empty());
  const SearchHit& hit = found->hits.front();
  EXPECT_TRUE(hit.rel_path == "ledger.xls" || hit.rel_path == "template.xlt") << hit.rel_path;
  EXPECT_NE(hit.heading.find("Sheet: Ledger"), std::string::npos) << hit.heading;
  EXPECT_NE(hit.heading.find("Date | Counterparty | Amount"), std::string::npos) << hit.heading;
}
