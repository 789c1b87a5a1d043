// Searching code by the words inside its identifiers (schema v10, fts_cjk_tokenizer.h `identifiers`):
// `expire` finds `activeExpireCycle`, snippets mark the whole identifier, replacing and removing
// documents keeps the index consistent, and a v9 library is re-indexed once when opened.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "ingest/library/search.h"
#include "ingest/library/verify.h"
#include "support/v4_library.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::makeChunk;
using folio::ingest::test::TempDir;

namespace {

const std::vector<Chunk> kCode = {
    makeChunk("void activeExpireCycle(int type) {\n  /* sample keys with a TTL */\n}", {"activeExpireCycle"}),
    makeChunk("static HTTPServer *startListener(int port);"),
    makeChunk("int max_memory_policy = EVICT_LRU;"),
    makeChunk("The cycle of the seasons is active."),
};

std::vector<std::string> texts(Database& db, const std::string& query) {
  auto r = search(db, query);
  EXPECT_TRUE(r) << query << ": " << r.error().message;
  std::vector<std::string> out;
  if (r)
    for (const auto& h : r->hits) out.push_back(h.snippet);
  return out;
}

class SearchIdentifiers : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lib = Library::open(dir_.path() / "code.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
    col_ = *lib_->ensureCollection("src");
    put("server.c", kCode);
  }

  int64_t put(const std::string& name, const std::vector<Chunk>& chunks) {
    DocumentRecord doc{.collection_id = col_, .path = "/src/" + name, .rel_path = name, .kind = "code",
                       .status = DocumentStatus::Ok};
    auto id = lib_->putDocument(doc, chunks);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  TempDir dir_;
  std::optional<Library> lib_;
  int64_t col_ = 0;
};

}  // namespace

TEST_F(SearchIdentifiers, AWordFindsTheIdentifiersHoldingIt) {
  const auto expire = texts(lib_->db(), "expire");
  ASSERT_EQ(expire.size(), 1u);
  EXPECT_NE(expire[0].find("[activeExpireCycle]"), std::string::npos) << expire[0];  // marked whole
  EXPECT_EQ(texts(lib_->db(), "server").size(), 1u);
  EXPECT_EQ(texts(lib_->db(), "http").size(), 1u);
  EXPECT_EQ(texts(lib_->db(), "listener").size(), 1u);  // stemmed like any word
  EXPECT_EQ(texts(lib_->db(), "evict").size(), 1u);     // EVICT_LRU: unicode61 splits at '_' already
  // The whole identifier finds only itself, not every chunk that says "active" or "cycle".
  EXPECT_EQ(texts(lib_->db(), "activeExpireCycle").size(), 1u);
  EXPECT_EQ(texts(lib_->db(), "cycle").size(), 2u);
  EXPECT_EQ(texts(lib_->db(), "expir*").size(), 1u);  // prefix queries reach the parts too
}

TEST_F(SearchIdentifiers, ReplacingAndRemovingDocumentsKeepsTheIndexConsistent) {
  // FTS5 deletes an external-content row by tokenizing it again: the parts must come out the same.
  auto changed = kCode;
  changed[0].text = "void passiveExpireCycle(void) {}";
  changed[0].heading_path = {"passiveExpireCycle"};
  put("server.c", changed);
  EXPECT_EQ(texts(lib_->db(), "passive").size(), 1u);
  EXPECT_EQ(texts(lib_->db(), "activeExpireCycle").size(), 0u);
  const int64_t other = put("other.c", {makeChunk("int getHTTPStatus(void);")});
  ASSERT_TRUE(lib_->removeDocument(other));
  EXPECT_EQ(texts(lib_->db(), "status").size(), 0u);
  auto ok = verifyLibrary(lib_->db());
  EXPECT_TRUE(ok) << ok.error().message;
}

TEST(SearchIdentifiersMigration, AV9LibraryIsReindexedSoPartsAreFound) {
  TempDir dir;
  const fs::path path = dir.path() / "v9.sqlite";
  ASSERT_TRUE(folio::test::createV4Library(path, kCode, 2));
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(migrate(*db, 9));
    EXPECT_TRUE(texts(*db, "expire").empty());  // v9 indexed the identifier whole
  }
  std::vector<MigrationProgress> progress;
  auto lib = Library::open(path, {}, [&](const MigrationProgress& p) {
    progress.push_back(p);
    return true;
  });
  ASSERT_TRUE(lib) << lib.error().message;
  EXPECT_EQ(*schemaVersion(lib->db()), kSchemaVersion);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().version, 10);
  EXPECT_EQ(progress.back().from_version, 9);
  EXPECT_EQ(progress.back().done, static_cast<int64_t>(kCode.size()));
  EXPECT_EQ(texts(lib->db(), "expire").size(), 1u);
  EXPECT_EQ(texts(lib->db(), "cycle").size(), 2u);
  auto ok = verifyLibrary(lib->db());
  EXPECT_TRUE(ok) << ok.error().message;
}
