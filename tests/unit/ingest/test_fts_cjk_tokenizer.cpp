// The folio_cjk FTS5 tokenizer, token by token: CJK runs become single characters with colocated
// character pairs (documents) or pairs and a last character (queries), each position's offsets
// those of its own character; everything else is what porter unicode61 makes of it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/library/cjk_text.h"
#include "ingest/library/database.h"
#include "ingest/library/fts5_api.h"
#include "ingest/library/fts_cjk_tokenizer.h"

using namespace folio::ingest;

namespace {

struct Token {
  std::string text;
  bool colocated = false;
  std::string span;  // the bytes its offsets cover
  bool operator==(const Token&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Token& t) {
  return os << '{' << t.text << (t.colocated ? " colocated" : "") << " @" << t.span << '}';
}

struct Collected {
  std::string_view text;
  std::vector<Token> tokens;
};

int collect(void* ctx, int flags, const char* token, int size, int start, int end) {
  auto* c = static_cast<Collected*>(ctx);
  EXPECT_LE(0, start);
  EXPECT_LE(start, end);
  EXPECT_LE(static_cast<size_t>(end), c->text.size());
  c->tokens.push_back({std::string(token, static_cast<size_t>(size)), (flags & FTS5_TOKEN_COLOCATED) != 0,
                       std::string(c->text.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)))});
  return SQLITE_OK;
}

// Tokenizes `text` with folio_cjk as chunks_fts configured it before schema v10 (or with the parts of
// identifiers, as v10 does), in the given FTS5 mode.
std::vector<Token> tokens(std::string_view text, int mode, bool identifiers = false) {
  auto db = Database::open(":memory:");
  EXPECT_TRUE(db);
  auto api = fts5Api(db->handle());
  EXPECT_TRUE(api);
  void* user_data = nullptr;
  fts5_tokenizer methods{};
  EXPECT_EQ((*api)->xFindTokenizer(*api, "folio_cjk", &user_data, &methods), SQLITE_OK);
  const char* args[] = {"identifiers", "porter", "unicode61", "remove_diacritics", "2"};
  Fts5Tokenizer* tokenizer = nullptr;
  EXPECT_EQ(methods.xCreate(user_data, identifiers ? args : args + 1, identifiers ? 5 : 4, &tokenizer), SQLITE_OK);
  Collected c{text, {}};
  EXPECT_EQ(methods.xTokenize(tokenizer, &c, mode, text.data(), static_cast<int>(text.size()), collect), SQLITE_OK);
  methods.xDelete(tokenizer);
  return c.tokens;
}

Token t(std::string text, std::string span = "") {
  if (span.empty()) span = text;
  return {std::move(text), false, std::move(span)};
}
Token pair(std::string text, std::string span) { return {std::move(text), true, std::move(span)}; }
Token part(std::string text, std::string span) { return pair(std::move(text), std::move(span)); }

}  // namespace

TEST(CjkText, ClassifiesScriptsNotPunctuation) {
  for (char32_t cp : {U'日', U'の', U'カ', U'ー', U'々', U'한', U'ᄀ', U'ㄅ', U'ｶ', U'𠀋'}) {
    EXPECT_TRUE(isCjkCodePoint(cp)) << static_cast<uint32_t>(cp);
  }
  for (char32_t cp : {U'a', U'é', U'Ж', U'、', U'。', U'「', U'・', U'゠', U'⺀', U'１', U'Ａ', U'･'}) {
    EXPECT_FALSE(isCjkCodePoint(cp)) << static_cast<uint32_t>(cp);
  }
  EXPECT_TRUE(endsWithCjkCharacter("abc日本"));
  EXPECT_TRUE(endsWithCjkCharacter("𠀋"));
  EXPECT_FALSE(endsWithCjkCharacter("日本a"));
  EXPECT_FALSE(endsWithCjkCharacter("日本。"));
  EXPECT_FALSE(endsWithCjkCharacter("\x97\xA5"));  // the tail of 日 alone
  EXPECT_FALSE(endsWithCjkCharacter(""));
}

TEST(CjkTokenizer, IndexesADocumentRunAsCharactersWithColocatedPairs) {
  EXPECT_EQ(tokens("日本語の契約", FTS5_TOKENIZE_DOCUMENT),
            (std::vector<Token>{t("日"), pair("日本", "日"), t("本"), pair("本語", "本"), t("語"), pair("語の", "語"),
                                t("の"), pair("の契", "の"), t("契"), pair("契約", "契"), t("約")}));
  EXPECT_EQ(tokens("한", FTS5_TOKENIZE_DOCUMENT), (std::vector<Token>{t("한")}));
}

