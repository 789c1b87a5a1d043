// Extractive mode: sentence splitting, TextRank, budgeted summaries; and on the sample contract,
// `folio ask` without a model cites clause 10.2 on the right page.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/pipeline/extractive_summarizer.h"
#include "support/run_process.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

TEST(Extractive, SplitsSentencesButNotClauseNumbers) {
  const auto s = splitSentences("10.2 Either Party may terminate. It must notify!\n\nNew para? Yes 3.5 percent.");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0], "10.2 Either Party may terminate.");
  EXPECT_EQ(s[1], "It must notify!");
  EXPECT_EQ(s[2], "New para?");
  EXPECT_EQ(s[3], "Yes 3.5 percent.");
}

TEST(Extractive, TextRankFavoursTheCentralSentence) {
  const std::vector<std::string> s = {
      "The provider stores customer data in the hosted platform.",
      "Customer data in the hosted platform is encrypted by the provider.",
      "The provider backs up customer data from the hosted platform daily.",
      "Bananas are yellow."};
  const auto r = textRank(s);
  ASSERT_EQ(r.size(), 4u);
  double sum = 0;
  for (double v : r) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_LT(r[3], r[0]);
  EXPECT_LT(r[3], r[1]);
  EXPECT_LT(r[3], r[2]);
}

// A collection of 20,000 files gives its collection node ~25,000 sentences: the dense graph took 5 GB
// and minutes. Past kTextRankDenseLimit the scores are degree centrality, checked here against the
// pairwise cosine sums computed the slow way.
TEST(Extractive, TextRankOnManySentencesIsDegreeCentrality) {
  const std::vector<std::string> vocab = {"provider", "customer", "data", "invoice", "notice", "term",
                                          "breach", "warranty", "fees", "law", "arbitration", "bananas"};
  std::vector<std::string> s;
  uint32_t x = 12345;
  for (size_t i = 0; i < 2600; ++i) {
    std::string t;
    for (int k = 0; k < 6; ++k) {
      x = x * 1103515245u + 12345u;
      t += (t.empty() ? "" : " ") + vocab[(x >> 16) % (i % 50 == 7 ? vocab.size() : vocab.size() - 1)];
    }
    s.push_back(t + ".");
  }
  s.push_back("Entirely unrelated zebra xylophone.");
  const size_t n = s.size();
  ASSERT_GT(n, kTextRankDenseLimit);
  const auto r = textRank(s);
  ASSERT_EQ(r.size(), n);
  // The slow way: TF-IDF unit vectors, summed cosine similarity to every other sentence.
  std::vector<std::map<std::string, double>> tf(n);
  std::map<std::string, int> df;
  for (size_t i = 0; i < n; ++i) {
    for (auto& w : contentWords(s[i])) tf[i][w] += 1;
    for (auto& [w, _] : tf[i]) ++df[w];
  }
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (auto& [w, v] : tf[i]) {
      v *= std::log(1.0 + static_cast<double>(n) / df[w]);
      norm += v * v;
    }
    for (auto& [w, v] : tf[i]) v /= std::sqrt(norm);
  }
  std::vector<double> degree(n, 0.0);
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      for (const auto& [w, v] : tf[i])
        if (auto it = tf[j].find(w); it != tf[j].end()) degree[i] += v * it->second;
    }
    total += degree[i];
  }
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    EXPECT_NEAR(r[i], 0.15 / n + 0.85 * degree[i] / total, 1e-9) << i;
    sum += r[i];
  }
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_LT(r[n - 1], r[0]);  // the unrelated sentence ranks below the rest
}

TEST(Extractive, SummaryRespectsTheBudgetAndKeepsOrder) {
  ingest::EstimatingTokenCounter counter;
  const std::vector<std::string> texts = {
      "Alpha beta gamma delta. Customer data is encrypted at rest. Customer data is backed up daily. "
      "The weather was fine. Customer data may be deleted on request."};
  for (int budget : {5, 12, 20, 40, 400}) {
    const auto s = extractiveSummary(texts, budget, counter);
    EXPECT_LE(counter.count(s), budget) << budget;
  }
  const auto all = extractiveSummary(texts, 400, counter);
  EXPECT_LT(all.find("encrypted"), all.find("backed up"));  // original order
  EXPECT_EQ(extractiveSummary(texts, 0, counter), "");
  const auto small = extractiveSummary(texts, 12, counter);
  EXPECT_NE(small.find("Customer data"), std::string::npos);
}

void expectNoneIn(const std::string& s, std::initializer_list<const char*> parts) {
  for (const char* p : parts) EXPECT_EQ(s.find(p), std::string::npos) << p << " in: " << s;
}

void expectAllIn(const std::string& s, std::initializer_list<const char*> parts) {
  for (const char* p : parts) EXPECT_NE(s.find(p), std::string::npos) << p << " not in: " << s;
}

