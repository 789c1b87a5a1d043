// OpenDocument text (.odt): list and heading numbers written out as LibreOffice shows them (the cases
// below were checked against LibreOffice 7.4's text export), notes, tables, soft page breaks, tracked
// deletions and comments left out, title and author from meta.xml.
#include <gtest/gtest.h>

#include <string>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/source_kind.h"
#include "support/docx_writer.h"

namespace folio::ingest {
namespace {

constexpr const char* kNamespaces =
    R"( xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0")"
    R"( xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0")"
    R"( xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0")"
    R"( xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0")"
    R"( xmlns:dc="http://purl.org/dc/elements/1.1/")"
    R"( xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0")";

const std::string kListStyle =
    R"(<text:list-style style:name="L1">)"
    R"(<text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/>)"
    R"(<text:list-level-style-number text:level="2" style:num-suffix="." style:num-format="1" text:display-levels="2"/>)"
    R"x(<text:list-level-style-number text:level="3" style:num-prefix="(" style:num-suffix=")" style:num-format="a"/>)x"
    R"(</text:list-style><text:list-style style:name="B"><text:list-level-style-bullet text:level="1" text:bullet-char="-"/>)"
    R"(</text:list-style>)";

std::string odtBytes(const std::string& body, const std::string& outline = "", const std::string& meta = "") {
  const std::string content = std::string(R"(<?xml version="1.0" encoding="UTF-8"?><office:document-content)") +
                              kNamespaces + "><office:automatic-styles>" + kListStyle +
                              "</office:automatic-styles><office:body><office:text>" + body +
                              "</office:text></office:body></office:document-content>";
  std::vector<std::pair<std::string, std::string>> parts = {{"mimetype", "application/vnd.oasis.opendocument.text"},
                                                            {"content.xml", content}};
  if (!outline.empty()) {
    parts.emplace_back("styles.xml", std::string(R"(<?xml version="1.0"?><office:document-styles)") + kNamespaces +
                                         "><office:styles><text:outline-style style:name=\"Outline\">" + outline +
                                         "</text:outline-style></office:styles></office:document-styles>");
  }
  if (!meta.empty()) {
    parts.emplace_back("meta.xml", std::string(R"(<?xml version="1.0"?><office:document-meta)") + kNamespaces +
                                       "><office:meta>" + meta + "</office:meta></office:document-meta>");
  }
  return folio::test::zipBytes(parts);
}

