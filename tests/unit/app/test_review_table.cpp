// A review table (review_table.h): 12 contracts × 3 questions. Every contract is a row, by path; a
// cell holds the clause that answers (quoted at its sentence, with where it lies) — a column names a
// topic, and the clause titled with it answers it ("4. Termination" for "Termination for convenience",
// whatever it allows) — or "not found" where the contract has no such clause; with a model each found
// cell is the model's answer read from that clause; a stop keeps the cells asked; the grid exports as CSV.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/pipeline/each_document.h"
#include "app/pipeline/review_format.h"
#include "app/pipeline/review_table.h"
#include "app/report/report_render.h"
#include "unit/app/notes_library.h"

namespace fs = std::filesystem;

namespace folio::app {
namespace {

const fs::path kTinyModel = fs::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls";

bool hasGoverningLaw(int i) { return i % 3 != 2; }
bool allowsConvenience(int i) { return i % 4 == 0; }
const char* state(int i) { return i % 2 ? "New York" : "Delaware"; }

// Contract i: services clauses, termination (for convenience when allowsConvenience), a liability cap,
// and a governing-law clause when hasGoverningLaw.
std::vector<std::pair<std::string, std::string>> contracts(int n) {
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < n; ++i) {
    std::string t = "SERVICES AGREEMENT " + std::to_string(i) + "\n\n";
    for (int k = 1; k <= 3; ++k) {
      t += std::to_string(k) + ". Services " + std::to_string(k) + "\n\n";
      for (int j = 1; j <= 6; ++j)
        t += std::to_string(k) + "." + std::to_string(j) +
             " The Supplier shall perform the Services diligently, keep records of the work and report on it "
             "monthly to the Customer's representative.\n\n";
    }
    t += "4. Termination\n\n4.1 ";
    t += allowsConvenience(i) ? "Either party may terminate this Agreement for convenience on ninety days' notice."
                              : "Either party may terminate this Agreement if the other commits a material breach.";
    t += "\n\n5. Limitation of Liability\n\n5.1 Neither party's total liability shall exceed the fees paid in the "
         "twelve months before the claim.\n\n";
    if (hasGoverningLaw(i))
      t += std::string("6. Governing Law\n\n6.1 This Agreement is governed by the laws of the State of ") + state(i) + ".\n";
    out.push_back({"msa_" + std::to_string(100 + i) + ".txt", t});
  }
  return out;
}

const std::vector<std::string> kQuestions = {"Governing law", "Termination for convenience", "Limitation of liability"};

class ReviewTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(notes_.open());
    ASSERT_TRUE(notes_.ingest("contracts", contracts(12), "contracts"));
  }
  ReviewOptions options() const {
    ReviewOptions o;
    o.questions = kQuestions;
    o.collection = "contracts";
    return o;
  }
  test::NotesLibrary notes_;
};

TEST_F(ReviewTableTest, EachContractARowEachQuestionACell) {
  std::vector<SummaryProgress> progress;
  auto t = reviewTable(*notes_.lib, nullptr, options(), [&](const SummaryProgress& p) { progress.push_back(p); });
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_FALSE(t->stopped);
  EXPECT_EQ(t->engine, "extractive");
  EXPECT_EQ(t->documents_in_scope, 12);
  EXPECT_EQ(t->collection, "contracts");
  ASSERT_EQ(t->rows.size(), 12u);
  EXPECT_EQ(t->found, (std::vector<int64_t>{8, 12, 12}));
  for (int i = 0; i < 12; ++i) {
    const ReviewRow& row = t->rows[i];
    EXPECT_EQ(row.document.rel_path, "msa_" + std::to_string(100 + i) + ".txt");  // by path
    ASSERT_EQ(row.cells.size(), 3u);
    const ReviewCell& law = row.cells[0];
    ASSERT_EQ(law.passage.has_value(), hasGoverningLaw(i)) << i;
    if (law.passage) {
      EXPECT_NE(law.text.find(std::string("laws of the State of ") + state(i)), std::string::npos) << law.text;
      EXPECT_EQ(reviewCellWhere(*law.passage).rfind("6. Governing Law", 0), 0u) << reviewCellWhere(*law.passage);
      EXPECT_LE(law.text.size(), kReviewQuoteBytes);
    } else {
      EXPECT_EQ(reviewCellText(law), "not found");
    }
    // Every contract's termination clause, which says whether it allows termination for convenience.
    const ReviewCell& convenience = row.cells[1];
    ASSERT_TRUE(convenience.passage) << i;
    EXPECT_EQ(reviewCellWhere(*convenience.passage).rfind("4. Termination", 0), 0u) << reviewCellWhere(*convenience.passage);
    EXPECT_NE(convenience.text.find(allowsConvenience(i) ? "for convenience" : "material breach"), std::string::npos)
        << convenience.text;
    ASSERT_TRUE(row.cells[2].passage);
    EXPECT_NE(row.cells[2].text.find("shall exceed the fees paid"), std::string::npos);
    for (const auto& c : row.cells) EXPECT_TRUE(c.asked);
  }
  // Progress counts cells, and ends with all 36 filled.
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().total, 36);
  EXPECT_EQ(progress.back().done, 36);
  EXPECT_EQ(progress.back().work, SummaryProgress::Work::ReviewCells);
  EXPECT_EQ(reviewFoundLine(*t), "Governing law 8/12 · Termination for convenience 12/12 · Limitation of liability 12/12");
}

