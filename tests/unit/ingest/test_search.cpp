// Search over the library: the query sanitiser never lets user text become FTS5 syntax, phrases stay
// phrases, ranking prefers headings, and hits carry document, page and line spans.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "unit/ingest/test_library_util.h"

using namespace folio::ingest;
using folio::ingest::test::makeChunk;
using folio::ingest::test::TempDir;

namespace {

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lib = Library::open(dir_.path() / "l.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
    const int64_t col = *lib_->ensureCollection("docs");
    DocumentRecord contract{.collection_id = col, .path = "/c/contract.pdf", .rel_path = "contract.pdf",
                            .kind = "pdf", .title = "Services Agreement", .page_count = 6,
                            .status = DocumentStatus::Ok};
    Chunk term = makeChunk("Either Party may terminate this Agreement on ninety days' notice; accrued fees stay payable.",
                           {"10. Term and Termination", "10.2"});
    term.kind = ChunkKind::Clause;
    term.page_first = 4;
    term.page_last = 5;
    term.line_first = 30;
    term.line_last = 3;
    Chunk fees = makeChunk("Invoices are payable within thirty days; notice of dispute in writing.", {"4. Fees"});
    ASSERT_TRUE(lib_->putDocument(contract, std::vector{term, fees}));
    DocumentRecord code{.collection_id = col, .path = "/c/auth.py", .rel_path = "auth.py", .kind = "code",
                        .status = DocumentStatus::Ok};
    Chunk fn = makeChunk("def refresh(token):\n    # bearer token refresh (AND/OR \"quoted\")\n", {"refresh"});
    fn.kind = ChunkKind::Function;
    fn.line_first = 12;
    fn.line_last = 14;
    ASSERT_TRUE(lib_->putDocument(code, std::vector{fn}));
  }

  TempDir dir_;
  std::optional<Library> lib_;
};

}  // namespace

TEST(QueryParser, QuotesEveryTermAndKeepsPhrases) {
  auto terms = parseQuery(R"(termination "ninety days" notice*)");
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0].text, "termination");
  EXPECT_FALSE(terms[0].phrase);
  EXPECT_EQ(terms[1].text, "ninety days");
  EXPECT_TRUE(terms[1].phrase);
  EXPECT_EQ(terms[2].text, "notice");
  EXPECT_TRUE(terms[2].prefix);
  EXPECT_EQ(ftsExpression(terms, false), R"("termination" "ninety days" "notice"*)");
  EXPECT_EQ(ftsExpression(terms, true), R"("termination" OR "ninety days" OR "notice"*)");
}

TEST(QueryParser, OperatorsAndPunctuationArePlainText) {
  auto terms = parseQuery("a AND b OR NOT NEAR(c d) text:e ^f -g +h");
  std::vector<std::string> texts;
  for (const auto& t : terms) texts.push_back(t.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"a", "AND", "b", "OR", "NOT", "NEAR(c", "d)", "text:e", "^f", "-g",
                                            "+h"}));
  EXPECT_TRUE(parseQuery("\"\" * ** () : - ^ \"   \"").empty());
  EXPECT_TRUE(parseQuery("").empty());
  // An embedded quote inside a word ends it; an unclosed quote runs to the end.
  terms = parseQuery("ab\"cd ef");
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0].text, "ab");
  EXPECT_EQ(terms[1].text, "cd ef");
  EXPECT_TRUE(terms[1].phrase);
}

// A pasted paragraph repeats words: each copy was one more FTS5 phrase to intersect and score, so 3,000
// copies of one word took 134 s on a 600,000-chunk library (one copy: 0.08 s). Repeats add nothing to
// which chunks match, so the parser keeps the first of each (ASCII case folded, as the index folds it).
TEST(QueryParser, RepeatedTermsAreKeptOnce) {
  auto terms = parseQuery(R"(notice Notice NOTICE notice* "notice" notice "ninety days" "Ninety Days")");
  std::vector<std::string> texts;
  for (const auto& t : terms) texts.push_back(t.text + (t.prefix ? "*" : "") + (t.phrase ? "\"" : ""));
  EXPECT_EQ(texts, (std::vector<std::string>{"notice", "notice*", "notice\"", "ninety days\""}));
  std::string pasted;
  for (int i = 0; i < 3000; ++i) pasted += "alpha beta ";
  EXPECT_EQ(parseQuery(pasted).size(), 2u);
}

TEST(QueryParser, ControlBytesAndInvalidUtf8BecomeSpaces) {
  const std::string hostile = std::string("caf\xC3\xA9 \xFF\xFEx\x00y\x01z \xE2\x82", 17);
  auto terms = parseQuery(hostile);
  std::vector<std::string> texts;
  for (const auto& t : terms) texts.push_back(t.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"caf\xC3\xA9", "x", "y", "z"}));
}

