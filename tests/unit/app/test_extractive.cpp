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
