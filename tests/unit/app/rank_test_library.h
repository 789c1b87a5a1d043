// A library of one collection for the ranking tests: documents added with their chunks, and the first
// passage rankChunks gives for a question.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/pipeline/evidence.h"
#include "ingest/library/library.h"
#include "unit/ingest/test_library_util.h"

namespace folio::app::test {

struct RankTestLibrary {
  ingest::test::TempDir dir;
  std::optional<ingest::Library> lib;
  int64_t collection = 0;

  RankTestLibrary() {
    auto opened = ingest::Library::open(dir.path() / "l.sqlite");
    EXPECT_TRUE(opened) << opened.error().message;
    lib.emplace(std::move(*opened));
    collection = *lib->ensureCollection("test");
  }
  void add(const std::string& rel_path, const std::string& kind, const std::vector<ingest::Chunk>& chunks,
           const std::string& language = "") {
    ingest::DocumentRecord d{.collection_id = collection, .path = "/" + rel_path, .rel_path = rel_path,
                             .kind = kind, .language = language, .status = ingest::DocumentStatus::Ok};
    ASSERT_TRUE(lib->putDocument(d, chunks));
  }
  // The best passage for `question`: "path heading", "" when none.
  std::string first(const std::string& question) {
    auto ranked = rankChunks(*lib, question, *lib->documents(), 5);
    EXPECT_TRUE(ranked) << ranked.error().message;
    if (!ranked || ranked->empty()) return "";
    const RankedChunk& r = ranked->front();
    return r.chunk.heading.empty() ? r.path : r.path + " " + r.chunk.heading;
  }
};

}  // namespace folio::app::test
