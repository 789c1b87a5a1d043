// formatPdfMarkup: threads of replies, quotes under highlights, values drawn on the page left out.
#include "ingest/pdf_markup.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace folio::ingest {
namespace {

PdfComment note(int ref, int irt, std::string author, std::string text) {
  PdfComment c;
  c.ref = ref;
  c.in_reply_to = irt;
  c.author = std::move(author);
  c.text = std::move(text);
  return c;
}

TEST(PdfMarkupFormat, RepliesIndentUnderTheirParentWhateverTheOrder) {
  PdfPageMarkup m;
  m.comments = {note(12, 11, "C", "second reply"), note(10, -1, "A", "root"), note(11, 10, "B", "first reply"),
                note(13, 10, "D", "sibling")};
  EXPECT_EQ(formatPdfMarkup(3, m),
            "[comment p.3, A: root]\n"
            "  [reply p.3, B: first reply]\n"
            "    [reply p.3, C: second reply]\n"
            "  [reply p.3, D: sibling]\n");
}

TEST(PdfMarkupFormat, IrtLoopsAndMissingParentsStandAlone) {
  PdfPageMarkup m;
  m.comments = {note(1, 2, "A", "loop one"), note(2, 1, "B", "loop two"), note(3, 3, "S", "self"),
                note(4, 99, "M", "parent elsewhere")};
  EXPECT_EQ(formatPdfMarkup(1, m),
            "[reply p.1, S: self]\n"
            "[reply p.1, M: parent elsewhere]\n"
            "[reply p.1, A: loop one]\n"
            "  [reply p.1, B: loop two]\n");
}

TEST(PdfMarkupFormat, DeepThreadKeepsItsIndentBoundedWithoutRecursion) {
  PdfPageMarkup m;
  const int n = 200000;
  m.comments.push_back(note(0, -1, "", "root"));
  for (int i = 1; i < n; ++i) m.comments.push_back(note(i, i - 1, "", "r"));
  const std::string out = formatPdfMarkup(1, m);
  EXPECT_NE(out.find("\n            [reply p.1: r]\n"), std::string::npos);  // 6 levels deep
  EXPECT_EQ(out.find("\n             "), std::string::npos);                  // and no deeper
  EXPECT_NE(out.find("left out: over 4 MiB"), std::string::npos);
}

}  // namespace
}  // namespace folio::ingest
