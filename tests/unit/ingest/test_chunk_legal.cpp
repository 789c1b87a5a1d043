#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "bench/bench_pdf_writer.h"
#include "unit/ingest/test_chunk_support.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::findByLast;
using test::findByPath;

const EstimatingTokenCounter kTokens;

ExtractedText contract() {
  auto r = extractDocument(fs::path(FOLIO_RESOURCES_DIR) / "samples/contracts/services-agreement.pdf",
                           SourceType{SourceKind::Pdf, ""});
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : ExtractedText{};
}

TEST(ChunkLegal, SampleContractIsClassifiedLegal) {
  EXPECT_EQ(classifyText(contract().text), TextGenre::Legal);
}

// A plain-English agreement ("Provider will ...", defined terms, no "shall", "hereby" or "Party") is a
// contract; Common Paper's Business Associate Agreement and SLA were chunked as generic paragraphs with
// no headings. A technical report with numbered sections that mentions a breach is not.
TEST(ChunkLegal, PlainEnglishAgreementIsLegal) {
  const std::string baa =
      "Business Associate Agreement\n"
      "1. Business Associate Obligations\n"
      "1.1 Obligations and Restrictions. Provider may not use or disclose PHI other than as described in "
      "this BAA, as permitted under the Privacy Rule, or as otherwise required by applicable law.\n"
      "1.2 Safeguards. Provider will implement appropriate safeguards to protect the confidentiality of PHI "
      "pursuant to the Security Rule.\n"
      "2. Breach Notification\n"
      "2.1 Breach Reporting. Provider will report to Company each use or disclosure of PHI not permitted "
      "under this BAA, including breaches of unsecured PHI.\n"
      "3. Term & Termination\n"
      "3.1 Term. This BAA continues until the Services end. Either party may terminate this BAA if the other "
      "breaches a material obligation.\n"
      "4. Definitions\n"
      "4.1 \xE2\x80\x9CPHI\xE2\x80\x9D means protected health information.\n"
      "4.2 \xE2\x80\x9CServices\xE2\x80\x9D means the services Provider performs for Company.\n";
  EXPECT_EQ(classifyText(baa), TextGenre::Legal);
  const std::string report =
      "Incident report\n"
      "1. Summary\n"
      "On 3 May the build farm was unreachable for two hours after a certificate expired.\n"
      "2. Timeline\n"
      "The first alert fired at 09:12; the on-call engineer rotated the certificate at 11:05.\n"
      "3. Impact\n"
      "No data breach occurred. Builds queued during the outage ran afterwards.\n"
      "4. Actions\n"
      "Certificates are now renewed thirty days before they expire, and the renewal is monitored.\n";
  EXPECT_EQ(classifyText(report), TextGenre::Generic);
}

TEST(ChunkLegal, SampleContractClause10_2WithPageSpan) {
  const ExtractedText doc = contract();
  const auto chunks = chunkDocument(doc, SourceType{SourceKind::Pdf, ""}, kTokens);
  expectProvenance(doc, chunks);
  const Chunk* c = findByPath(chunks, {"10. Term and Termination", "10.2"});
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, ChunkKind::Clause);
  EXPECT_EQ(c->page_first, 4);
  EXPECT_EQ(c->page_last, 4);
  EXPECT_EQ(c->text.rfind("10.2 Either Party may terminate", 0), 0u) << c->text;
  EXPECT_EQ(c->text.find("10.3"), std::string::npos);
}

TEST(ChunkLegal, SampleContractClauseAcrossPageBreak) {
  const ExtractedText doc = contract();
  const auto chunks = chunkLegal(doc, kTokens);
  // Clause 2.2 starts on page 1 and ends on page 2; 2.3 continues the numbering on page 2.
  const Chunk* c22 = findByPath(chunks, {"2. Scope of Services", "2.2"});
  ASSERT_NE(c22, nullptr);
  EXPECT_EQ(c22->page_first, 1);
  EXPECT_EQ(c22->page_last, 2);
  EXPECT_NE(c22->text.find("expressly states the clause"), std::string::npos);
  const Chunk* c23 = findByPath(chunks, {"2. Scope of Services", "2.3"});
  ASSERT_NE(c23, nullptr);
  EXPECT_EQ(c23->page_first, 2);
  EXPECT_EQ(c23->line_first, 2);  // lines count within the page
}

