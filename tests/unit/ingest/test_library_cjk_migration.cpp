// The v5 -> v6 migration: a library indexed with the old tokenizer (a CJK run was one token) is
// re-indexed with folio_cjk when opened, reporting progress; afterwards CJK words are found and
// English searches return the same hits, scores and snippets as before; a cancelled upgrade leaves
// the v5 library as it was.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "ingest/library/search.h"
#include "ingest/library/verify.h"
#include "support/v4_library.h"
#include "unit/ingest/test_library_util.h"
#include "unit/ingest/test_prefix_corpus.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::makeChunk;
using folio::ingest::test::TempDir;

namespace {

constexpr int kChunks = 20500;  // more than one re-index batch

// A library at schema version 5 holding `chunks`: written as v4 did, then upgraded to v5 only.
void createV5Library(const fs::path& path, const std::vector<Chunk>& chunks) {
  auto made = folio::test::createV4Library(path, chunks, 500);
  ASSERT_TRUE(made) << made.error().message;
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  auto v5 = migrate(*db, 5);
  ASSERT_TRUE(v5) << v5.error().message;
}

std::vector<Chunk> corpusWithCjk() {
  auto chunks = test::prefixCorpus(kChunks, 23);
  chunks[7] = makeChunk("本書は日本語の契約書であり、業務委託について定める。");
  chunks[20400] = makeChunk("本合同自双方签字之日起生效。이 계약서는 서명일로부터 효력이 발생한다.", {"合同条款"});
  return chunks;
}

std::vector<SearchHit> hits(Database& db, const std::string& query) {
  SearchOptions options;
  options.limit = 40;
  auto r = search(db, query, options);
  EXPECT_TRUE(r) << query << ": " << r.error().message;
  return r ? r->hits : std::vector<SearchHit>{};
}

const std::vector<std::string> kEnglish = {"termination", "indemnity kaka", "contract*", "\"contract term\"",
                                           "unic*",       "sandor*",        "Ünicode",   "quiet"};
const std::vector<std::string> kCjk = {"日本語", "契約書", "合同", "계약서"};

}  // namespace

TEST(LibraryCjkMigration, ReindexesSoCjkWordsAreFoundAndEnglishHitsStayTheSame) {
  TempDir dir;
  const fs::path path = dir.path() / "v5.sqlite";
  // English hits on a v5 library without CJK text, to compare bit for bit after the upgrade.
  createV5Library(path, test::prefixCorpus(kChunks, 23));
  std::vector<std::vector<SearchHit>> before;
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    for (const auto& q : kEnglish) before.push_back(hits(*db, q));
  }
  std::vector<MigrationProgress> progress;
  auto lib = Library::open(path, {}, [&](const MigrationProgress& p) {
    progress.push_back(p);
    return true;
  });
  ASSERT_TRUE(lib) << lib.error().message;
  EXPECT_EQ(*schemaVersion(lib->db()), kSchemaVersion);
  ASSERT_EQ(progress.size(), 3u);  // 0, one batch of 20,000, all: one re-index for v6 and v10
  EXPECT_EQ(progress.back().done, kChunks);
  for (const auto& p : progress) {
    EXPECT_EQ(p.version, 10);  // v10, the last step that re-indexes, reports it
    EXPECT_EQ(p.total, kChunks);
  }
  auto ok = verifyLibrary(lib->db());
  EXPECT_TRUE(ok) << ok.error().message;
  size_t total = 0;
  for (size_t i = 0; i < kEnglish.size(); ++i) {
    const auto after = hits(lib->db(), kEnglish[i]);
    ASSERT_EQ(after.size(), before[i].size()) << kEnglish[i];
    total += after.size();
    for (size_t h = 0; h < after.size(); ++h) {
      EXPECT_EQ(after[h].chunk_id, before[i][h].chunk_id) << kEnglish[i] << " hit " << h;
      EXPECT_EQ(after[h].score, before[i][h].score) << kEnglish[i] << " hit " << h;
      EXPECT_EQ(after[h].snippet, before[i][h].snippet) << kEnglish[i] << " hit " << h;
    }
  }
  EXPECT_GT(total, 100u);  // the queries find plenty, so the comparison means something
}

TEST(LibraryCjkMigration, AnOldLibraryWithCjkTextIsSearchableAfterTheUpgrade) {
  TempDir dir;
  const fs::path path = dir.path() / "v5.sqlite";
  createV5Library(path, corpusWithCjk());
  {
    // The v5 index holds 本書は日本語の契約書であり as one token: the word inside it is not found.
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    for (const auto& q : kCjk) EXPECT_TRUE(hits(*db, q).empty()) << q;
  }
  auto lib = Library::open(path);
  ASSERT_TRUE(lib) << lib.error().message;
  for (const auto& q : kCjk) EXPECT_EQ(hits(lib->db(), q).size(), 1u) << q;
  const auto ja = hits(lib->db(), "契約書");
  ASSERT_EQ(ja.size(), 1u);
  EXPECT_EQ(ja[0].snippet, "本書は日本語の[契約書]であり、業務委託について定める。");
  EXPECT_EQ(ja[0].rel_path, "0.txt");
  EXPECT_EQ(hits(lib->db(), "条款").at(0).heading, "合同条款");
  // The chunks as stored are untouched; only the index was rebuilt.
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM chunks"), kChunks);
  auto ok = verifyLibrary(lib->db());
  EXPECT_TRUE(ok) << ok.error().message;
}

TEST(LibraryCjkMigration, ACancelledUpgradeLeavesTheV5LibraryAsItWas) {
  TempDir dir;
  const fs::path path = dir.path() / "v5.sqlite";
  createV5Library(path, corpusWithCjk());
  auto lib = Library::open(path, {}, [&](const MigrationProgress& p) { return p.done == 0; });
  ASSERT_FALSE(lib);
  EXPECT_EQ(lib.error().kind, folio::ErrorKind::Cancelled);
  EXPECT_NE(lib.error().message.find("v5.sqlite"), std::string::npos) << lib.error().message;
  EXPECT_NE(lib.error().message.find("stays at schema version 5"), std::string::npos) << lib.error().message;
  auto db = Database::open(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(*schemaVersion(*db), 5);
  auto ok = verifyLibrary(*db);
  EXPECT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(hits(*db, "termination").size(), 40u);
  EXPECT_TRUE(hits(*db, "日本語").empty());
}