TEST_F(SearchTest, FindsTheClauseWithItsSpans) {
  auto r = search(lib_->db(), "termination notice");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_FALSE(r->hits.empty());
  const SearchHit& top = r->hits[0];
  EXPECT_EQ(top.rel_path, "contract.pdf");
  EXPECT_EQ(top.kind, "clause");
  EXPECT_EQ(top.heading, joinHeadingPath(std::vector<std::string>{"10. Term and Termination", "10.2"}));
  EXPECT_EQ(top.page_first, 4);
  EXPECT_EQ(top.page_last, 5);
  EXPECT_EQ(top.line_first, 30);
  EXPECT_EQ(top.collection, "docs");
  EXPECT_EQ(top.title, "Services Agreement");
  EXPECT_GT(top.score, 0);
  EXPECT_NE(top.snippet.find("[terminate]"), std::string::npos) << top.snippet;
  EXPECT_FALSE(r->matched_any);
}

TEST_F(SearchTest, HeadingMatchesRankAboveBodyMatches) {
  // "fees" is in the body of clause 10.2 and the heading of clause 4.
  auto h = search(lib_->db(), "fees");
  ASSERT_TRUE(h);
  ASSERT_EQ(h->hits.size(), 2u);
  EXPECT_EQ(h->hits[0].heading, "4. Fees");
  EXPECT_GT(h->hits[0].score, h->hits[1].score);
}

TEST_F(SearchTest, PhraseMustMatchInOrder) {
  auto hit = search(lib_->db(), "\"ninety days\"");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->hits.size(), 1u);
  SearchOptions exact;
  exact.fall_back_to_any = false;
  auto miss = search(lib_->db(), "\"days ninety\"", exact);
  ASSERT_TRUE(miss);
  EXPECT_TRUE(miss->hits.empty());
}

TEST_F(SearchTest, FallsBackToAnyTermWhenNoChunkHasAll) {
  auto r = search(lib_->db(), "bearer indemnification");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->matched_any);
  ASSERT_EQ(r->hits.size(), 1u);
  EXPECT_EQ(r->hits[0].rel_path, "auth.py");
  EXPECT_EQ(r->hits[0].line_first, 12);
}

// A question's words: clause 10.2 has "terminate" and "notice" but not "period"; clause 4 has "notice".
// Requiring every word finds nothing; match_any finds both, the one with more of the words first.
TEST_F(SearchTest, MatchAnyRanksChunksWithMoreOfTheTermsFirst) {
  SearchOptions all_words;
  all_words.fall_back_to_any = false;
  auto strict = search(lib_->db(), "notice period termination", all_words);
  ASSERT_TRUE(strict);
  EXPECT_TRUE(strict->hits.empty());
  SearchOptions any;
  any.match_any = true;
  auto r = search(lib_->db(), "notice period termination", any);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->matched_any);
  ASSERT_EQ(r->hits.size(), 2u);
  EXPECT_EQ(r->hits[0].heading, joinHeadingPath(std::vector<std::string>{"10. Term and Termination", "10.2"}));
  EXPECT_EQ(r->hits[1].heading, "4. Fees");
}

TEST_F(SearchTest, HostileQueriesNeverError) {
  const std::vector<std::string> hostile = {
      "\"", "\"\"", "\"\"\"", "'", "''", "*", "**", "a*b", "(", ")", "(((", "a AND", "OR", "NOT b", "AND OR NOT",
      "NEAR(a b, 2)", "NEAR", "text:", "text:bearer", "heading:fees", "{text heading}:x", "-", "-x", "+",
      "^", "^bearer", "a:b:c", "\"unterminated phrase", "token\"", "\\", "%", "_", "a OR", "; DROP TABLE chunks;--",
      std::string("\0bearer", 7), "\xFF\xFE\xFD", "\xC0\xAF", "\xED\xA0\x80", std::string(5000, 'a'),
      std::string(2000, '"'), std::string(3000, '('), "\xF0\x9F\x98\x80 emoji", "bearer*", "*bearer", "b*e*a*r"};
  for (const auto& q : hostile) {
    auto r = search(lib_->db(), q);
    EXPECT_TRUE(r) << "query " << testing::PrintToString(q) << ": " << (r ? "" : r.error().message);
  }
  auto prefix = search(lib_->db(), "bear*");
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->hits.size(), 1u);
  auto column = search(lib_->db(), "text:bearer");  // not a column filter: the words "text" and "bearer"
  ASSERT_TRUE(column);
  EXPECT_EQ(*lib_->db().queryInt("SELECT count(*) FROM chunks"), 3);
}

TEST_F(SearchTest, EmptyQueryAndZeroLimitGiveNoHits) {
  auto r = search(lib_->db(), "  \"\" ");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->hits.empty());
  EXPECT_TRUE(r->fts_query.empty());
  SearchOptions none;
  none.limit = 0;
  auto z = search(lib_->db(), "bearer", none);
  ASSERT_TRUE(z);
  EXPECT_TRUE(z->hits.empty());
}

TEST_F(SearchTest, LimitCapsTheHits) {
  SearchOptions one;
  one.limit = 1;
  auto r = search(lib_->db(), "notice", one);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->hits.size(), 1u);
}