TEST_F(ReviewTableTest, MatchingOnlyLeavesOutRowsWithNothingFound) {
  ReviewOptions o = options();
  o.questions = {"Governing law"};
  o.matching_only = true;
  auto t = reviewTable(*notes_.lib, nullptr, o);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->rows.size(), 8u);
  for (const auto& row : t->rows) EXPECT_EQ(row.found(), 1);
  EXPECT_NE(reviewText(*t).find("4 documents with no matching passage for any question are left out."), std::string::npos);
}

// With a model each found cell is the model's answer from that clause: one call per found cell, the
// same answers as the question asked of each document; cells not found cost no call.
TEST_F(ReviewTableTest, AModelAnswersEachFoundCellFromItsClause) {
  auto rt = loadModelRuntime(kTinyModel);
  ASSERT_TRUE(rt) << rt.error().message;
  ReviewOptions o = options();
  o.thinking_budget = 0;
  o.answer_budget = 4;
  o.context_window = 1200;
  auto t = reviewTable(*notes_.lib, &*rt, o);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->engine, rt->name);
  EXPECT_EQ(t->usage.calls, 8 + 12 + 12);
  for (const auto& row : t->rows)
    for (const auto& c : row.cells) {
      EXPECT_TRUE(c.asked);
      if (!c.passage) continue;
      EXPECT_FALSE(c.text.empty());
      EXPECT_EQ(c.text.find(" [1]"), std::string::npos) << c.text;  // the cell names its source, not a number
    }
  // The governing-law column, asked as a question of each document, gives the same answers in order.
  auto passages = bestPassagePerDocument(*notes_.lib, "Governing law", *notes_.lib->documents(), nullptr, ScreenFor::Topic);
  ASSERT_TRUE(passages);
  ASSERT_EQ(passages->size(), 8u);
  std::set<int64_t> with_law;
  for (const auto& p : *passages) with_law.insert(p.chunk.document_id);
  for (const auto& row : t->rows) EXPECT_EQ(row.cells[0].passage.has_value(), with_law.count(row.document.id) == 1);
  const std::string report = reviewEngineLabel(*t);
  EXPECT_EQ(report.rfind("Answers of " + rt->name, 0), 0u) << report;

  // Run again, the answers kept in the library fill the cells: no call, the same table.
  auto again = reviewTable(*notes_.lib, &*rt, o);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->usage.calls, 0);
  EXPECT_EQ(again->usage.reused, 32);
  for (size_t r = 0; r < t->rows.size(); ++r)
    for (size_t q = 0; q < 3; ++q) EXPECT_EQ(again->rows[r].cells[q].text, t->rows[r].cells[q].text) << r << " " << q;
  // Other budgets are other calls.
  o.answer_budget = 3;
  auto shorter = reviewTable(*notes_.lib, &*rt, o);
  ASSERT_TRUE(shorter);
  EXPECT_EQ(shorter->usage.calls, 32);
}

