// Ctrl-C during `folio summarize` and `folio ask` (label durability): SIGINT once the first progress line
// shows. The command stops between nodes with exit code 130 and says how many summaries it kept; they
// are in the library, no answer is recorded, and the next run reuses every one of them.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/library/database.h"
#include "support/child_process.h"
#include "support/run_process.h"

namespace fs = std::filesystem;
using namespace folio::ingest;

namespace {

constexpr int kFiles = 400;  // 1,600 nodes: seconds of extractive summaries, not milliseconds

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int64_t count(const fs::path& lib, const std::string& sql) {
  auto db = Database::open(lib, {});
  EXPECT_TRUE(db) << db.error().message;
  auto n = db->queryInt(sql);
  EXPECT_TRUE(n) << sql;
  return n ? *n : -1;
}

class SummarizeInterrupt : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-summarize-sigint-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    for (int i = 0; i < kFiles; ++i) {
      const fs::path file = dir_ / "notes" / ("d" + std::to_string(i % 20)) / ("note" + std::to_string(i) + ".md");
      fs::create_directories(file.parent_path());
      std::ofstream out(file);
      out << "# Note " << i << "\n\n## Terms\n\nCarrier " << i << " gives " << 10 + i % 50
          << " days notice. Claims are filed within a week of delivery.\n\n## Routes\n\nRoute " << i
          << " runs through depot " << i % 7 << " twice a day. Late parcels are logged by the driver.\n";
    }
    lib_ = dir_ / "lib.sqlite";
    auto ing = folio::test::runProcess({FOLIO_BINARY, "ingest", "--library", lib_.string(), "--collection", "notes",
                                        (dir_ / "notes").string()});
    ASSERT_EQ(ing.exit_code, 0) << ing.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the command, sends SIGINT once its first progress line shows; its exit code and output.
  std::pair<int, std::string> interrupt(const std::vector<std::string>& argv) {
    const fs::path out = dir_ / "out.txt";
    folio::test::ChildProcess child(argv, out);
    bool started = false;
    for (int i = 0; i < 12000 && !started; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      started = readFile(out).find("summarizing ") != std::string::npos;
    }
    EXPECT_TRUE(started) << "no progress within 60 s: " << readFile(out);
    child.signal(SIGINT);
    const int code = child.wait();
    return {code, readFile(out)};
  }

  // "stopped; 12 of 1,601 summaries kept" -> 12 (the run summarized from nothing: all were built).
  static int64_t kept(const std::string& said) {
    std::smatch m;
    if (!std::regex_search(said, m, std::regex("stopped; ([0-9,]+) of ([0-9,]+) summaries kept"))) return -1;
    std::string digits = m[1];
    digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
    return std::stoll(digits);
  }

  // Interrupts the command; it must say it stopped, what it kept (all stored) and then `then`.
  int64_t expectStopped(const std::vector<std::string>& argv, const std::string& then) {
    const auto [code, said] = interrupt(argv);
    EXPECT_EQ(code, 130) << "SIGINT should stop it (0 means it had already finished): " << said;
    EXPECT_NE(said.find("folio " + argv[1] + ": stopped; "), std::string::npos) << said;
    EXPECT_NE(said.find(then), std::string::npos) << said;
    const int64_t n = kept(said);
    EXPECT_GT(n, 0) << said;
    EXPECT_EQ(count(lib_, "SELECT count(*) FROM summary_nodes"), n);
    return n;
  }

  fs::path dir_, lib_;
};

TEST_F(SummarizeInterrupt, CtrlCStopsSummarizeAndTheNextRunContinues) {
  const int64_t n = expectStopped({FOLIO_BINARY, "summarize", "--library", lib_.string(), "--collection", "notes"},
                                  ", run again to continue");
  ASSERT_GT(n, 0);
  auto again = folio::test::runProcess(
      {FOLIO_BINARY, "summarize", "--library", lib_.string(), "--collection", "notes", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["reused"].get<int64_t>(), n);
  EXPECT_GT(j["built"].get<int64_t>(), 0);
}

TEST_F(SummarizeInterrupt, CtrlCStopsAskWithoutRecordingAnAnswer) {
  // The notes do not fit a 4,096-token window and --max-documents 0 keeps every one of them, so the
  // question builds the whole summary tree first.
  expectStopped({FOLIO_BINARY, "ask", "--library", lib_.string(), "--collection", "notes", "--context-window", "4096",
                 "--max-documents", "0", "Which depot do routes run through?"},
                ", no answer recorded");
  EXPECT_EQ(count(lib_, "SELECT count(*) FROM answers"), 0);
}

}  // namespace
