#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/common/file_io.h"

namespace fs = std::filesystem;

namespace {
fs::path tempDir() {
  fs::path d = fs::temp_directory_path() / ("folio-fileio-" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST(FileIo, ReadsWhatWasWrittenAtomically) {
  const fs::path p = tempDir() / "a.bin";
  std::string data("abc\0def", 7);
  ASSERT_TRUE(folio::writeFileAtomic(p, data).ok());
  auto r = folio::readFile(p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, data);
  ASSERT_TRUE(folio::writeFileAtomic(p, "replaced").ok());
  EXPECT_EQ(*folio::readFile(p), "replaced");
  // No temporary files are left behind.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(p.parent_path())) entries += e.path().filename() != "a.bin";
  EXPECT_EQ(entries, 0);
  fs::remove_all(p.parent_path());
}

TEST(FileIo, MissingFileNamesThePath) {
  auto r = folio::readFile("/nonexistent/folio/file.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, folio::ErrorKind::NotFound);
  EXPECT_NE(r.error().message.find("/nonexistent/folio/file.json"), std::string::npos);
}

TEST(FileIo, RefusesDirectoriesAndOversizedFiles) {
  const fs::path d = tempDir();
  auto r = folio::readFile(d);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a regular file"), std::string::npos);
  const fs::path p = d / "big.txt";
  std::ofstream(p) << std::string(100, 'x');
  auto big = folio::readFile(p, 10);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("limit"), std::string::npos);
  fs::remove_all(d);
}

TEST(FileIo, WriteIntoMissingDirectoryFailsCleanly) {
  auto s = folio::writeFileAtomic("/nonexistent/folio/out.txt", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, folio::ErrorKind::Io);
}

TEST(Result, PropagatesWithTry) {
  auto inner = []() -> folio::Result<int> { return folio::badInput("field x: must be positive"); };
  auto outer = [&]() -> folio::Status {
    FOLIO_TRY(inner());
    return {};
  };
  auto s = outer();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "field x: must be positive");
  EXPECT_EQ(s.error().context("config.json").message, "config.json: field x: must be positive");
}