// A contract's ARTICLE / Section headings and "6.1 Title" lines were picked as sentences or glued to the
// clause text after them: a 2,000-page contract's document summary read "ARTICLE 6. ARTICLE 8. ...".
TEST(Extractive, SummaryLeavesOutContractHeadings) {
  ingest::EstimatingTokenCounter counter;
  const std::vector<std::string> texts = {
      "ARTICLE 6. CONFIDENTIALITY\n"
      "6.1 Confidential Information\n"
      "The Recipient shall keep the Confidential Information of the Discloser secret and use it only to\n"
      "perform this Agreement. The Recipient shall protect the Confidential Information with reasonable care.\n"
      "6.2 Exceptions\n"
      "The obligations of this clause do not apply to information that is already public.\n",
      "ARTICLE 7. TERM AND TERMINATION\n"
      "Section 7.1 Term\n"
      "This Agreement starts on the Effective Date and continues for three years unless terminated under\n"
      "clause 7.2. Either Party may terminate this Agreement for material breach on 30 days written notice.\n",
      // Section summaries made before this change start with the heading's fragment.
      "ARTICLE 8. Fees are payable monthly in arrears against a valid invoice.",
      "ARTICLE 9."};
  for (int budget : {400, 60}) {
    const auto s = extractiveSummary(texts, budget, counter);
    expectNoneIn(s, {"ARTICLE", "6.1", "Information The", "Exceptions", "Section 7.1", "Term This"});
    expectAllIn(s, {"The Recipient shall"});
  }
  expectAllIn(extractiveSummary(texts, 400, counter),
              {"The Recipient shall keep the Confidential Information of the Discloser secret and use it only to "
               "perform this Agreement.",
               "unless terminated under clause 7.2.", "Fees are payable monthly"});
}

// A README's picked sentences kept "##", "**", list bullets, backticks, link syntax and table pipes.
TEST(Extractive, SummaryOfMarkdownHasNoMarkup) {
  ingest::EstimatingTokenCounter counter;
  const std::vector<std::string> texts = {
      "# Folio\n\n"
      "**Folio** ingests _documents_ into a local library and answers questions with citations.\n\n"
      "## Features\n\n"
      "- Summaries of whole folders are built with `folio summarize` and kept in the library.\n"
      "- Every citation opens the [source page](docs/citations.md) at the cited line.\n"
      "* Works offline once the model is on disk; see the [install guide](https://example.com/install).\n\n"
      "| Command | What it does |\n|---|---|\n| `folio ingest` | adds files to the library |\n\n"
      "Building\n--------\n\n"
      "```sh\ncmake -B build && cmake --build build\n```\n\n"
      "Run `ctest` in the build folder to check the library before a release.\n"};
  const auto s = extractiveSummary(texts, 400, counter);
  expectNoneIn(s, {"#", "**", "`", "|", "](", "- ", "* ", "_documents_", "---", "Features", "Building", "cmake -B"});
  expectAllIn(s, {"Folio ingests documents into a local library and answers questions with citations.",
                  "Summaries of whole folders are built with folio summarize and kept in the library.",
                  "Every citation opens the source page at the cited line.",
                  "Works offline once the model is on disk; see the install guide.",
                  "Run ctest in the build folder to check the library before a release."});
}

// Headings are set aside, not lost: a text of nothing but headings still has a summary.
TEST(Extractive, HeadingsOnlyTextStillHasASummary) {
  ingest::EstimatingTokenCounter counter;
  const auto s = extractiveSummary({"# Folio\n\n## Install\n\n## Usage\n"}, 100, counter);
  expectAllIn(s, {"Install"});
  expectNoneIn(s, {"#"});
}

// Overlapping chunks repeat their shared lines: the summary holds each sentence once.
TEST(Extractive, SummaryHoldsASentenceOnce) {
  ingest::EstimatingTokenCounter counter;
  const std::vector<std::string> texts = {
      "Generated tokens are drawn on the GPU with the same random stream as the CPU sampler.\n"
      "Each token reads back one id rather than the logits row.",
      "Each token reads back one id rather than the logits row.\nSnapshots restore into any rank count."};
  const auto s = extractiveSummary(texts, 400, counter);
  EXPECT_EQ(s.find("logits row"), s.rfind("logits row")) << s;
  expectAllIn(s, {"Snapshots restore"});
}

class ExtractiveCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-extractive-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    lib_ = (dir_ / "lib.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string lib_;
};

