// `folio timeline` through the real binary: events printed in date order with where they come from,
// JSON, the words and date filters, --limit, --day-first, the table exported as CSV and Markdown, and
// wrong command lines (exit 64) and scopes (exit 2).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/run_process.h"

namespace fs = std::filesystem;
using folio::test::runProcess;

namespace {

constexpr const char* kMessage =
    "From: Jane Roe <jane@acme.example>\nTo: Bob Poe <bob@beta.example>\nSubject: Draft SPA\n"
    "Date: Tue, 5 Mar 2024 14:30:00 +0000\n\nBob,\n\nThe closing is set for April 15, 2024.\n";
constexpr const char* kContract =
    "SERVICES AGREEMENT\n\nThis Agreement is made on 1 February 2024 between Acme and Beta.\n\n"
    "1. Term\n\n1.1 The Services start on 03/04/2024 and this Agreement ends on January 31, 2026.\n";

class CliTimeline : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-cli-timeline-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "case");
    std::ofstream(dir_ / "case" / "draft.eml") << kMessage;
    std::ofstream(dir_ / "case" / "msa.txt") << kContract;
    lib_ = (dir_ / "lib.sqlite").string();
    auto ingest = folio({"ingest", "--library", lib_, "--collection", "case", (dir_ / "case").string()});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  folio::test::ProcessResult folio(std::vector<std::string> args) {
    args.insert(args.begin(), FOLIO_BINARY);
    return runProcess(args, {{"XDG_DATA_HOME", dir_.string()}});
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  fs::path dir_;
  std::string lib_;
};

}  // namespace

TEST_F(CliTimeline, PrintsEventsInDateOrder) {
  auto r = folio({"timeline", "--library", lib_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t signed_at = r.out.find("2024-02-01  This Agreement is made on 1 February 2024 between Acme and Beta.");
  const size_t start = r.out.find("2024-03-04  1.1 The Services start on 03/04/2024");
  const size_t message = r.out.find("2024-03-05 14:30 +0000  E-mail: Draft SPA — from Jane Roe <jane@acme.example>");
  const size_t closing = r.out.find("2024-04-15  The closing is set for April 15, 2024.");
  const size_t end = r.out.find("2026-01-31  1.1 The Services start on 03/04/2024 and this Agreement ends on January 31, 2026.");
  ASSERT_NE(signed_at, std::string::npos) << r.out;
  ASSERT_NE(start, std::string::npos) << r.out;
  ASSERT_NE(message, std::string::npos) << r.out;
  ASSERT_NE(closing, std::string::npos) << r.out;
  ASSERT_NE(end, std::string::npos) << r.out;
  EXPECT_LT(signed_at, start);
  EXPECT_LT(start, message);
  EXPECT_LT(message, closing);
  EXPECT_LT(closing, end);
  EXPECT_NE(r.out.find("    draft.eml (line 4)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5 events from 2 documents (5 dates found)"), std::string::npos) << r.out;

  auto uk = folio({"timeline", "--library", lib_, "--day-first", "--limit", "4"});
  ASSERT_EQ(uk.exit_code, 0) << uk.err;
  EXPECT_EQ(uk.out.find("2024-03-04"), std::string::npos) << uk.out;
  EXPECT_NE(uk.out.find("2024-04-03  1.1 The Services start on 03/04/2024"), std::string::npos) << uk.out;
  EXPECT_NE(uk.out.find("5 events from 2 documents (5 dates found); the first 4 shown"), std::string::npos) << uk.out;
  EXPECT_EQ(uk.out.find("2026-01-31"), std::string::npos) << uk.out;
}

TEST_F(CliTimeline, JsonWithFilters) {
  auto r = folio({"timeline", "--library", lib_, "--collection", "case", "--from", "2024-03-05", "--to", "2024-12-31",
                  "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["documents"], 2);
  ASSERT_EQ(j["events"].size(), 2u) << r.out;
  const auto& m = j["events"][0];
  EXPECT_EQ(m["date"], "2024-03-05");
  EXPECT_EQ(m["time"], "14:30 +0000");
  EXPECT_EQ(m["kind"], "message");
  EXPECT_EQ(m["text"], "Draft SPA");
  EXPECT_EQ(m["from"], "Jane Roe <jane@acme.example>");
  EXPECT_EQ(m["places"][0]["path"], "draft.eml");
  EXPECT_EQ(m["places"][0]["line_first"], 4);
  EXPECT_EQ(j["events"][1]["date"], "2024-04-15");
  EXPECT_EQ(j["events"][1]["precision"], "day");

  // Both dates of the sentence that holds the words.
  auto words = folio({"timeline", "--library", lib_, "--json", "services", "start"});
  ASSERT_EQ(words.exit_code, 0) << words.err;
  const auto w = nlohmann::json::parse(words.out);
  ASSERT_EQ(w["events"].size(), 2u) << words.out;
  EXPECT_EQ(w["events"][0]["date"], "2024-03-04");
  EXPECT_EQ(w["events"][1]["date"], "2026-01-31");
  EXPECT_EQ(w["events"][1]["places"][0]["line_first"], 7);

  auto nothing = folio({"timeline", "--library", lib_, "--json", "zebra"});
  ASSERT_EQ(nothing.exit_code, 0) << nothing.err;
  const auto none = nlohmann::json::parse(nothing.out);
  EXPECT_TRUE(none["events"].empty());
  EXPECT_EQ(none["events_total"], 0);
  EXPECT_EQ(none["mentions"], 5);
}

TEST_F(CliTimeline, ExportsATable) {
  const fs::path csv = dir_ / "timeline.csv";
  auto r = folio({"timeline", "--library", lib_, "--format", "csv", "--out", csv.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = read(csv);
  EXPECT_NE(text.find("Date,Event,Document"), std::string::npos) << text;
  EXPECT_NE(text.find("2024-03-05 14:30 +0000,E-mail: Draft SPA — from Jane Roe <jane@acme.example>,draft.eml"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Date,Event,Document,Where,Pages and lines"), std::string::npos) << text;
  EXPECT_NE(text.find(",msa.txt,,line 7\r\n2024-03-05"), std::string::npos) << text;

  const fs::path md = dir_ / "timeline.md";
  auto m = folio({"timeline", "--library", lib_, "--format", "md", "--out", md.string(), "closing"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  const std::string markdown = read(md);
  EXPECT_NE(markdown.find("| Date | Event | Document | Where |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("The closing is set for April 15, 2024."), std::string::npos) << markdown;
  EXPECT_EQ(markdown.find("This Agreement is made"), std::string::npos) << markdown;
}

TEST_F(CliTimeline, WrongCommandLinesAndScopes) {
  EXPECT_EQ(folio({"timeline", "--library", lib_, "--from", "2024-02-30"}).exit_code, 64);
  EXPECT_EQ(folio({"timeline", "--library", lib_, "--to", "March 2024"}).exit_code, 64);
  EXPECT_EQ(folio({"timeline", "--library", lib_, "--format", "csv"}).exit_code, 64);
  EXPECT_EQ(folio({"timeline", "--library", lib_, "--format", "doc", "--out", (dir_ / "x.doc").string()}).exit_code, 64);
  auto missing = folio({"timeline", "--library", lib_, "--collection", "nope"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("collection \"nope\""), std::string::npos) << missing.err;
  EXPECT_EQ(folio({"timeline", "--library", lib_, "--doc", "999"}).exit_code, 2);
}