// A review with a model stopped half way keeps the answers it had; run again, it asks only the rest.
TEST_F(ReviewTableTest, ARunAfterAStopAsksOnlyWhatItHadNot) {
  auto rt = loadModelRuntime(kTinyModel);
  ASSERT_TRUE(rt) << rt.error().message;
  ReviewOptions o = options();
  o.thinking_budget = 0;
  o.answer_budget = 4;
  o.context_window = 1200;
  o.concurrent = 1;
  std::atomic<bool> stop{false};
  auto first = reviewTable(*notes_.lib, &*rt, o, [&](const SummaryProgress& p) {
    if (p.done >= 14) stop = true;  // the governing-law column (12 cells, 8 of them calls) and a few more
  }, &stop);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->stopped);
  int64_t asked = 0;  // answered before the stop (the call the stop cut short is not)
  for (const auto& row : first->rows)
    for (const auto& c : row.cells) asked += c.asked && c.passage ? 1 : 0;
  EXPECT_GE(asked, 9);
  auto rest = reviewTable(*notes_.lib, &*rt, o);
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_FALSE(rest->stopped);
  EXPECT_EQ(rest->usage.reused, asked);
  EXPECT_EQ(rest->usage.calls + rest->usage.reused, 32);
}

// A stop keeps the cells asked: here it comes once the first column is filled.
TEST_F(ReviewTableTest, AStopKeepsTheCellsAsked) {
  std::atomic<bool> stop{false};
  auto t = reviewTable(*notes_.lib, nullptr, options(), [&](const SummaryProgress& p) {
    if (p.done >= 12) stop = true;
  }, &stop);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_TRUE(t->stopped);
  for (const auto& row : t->rows) {
    EXPECT_TRUE(row.cells[0].asked);
    EXPECT_FALSE(row.cells[1].asked);
    EXPECT_EQ(reviewCellText(row.cells[2]), "not asked (stopped)");
  }
  EXPECT_NE(reviewText(*t).find("Stopped before the end"), std::string::npos);
  EXPECT_EQ(reviewFoundLine(*t), "Governing law 8/12 · Termination for convenience not asked · Limitation of liability not asked");
  // Stopped before anything: nothing asked, still a table to show.
  stop = true;
  auto none = reviewTable(*notes_.lib, nullptr, options(), {}, &stop);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->stopped);
  for (const auto& row : none->rows)
    for (const auto& c : row.cells) EXPECT_FALSE(c.asked);
}

TEST_F(ReviewTableTest, TheGridAsCsvAndItsReport) {
  auto t = reviewTable(*notes_.lib, nullptr, options());
  ASSERT_TRUE(t);
  const Report r = reviewReport(*t);
  EXPECT_EQ(r.title, "Review of 12 documents of collection \"contracts\", 3 questions");
  EXPECT_TRUE(r.wide);
  auto csv = renderCsv(r);
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(csv->find("\xEF\xBB\xBF" "Document,Governing law,Governing law (where),Termination for convenience,"
                      "Termination for convenience (where),Limitation of liability,Limitation of liability (where)\r\n"),
            0u)
      << csv->substr(0, 300);
  EXPECT_NE(csv->find("msa_102.txt,not found,,4.1 Either party may terminate this Agreement if the other commits a material "
                      "breach.,4. Termination › 4.1 (lines 45–47),"),
            std::string::npos)
      << *csv;
  const auto j = reviewJson(*t);
  EXPECT_EQ(j["rows"].size(), 12u);
  std::ostringstream streamed;
  writeReviewJson(streamed, *t);
  EXPECT_EQ(nlohmann::json::parse(streamed.str()), j);  // the same value, written a row at a time
  EXPECT_EQ(j["rows"][0]["cells"][0]["found"], true);
  EXPECT_EQ(j["rows"][2]["cells"][0]["text"], nullptr);
}

