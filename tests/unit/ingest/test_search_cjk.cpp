// Search in Chinese, Japanese and Korean text: a word is found inside a longer unbroken run, alone or
// next to Latin words, ranked (headings weigh more), with snippets that mark exactly its characters
// and the chunk's page and line spans; English search around it works as before.
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

class SearchCjkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lib = Library::open(dir_.path() / "cjk.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
    const int64_t col = *lib_->ensureCollection("contracts");
    put(col, "ja.pdf", {makeChunk("本書は日本語の契約書であり、甲と乙の間の業務委託について定める。"),
                        makeChunk("第3条（秘密保持）乙は、本契約に関して知り得た甲の情報を第三者に開示しない。",
                                  {"第3条"})});
    put(col, "zh.pdf", {makeChunk("本合同自双方签字之日起生效，有效期为三年。"),
                        makeChunk("付款条件：甲方应在收到发票后三十日内支付全部款项。", {"付款"})});
    put(col, "ko.pdf", {makeChunk("이 계약서는 양 당사자의 서명일로부터 효력이 발생한다.")});
    put(col, "mixed.md", {makeChunk("Folioは PDF形式のcontractsを読み込みます。Indemnification clauses follow."),
                          makeChunk("The parties terminate the agreement; no CJK text in this one.",
                                    {"Termination"})});
    // The heading boost: 委託 in a heading outranks 委託 in the body.
    put(col, "heading.md", {makeChunk("この条項は報酬の支払方法を定める。", {"業務委託"})});
  }

  void put(int64_t col, const std::string& name, std::vector<Chunk> chunks) {
    for (size_t i = 0; i < chunks.size(); ++i) {
      chunks[i].page_first = chunks[i].page_last = static_cast<int>(i) + 2;
      chunks[i].line_first = static_cast<int>(i) * 10 + 1;
      chunks[i].line_last = static_cast<int>(i) * 10 + 4;
    }
    DocumentRecord doc{.collection_id = col, .path = "/c/" + name, .rel_path = name, .kind = "pdf",
                       .status = DocumentStatus::Ok};
    ASSERT_TRUE(lib_->putDocument(doc, chunks));
  }

  SearchResult find(const std::string& query) {
    auto r = search(lib_->db(), query);
    EXPECT_TRUE(r) << query << ": " << r.error().message;
    return r ? *r : SearchResult{};
  }

  // The rel_path of every hit, best first.
  std::vector<std::string> paths(const std::string& query) {
    std::vector<std::string> out;
    for (const auto& h : find(query).hits) out.push_back(h.rel_path);
    return out;
  }

  TempDir dir_;
  std::optional<Library> lib_;
};

}  // namespace

TEST_F(SearchCjkTest, FindsAJapaneseWordInsideALongerRun) {
  // The QA case: 日本語 inside 本書は日本語の契約書であり (kanji and kana, no spaces).
  const auto r = find("日本語");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].rel_path, "ja.pdf");
  EXPECT_FALSE(r.matched_any);
  // 24 tokens of snippet: one per CJK character.
  EXPECT_EQ(r.hits[0].snippet, "本書は[日本語]の契約書であり、甲と乙の間の業務委託に…");
  EXPECT_EQ(r.hits[0].page_first, 2);
  EXPECT_EQ(r.hits[0].line_first, 1);
  EXPECT_EQ(r.hits[0].line_last, 4);
  EXPECT_EQ(paths("契約書"), std::vector<std::string>{"ja.pdf"});
  EXPECT_EQ(paths("業務委託"), (std::vector<std::string>{"heading.md", "ja.pdf"}));  // heading first
  EXPECT_EQ(paths("読み込み"), std::vector<std::string>{"mixed.md"});                // kana only
  // Characters that are not adjacent in the text are not a phrase.
  EXPECT_TRUE(find("日契").hits.empty());
  EXPECT_TRUE(find("\"本語契\"").hits.empty());
}

TEST_F(SearchCjkTest, FindsChineseAndKoreanWords) {
  const auto zh = find("合同");
  ASSERT_EQ(zh.hits.size(), 1u);
  EXPECT_EQ(zh.hits[0].snippet, "本[合同]自双方签字之日起生效，有效期为三年。");
  EXPECT_EQ(paths("发票"), std::vector<std::string>{"zh.pdf"});
  EXPECT_EQ(find("付款").hits.at(0).page_first, 3);  // heading and body: the second chunk
  // Korean: a noun with its particle attached (계약서는) and one followed by a particle (효력이).
  const auto ko = find("계약서");
  ASSERT_EQ(ko.hits.size(), 1u);
  EXPECT_EQ(ko.hits[0].snippet, "이 [계약서]는 양 당사자의 서명일로부터 효력이 발생한다.");
  EXPECT_EQ(paths("효력 발생"), std::vector<std::string>{"ko.pdf"});
}

TEST_F(SearchCjkTest, OneCharacterAndAdjacentMatchesAreMarkedExactly) {
  // 甲 in 甲と乙, 甲の情報 and 甲方; 三 in 三年, 三十日 and 第三者 (first, middle and last of a run).
  EXPECT_EQ(find("甲").hits.size(), 3u);
  const auto three = find("三");
  ASSERT_EQ(three.hits.size(), 3u);
  for (const auto& h : three.hits) EXPECT_NE(h.snippet.find("[三]"), std::string::npos) << h.snippet;
  // Two terms matching side by side (本 then 合同): each marked once, the text intact.
  const auto both = find("本 合同");
  ASSERT_EQ(both.hits.size(), 1u);
  EXPECT_EQ(both.hits[0].snippet, "[本][合同]自双方签字之日起生效，有效期为三年。");
  // A trailing '*' after CJK asks for nothing more (every character is indexed).
  EXPECT_EQ(find("契約*").fts_query, "\"契約\"");
  EXPECT_EQ(paths("契約*"), (std::vector<std::string>{"ja.pdf", "ja.pdf"}));  // 契約書, 本契約
}

TEST_F(SearchCjkTest, MixedCjkAndLatin) {
  // Latin words touching CJK text are words of their own (Folioは, PDF形式, のcontractsを).
  EXPECT_EQ(paths("folio"), std::vector<std::string>{"mixed.md"});
  EXPECT_EQ(paths("contract"), std::vector<std::string>{"mixed.md"});  // stemmed: contracts
  const auto phrase = find("\"PDF形式\"");
  ASSERT_EQ(phrase.hits.size(), 1u);
  EXPECT_NE(phrase.hits[0].snippet.find("Folioは [PDF形式]のcontracts"), std::string::npos) << phrase.hits[0].snippet;
  EXPECT_EQ(paths("形式 indemnif*"), std::vector<std::string>{"mixed.md"});
  EXPECT_EQ(paths("第3条"), std::vector<std::string>{"ja.pdf"});
  // English search beside CJK documents: stemming, phrases, heading boost as before.
  EXPECT_EQ(paths("terminating"), std::vector<std::string>{"mixed.md"});
  EXPECT_EQ(find("\"terminate the agreement\"").hits.size(), 1u);
  EXPECT_TRUE(find("\"the terminate\"").hits.empty());
}
