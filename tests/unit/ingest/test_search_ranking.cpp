// The fast top-k ranking (fts_top_k.h) and search() against FTS5's own `ORDER BY rank` on a library
// with many equal scores: the same rows in the same order, bit-identical scores, the same snippets.
// Single-phrase expressions take the path that derives the IDF from the ranking pass itself.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "ingest/library/fts_top_k.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "unit/ingest/test_library_util.h"

using namespace folio::ingest;
using folio::ingest::test::makeChunk;
using folio::ingest::test::TempDir;

namespace {

// What search() returned before the top-k ranking: one statement, FTS5 sorting every match by rank.
struct ReferenceHit {
  int64_t chunk_id = 0;
  double score = 0;
  std::string snippet;
};

std::vector<ReferenceHit> referenceSearch(Database& db, const std::string& expression, int limit) {
  auto s = db.prepare(
      "SELECT rowid, rank, snippet(chunks_fts, 0, '[', ']', '…', 24) FROM chunks_fts WHERE chunks_fts MATCH ?1 "
      "ORDER BY rank LIMIT ?2");
  EXPECT_TRUE(s) << s.error().message;
  std::vector<ReferenceHit> out;
  if (!s) return out;
  s->bind(1, expression).bind(2, limit);
  while (s->step().value()) out.push_back({s->columnInt64(0), -s->columnDouble(1), s->columnText(2)});
  return out;
}

class SearchRankingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lib = Library::open(dir_.path() / "rank.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
    const int64_t col = *lib_->ensureCollection("c");
    // A small vocabulary makes many chunks score the same; headings give the 4x column weight a role.
    static const char* kWords[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                                   "iota", "kappa", "lambda", "mu", "notice", "termination", "fees", "party"};
    std::mt19937 rng(99);
    for (int d = 0; d < 40; ++d) {
      std::vector<Chunk> chunks;
      for (int c = 0; c < 50; ++c) {
        std::string text;
        const int n = 3 + static_cast<int>(rng() % 12);
        for (int w = 0; w < n; ++w) text += std::string(kWords[rng() % 16 % (w % 3 == 0 ? 16 : 6)]) + " ";
        chunks.push_back(makeChunk(text, {std::string(kWords[rng() % 16]) + " " + kWords[rng() % 16]}));
      }
      DocumentRecord doc{.collection_id = col, .path = "/d/" + std::to_string(d), .rel_path = std::to_string(d),
                         .kind = "text", .status = DocumentStatus::Ok};
      ASSERT_TRUE(lib_->putDocument(doc, chunks));
    }
  }

  TempDir dir_;
  std::optional<Library> lib_;
};

const std::vector<std::string> kExpressions = {
    R"("alpha")",       R"("notice")",          R"("mu")",           R"("alpha" "beta")",
    R"("fees" "party" "theta")", R"("alpha" OR "kappa" OR "mu")", R"("alpha beta")", R"("term"*)",
    R"("ter"*)",        R"("lambda" OR "notice beta")", R"("nosuchword")",  R"("al"* "fees")"};

}  // namespace

TEST_F(SearchRankingTest, TopKEqualsOrderByRankWithTies) {
  for (const std::string& expr : kExpressions) {
    for (int limit : {1, 3, 10, 57, 5000}) {
      const auto want = referenceSearch(lib_->db(), expr, limit);
      auto got = topRankedChunks(lib_->db(), expr, limit);
      ASSERT_TRUE(got) << got.error().message;
      ASSERT_EQ(got->size(), want.size()) << expr << " limit " << limit;
      for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ((*got)[i].chunk_id, want[i].chunk_id) << expr << " limit " << limit << " position " << i;
        EXPECT_EQ((*got)[i].score, want[i].score) << expr << " limit " << limit << " position " << i;
      }
    }
  }
}

