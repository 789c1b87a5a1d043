// A question in words ("how do keys expire?") ranks the code whose identifiers hold those words
// (activeExpireCycle) above chunks that merely repeat one of them: the search index and the coverage
// count split identifiers the same way (ingest/library/identifier_parts.h).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/pipeline/evidence.h"
#include "ingest/library/library.h"
#include "unit/ingest/test_library_util.h"

namespace folio::app {
namespace {

TEST(RankIdentifiers, CoverageCountsTheWordsInsideIdentifiers) {
  EXPECT_EQ(questionCoverage(rankingWords("How do expired keys get removed in a cycle?"),
                             "void activeExpireCycle(void) { removeKeysWithTTL(db); }"),
            4);  // expired, keys, removed, cycle
  EXPECT_EQ(questionCoverage(rankingWords("max memory policy"), "int max_memory_policy;"), 3);
  EXPECT_TRUE(coverageKeys("HTTPServer").count("serve"));
  EXPECT_FALSE(coverageKeys("isEmpty").count("is"));  // stop words inside stay out, as outside
}

TEST(RankIdentifiers, TheFunctionNamedByTheQuestionsWordsRanksFirst) {
  ingest::test::TempDir dir;
  auto lib = ingest::Library::open(dir.path() / "l.sqlite");
  ASSERT_TRUE(lib) << lib.error().message;
  const std::string target = "void activeExpireCycle(int type) {\n  sampleKeys(db, ACTIVE_EXPIRE_CYCLE_KEYS);\n}";
  std::vector<ingest::Chunk> chunks;
  for (int i = 0; i < 30; ++i)
    chunks.push_back(ingest::test::makeChunk("keys keys: dictAdd(d, keys[" + std::to_string(i) + "]); /* keys */"));
  chunks.push_back(ingest::test::makeChunk(target));
  ingest::DocumentRecord d{.collection_id = *lib->ensureCollection("redis"), .path = "/src/db.c",
                           .rel_path = "src/db.c", .kind = "code", .status = ingest::DocumentStatus::Ok};
  ASSERT_TRUE(lib->putDocument(d, chunks));
  auto ranked = rankChunks(*lib, "How do keys expire?", *lib->documents(), 5);
  ASSERT_TRUE(ranked) << ranked.error().message;
  ASSERT_FALSE(ranked->empty());
  EXPECT_EQ(ranked->front().chunk.text, target);
  EXPECT_EQ(ranked->front().coverage, 2);
}

}  // namespace
}  // namespace folio::app
