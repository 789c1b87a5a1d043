// A typeset contract repeats its running header and footer on every page; they are removed where they
// stand (a page's first and last lines), and nothing else is.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ingest/extract.h"
#include "ingest/running_lines.h"

namespace folio::ingest {
namespace {

// Pages joined as PDF text is: each page's lines, then a blank line.
ExtractedText paged(const std::vector<std::string>& pages) {
  ExtractedText doc;
  for (const auto& p : pages) {
    doc.page_starts.push_back(static_cast<int64_t>(doc.text.size()));
    doc.text += p + "\n\n";
  }
  return doc;
}

std::string page(const ExtractedText& doc, size_t p) {
  const auto begin = static_cast<size_t>(doc.page_starts[p]);
  const size_t end = p + 1 < doc.page_starts.size() ? static_cast<size_t>(doc.page_starts[p + 1]) : doc.text.size();
  return doc.text.substr(begin, end - begin);
}

TEST(RunningLines, HeadersFootersAndPageNumbersAreRemovedFromEveryPage) {
  const std::vector<std::string> words = {"Services", "Fees", "Term", "Liability", "Insurance", "Notices"};
  std::vector<std::string> pages;
  for (int p = 1; p <= 6; ++p) {
    std::string body;
    for (int l = 0; l < 4; ++l)
      body += words[(p + l) % 6] + " are governed by clause " + std::to_string(p * 10 + l) + " of " + words[l] + ".\n";
    pages.push_back("ACME Master Services Agreement - CONFIDENTIAL\n" + body + "Page " + std::to_string(p) +
                    " of 6\nDOCS_NY 4431v" + std::to_string(p % 3 + 1));
  }
  ExtractedText doc = paged(pages);
  EXPECT_EQ(removeRunningLines(doc), 5u * 3 + 2);  // pages 2-6: header, page, doc number; page 1: footers
  ASSERT_EQ(doc.page_starts.size(), 6u);
  // Page 1 keeps its top line: a cover page's title.
  EXPECT_EQ(page(doc, 0).rfind("ACME Master Services Agreement - CONFIDENTIAL\nFees are governed by clause 10", 0), 0u);
  EXPECT_EQ(page(doc, 3), "Insurance are governed by clause 40 of Services.\nNotices are governed by clause 41 of Fees.\n"
                          "Services are governed by clause 42 of Term.\nFees are governed by clause 43 of Liability.\n\n");
  EXPECT_EQ(doc.text.find("CONFIDENTIAL", static_cast<size_t>(doc.page_starts[1])), std::string::npos);
  EXPECT_EQ(doc.text.find("Page "), std::string::npos);
  EXPECT_EQ(doc.text.find("DOCS_NY"), std::string::npos);
}

// A PDF's comments follow each page's own text; the footer is found above them, and they stay.
TEST(RunningLines, TheFooterIsLookedForAboveLinesAddedAfterThePage) {
  std::vector<std::string> pages;
  std::vector<int64_t> body_ends;
  ExtractedText doc;
  for (int p = 1; p <= 5; ++p) {
    doc.page_starts.push_back(static_cast<int64_t>(doc.text.size()));
    const std::string letter(1, static_cast<char>('A' + p));
    doc.text += "Clause " + letter + " binds the parties.\nIt says more about " + letter + ".\nAnd more on " + letter +
                ".\nIt ends with " + letter + ".\nPage " + std::to_string(p) + " of 5\n";
    body_ends.push_back(static_cast<int64_t>(doc.text.size()));
    doc.text += "[Comment by J. Smith: check " + std::to_string(p) + "]\n[Comment by A. Jones: agreed]\n"
                "[Comment by J. Smith: done]\n[Comment by B. Lee: fine " + std::string(1, static_cast<char>('a' + p)) + "]\n";
  }
  EXPECT_EQ(removeRunningLines(doc, body_ends), 5u);
  EXPECT_EQ(doc.text.find("Page "), std::string::npos);
  EXPECT_NE(doc.text.find("[Comment by A. Jones: agreed]"), std::string::npos);
}

// A PDF printed from a firm's template: the clauses that cross a page carried the header, the page
// number and the document number in their text (7 of its 50 chunks).
TEST(RunningLines, APdfsRunningHeaderAndFooterAreNotRead) {
  auto doc = extractDocument(std::filesystem::path(FOLIO_FIXTURES_DIR) / "pdf" / "running_header.pdf",
                             SourceType{SourceKind::Pdf, ""});
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_EQ(doc->page_starts.size(), 6u);
  EXPECT_EQ(doc->text.rfind("ACME Corp - Master Services Agreement - CONFIDENTIAL\n", 0), 0u);  // the cover's
  EXPECT_EQ(doc->text.find("CONFIDENTIAL", static_cast<size_t>(doc->page_starts[1])), std::string::npos);
  EXPECT_EQ(doc->text.find("Page "), std::string::npos);
  EXPECT_EQ(doc->text.find("DOCS_NY"), std::string::npos);
  EXPECT_NE(doc->text.find("12.4 The parties agree that the notices provisions"), std::string::npos);
}

TEST(RunningLines, TextThatIsNotRepeatedStays) {
  // Lines repeated on fewer than half the pages, or in the middle of pages, are text.
  const std::vector<std::string> words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
                                          "india", "juliet", "kilo", "lima"};
  std::vector<std::string> pages;
  for (int p = 0; p < 8; ++p) {
    std::string t = p < 3 ? "Schedule 1 - Prices\n" : "";
    for (int l = 0; l < 3; ++l) t += "The " + words[(p + l) % 12] + " term is " + words[(p + l + 5) % 12] + ".\n";
    for (int l = 0; l < 4; ++l) t += "The Customer shall pay.\n";
    for (int l = 0; l < 3; ++l) t += "A " + words[(p * 3 + l) % 12] + " clause ends with " + words[(p + 2 * l) % 12] + ".\n";
    pages.push_back(t);
  }
  ExtractedText doc = paged(pages);
  const std::string before = doc.text;
  EXPECT_EQ(removeRunningLines(doc), 0u);
  EXPECT_EQ(doc.text, before);
}

TEST(RunningLines, FewPagesOrNoPagesAreLeftAlone) {
  ExtractedText three = paged({"Header\nA.\nPage 1", "Header\nB.\nPage 2", "Header\nC.\nPage 3"});
  const std::string before = three.text;
  EXPECT_EQ(removeRunningLines(three), 0u);
  EXPECT_EQ(three.text, before);
  ExtractedText none;
  none.text = "Header\nHeader\nHeader\nHeader\n";
  EXPECT_EQ(removeRunningLines(none), 0u);
  ExtractedText bad = paged({"a", "b", "c", "d"});
  bad.page_starts[2] = 1000;  // not within the text: left as it is
  EXPECT_EQ(removeRunningLines(bad), 0u);
}

}  // namespace
}  // namespace folio::ingest