TEST(ChunkLegal, DefinitionsAndSchedules) {
  const ExtractedText doc = contract();
  const auto chunks = chunkLegal(doc, kTokens);
  const Chunk* d = findByPath(chunks, {"1. Definitions", "1.2 \"Customer Data\""});
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->kind, ChunkKind::Definitions);
  const Chunk* first = findByPath(chunks, {"1. Definitions", "1.1 \"Confidential Information\""});
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->text.rfind("1. Definitions\n1.1", 0), 0u);  // the bare heading folds into 1.1
  int schedules = 0;
  for (const Chunk& c : chunks) schedules += c.kind == ChunkKind::Schedule;
  EXPECT_EQ(schedules, 4);
  const Chunk* s2 = findByLast(chunks, "Schedule 2 \xE2\x80\x93 Service Levels");
  ASSERT_NE(s2, nullptr);
  EXPECT_EQ(s2->page_first, 5);
  const Chunk* pre = findByPath(chunks, {"Preamble"});
  ASSERT_NE(pre, nullptr);
  EXPECT_NE(pre->text.find("MASTER SERVICES"), std::string::npos);
}

TEST(ChunkLegal, ArticlesSectionsItemsAndNoiseLines) {
  ExtractedText doc;
  doc.text =
      "ARTICLE I - DEFINITIONS\n"          // p1 l1
      "1.1 \"Buyer\" means the purchaser.\n"  // l2
      "ARTICLE II - PAYMENT\n"             // l3
      "2.1 The Buyer shall pay within\n"   // l4
      "30 days of the invoice date.\n"     // l5: a wrapped line starting with a number
      "7\n"                                // l6: a page number
      "2.2 Late payments bear interest.\n" // p2 l1
      "Section 3. Delivery\n"              // l2
      "3.1 Goods are delivered:\n"         // l3
      "(a) by road; or\n"                  // l4
      "(b) by rail.\n";                    // l5
  doc.page_starts = {0, static_cast<int64_t>(doc.text.find("2.2 Late"))};
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  const Chunk* def = findByPath(chunks, {"ARTICLE I - DEFINITIONS", "1.1 \"Buyer\""});
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->kind, ChunkKind::Definitions);
  const Chunk* c21 = findByPath(chunks, {"ARTICLE II - PAYMENT", "2.1"});
  ASSERT_NE(c21, nullptr);
  EXPECT_NE(c21->text.find("30 days"), std::string::npos);
  const Chunk* c22 = findByPath(chunks, {"ARTICLE II - PAYMENT", "2.2"});
  ASSERT_NE(c22, nullptr);
  EXPECT_EQ(c22->page_first, 2);
  EXPECT_EQ(c22->line_first, 1);
  const Chunk* c31 = findByPath(chunks, {"Section 3. Delivery", "3.1"});
  ASSERT_NE(c31, nullptr);
  EXPECT_NE(c31->text.find("(b) by rail."), std::string::npos);  // small clause keeps its items
  // A tiny target splits the clause at its items.
  ChunkOptions tiny;
  tiny.target_tokens = 16;
  const auto split = chunkLegal(doc, kTokens, tiny);
  expectProvenance(doc, split);
  const Chunk* item = findByPath(split, {"Section 3. Delivery", "3.1", "(b)"});
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->text, "(b) by rail.");
}

TEST(ChunkLegal, ImplausibleNumbersAreNotHeadings) {
  ExtractedText doc;
  doc.text =
      "1. Scope\n1.1 The Supplier shall comply with Regulation (EU)\n2016/679.\n"
      "1.2 It shall pay 5.5 percent.\n99. Not A Clause\n2. Term\n2.1 One year.\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  ASSERT_NE(findByPath(chunks, {"1. Scope", "1.2"}), nullptr);
  EXPECT_NE(findByPath(chunks, {"1. Scope", "1.2"})->text.find("99. Not A Clause"), std::string::npos);
  ASSERT_NE(findByPath(chunks, {"2. Term", "2.1"}), nullptr);
}

// A cross-reference wrapped to the start of a line ("as set out in" / "Section 12. The Customer ...") was
// taken for a heading, and every later clause was filed under it.
TEST(ChunkLegal, CrossReferenceWrappedToTheStartOfALineIsNotAHeading) {
  ExtractedText doc;
  doc.text =
      "1. Services\n"
      "1.1 The Supplier shall meet the service levels described in\n"
      "Section 12. The Customer shall give the Supplier access to its premises.\n"
      "1.2 The Supplier shall keep records as set out in\n"
      "Section 999 \xE2\x80\x93 Records of the Statement of Work.\n"
      "\n"
      "2. Fees\n"
      "2.1 The Customer shall pay within 30 days.\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  const Chunk* c11 = findByPath(chunks, {"1. Services", "1.1"});
  ASSERT_NE(c11, nullptr);
  EXPECT_NE(c11->text.find("Section 12. The Customer"), std::string::npos);
  const Chunk* c12 = findByPath(chunks, {"1. Services", "1.2"});
  ASSERT_NE(c12, nullptr);
  EXPECT_NE(c12->text.find("Section 999"), std::string::npos);
  EXPECT_NE(findByPath(chunks, {"2. Fees", "2.1"}), nullptr);
}