// A scope's ranking (search's documents filter): the reference's order and scores over the whole table,
// restricted to the scope's rows, so a hit scores the same whether the scope is asked or the library.
TEST_F(SearchRankingTest, TopKOverSomeRowsEqualsOrderByRankRestrictedToThem) {
  std::unordered_set<int64_t> only;
  auto s = lib_->db().prepare("SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id "
                              "WHERE d.rel_path IN ('3', '17', '29')");
  ASSERT_TRUE(s);
  while (s->step().value()) only.insert(s->columnInt64(0));
  ASSERT_EQ(only.size(), 150u);
  for (const std::string& expr : kExpressions) {
    std::vector<ReferenceHit> in_scope;
    for (auto& h : referenceSearch(lib_->db(), expr, 5000))
      if (only.count(h.chunk_id)) in_scope.push_back(h);
    for (int limit : {1, 3, 10, 57, 5000}) {
      auto got = topRankedChunks(lib_->db(), expr, limit, &only);
      ASSERT_TRUE(got) << got.error().message;
      ASSERT_EQ(got->size(), std::min<size_t>(in_scope.size(), static_cast<size_t>(limit))) << expr << " limit " << limit;
      for (size_t i = 0; i < got->size(); ++i) {
        EXPECT_EQ((*got)[i].chunk_id, in_scope[i].chunk_id) << expr << " limit " << limit << " position " << i;
        EXPECT_EQ((*got)[i].score, in_scope[i].score) << expr << " limit " << limit << " position " << i;
      }
    }
  }
  const std::unordered_set<int64_t> none;
  EXPECT_TRUE(topRankedChunks(lib_->db(), R"("alpha")", 10, &none)->empty());
  // search() takes the scope as documents.
  SearchOptions o;
  o.limit = 1000;
  const auto docs = lib_->documents();  // named: a range over a temporary's member would dangle
  ASSERT_TRUE(docs);
  for (const auto& d : *docs)
    if (d.rel_path == "3" || d.rel_path == "17" || d.rel_path == "29") o.documents.push_back(d.id);
  auto r = search(lib_->db(), "alpha", o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_FALSE(r->hits.empty());
  for (const auto& h : r->hits) EXPECT_TRUE(only.count(h.chunk_id)) << h.chunk_id;
}

TEST_F(SearchRankingTest, TheLibraryHasTiesForTheTestToMeanSomething) {
  const auto all = referenceSearch(lib_->db(), R"("alpha")", 5000);
  ASSERT_GT(all.size(), 100u);
  size_t ties = 0;
  for (size_t i = 1; i < all.size(); ++i) ties += all[i].score == all[i - 1].score;
  EXPECT_GT(ties, 50u);
}

TEST_F(SearchRankingTest, SearchReturnsTheReferenceHitsAndSnippets) {
  for (const char* query : {"alpha", "notice termination", "\"alpha beta\"", "ter*", "kappa mu fees party"}) {
    SearchOptions options;
    options.limit = 10;
    options.fall_back_to_any = false;
    auto r = search(lib_->db(), query, options);
    ASSERT_TRUE(r) << r.error().message;
    const auto want = referenceSearch(lib_->db(), r->fts_query, 10);
    ASSERT_EQ(r->hits.size(), want.size()) << query;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(r->hits[i].chunk_id, want[i].chunk_id) << query << " position " << i;
      EXPECT_EQ(r->hits[i].score, want[i].score) << query << " position " << i;
      EXPECT_EQ(r->hits[i].snippet, want[i].snippet) << query << " position " << i;
      EXPECT_EQ(r->hits[i].collection, "c");
      EXPECT_FALSE(r->hits[i].rel_path.empty());
    }
  }
}

TEST_F(SearchRankingTest, ZeroLimitAndNoMatchGiveNothing) {
  auto none = topRankedChunks(lib_->db(), R"("alpha")", 0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto miss = topRankedChunks(lib_->db(), R"("nosuchword")", 10);
  ASSERT_TRUE(miss);
  EXPECT_TRUE(miss->empty());
}

TEST_F(SearchRankingTest, ABadExpressionIsAnErrorNamingTheDatabase) {
  auto bad = topRankedChunks(lib_->db(), "\"unterminated", 10);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("rank.sqlite"), std::string::npos) << bad.error().message;
}