TEST(CjkTokenizer, QueriesAsPairsAndTheLastCharacter) {
  EXPECT_EQ(tokens("契約書", FTS5_TOKENIZE_QUERY),
            (std::vector<Token>{t("契約", "契"), t("約書", "約"), t("書")}));
  EXPECT_EQ(tokens("书", FTS5_TOKENIZE_QUERY), (std::vector<Token>{t("书")}));
  EXPECT_EQ(tokens("계약서", FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX),
            (std::vector<Token>{t("계약", "계"), t("약서", "약"), t("서")}));
}

TEST(CjkTokenizer, AuxTokenizingLeavesThePairsOut) {
  EXPECT_EQ(tokens("合同书", FTS5_TOKENIZE_AUX), (std::vector<Token>{t("合"), t("同"), t("书")}));
}

TEST(CjkTokenizer, OtherTextGoesToPorterUnicode61WithOffsetsInTheWholeText) {
  // Words touching CJK text are words of their own; stemming and diacritic folding as before.
  EXPECT_EQ(tokens("Running Cafés在東京、PDF形式", FTS5_TOKENIZE_DOCUMENT),
            (std::vector<Token>{t("run", "Running"), t("cafe", "Cafés"), t("在"), pair("在東", "在"), t("東"),
                                pair("東京", "東"), t("京"), t("pdf", "PDF"), t("形"), pair("形式", "形"), t("式")}));
  EXPECT_EQ(tokens("no CJK here, terminations", FTS5_TOKENIZE_QUERY),
            (std::vector<Token>{t("no"), t("cjk", "CJK"), t("here"), t("termin", "terminations")}));
}

TEST(CjkTokenizer, InvalidUtf8IsNotCjk) {
  // A truncated 日 (E6 97) before a whole 本: the stray bytes go to unicode61, 本 stays a character.
  const std::string text = "a\xE6\x97\xE6\x9C\xAC\xFF";
  const auto got = tokens(text, FTS5_TOKENIZE_DOCUMENT);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), t("本"));
}

TEST(CjkTokenizer, WithIdentifiersADocumentWordGetsItsPartsColocated) {
  EXPECT_EQ(tokens("activeExpireCycle(HTTPServer, x)", FTS5_TOKENIZE_DOCUMENT, true),
            (std::vector<Token>{t("activeexpirecycl", "activeExpireCycle"), part("activ", "active"),
                                part("expir", "Expire"), part("cycl", "Cycle"), t("httpserver", "HTTPServer"),
                                part("http", "HTTP"), part("server", "Server"), t("x")}));
  // A part's token is added once, and not when it is the word's own token.
  EXPECT_EQ(tokens("keyKeys", FTS5_TOKENIZE_DOCUMENT, true),
            (std::vector<Token>{t("keykei", "keyKeys"), part("kei", "key")}));
  // Next to CJK text, and in a word unicode61 folds: offsets stay in the whole text.
  EXPECT_EQ(tokens("日isEmpty", FTS5_TOKENIZE_DOCUMENT, true),
            (std::vector<Token>{t("日"), t("isempti", "isEmpty"), part("is", "is"), part("empti", "Empty")}));
}

TEST(CjkTokenizer, IdentifierPartsAreNotAskedForNorHighlighted) {
  // A query word finds the whole identifier; its parts would make `activeExpireCycle` match any chunk
  // saying "active".
  EXPECT_EQ(tokens("activeExpireCycle", FTS5_TOKENIZE_QUERY, true),
            (std::vector<Token>{t("activeexpirecycl", "activeExpireCycle")}));
  EXPECT_EQ(tokens("activeExpireCycle", FTS5_TOKENIZE_AUX, true),
            (std::vector<Token>{t("activeexpirecycl", "activeExpireCycle")}));
  // Without the option (a library before schema v10), documents are tokenized as they were indexed.
  EXPECT_EQ(tokens("activeExpireCycle", FTS5_TOKENIZE_DOCUMENT),
            (std::vector<Token>{t("activeexpirecycl", "activeExpireCycle")}));
}
