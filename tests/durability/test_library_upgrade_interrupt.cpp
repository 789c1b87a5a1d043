// Ctrl-C in the middle of the v4 -> v10 library upgrade (label durability): `folio docs` on a large v4
// library is interrupted once its upgrade progress shows. It must exit 130 and leave a consistent v4
// library with every chunk still searchable, and the next command must upgrade it and find the same.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ingest/library/database.h"
#include "ingest/library/schema.h"
#include "ingest/library/verify.h"
#include "support/child_process.h"
#include "support/run_process.h"
#include "support/v4_library.h"

namespace fs = std::filesystem;
using namespace folio::ingest;

namespace {

constexpr int kChunks = 200000;  // ten re-index batches of 20,000: seconds of work, not milliseconds
// the index-rebuilding steps of a v4 library (v5, v6, v10) and those between run as one (schema.cpp)
const std::string kUpgrading = "upgrading the library index (schema v4 -> v10)";

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int64_t count(Database& db, const std::string& sql) {
  auto n = db.queryInt(sql);
  EXPECT_TRUE(n) << sql;
  return n ? *n : -1;
}

}  // namespace

TEST(LibraryUpgradeInterrupt, SigintMidUpgradeLosesNothingAndTheNextCommandUpgrades) {
  const fs::path dir = fs::temp_directory_path() / ("folio-upgrade-sigint-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path lib = dir / "v4.sqlite";
  {
    std::vector<Chunk> chunks(kChunks);
    for (int i = 0; i < kChunks; ++i) {
      chunks[static_cast<size_t>(i)].heading_path = {"Schedule " + std::to_string(i / 1000)};
      chunks[static_cast<size_t>(i)].text = "item " + std::to_string(i) + " of the indemnity schedule";
    }
    auto made = folio::test::createV4Library(lib, chunks, 1000);
    ASSERT_TRUE(made) << made.error().message;
  }

  const fs::path err = dir / "docs.err";
  folio::test::ChildProcess child({FOLIO_BINARY, "docs", "--library", lib.string()}, err);
  // The first progress line ("0 / 200,000 chunks") is printed as the upgrade starts.
  bool started = false;
  for (int i = 0; i < 12000 && !started; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    started = readFile(err).find(kUpgrading) != std::string::npos;
  }
  ASSERT_TRUE(started) << "no upgrade progress within 60 s: " << readFile(err);
  child.signal(SIGINT);
  const int code = child.wait();
  const std::string said = readFile(err);
  ASSERT_EQ(code, 130) << "SIGINT should stop the upgrade (0 means it had already finished): " << said;
  EXPECT_NE(said.find("the library stays at schema version 4"), std::string::npos) << said;

  {
    auto db = Database::open(lib, {});  // the database alone: Library::open would upgrade it
    ASSERT_TRUE(db) << db.error().message;
    auto version = schemaVersion(*db);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, 4);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), kChunks);
    auto ok = verifyLibrary(*db);  // SQLite integrity, the FTS index against the chunks, chunk counts
    EXPECT_TRUE(ok) << ok.error().message;
    // the v4 full-text index is whole: every chunk is found by a word they all share
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'indemnity'"), kChunks);
  }

  auto again = folio::test::runProcess({FOLIO_BINARY, "search", "--library", lib.string(), "item 123456"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find(": 200,000 / 200,000 chunks"), std::string::npos) << again.err;
  EXPECT_NE(again.out.find("[123456] of the indemnity schedule"), std::string::npos) << again.out;  // hits in brackets
  {
    auto db = Database::open(lib, {});
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ(*schemaVersion(*db), kSchemaVersion);
    auto ok = verifyLibrary(*db);
    EXPECT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'indem*'"), kChunks);
  }
  fs::remove_all(dir);
}