// A clause's run-in title is part of its heading, as a reader cites it ("8.1 Liability Caps"); a
// definition names its term; a first sentence is no title. Headings were the bare number ("8.1"), and a
// long top-level clause's heading its first 80 bytes ("2. Support. During the Subscription Period, …").
TEST(ChunkLegal, ClauseHeadingsCarryTheirRunInTitles) {
  ExtractedText doc;
  doc.text =
      "1. Service\n"
      "1.1 Access and Use. During the Subscription Period, Customer may access and use the Cloud Service.\n"
      "1.2 Modifications, Severability, and Waiver. Any waiver must be in writing.\n"
      "1.3 The Supplier shall deliver the Goods. Delivery is at the Supplier's cost.\n"
      "1.4 \xE2\x80\x9CHHS\xE2\x80\x9D means the U.S. Department of Health and Human Services.\n"
      "1.5 Fees are stated in U.S. Dollars.\n"
      "2. Support. During the Subscription Period, Provider will provide Technical Support as described.\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  EXPECT_NE(findByPath(chunks, {"1. Service", "1.1 Access and Use"}), nullptr);
  EXPECT_NE(findByPath(chunks, {"1. Service", "1.2 Modifications, Severability, and Waiver"}), nullptr);
  EXPECT_NE(findByPath(chunks, {"1. Service", "1.3"}), nullptr);  // a sentence, not a title
  EXPECT_NE(findByPath(chunks, {"1. Service", "1.4 \xE2\x80\x9CHHS\xE2\x80\x9D"}), nullptr);
  EXPECT_NE(findByPath(chunks, {"1. Service", "1.5"}), nullptr);  // "Fees are stated in U" is no title
  EXPECT_NE(findByPath(chunks, {"2. Support"}), nullptr);
}

// A reference to a numbered section with its title in brackets, wrapped to the start of a line after a
// verb ("(b) breaches"), was taken for a "Section 2" heading, and every clause after it filed under
// "Section 2.1 (Restrictions on Customer); or (c) uses the Product".
TEST(ChunkLegal, BracketedSectionReferenceAtALineStartIsNotAHeading) {
  ExtractedText doc;
  doc.text =
      "1. Service\n"
      "1.1 Access. Customer may use the Product.\n"
      "2. Restrictions\n"
      "2.1 Restrictions on Customer. Customer will not copy the Product.\n"
      "2.2 Suspension. If Customer (a) owes a balance for 30 days; (b) breaches\n"
      "Section 2.1 (Restrictions on Customer); or (c) uses the Product unlawfully, Provider may\n"
      "suspend Customer's access.\n"
      "3. Fees\n"
      "3.1 Invoicing. Provider will invoice monthly.\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  const Chunk* c22 = findByPath(chunks, {"2. Restrictions", "2.2 Suspension"});
  ASSERT_NE(c22, nullptr);
  EXPECT_NE(c22->text.find("suspend Customer's access"), std::string::npos);
  EXPECT_NE(findByPath(chunks, {"3. Fees", "3.1 Invoicing"}), nullptr);
}