ExtractedText extractOk(const std::string& bytes) {
  auto r = extractBytes(bytes, SourceType{SourceKind::Word, ""}, "minutes.odt");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

TEST(ExtractOdt, ListsNumberAsLibreOfficeShowsThem) {
  const std::string body =
      // an item holding only a nested list counts at its level
      R"(<text:list text:style-name="L1"><text:list-item><text:list><text:list-item><text:p>nested first</text:p>)"
      R"(</text:list-item></text:list></text:list-item><text:list-item><text:p>top after it</text:p></text:list-item></text:list>)"
      // a new list counts again; one continuing the numbering does not
      R"(<text:list text:style-name="L1"><text:list-item><text:p>one</text:p></text:list-item>)"
      R"(<text:list-item><text:p>two</text:p></text:list-item></text:list><text:p>between</text:p>)"
      R"(<text:list text:style-name="L1" text:continue-numbering="true"><text:list-item><text:p>continued</text:p>)"
      R"(</text:list-item></text:list>)"
      // a start value, an item of two paragraphs, a header without a number, a bullet
      R"(<text:list text:style-name="L1"><text:list-item text:start-value="5"><text:p>five</text:p></text:list-item>)"
      R"(<text:list-item><text:p>six</text:p><text:p>six, second paragraph</text:p><text:list><text:list-item>)"
      R"(<text:p>six one</text:p></text:list-item><text:list-item><text:list><text:list-item><text:p>deep</text:p>)"
      R"(</text:list-item></text:list></text:list-item></text:list></text:list-item><text:list-header><text:p>header</text:p>)"
      R"(</text:list-header><text:list-item><text:p>seven</text:p></text:list-item></text:list>)"
      R"(<text:list xml:id="a" text:style-name="L1"><text:list-item><text:p>list a</text:p></text:list-item></text:list>)"
      R"(<text:list text:style-name="L1"><text:list-item><text:p>other</text:p></text:list-item></text:list>)"
      R"(<text:list text:style-name="L1" text:continue-list="a"><text:list-item><text:p>a again</text:p></text:list-item>)"
      R"(</text:list><text:list text:style-name="B"><text:list-item><text:p>bullet</text:p></text:list-item></text:list>)";
  EXPECT_EQ(extractOk(odtBytes(body)).text,
            "1.1. nested first\n\n2. top after it\n\n1. one\n\n2. two\n\nbetween\n\n3. continued\n\n5. five\n\n6. six\n\n"
            "six, second paragraph\n\n6.1. six one\n\n(a) deep\n\nheader\n\n7. seven\n\n1. list a\n\n1. other\n\n"
            "2. a again\n\n- bullet\n\n");
}

TEST(ExtractOdt, HeadingsNotesTablesPagesAndWhatIsLeftOut) {
  const std::string outline =
      R"(<text:outline-level-style text:level="1" style:num-format="1" style:num-suffix="."/>)"
      R"(<text:outline-level-style text:level="2" style:num-format="1" text:display-levels="2"/>)";
  const std::string body =
      R"(<text:tracked-changes><text:changed-region><text:deletion><text:p>deleted words</text:p></text:deletion>)"
      R"(</text:changed-region></text:tracked-changes>)"
      R"(<text:table-of-content><text:index-body><text:p>1. Scope 1</text:p></text:index-body></text:table-of-content>)"
      R"(<text:p text:style-name="Title">Board minutes</text:p>)"
      R"(<text:h text:outline-level="1">Scope</text:h>)"
      R"(<text:p>The board met<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>)"
      R"(<text:note-body><text:p>In Geneva.</text:p></text:note-body></text:note> on Monday.<text:s text:c="2"/>)"
      R"(<office:annotation><text:p>check the date</text:p></office:annotation>Quorum<text:tab/>yes</text:p>)"
      R"(<text:h text:outline-level="2">Votes</text:h><text:soft-page-break/>)"
      R"(<table:table><table:table-row><table:table-cell><text:p>Motion</text:p></table:table-cell>)"
      R"(<table:table-cell><text:p>Carried</text:p></table:table-cell></table:table-row></table:table>)"
      R"(<text:p>Adjourned at <text:soft-page-break/>noon.</text:p>)";
  const ExtractedText t = extractOk(odtBytes(body, outline, "<dc:title>Minutes, 3 March</dc:title><meta:initial-creator>K. Osei</meta:initial-creator>"));
  EXPECT_EQ(t.text,
            "# Board minutes\n\n# 1. Scope\n\nThe board met[1] on Monday.  Quorum\tyes\n\n## 1.1 Votes\n\nMotion | Carried\n\n"
            "Adjourned at noon.\n\n# Notes\n\n[1] In Geneva.\n\n");
  EXPECT_EQ(t.title, "Minutes, 3 March");
  EXPECT_EQ(t.author, "K. Osei");
  ASSERT_EQ(t.page_starts.size(), 3u);
  EXPECT_EQ(t.text.substr(static_cast<size_t>(t.page_starts[1]), 6), "Motion");
  EXPECT_EQ(t.text.substr(static_cast<size_t>(t.page_starts[2]), 5), "noon.");
}

TEST(ExtractOdt, OpenDocumentFilesAreToldApartByContent) {
  EXPECT_EQ(classifySource("minutes.odt").kind, SourceKind::Word);
  // Named .docx, it is still read as what it is.
  auto r = extractBytes(odtBytes("<text:p>hello</text:p>"), SourceType{SourceKind::Word, ""}, "misnamed.docx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "hello\n\n");
  auto missing = extractBytes(folio::test::zipBytes({{"mimetype", "application/vnd.oasis.opendocument.text"}}),
                              SourceType{SourceKind::Word, ""}, "empty.odt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("empty.odt: not an OpenDocument text (no content.xml)"), std::string::npos)
      << missing.error().message;
}

}  // namespace
}  // namespace folio::ingest
