// A command that opens a schema-v4 library upgrades it to v5 and says how it goes on stderr: through
// the real binary (`folio docs`), and the progress printer's line discipline on its own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/cli/library_open.h"
#include "ingest/library/schema.h"
#include "support/run_process.h"
#include "support/v4_library.h"

namespace fs = std::filesystem;
using folio::ingest::MigrationProgress;

namespace {

constexpr const char* kUpgrading = "upgrading the library index (schema v4 -> v5)";  // the reports of reportsFor
// What a real v4 library prints: its index-rebuilding steps (v5, v6, v10) and those between run as one.
const std::string kUpgradingV4 = "upgrading the library index (schema v4 -> v10)";

std::vector<folio::ingest::Chunk> numberedChunks(int count) {
  std::vector<folio::ingest::Chunk> chunks(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    chunks[static_cast<size_t>(i)].heading_path = {"Section " + std::to_string(i / 100)};
    chunks[static_cast<size_t>(i)].text = "clause " + std::to_string(i) + " terminates the contract term";
  }
  return chunks;
}

size_t countLines(const std::string& text, const std::string& containing) {
  size_t n = 0, at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    if (text.substr(at, end - at).find(containing) != std::string::npos) ++n;
    at = end + 1;
  }
  return n;
}

// What a printer wrote, read back from a temporary file.
std::string printed(const std::vector<MigrationProgress>& reports, bool terminal) {
  std::FILE* f = std::tmpfile();
  EXPECT_NE(f, nullptr);
  folio::cli::MigrationProgressPrinter printer(f, terminal, "folio test");
  for (const auto& p : reports) printer(p);
  printer.finish();
  std::string text(static_cast<size_t>(std::ftell(f)), '\0');
  std::rewind(f);
  EXPECT_EQ(std::fread(text.data(), 1, text.size(), f), text.size());
  std::fclose(f);
  return text;
}

// The reports of a v5 migration over `total` chunks in batches of `batch`, as schema.cpp makes them.
std::vector<MigrationProgress> reportsFor(int64_t total, int64_t batch) {
  std::vector<MigrationProgress> reports{{5, "prefix indexes", 0, total}};
  for (int64_t done = batch; done < total + batch; done += batch) reports.push_back({5, "prefix indexes", std::min(done, total), total});
  return reports;
}

}  // namespace

TEST(CliLibraryUpgrade, DocsUpgradesAV4LibraryAndSaysSo) {
  const fs::path dir = fs::temp_directory_path() / ("folio-cli-upgrade-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path lib = dir / "v4.sqlite";
  constexpr int kChunks = 41000;  // three re-index batches of 20,000
  auto made = folio::test::createV4Library(lib, numberedChunks(kChunks), 1000);
  ASSERT_TRUE(made) << made.error().message;

  auto r = folio::test::runProcess({FOLIO_BINARY, "docs", "--library", lib.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("41 documents: 41 ok"), std::string::npos) << r.out;
  // Not a terminal: plain lines, one per tenth of the work reached at most, the last one complete.
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  const size_t lines = countLines(r.err, kUpgradingV4);
  EXPECT_GE(lines, 2u) << r.err;
  EXPECT_LE(lines, 11u) << r.err;
  EXPECT_EQ(countLines(r.err, "upgrading the library index"), lines) << r.err;  // one pass, not one per step
  EXPECT_NE(r.err.find("folio docs: " + kUpgradingV4 + ": 41,000 / 41,000 chunks\n"), std::string::npos) << r.err;

  // Upgraded once: the next command says nothing about it and finds the same documents.
  auto again = folio::test::runProcess({FOLIO_BINARY, "search", "--library", lib.string(), "contract"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err.find("upgrading"), std::string::npos) << again.err;
  EXPECT_NE(again.out.find("clause"), std::string::npos) << again.out;
  fs::remove_all(dir);
}

TEST(CliLibraryUpgrade, PlainOutputPrintsALineEveryTenthOfTheWork) {
  const std::string text = printed(reportsFor(1'000'000, 20'000), false);
  EXPECT_EQ(countLines(text, kUpgrading), 11u) << text;  // 0%, 10%, ..., 100%
  EXPECT_EQ(text.find("folio test: " + std::string(kUpgrading) + ": 0 / 1,000,000 chunks\n"), 0u) << text;
  EXPECT_NE(text.find(": 100,000 / 1,000,000 chunks\n"), std::string::npos) << text;
  EXPECT_NE(text.find(": 1,000,000 / 1,000,000 chunks\n"), std::string::npos) << text;
}

TEST(CliLibraryUpgrade, TerminalOutputIsOneUpdatingLine) {
  const std::string text = printed(reportsFor(1'000'000, 20'000), true);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.front(), '\r');
  // Redrawn at most every 100 ms, but the complete count always shows last.
  const std::string last = text.substr(text.rfind('\r'));
  EXPECT_EQ(last, "\rfolio test: " + std::string(kUpgrading) + ": 1,000,000 / 1,000,000 chunks\n");
}

TEST(CliLibraryUpgrade, GroupsThousands) {
  EXPECT_EQ(folio::cli::groupThousands(0), "0");
  EXPECT_EQ(folio::cli::groupThousands(999), "999");
  EXPECT_EQ(folio::cli::groupThousands(123456), "123,456");
  EXPECT_EQ(folio::cli::groupThousands(1000000), "1,000,000");
  EXPECT_EQ(folio::cli::groupThousands(-12345), "-12,345");
}

TEST(CliLibraryUpgrade, AWaitForAnotherWriterIsOneLineBeforeTheProgress) {
  std::vector<MigrationProgress> reports(5, MigrationProgress{5, "prefix indexes", 0, 0, true});
  for (const auto& p : reportsFor(100, 50)) reports.push_back(p);
  const std::string waiting = "folio test: waiting for another Folio process that is writing to the library "
                              "(schema v4 -> v5 upgrade due); Ctrl-C to stop";
  const std::string plain = printed(reports, false);
  EXPECT_EQ(plain.find(waiting + "\n"), 0u) << plain;
  EXPECT_EQ(countLines(plain, "waiting for another"), 1u) << plain;
  EXPECT_NE(plain.find(": 100 / 100 chunks\n"), std::string::npos) << plain;
  // On a terminal the waiting line stays and the progress updates on the next one.
  const std::string term = printed(reports, true);
  EXPECT_EQ(term.find("\r" + waiting + "\n\r"), 0u) << term;
  EXPECT_EQ(std::count(term.begin(), term.end(), '\n'), 2) << term;
}