// US agreements number their sections within articles ("Section 2.03 Prepayments.") and put an
// article's title on the line under it ("ARTICLE II" / "THE LOANS"). Those sections were no headings
// (every "Section N.NN" line was refused as a second article N), so a credit agreement's chunks were
// "ARTICLE II" alone, cut by size; and its table of contents, taken for headings, used up the numbering.
TEST(ChunkLegal, UsStyleSectionsWithinArticles) {
  ExtractedText doc;
  doc.text =
      "CREDIT AGREEMENT\n\n"
      "TABLE OF CONTENTS\n"
      "ARTICLE I DEFINITIONS 1\n"
      "SECTION 1.01. Defined Terms 1\n"
      "ARTICLE II THE LOANS ........ 6\n"
      "SECTION 2.01. The Loans 6\n"
      "SECTION 2.02. Borrowings 6\n"
      "SECTION 2.03. Prepayments 7\n"
      "ARTICLE III TAXES 8\n"
      "SECTION 3.01. Taxes ........ 8\n\n"
      "ARTICLE I\nDEFINITIONS\n\n"
      "Section 1.01 Defined Terms. As used in this Agreement, the following terms have the meanings below.\n\n"
      "\"Borrower\" means Acme Corp.\n\n"
      "ARTICLE II\nTHE LOANS\n\n"
      "Section 2.01 The Loans. Each Lender severally agrees to make loans to the Borrower; provided that no "
      "Default exists.\n\n"
      "Section 2.02 Borrowings. Each Borrowing shall be made upon the Borrower's irrevocable notice.\n"
      "Section 2.05 shall not apply to a Borrowing in an Alternative Currency.\n\n"
      "Section 2.03 Prepayments. The Borrower may voluntarily prepay the Loans in whole or in part.\n\n"
      "ARTICLE III\nTAXES\n\n"
      "Section 3.01 Taxes. Payments shall be made free and clear of Taxes.\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  const Chunk* defined = findByPath(chunks, {"ARTICLE I DEFINITIONS", "Section 1.01 Defined Terms"});
  ASSERT_NE(defined, nullptr);
  EXPECT_EQ(defined->kind, ChunkKind::Definitions);
  EXPECT_NE(defined->text.find("Acme Corp"), std::string::npos);
  EXPECT_NE(findByPath(chunks, {"ARTICLE II THE LOANS", "Section 2.01 The Loans"}), nullptr);  // its ';' is body
  const Chunk* borrowings = findByPath(chunks, {"ARTICLE II THE LOANS", "Section 2.02 Borrowings"});
  ASSERT_NE(borrowings, nullptr);
  EXPECT_NE(borrowings->text.find("Section 2.05 shall not apply"), std::string::npos);  // a sentence about it
  const Chunk* prepay = findByPath(chunks, {"ARTICLE II THE LOANS", "Section 2.03 Prepayments"});
  ASSERT_NE(prepay, nullptr);
  EXPECT_EQ(prepay->kind, ChunkKind::Clause);
  EXPECT_EQ(prepay->text.find("Section 3.01"), std::string::npos);
  EXPECT_NE(findByPath(chunks, {"ARTICLE III TAXES", "Section 3.01 Taxes"}), nullptr);
}

// A clause line that ends in a number is no contents entry: its words are a sentence, not a title.
TEST(ChunkLegal, AClauseLineEndingInANumberIsStillAHeading) {
  ExtractedText doc;
  doc.text = "1. Fees\n1.1 The Customer pays each invoice within 30\ndays.\n1.2 Late Payment. Interest accrues at 5\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  EXPECT_NE(findByPath(chunks, {"1. Fees", "1.1"}), nullptr);
  EXPECT_NE(findByPath(chunks, {"1. Fees", "1.2 Late Payment"}), nullptr);
}

// A title line is taken only straight under its untitled article: a body line after it is not one.
TEST(ChunkLegal, AnArticlesTitleIsTheLineRightUnderIt) {
  ExtractedText doc;
  doc.text =
      "ARTICLE I\nGENERAL\n\n1.1 Scope. This Agreement governs the Services.\n\n"
      "ARTICLE II\n\n2.1 Fees. The Customer pays the Fees.\nLate Fees Apply\n"
      "ARTICLE III\nSECTION 3.01. Notices\nNotices are in writing.\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  EXPECT_NE(findByPath(chunks, {"ARTICLE I GENERAL", "1.1 Scope"}), nullptr);
  const Chunk* fees = findByPath(chunks, {"ARTICLE II", "2.1 Fees"});
  ASSERT_NE(fees, nullptr);
  EXPECT_NE(fees->text.find("Late Fees Apply"), std::string::npos);
  EXPECT_NE(findByPath(chunks, {"ARTICLE III", "SECTION 3.01 Notices"}), nullptr);
}

// A line that simply lacks its full stop (a list item, a title, a table row) does not make the next
// "Section" line a cross-reference: only a line ending in a word that calls for more ("in", "of",
// "under", a comma) does.
TEST(ChunkLegal, SectionAfterALineWithoutAFullStopIsStillAHeading) {
  ExtractedText doc;
  doc.text =
      "Section 1 - Definitions\n"
      "1.1 \"Fees\" means the amounts listed in the price table\n"
      "Section 2 - Services and deliverables\n"
      "2.1 The Supplier shall provide the Services as described under\n"
      "Section 1 of the Statement of Work.\n"
      "Section 3 - Fees\n"
      "3.1 The Customer shall pay within 30 days.\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  EXPECT_NE(findByPath(chunks, {"Section 1 - Definitions", "1.1 \"Fees\""}), nullptr);
  const Chunk* c21 = findByPath(chunks, {"Section 2 - Services and deliverables", "2.1"});
  ASSERT_NE(c21, nullptr);
  EXPECT_NE(c21->text.find("Section 1 of the Statement"), std::string::npos);
  EXPECT_NE(findByPath(chunks, {"Section 3 - Fees", "3.1"}), nullptr);
}

