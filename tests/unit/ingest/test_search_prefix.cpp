// Prefix search against a brute-force expectation: every token of every chunk (fts5vocab 'instance',
// read from the main index, never from a prefix index) is checked against the stemmed prefix, and the
// matching chunks are scored with bm25's formula by hand. search() must return exactly those chunks,
// with bit-identical scores, in the same order (ties by ascending chunk id), whether FTS5 answers the
// prefix from a prefix index or by merging the terms under it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ingest/library/fts_prefix_index.h"
#include "ingest/library/fts_top_k.h"
#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "ingest/library/search.h"
#include "unit/ingest/test_library_util.h"
#include "unit/ingest/test_prefix_corpus.h"

using namespace folio::ingest;
using folio::ingest::test::TempDir;

namespace {

struct Expected {
  int64_t chunk_id = 0;
  double score = 0;
};

// One query term for the brute force: a stemmed word, or a stemmed prefix.
struct Term {
  std::string stem;
  bool prefix = false;
  bool matches(const std::string& token) const {
    return prefix ? token.compare(0, stem.size(), stem) == 0 : token == stem;
  }
};

class SearchPrefixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lib = Library::open(dir_.path() / "prefix.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
    const int64_t col = *lib_->ensureCollection("c");
    const auto chunks = test::prefixCorpus(1200, 5);
    for (size_t d = 0; d < chunks.size(); d += 100) {
      DocumentRecord doc{.collection_id = col,
                         .path = "/p/" + std::to_string(d),
                         .rel_path = std::to_string(d),
                         .kind = "text",
                         .status = DocumentStatus::Ok};
      ASSERT_TRUE(lib_->putDocument(doc, std::span(chunks).subspan(d, 100)));
    }
    Database& db = lib_->db();
    // Every token instance: (term, chunk, column) from the main index.
    ASSERT_TRUE(
        db.exec("CREATE VIRTUAL TABLE temp.instances USING fts5vocab(main, chunks_fts, 'instance');"
                "CREATE VIRTUAL TABLE temp.stemmer USING fts5(x, tokenize='" +
                std::string(kChunkTokenizer) +
                "');"
                "CREATE VIRTUAL TABLE temp.stems USING fts5vocab(temp, stemmer, 'instance');"));
    auto s = db.prepare("SELECT term, doc, col FROM temp.instances");
    ASSERT_TRUE(s);
    while (s->step().value()) {
      tokens_[s->columnInt64(1)].push_back({s->columnText(0), s->columnText(2) == "heading"});
      ++total_tokens_;
    }
    rows_ = *db.queryInt("SELECT count(*) FROM chunks");
    for (const auto& [id, list] : tokens_) length_[id] = static_cast<double>(list.size());
  }

  // What the tokenizer makes of a word (the query side stems it the same way).
  std::string stem(const std::string& word) {
    Database& db = lib_->db();
    EXPECT_TRUE(db.exec("DELETE FROM temp.stemmer"));
    auto ins = db.prepare("INSERT INTO temp.stemmer(x) VALUES (?1)");
    ins->bind(1, word);
    EXPECT_TRUE(ins->run());
    auto s = db.prepare("SELECT term FROM temp.stems ORDER BY offset");
    std::string out;
    while (s->step().value()) out = s->columnText(0);  // a single-word term gives one token
    return out;
  }

  // All chunks holding every term, best first, scored as bm25(1.0, 4.0) scores them.
  std::vector<Expected> bruteForce(const std::vector<Term>& terms) {
    constexpr double k1 = 1.2, b = 0.75;
    const double avgdl = static_cast<double>(total_tokens_) / static_cast<double>(rows_);
    std::vector<double> idf;
    for (const Term& t : terms) {
      int64_t hits = 0;
      for (const auto& [id, list] : tokens_) {
        hits += std::any_of(list.begin(), list.end(), [&](const Token& k) { return t.matches(k.term); });
      }
      double v = std::log((static_cast<double>(rows_) - static_cast<double>(hits) + 0.5) /
                          (static_cast<double>(hits) + 0.5));
      idf.push_back(v <= 0.0 ? 1e-6 : v);
    }
    std::vector<Expected> out;
    for (const auto& [id, list] : tokens_) {
      std::vector<double> freq(terms.size(), 0.0);
      for (const Token& k : list) {
        for (size_t i = 0; i < terms.size(); ++i) {
          if (terms[i].matches(k.term)) freq[i] += k.heading ? kChunkHeadingWeight : kChunkTextWeight;
        }
      }
      if (std::any_of(freq.begin(), freq.end(), [](double f) { return f == 0.0; })) continue;
      const double D = length_[id];
      double score = 0.0;
      for (size_t i = 0; i < terms.size(); ++i) {
        score += idf[i] * ((freq[i] * (k1 + 1.0)) / (freq[i] + k1 * (1 - b + b * D / avgdl)));
      }
      out.push_back({id, score});
    }
    std::sort(out.begin(), out.end(), [](const Expected& x, const Expected& y) {
      return x.score > y.score || (x.score == y.score && x.chunk_id < y.chunk_id);
    });
    return out;
  }

