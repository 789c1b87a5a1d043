// `folio review` through the real binary: contracts ingested into a library, a review with questions
// given on the command line and in a file, printed, as JSON and exported as CSV; the built-in contract
// checklist; and errors that say what is wrong (no questions, an unknown checklist, a missing file).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/run_process.h"
#include "unit/app/review_contracts.h"

namespace fs = std::filesystem;
using folio::test::runProcess;

namespace {

class CliReview : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-cli-review-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "contracts");
    std::ofstream(dir_ / "contracts" / "acme.txt") << folio::test::reviewContract("ACME", "England and Wales");
    std::ofstream(dir_ / "contracts" / "globex.txt") << folio::test::reviewContract("GLOBEX", "");
    lib_ = (dir_ / "lib.sqlite").string();
    auto ingested = folio({"ingest", "--library", lib_, "--quiet", (dir_ / "contracts").string()});
    ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  folio::test::ProcessResult folio(std::vector<std::string> args) {
    args.insert(args.begin(), FOLIO_BINARY);
    return runProcess(args, {{"XDG_DATA_HOME", dir_.string()}});
  }
  static std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }

  fs::path dir_;
  std::string lib_;
};

TEST_F(CliReview, PrintsEachDocumentWithItsCells) {
  auto r = folio({"review", "--library", lib_, "-q", "Governing law", "--question", "Fees"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Review of 2 documents, 2 questions"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("acme.txt\n  Governing law: 3.1 This Agreement is governed by the laws of England and Wales. — 3. Governing Law › 3.1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("globex.txt\n  Governing law: not found\n  Fees: 2.1 The Customer shall pay"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Found: Governing law 1/2 · Fees 2/2"), std::string::npos) << r.out;
}

TEST_F(CliReview, QuestionsFromAFileAsJsonAndCsv) {
  std::ofstream(dir_ / "questions.txt") << "# our checklist\nGoverning law\n\nFees\n";
  auto j = folio({"review", "--library", lib_, "--questions", (dir_ / "questions.txt").string(), "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto table = nlohmann::json::parse(j.out);
  EXPECT_EQ(table["questions"], nlohmann::json({"Governing law", "Fees"}));
  ASSERT_EQ(table["rows"].size(), 2u);
  EXPECT_EQ(table["rows"][0]["document"]["path"], "acme.txt");
  EXPECT_EQ(table["rows"][1]["cells"][0]["found"], false);
  EXPECT_EQ(table["found"], nlohmann::json({1, 2}));

  const auto csv_path = dir_ / "review.csv";
  auto c = folio({"review", "--library", lib_, "--questions", (dir_ / "questions.txt").string(), "--format", "csv", "--out",
                  csv_path.string()});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.err.find("wrote " + csv_path.string()), std::string::npos) << c.err;
  const std::string csv = slurp(csv_path);
  EXPECT_EQ(csv.find("\xEF\xBB\xBF" "Document,Governing law,Governing law (where),Fees,Fees (where)\r\nacme.txt,"), 0u) << csv;
  EXPECT_NE(csv.find("\r\nglobex.txt,not found,,"), std::string::npos) << csv;
}

TEST_F(CliReview, TheContractChecklist) {
  auto r = folio({"review", "--library", lib_, "--checklist", "contracts", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto table = nlohmann::json::parse(r.out);
  EXPECT_GE(table["questions"].size(), 10u);
  EXPECT_EQ(table["questions"][0], "Effective date");
}

TEST_F(CliReview, ErrorsSayWhatIsWrong) {
  auto none = folio({"review", "--library", lib_});
  EXPECT_EQ(none.exit_code, 64);
  EXPECT_NE(none.err.find("give the questions"), std::string::npos) << none.err;
  auto unknown = folio({"review", "--library", lib_, "--checklist", "leases"});
  EXPECT_EQ(unknown.exit_code, 64);
  EXPECT_NE(unknown.err.find("the checklist Folio has is \"contracts\""), std::string::npos) << unknown.err;
  auto missing = folio({"review", "--library", lib_, "--questions", (dir_ / "nope.txt").string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("nope.txt: cannot be read"), std::string::npos) << missing.err;
  auto half = folio({"review", "--library", lib_, "-q", "Fees", "--format", "csv"});
  EXPECT_EQ(half.exit_code, 64);
  EXPECT_NE(half.err.find("--format and --out go together"), std::string::npos) << half.err;
  auto no_collection = folio({"review", "--library", lib_, "-q", "Fees", "--collection", "leases"});
  EXPECT_NE(no_collection.exit_code, 0);
  EXPECT_NE(no_collection.err.find("leases"), std::string::npos) << no_collection.err;
}

}  // namespace