// A topic is answered by the clause titled with it, though the clause never says all of its words ("6.1
// Term" for "Term and renewal"), and preferred to one that only mentions them; a title sharing only a word
// that names no topic ("Logo Rights", "Standard Terms") answers nothing, nor does one mostly about
// something else.
TEST(ReviewTopics, AClauseTitledWithTheTopicAnswersIt) {
  test::NotesLibrary notes;
  ASSERT_TRUE(notes.open());
  // Enough numbered clauses, in sequence, that the files read as contracts (chunked by clause).
  std::string filler;
  for (int j = 1; j <= 8; ++j)
    filler += "2." + std::to_string(j) + " The Supplier shall perform the Services diligently and report monthly to the Customer.\n\n";
  const std::string a = "AGREEMENT A\n\n1. Services\n\n1.1 The renewal of any order needs a purchase order.\n\n2. Delivery\n\n" +
                        filler +
                        "3. Term\n\n3.1 This Agreement lasts two years from the Effective Date.\n\n"
                        "4. Logo Rights\n\n4.1 Provider may show Customer's logo on its website.\n";
  const std::string b = "AGREEMENT B\n\n1. Audit Rights\n\n1.1 Customer may audit Provider's records once a year.\n\n2. Delivery\n\n" +
                        filler +
                        "3. Standard Terms\n\n3.1 These standard terms govern every order.\n\n"
                        "4. Fees\n\n4.1 Customer pays the fees in each order within 30 days of invoice.\n";
  ASSERT_TRUE(notes.ingest("docs", {{"a.txt", a}, {"b.txt", b}}, "docs"));
  auto docs = notes.lib->documents();
  ASSERT_TRUE(docs);
  const auto cell = [&](const std::string& topic, const std::string& path) -> std::string {
    auto found = bestPassagePerDocument(*notes.lib, topic, *docs, nullptr, ScreenFor::Topic);
    EXPECT_TRUE(found) << found.error().message;
    for (const auto& r : *found)
      if (r.path == path) return r.chunk.heading;
    return "not found";
  };
  EXPECT_EQ(cell("Term and renewal", "a.txt"), "3. Term › 3.1");
  EXPECT_EQ(cell("Audit rights", "b.txt"), "1. Audit Rights › 1.1");
  EXPECT_EQ(cell("Audit rights", "a.txt"), "not found");  // "4. Logo Rights"
  EXPECT_EQ(cell("Payment terms", "b.txt"), "not found");  // "3. Standard Terms"; 4.1 says pays, not payment
  // Asked as a question, the clause must say the question's words.
  auto asked = bestPassagePerDocument(*notes.lib, "Term and renewal", *docs);
  ASSERT_TRUE(asked);
  for (const auto& r : *asked) EXPECT_NE(r.chunk.heading, "3. Term › 3.1");
}

// Many questions do not fit a page as columns: a section per document, its questions one under the other.
TEST_F(ReviewTableTest, ManyQuestionsAreLaidOutByDocument) {
  EXPECT_EQ(reviewLayoutFor(ReportFormat::Pdf, 4), ReviewLayout::Grid);
  EXPECT_EQ(reviewLayoutFor(ReportFormat::Pdf, 5), ReviewLayout::ByDocument);
  EXPECT_EQ(reviewLayoutFor(ReportFormat::Csv, 12), ReviewLayout::Grid);
  auto t = reviewTable(*notes_.lib, nullptr, options());
  ASSERT_TRUE(t);
  const Report r = reviewReport(*t, ReviewLayout::ByDocument);
  EXPECT_FALSE(r.wide);
  ASSERT_EQ(r.sections.size(), 13u);  // the found line, then each document
  EXPECT_TRUE(r.sections[0].tables.empty());
  EXPECT_EQ(r.sections[3].heading, "msa_102.txt");
  EXPECT_EQ(r.sections[3].label, "2 of 3 questions found");
  ASSERT_EQ(r.sections[3].tables.size(), 1u);
  const ReportTable& table = r.sections[3].tables[0];
  EXPECT_EQ(table.header, (std::vector<std::string>{"Question", "Answer"}));
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0][0].text, "Governing law");
  EXPECT_EQ(table.rows[0][1].text, "not found");
  EXPECT_EQ(table.rows[2][1].note.rfind("5. Limitation of Liability", 0), 0u);
}

TEST(ReviewQuestions, OneALineCommentsAndLimits) {
  auto q = parseReviewQuestions("# parties and law\nParties\n\n  Governing law  \r\n#x\nTerm");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(*q, (std::vector<std::string>{"Parties", "Governing law", "Term"}));
  EXPECT_FALSE(parseReviewQuestions("# only comments\n\n"));
  auto longer = parseReviewQuestions("Parties\n" + std::string(kMaxReviewQuestionBytes + 1, 'x'));
  ASSERT_FALSE(longer);
  EXPECT_NE(longer.error().message.find("line 2"), std::string::npos) << longer.error().message;
  auto wordless = parseReviewQuestions("Fees\nthe of\n");
  ASSERT_FALSE(wordless);
  EXPECT_EQ(wordless.error().message,
            "the question on line 2 has no word to look for: name the topic (\"Governing law\")");
  EXPECT_EQ(reviewQuestionProblem("Governing law"), "");
  std::string many;
  for (size_t i = 0; i <= kMaxReviewQuestions; ++i) many += "Question " + std::to_string(i) + "\n";
  EXPECT_FALSE(parseReviewQuestions(many));
  EXPECT_GE(contractChecklist().size(), 10u);
  EXPECT_TRUE(parseReviewQuestions("Governing law\n"));
}

}  // namespace
}  // namespace folio::app
