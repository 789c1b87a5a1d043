// RTF as Word writes it: list numbers from \listtext, headings by \outlinelevel, code-page bytes and
// \u escapes, tables, footnotes, page breaks; font tables, style sheets, field instructions, hidden
// text and other destinations left out; title and author from \info.
#include <gtest/gtest.h>

#include <string>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/source_kind.h"

namespace folio::ingest {
namespace {

const SourceType kWord{SourceKind::Word, ""};

ExtractedText extractOk(const std::string& bytes) {
  auto r = extractBytes(bytes, kWord, "lease.rtf");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

// The header Word writes before the text.
const std::string kHeader =
    R"({\rtf1\adeflang1025\ansi\ansicpg1252\uc1\adeff0\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;})"
    R"({\f1\fswiss\fcharset0 Arial{\*\falt Helvetica};}}{\colortbl;\red0\green0\blue0;}{\stylesheet{\ql Normal;})"
    R"({\s1\outlinelevel0 heading 1;}}{\*\listtable{\list\listtemplateid1{\listlevel\levelnfc0{\leveltext\'02\'00.;})"
    R"({\levelnumbers\'01;}}}}{\*\rsidtbl \rsid1}{\*\generator Microsoft Word 16.0;})"
    R"({\info{\title Warehouse Lease}{\author Dana Whitfield}{\creatim\yr2026\mo3\dy2}})"
    "\n";

TEST(ExtractRtf, AWordContractReadsAsWordShowsIt) {
  const std::string rtf =
      kHeader +
      R"(\pard\plain \s1\outlinelevel0 {\listtext\pard\plain \f0 1.\tab}Definitions\par)"
      "\n"
      R"(\pard\plain {\listtext\pard\plain 1.1\tab}\'93Premises\'94 means the warehouse at 4 Quay Street, )"
      R"(Caf\'e9 corner {\v hidden remark}\u8212\'97 including the yard.\par)"
      R"(\pard\plain \s1\outlinelevel0 {\listtext\pard\plain 2.\tab}Termination\par)"
      R"(\pard\plain {\listtext\pard\plain 2.1\tab}The Tenant may end this Lease on six months' notice)"
      R"({\cs2\super\chftn {\footnote \pard\plain {\cs2\super\chftn} Written notice only.}}.\par)"
      R"({\field{\*\fldinst { PAGE }}{\fldrslt {3}}}\par\page)"
      R"(\pard\plain\intbl Rent\cell EUR 1,200\cell\row\pard\plain\intbl Deposit\cell EUR 3,600\cell\row)"
      R"(\pard\plain {\*\bkmkstart end}Signed.{\*\bkmkend end}\par})";
  const ExtractedText t = extractOk(rtf);
  EXPECT_EQ(t.text,
            "# 1. Definitions\n\n"  // not legal enough to be read as a contract: headings marked
            "1.1 \xE2\x80\x9CPremises\xE2\x80\x9D means the warehouse at 4 Quay Street, Caf\xC3\xA9 corner "
            "\xE2\x80\x94 including the yard.\n\n"
            "# 2. Termination\n\n"
            "2.1 The Tenant may end this Lease on six months' notice[1].\n\n"
            "3\n\nRent | EUR 1,200\n\nDeposit | EUR 3,600\n\nSigned.\n\n# Notes\n\n[1] Written notice only.\n\n");
  EXPECT_EQ(t.title, "Warehouse Lease");
  EXPECT_EQ(t.author, "Dana Whitfield");
  ASSERT_EQ(t.page_starts.size(), 2u);
  EXPECT_EQ(t.text.substr(static_cast<size_t>(t.page_starts[1]), 4), "Rent");
  EXPECT_EQ(classifySource("lease.RTF").kind, SourceKind::Word);
}

// Headings named in the style sheet ("heading 2", as LibreOffice writes them, without \outlinelevel).
TEST(ExtractRtf, HeadingStylesByName) {
  const ExtractedText t = extractOk(
      R"({\rtf1\ansi{\stylesheet{\s0 Normal;}{\s2\sbasedon0\keepn\b Heading 2;}}\pard\plain\s2 Background\par)"
      R"(\pard\plain\s0 The warehouse moved in spring.\par\pard\plain\s2 Open questions\par)"
      R"(\pard\plain Who signs off on the racks?\par})");
  EXPECT_EQ(t.text,
            "## Background\n\nThe warehouse moved in spring.\n\n## Open questions\n\nWho signs off on the racks?\n\n");
}

TEST(ExtractRtf, MalformedRtfStillGivesText) {
  EXPECT_EQ(extractOk(R"({\rtf1 unclosed {group \par text)").text, "unclosed group\n\ntext\n\n");
  EXPECT_EQ(extractOk(R"({\rtf1 a}}}} b\'zz\u)").text, "a bzz\n\n");
  std::string deep = "{\\rtf1 ";
  for (int i = 0; i < 5000; ++i) deep += "{";
  deep += "deep text";
  EXPECT_EQ(extractOk(deep).text, "deep text\n\n");
}

}  // namespace
}  // namespace folio::ingest
