// In a repository the file is named for what it does and its tests exercise it: a question ranks the
// file named by its words ("how do keys expire?": src/expire.c) above others repeating them, code above
// the tests of the same words (unless it asks about tests), two words written as one name ("slow log":
// slowlog.c), and a rare word of the question above a word every file holds (the project's name).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/pipeline/evidence.h"
#include "app/pipeline/passage_signals.h"
#include "ingest/library/library.h"
#include "unit/app/rank_test_library.h"

namespace folio::app {
namespace {

TEST(RankPaths, TestFilesAreToldApart) {
  for (const char* path : {"tests/unit/expire.tcl", "src/test/java/FooTest.java", "pkg/server_test.go",
                           "test_parser.py", "web/__tests__/app.js", "lib/app.spec.ts", "spec/models/user_spec.rb"})
    EXPECT_TRUE(isTestPath(path)) << path;
  for (const char* path : {"src/expire.c", "src/testing_utils_impl/latest.c", "contest.md", "attestation.pdf"})
    EXPECT_FALSE(isTestPath(path)) << path;
  EXPECT_TRUE(asksAboutTests(rankingWords("Which tests cover key expiry?")));
  EXPECT_FALSE(asksAboutTests(rankingWords("How do keys expire?")));
}

TEST(RankPaths, APathIsItsNameAndItsFolders) {
  const PathKeys keys = pathCoverageKeys("src/cluster_legacy/slowLogEntry.c");
  EXPECT_TRUE(keys.name.count("slow"));
  EXPECT_TRUE(keys.name.count("entry"));
  EXPECT_FALSE(keys.name.count("c"));
  EXPECT_TRUE(keys.folders.count("clust"));
  EXPECT_TRUE(keys.folders.count("legac"));
  EXPECT_FALSE(keys.name.count("clust"));
}

// A repository: source files of one chunk each, without headings.
struct Repo : test::RankTestLibrary {
  void add(const std::string& rel_path, const std::vector<std::string>& texts) {
    std::vector<ingest::Chunk> chunks;
    for (const auto& t : texts) chunks.push_back(ingest::test::makeChunk(t));
    RankTestLibrary::add(rel_path, "code", chunks);
  }
};

// Filler so that the words of the questions are rare in the library, as in a real one.
void addFiller(Repo& repo) {
  for (int i = 0; i < 40; ++i)
    repo.add("src/util" + std::to_string(i) + ".c", {"int helper" + std::to_string(i) + "(struct redis *r) { return r->count; }"});
}

TEST(RankPaths, TheFileNamedByTheQuestionRanksAboveOthersRepeatingItsWords) {
  Repo repo;
  addFiller(repo);
  repo.add("src/module.c", {"/* Redis modules API: set the expire of one of the keys the module opened. */\n"
                            "int RM_SetExpire(RedisModuleKey *key, long long ms) { setExpire(key->db, key->key, ms); }"});
  repo.add("src/expire.c", {"/* Try to expire a few timed out keys of a database. */\n"
                            "void activeExpireCycle(int type) { sampleKeys(db, type); }"});
  EXPECT_EQ(repo.first("How does Redis expire keys?"), "src/expire.c");
}

// Redis describes each command in a JSON file named for it (src/commands/bitfield.json), which outranked
// the code that runs the command.
TEST(RankPaths, CodeRanksAboveTheDataFileDescribingItUnlessTheQuestionAsksAboutData) {
  Repo repo;
  addFiller(repo);
  repo.RankTestLibrary::add("src/commands/bitfield.json", "text",
                            {ingest::test::makeChunk("{\"BITFIELD\": {\"summary\": \"Performs arbitrary bitfield integer "
                                                     "operations on strings.\", \"group\": \"bitmap\"}}")},
                            "json");
  repo.add("src/bitops.c", {"/* BITFIELD key [GET type offset] [SET type offset value]: bitfield integer operations "
                            "on strings. */ void bitfieldCommand(client *c) { bitfieldGeneric(c, BITFIELD_FLAG_NONE); }"});
  EXPECT_EQ(repo.first("How does the BITFIELD command work?"), "src/bitops.c");
  EXPECT_EQ(repo.first("Which JSON file describes the BITFIELD command?"), "src/commands/bitfield.json");
  EXPECT_TRUE(isDataDocument("text", "yaml"));
  EXPECT_FALSE(isDataDocument("code", "c"));
  EXPECT_FALSE(isDataDocument("text", ""));
}

TEST(RankPaths, CodeRanksAboveItsTestsUnlessTheQuestionAsksAboutTests) {
  Repo repo;
  addFiller(repo);
  repo.add("tests/unit/expire.tcl", {"test {keys expire after the TTL} { r set foo bar; r expire foo 1; after 1100 }"});
  repo.add("src/expire.c", {"/* keys with a TTL expire in activeExpireCycle. */ void activeExpireCycle(int type) {}"});
  EXPECT_EQ(repo.first("How do keys expire after the TTL?"), "src/expire.c");
  EXPECT_EQ(repo.first("Which tests check that keys expire after the TTL?"), "tests/unit/expire.tcl");
}

TEST(RankPaths, TwoWordsWrittenAsOneNameAreCoveredByIt) {
  const PathKeys keys = pathCoverageKeys("src/slowlog.c");
  const auto covered = coveredWords(rankingWords("How does the slow log work?"), "void pushEntry(void) {}", keys);
  ASSERT_EQ(covered.size(), 3u);  // slow, log, work
  EXPECT_EQ(covered[0], Coverage::Name);
  EXPECT_EQ(covered[1], Coverage::Name);
  EXPECT_EQ(covered[2], Coverage::None);
  // A longer first word is all of the joined word's key: "epoll kqueue" is not covered by epoll.c.
  const auto other = coveredWords(rankingWords("epoll kqueue"), "", pathCoverageKeys("src/ae_epoll.c"));
  EXPECT_EQ(other[0], Coverage::Name);
  EXPECT_EQ(other[1], Coverage::None);
}

TEST(RankPaths, ARareWordWeighsMoreThanOneEveryFileHolds) {
  Repo repo;
  addFiller(repo);  // "redis" in 40 files
  repo.add("src/a.c", {"struct redis *r; /* redis redis redis configuration of the redis server */"});
  repo.add("src/b.c", {"/* the listpack layout */ unsigned char *lpNew(size_t capacity);"});
  auto weights = wordWeights(repo.lib->db(), {"redis", "listpack", "absent"});
  ASSERT_TRUE(weights) << weights.error().message;
  EXPECT_LT((*weights)[0], (*weights)[1]);
  EXPECT_LE((*weights)[1], (*weights)[2]);  // in no chunk: as if in one
  EXPECT_EQ(repo.first("redis listpack"), "src/b.c");
}

}  // namespace
}  // namespace folio::app