  void expectSearchMatches(const std::string& query, const std::vector<Term>& terms) {
    const auto want = bruteForce(terms);
    const bool nothing_expected = query == "zzzz*" || query == "terminat*";  // test_prefix_corpus.h
    EXPECT_EQ(want.empty(), nothing_expected) << query;
    for (int limit : {10, 5000}) {
      SearchOptions options;
      options.limit = limit;
      options.fall_back_to_any = false;
      auto got = search(lib_->db(), query, options);
      ASSERT_TRUE(got) << got.error().message;
      const size_t n = std::min(want.size(), static_cast<size_t>(limit));
      ASSERT_EQ(got->hits.size(), n) << query << " limit " << limit;
      for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(got->hits[i].chunk_id, want[i].chunk_id)
            << query << " limit " << limit << " position " << i;
        EXPECT_EQ(got->hits[i].score, want[i].score) << query << " limit " << limit << " position " << i;
      }
    }
  }

  struct Token {
    std::string term;
    bool heading = false;
  };
  TempDir dir_;
  std::optional<Library> lib_;
  std::map<int64_t, std::vector<Token>> tokens_;
  std::map<int64_t, double> length_;
  int64_t total_tokens_ = 0;
  int64_t rows_ = 0;
};

}  // namespace

TEST_F(SearchPrefixTest, PrefixQueriesReturnTheBruteForceHitsAndScores) {
  size_t served = 0, merged = 0;
  for (const std::string& query : test::prefixQueries()) {
    const std::string prefix = query.substr(0, query.size() - 1);
    const Term term{stem(prefix), true};
    expectSearchMatches(query, {term});
    auto by_index = servedByPrefixIndex(lib_->db(), prefix);
    ASSERT_TRUE(by_index) << by_index.error().message;
    (*by_index ? served : merged) += 1;
  }
  // The queries go both ways through FTS5: a prefix index, or a merge of the terms under the prefix.
  EXPECT_GE(served, 10u);
  EXPECT_GE(merged, 8u);
}

TEST_F(SearchPrefixTest, PrefixTermsWithOtherTermsReturnTheBruteForceHits) {
  expectSearchMatches("ka ter*", {{stem("ka"), false}, {stem("ter"), true}});
  expectSearchMatches("sando* contract", {{stem("sando"), true}, {stem("contract"), false}});
  expectSearchMatches("velvel* kar*", {{stem("velvel"), true}, {stem("kar"), true}});
  expectSearchMatches("quite* term* mi", {{stem("quite"), true}, {stem("term"), true}, {stem("mi"), false}});
}

TEST_F(SearchPrefixTest, ThePrefixIndexServesExactlyTheStemmedLengthsConfigured) {
  // The stem decides: `sans` asks for `san` (3), `quite` for `quit` (4), `terminat` stays 8 long.
  const std::vector<std::pair<std::string, bool>> cases = {
      {"k", false},     {"ka", false},        {"kar", true},         {"karo", true},  {"karom", true},
      {"karomi", true}, {"karomit", false},   {"sans", true},        {"quite", true}, {"terminat", false},
      {"Ünic", true},   {"dorvel-kar", true}, {"kar-dorvelo", false}};
  for (const auto& [prefix, want] : cases) {
    auto got = servedByPrefixIndex(lib_->db(), prefix);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, want) << prefix
                          << " (stem of its last word: " << stem(prefix.substr(prefix.rfind('-') + 1)) << ")";
  }
}
