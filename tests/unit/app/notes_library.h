// A library in a temporary directory with folders of notes ingested into collections: what the question
// and summary tests start from.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "unit/ingest/test_library_util.h"

namespace folio::app::test {

struct NotesLibrary {
  ingest::test::TempDir dir;
  ingest::EstimatingTokenCounter counter;
  std::optional<ingest::Library> lib;

  // Opens <dir>/lib.sqlite.
  ::testing::AssertionResult open() {
    auto l = ingest::Library::open(dir.path() / "lib.sqlite");
    if (!l) return ::testing::AssertionFailure() << l.error().message;
    lib.emplace(std::move(*l));
    return ::testing::AssertionSuccess();
  }

  // Writes the files (name, text) under <dir>/<folder> and ingests the folder into `collection`.
  ::testing::AssertionResult ingest(const std::string& folder, const std::vector<std::pair<std::string, std::string>>& files,
                                    const std::string& collection) {
    const auto root = dir.path() / folder;
    std::filesystem::create_directories(root);
    for (const auto& [name, text] : files) std::ofstream(root / name) << text;
    ingest::IngestOptions opt;
    opt.collection = collection;
    opt.worker_threads = 1;
    std::vector<std::filesystem::path> roots{root};
    auto rep = ingest::runIngest(*lib, roots, opt, counter);
    if (!rep) return ::testing::AssertionFailure() << rep.error().message;
    return ::testing::AssertionSuccess();
  }
};

}  // namespace folio::app::test