namespace folio::app {
namespace {

TEST(RankPaths, AFileInAnArchiveOrAttachedToAMessageIsNamedByItsOwnPath) {
  EXPECT_EQ(innerFilePath("File: src/expire.c \xE2\x80\xBA activeExpireCycle"), "src/expire.c");
  EXPECT_EQ(innerFilePath("Attachment: a.zip \xE2\x80\xBA File: Leases/lease.pdf, pages 2\xE2\x80\x93" "3 \xE2\x80\xBA 4.2"),
            "Leases/lease.pdf");
  EXPECT_EQ(innerFilePath("Attachment: deck.pptx, slide 4"), "deck.pptx");
  EXPECT_EQ(innerFilePath("Attachment: notes, pages.txt"), "notes, pages.txt");
  EXPECT_EQ(innerFilePath("8. Limitation of Liability \xE2\x80\xBA 8.1 Liability Caps"), "");
}

// A repository zipped: its files are one document's passages, each named by its path in the archive.
TEST(RankPaths, AZippedRepositorysFilesRankByTheirOwnPaths) {
  Repo repo;
  addFiller(repo);
  std::vector<ingest::Chunk> chunks = {
      ingest::test::makeChunk("/* Redis modules API: expire keys. Set the expire of one of the keys the module opened: keys "
                              "expire as other keys expire, the expire kept with the keys. */\n"
                              "int RM_SetExpire(RedisModuleKey *key, long long ms) { setExpire(key->db, key->key, ms); }",
                              {"File: src/module.c"}),
      ingest::test::makeChunk("test \"expire keys\" { r expire foo 10; assert_equal [r ttl foo] 10; r expire keys 5 }",
                              {"File: tests/unit/expire.tcl"}),
      ingest::test::makeChunk("/* Try to expire a few timed out keys of a database. */\n"
                              "void activeExpireCycle(int type) { sampleKeys(db, type); }",
                              {"File: src/expire.c"})};
  repo.RankTestLibrary::add("redis.zip", "archive", chunks);
  EXPECT_EQ(repo.first("How does Redis expire keys?"), "redis.zip File: src/expire.c");
}

}  // namespace
}  // namespace folio::app
