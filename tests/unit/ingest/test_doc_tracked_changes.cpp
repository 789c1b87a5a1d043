// Tracked changes of a Word 97-2003 (.doc) file, from its revision marks, listed as a .docx's are: the
// LibreOffice-made fixture redline.doc is saved from redline.docx (tools/docx/make_redline_fixture.py),
// and both list the same changes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/extract.h"
#include "ingest/source_kind.h"

namespace folio::ingest {
namespace {

namespace fs = std::filesystem;

std::string fixtureText(const std::string& name) {
  std::ifstream in(fs::path(FOLIO_FIXTURES_DIR) / "doc" / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  auto r = extractBytes(s.str(), classifySource(name), name, {});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r->text : std::string();
}

std::vector<std::string> listed(const std::string& text) {
  std::vector<std::string> out;
  const size_t at = text.find("# Tracked changes\n\n");
  if (at == std::string::npos) return out;
  for (size_t pos = at + 19; pos < text.size() && text[pos] != '#';) {
    const size_t end = text.find("\n\n", pos);
    out.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

const std::string kArrow = " \xE2\x80\xBA ", kDash = " \xE2\x80\x94 ";
const std::string kOpposing = kDash + "Opposing Counsel, 2024-03-05 14:30: ";
const std::string kJane = kDash + "Jane Doe, 2024-03-06 09:15: ";

TEST(DocTrackedChanges, RevisionMarksAreListedAsInTheDocx) {
  const std::string doc = fixtureText("redline.doc");
  EXPECT_NE(doc.find("1.1 The Customer shall pay each invoice within sixty (60)[change 1] days.\n\n"), std::string::npos) << doc;
  EXPECT_NE(doc.find("[1] Except for claims under clause 5[change 8].\n\n"), std::string::npos) << doc;
  const auto lines = listed(doc);
  ASSERT_EQ(lines.size(), 9u) << doc;
  EXPECT_EQ(lines[0], "[change 1] 1. Payment" + kArrow + "1.1" + kOpposing + "deleted \"thirty (30)\", inserted \"sixty (60)\"");
  EXPECT_EQ(lines[1], "[change 2] 1. Payment" + kArrow + "1.2" + kJane + "inserted \"at 2% a month\"");
  EXPECT_EQ(lines[2], "[change 3] 2. Limitation of Liability" + kArrow + "2.1" + kOpposing +
                          "deleted \"twelve (12)\", inserted \"six (6)\"");
  // LibreOffice keeps the deleted clause's paragraph mark in the .doc: an empty clause 2.2 is left.
  EXPECT_EQ(lines[3], "[change 4] 2. Limitation of Liability" + kArrow + "2.2" + kJane +
                          "deleted \"The Supplier is not liable for indirect loss.\"");
  EXPECT_EQ(lines[5], "[change 6] 2. Limitation of Liability" + kArrow + "2.4" + kOpposing +
                          "inserted paragraph \"Each party shall mitigate its losses.\"");
  EXPECT_EQ(lines[6], "[change 7] 2. Limitation of Liability" + kArrow + "2.4, table row 2 (Hosting), column 2" + kOpposing +
                          "deleted \"1,200\", inserted \"1,500\"");
  EXPECT_EQ(lines[7], "[change 8] footnote 1" + kJane + "deleted \"4\", inserted \"5\"");
  EXPECT_EQ(lines[8], "and 1 formatting change");

  // The .docx it was saved from lists the same changes (there the deleted clause is gone with its mark).
  const auto docx = listed(fixtureText("redline.docx"));
  ASSERT_EQ(docx.size(), lines.size());
  EXPECT_EQ(docx[3], "[change 4] 2. Limitation of Liability" + kArrow + "2.1" + kJane +
                         "deleted paragraph \"The Supplier is not liable for indirect loss.\"");
  for (size_t i : {0, 1, 2, 7, 8}) EXPECT_EQ(docx[i], lines[i]);
}

// A table row inserted or deleted as a whole is one change, as in the .docx it was saved from
// (tools/docx/make_redline_fixture.py), though the .doc marks only the row's characters.
TEST(DocTrackedChanges, WholeRowsAreOneChangeAsInTheDocx) {
  const std::string doc = fixtureText("redline_rows.doc");
  EXPECT_NE(doc.find("Hosting | EUR 1,200\n\n[change 1]\n\nTraining | EUR 90\n\n[change 2]\n\n"), std::string::npos) << doc;
  const auto lines = listed(doc);
  ASSERT_EQ(lines.size(), 2u) << doc;
  EXPECT_EQ(lines[0], "[change 1] Schedule B: Fees, table row 3" + kOpposing + "deleted table row \"Support | EUR 300\"");
  EXPECT_EQ(lines[1], "[change 2] Schedule B: Fees, table row 4" + kJane + "inserted table row \"Training | EUR 90\"");
  EXPECT_EQ(listed(fixtureText("redline_rows.docx")), lines);
}

// A paragraph whose mark alone was deleted runs on into the next, keeping its number, as the .docx
// reader joins the .docx it was saved from (tools/docx/make_redline_fixture.py): a chain of three is one
// paragraph, two paragraphs of a cell are one, and a section's last paragraph stays apart. The text and
// the list are the .docx's, byte for byte.
TEST(DocTrackedChanges, ADeletedParagraphMarkJoinsTheNextParagraphAsInTheDocx) {
  const std::string doc = fixtureText("redline_joins.doc");
  EXPECT_NE(doc.find("1.1 Notices must be in writing and sent by email[change 1].\n\n1.2 Notices take effect on receipt.\n\n"
                     "1.3 A notice to the Supplier goes to its registered office marked for the attention of Legal.\n\n"
                     "1.4 A notice by email is received when sent.\n\n"),
            std::string::npos)
      << doc;
  EXPECT_NE(doc.find("Supplier Ltd | 1 High Street\n\nEnd of section one.\n\nSection two.\n\n"), std::string::npos) << doc;
  const auto lines = listed(doc);
  ASSERT_EQ(lines.size(), 2u) << doc;
  EXPECT_EQ(lines[0], "[change 1] 1. Notices" + kOpposing + "deleted \"post\", inserted \"email\"");
  EXPECT_EQ(lines[1], "and 5 paragraph breaks added or removed");
  EXPECT_EQ(fixtureText("redline_joins.docx"), doc);
}

// A change in a table cell names its row by the row's first cell and its column by the header row's
// text, or by number in a table without a header row (and in the header row itself), as in the .docx.
TEST(DocTrackedChanges, ChangesInCellsNameTheirColumnAsInTheDocx) {
  const std::string doc = fixtureText("redline_cells.doc");
  const auto lines = listed(doc);
  ASSERT_EQ(lines.size(), 4u) << doc;
  EXPECT_EQ(lines[0], "[change 1] Schedule B: Fees, table row 1 (Service), column 2" + kJane + "inserted \"(EUR)\"");
  EXPECT_EQ(lines[1], "[change 2] Schedule B: Fees, table row 2 (Hosting), column \"Monthly fee (EUR)\"" + kOpposing +
                          "deleted \"1,200\", inserted \"1,500\"");
  EXPECT_EQ(lines[2], "[change 3] Schedule B: Fees, table row 3 (Support), column \"Notes\"" + kJane + "inserted \"a month\"");
  EXPECT_EQ(lines[3], "[change 4] Schedule B: Fees, table row 1 (Initial term), column 2" + kOpposing +
                          "deleted \"12\", inserted \"24\"");
  EXPECT_EQ(fixtureText("redline_cells.docx"), doc);
}

}  // namespace
}  // namespace folio::ingest