TEST_F(ExtractiveCli, ContractQuestionCitesClause10Point2OnItsPage) {
  const std::string contract = std::string(FOLIO_RESOURCES_DIR) + "/samples/contracts/services-agreement.pdf";
  auto ing = test::runProcess({FOLIO_BINARY, "ingest", "--library", lib_, "--collection", "contracts", contract});
  ASSERT_EQ(ing.exit_code, 0) << ing.err;
  auto r = test::runProcess({FOLIO_BINARY, "ask", "--library", lib_, "--json",
                             "What is the notice period for termination for material breach?"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["extractive"].get<bool>());
  EXPECT_EQ(j["label"], "Extractive answer (no model loaded)");
  EXPECT_EQ(j["text"].get<std::string>().rfind("Extractive answer (no model loaded)", 0), 0u);
  ASSERT_FALSE(j["citations"].empty());
  const auto& first = j["citations"][0];
  EXPECT_NE(first["quote"].get<std::string>().find("10.2"), std::string::npos) << r.out;
  EXPECT_NE(first["heading"].get<std::string>().find("10.2"), std::string::npos) << r.out;
  // Clause 10 of the sample sits on page 4 (pdftotext shows it after the third form feed).
  EXPECT_EQ(first["page_first"], 4);
  EXPECT_GT(first["line_first"].get<int>(), 0);
  EXPECT_GE(first["line_last"].get<int>(), first["line_first"].get<int>());
  EXPECT_GT(j["answer_id"].get<int64_t>(), 0);
  EXPECT_EQ(j["plan"]["mode"], "inline");
  EXPECT_TRUE(j["thinking"].get<std::string>().empty());
  // The text form says it is extractive and names the clause.
  auto t = test::runProcess({FOLIO_BINARY, "ask", "--library", lib_,
                             "What is the notice period for termination for material breach?"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(t.out.rfind("Extractive answer (no model loaded)", 0), 0u) << t.out;
  EXPECT_EQ(t.out.find("Model answer"), std::string::npos);
  EXPECT_NE(t.out.find("10.2"), std::string::npos);
  EXPECT_NE(t.out.find("Answer id:"), std::string::npos);
}

// A long passage is quoted in the extractive answer at the sentences matching the question, not
// printed whole: a 512-token chunk buried the one clause that answers.
TEST_F(ExtractiveCli, AnswerQuotesTheMatchingSentencesOfALongPassage) {
  fs::create_directories(dir_ / "notes");
  std::string filler;
  for (int i = 0; i < 12; ++i) filler += "The depot keeps a record of every parcel it sends. ";
  std::ofstream(dir_ / "notes" / "depot.md") << "# Depot\n\n" << filler
                                             << "The zeppelin mooring fee is 4410 dollars per night. " << filler << "\n";
  auto ing = test::runProcess({FOLIO_BINARY, "ingest", "--library", lib_, (dir_ / "notes").string()});
  ASSERT_EQ(ing.exit_code, 0) << ing.err;
  auto r = test::runProcess({FOLIO_BINARY, "ask", "--library", lib_, "--json", "What is the zeppelin mooring fee?"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const std::string text = j["text"].get<std::string>();
  EXPECT_NE(text.find("The zeppelin mooring fee is 4410 dollars per night."), std::string::npos) << text;
  EXPECT_NE(text.find("…"), std::string::npos) << text;
  EXPECT_LT(text.size(), 1000u) << text;  // the passage is ~1.3 KB
}

// Progress of a long summary build comes as about ten lines, not one per node (a collection of
// 20,000 files printed 60,001 lines), and the last says everything was done.
TEST_F(ExtractiveCli, SummarizeProgressIsAFewLinesNotOnePerNode) {
  fs::create_directories(dir_ / "notes");
  for (int i = 0; i < 40; ++i) {
    std::ofstream f(dir_ / "notes" / ("note" + std::to_string(i) + ".md"));
    f << "# Note " << i << "\n\nThe retry budget of shipment " << i << " is " << i % 7
      << " attempts. Each retry waits longer.\n\n## Details\n\nBackoff doubles after each failure.\n";
  }
  auto ing = test::runProcess({FOLIO_BINARY, "ingest", "--library", lib_, "--collection", "notes", (dir_ / "notes").string()});
  ASSERT_EQ(ing.exit_code, 0) << ing.err;
  auto progressLines = [](const std::string& err) {
    std::vector<std::string> lines;
    size_t i = 0;
    while ((i = err.find("summarizing ", i)) != std::string::npos) {
      const size_t end = err.find('\n', i);
      lines.push_back(err.substr(i, end - i));
      i = end;
    }
    return lines;
  };
  for (const char* cmd : {"summarize", "ask"}) {
    std::vector<std::string> argv = {FOLIO_BINARY, cmd, "--library", lib_, "--collection", "notes"};
    if (std::string(cmd) == "ask") argv.push_back("What is the retry budget?");
    auto r = test::runProcess(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = progressLines(r.err);
    if (lines.empty()) continue;  // an ask that fits inline builds no tree
    EXPECT_LE(lines.size(), 12u) << cmd << "\n" << r.err;
    const auto& last = lines.back();  // "summarizing N/N (...)"
    const size_t slash = last.find('/'), space = last.find(' ', slash);
    EXPECT_EQ(last.substr(12, slash - 12), last.substr(slash + 1, space - slash - 1)) << last;
  }
}

}  // namespace
}  // namespace folio::app