// A page header "Section 999 - Draft" on the first page was taken for the first section; every real
// section after it (numbered below 999) was then refused.
TEST(ChunkLegal, FirstSectionNumberMustBePlausible) {
  ExtractedText doc;
  doc.text =
      "Section 999 - Draft for discussion\n"
      "SERVICES AGREEMENT\n"
      "\n"
      "Section 1 - Definitions\n"
      "1.1 \"Fees\" means the fees in the Schedule.\n"
      "\n"
      "Section 2 - Services\n"
      "2.1 The Supplier shall provide the Services.\n";
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  for (const Chunk& c : chunks) EXPECT_NE(c.heading_path.front(), "Section 999 - Draft for discussion");
  EXPECT_NE(findByPath(chunks, {"Section 1 - Definitions", "1.1 \"Fees\""}), nullptr);
  EXPECT_NE(findByPath(chunks, {"Section 2 - Services", "2.1"}), nullptr);
}

// The legal chunks of `doc`, their provenance checked.
std::vector<Chunk> checkedLegalChunks(const ExtractedText& doc) {
  auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  return chunks;
}

// A clause whose sentence runs over a page break ("... under clause" at the foot of page 1, "2.3 for each
// day of delay." at the top of page 2) was cut at the break: the wrapped reference became heading 2.3, the
// cited passage ended "under clause", and clause 1.3 and section 2 after it were refused as out of sequence.
TEST(ChunkLegal, ReferenceWrappedOverAPageBreakStaysInItsClause) {
  const std::vector<std::vector<std::string>> pages = {
      {"1. Delivery", "1.1 The Supplier shall deliver the Goods on the Delivery Date.",
       "1.2 If the Supplier misses the Delivery Date, it shall pay the amount stated under clause"},
      {"2.3 for each day of delay.", "1.3 The Customer may deduct that amount from any invoice.", "2. Payment",
       "2.1 The Customer shall pay within 30 days.", "2.2 Interest accrues on late payment.",
       "2.3 Liquidated damages are 500 dollars per day."}};
  const fs::path pdf = fs::temp_directory_path() / ("folio-legal-pagebreak-" + std::to_string(::getpid()) + ".pdf");
  std::ofstream(pdf, std::ios::binary) << bench::writeTextPdf(pages, "Supply Agreement");
  auto r = extractDocument(pdf, SourceType{SourceKind::Pdf, ""});
  fs::remove(pdf);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto chunks = checkedLegalChunks(*r);
  const Chunk* c12 = findByPath(chunks, {"1. Delivery", "1.2"});
  ASSERT_NE(c12, nullptr);
  EXPECT_NE(c12->text.find("under clause"), std::string::npos) << c12->text;
  EXPECT_NE(c12->text.find("2.3 for each day of delay."), std::string::npos) << c12->text;
  EXPECT_EQ(c12->page_first, 1);
  EXPECT_EQ(c12->page_last, 2);
  EXPECT_NE(findByPath(chunks, {"1. Delivery", "1.3"}), nullptr);
  const Chunk* c23 = findByPath(chunks, {"2. Payment", "2.3"});
  ASSERT_NE(c23, nullptr);
  EXPECT_EQ(c23->text.rfind("2.3 Liquidated damages", 0), 0u) << c23->text;
}

// The number of the clause one is in, wrapped to the start of a line ("under Clause" / "1.5 is 1005
// dollars."), is a reference to it: clause numbers only move forward.
TEST(ChunkLegal, RepeatedClauseNumberIsAReference) {
  const auto chunks = checkedLegalChunks(test::textDoc(
      "1. Remedies\n"
      "1.5 Damages\n"
      "The Supplier shall pay damages. The liquidated damages amount under Clause\n"
      "1.5 is 1005 dollars.\n"
      "1.6 Notices\n"
      "Notices are given in writing.\n"));
  const Chunk* c15 = findByPath(chunks, {"1. Remedies", "1.5 Damages"});
  ASSERT_NE(c15, nullptr);
  EXPECT_NE(c15->text.find("1.5 is 1005 dollars."), std::string::npos) << c15->text;
  for (const Chunk& c : chunks) EXPECT_NE(c.text.rfind("1.5 is", 0), 0u) << c.text;
  EXPECT_NE(findByPath(chunks, {"1. Remedies", "1.6 Notices"}), nullptr);
}

}  // namespace
}  // namespace folio::ingest
