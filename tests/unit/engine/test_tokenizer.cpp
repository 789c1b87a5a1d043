// Byte-level BPE against the independent Python BPE (tools/reference/bpe.py) on the fixture tokenizer and
// on the real MiniMax merges.txt; round trips of arbitrary bytes; added tokens; lookups.
#include <gtest/gtest.h>

#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/tokenizer.h"
#include "test_tokenizer_support.h"

namespace folio::engine {
namespace {

using test::readJson;

TEST(Tokenizer, MatchesPythonBpeOnFixtureCases) {
  const Tokenizer& tok = test::tinyTokenizer();
  const auto cases = readJson(test::kFixtures / "tokenizer" / "cases.json")["cases"];
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const std::string text = c["text"].get<std::string>();
    EXPECT_EQ(tok.encode(text), c["ids"].get<std::vector<TokenId>>()) << "text: " << text;
  }
}

TEST(Tokenizer, MatchesPythonBpeWithRealMinimaxMerges) {
  FOLIO_REQUIRE_REAL_MERGES(tok);
  const auto fixture = readJson(test::kFixtures / "tokenizer" / "real_merges_cases.json");
  EXPECT_EQ(tok->mergeCount(), fixture["num_merges"].get<size_t>());
  EXPECT_EQ(tok->vocabSize(), 256 + fixture["num_merges"].get<size_t>());
  for (const auto& c : fixture["cases"]) {
    const std::string text = c["text"].get<std::string>();
    const std::vector<TokenId> ids = tok->encode(text);
    EXPECT_EQ(ids, c["ids"].get<std::vector<TokenId>>()) << "text: " << text;
    EXPECT_EQ(tok->decode(ids), text);
  }
}

TEST(Tokenizer, RealMergesMakeWordsSingleTokens) {
  FOLIO_REQUIRE_REAL_MERGES(tok);
  // Frequent English words are single tokens in a 200k vocabulary; this fails if merges were not applied.
  EXPECT_EQ(tok->encode(" the").size(), 1u);
  EXPECT_EQ(tok->encode(" library").size(), 1u);
  EXPECT_LT(tok->encode(test::mixedText(20000, 7, false)).size(), 20000u / 3);
}

// The BPE definition written out naively (merge the lowest-rank adjacent pair, leftmost first, one at a
// time) against the engine's scan (short words) and heap (long words), with the real merges.
TEST(Tokenizer, BpeMatchesNaiveMergingOnWordsOfEveryLength) {
  PreTokenizerStep whole_text;  // no splitting: the whole text is one word
  whole_text.kind = PreTokenizerStep::Kind::ByteLevel;
  whole_text.add_prefix_space = false;
  whole_text.use_regex = false;
  auto spec = test::realMergesSpec({{whole_text}});
  if (!spec) GTEST_SKIP() << "no " << test::kRealMerges;
  auto tok = Tokenizer::create(*spec);
  ASSERT_TRUE(tok.ok()) << tok.error().message;

  std::unordered_map<std::string, size_t> rank;  // "left right" -> rank (the alphabet has no space)
  for (size_t r = 0; r < spec->merges.size(); ++r) rank[spec->merges[r].first + " " + spec->merges[r].second] = r;
  std::unordered_map<std::string, TokenId> vocab(spec->vocab.begin(), spec->vocab.end());
  const auto naive = [&](std::string_view word) {
    std::vector<std::string> symbols;
    for (const char b : word) symbols.push_back(byte_level::encoded(std::string_view(&b, 1)));
    while (symbols.size() > 1) {
      size_t best = 0, best_rank = SIZE_MAX;
      for (size_t i = 0; i + 1 < symbols.size(); ++i) {
        auto it = rank.find(symbols[i] + " " + symbols[i + 1]);
        if (it != rank.end() && it->second < best_rank) best = i, best_rank = it->second;
      }
      if (best_rank == SIZE_MAX) break;
      symbols[best] += symbols[best + 1];
      symbols.erase(symbols.begin() + static_cast<long>(best) + 1);
    }
    std::vector<TokenId> ids;
    for (const auto& s : symbols) ids.push_back(vocab.at(s));
    return ids;
  };
  const std::string source = test::mixedText(40000, 17, true);
  for (size_t length = 1; length <= 300; length += (length < 64 ? 1 : 13)) {
    for (size_t start : {size_t{0}, size_t{1234}, size_t{20011}}) {
      std::string word = source.substr(start, length);
      std::erase(word, ' ');  // long words of letters, digits and symbols
      EXPECT_EQ(tok->encode(word), naive(word)) << "word of " << word.size() << " bytes: " << word;
    }
    const std::string repeated(length, 'a');  // one merge rank applying at many places
    EXPECT_EQ(tok->encode(repeated), naive(repeated)) << length << " x 'a'";
  }
}

TEST(Tokenizer, RoundTripsArbitraryBytes) {
  const Tokenizer& tiny = test::tinyTokenizer();
  const Tokenizer* real = test::realMergesTokenizer();
  std::vector<std::string> texts = {
      "",
      "plain ascii text",
      "emoji 🎉🙂👍🏽 ❤️ family 👨‍👩‍👧 flags 🇫🇷",
      "CJK 日本語のテキスト 中文 한국어, accents naïve café Ærø",
      std::string("nul \0 byte and \x01\x02\x7f controls", 27),
      "invalid \xff\xfe bytes \xc3 truncated \xe2\x82 and overlong \xc0\xaf surrogate \xed\xa0\x80 end",
      "\x80\x80\x80 leading continuation bytes",
      "ends in a cut character \xf0\x9f\x8e",
      "   \n\n\t\r\n  whitespace only  \n",
      "<end_of_sentence> specials <think>inside</think> and partial <end_of_sent",
  };
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  texts.push_back(all_bytes);
  texts.push_back(test::mixedText(5000, 3, true));
  for (const std::string& text : texts) {
    EXPECT_EQ(tiny.decode(tiny.encode(text)), text) << "tiny: " << text;
    EXPECT_EQ(tiny.decode(tiny.encode(text, SpecialTokens::AsText)), text) << "tiny, specials as text: " << text;
    if (real != nullptr) {
      EXPECT_EQ(real->decode(real->encode(text)), text) << "real: " << text;
    }
  }
}

TEST(Tokenizer, EveryByteIsOneTokenAlone) {
  const Tokenizer& tok = test::tinyTokenizer();
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    const auto ids = tok.encode(one);
    ASSERT_EQ(ids.size(), 1u) << "byte " << b;
    EXPECT_EQ(tok.tokenBytes(ids[0]), one);
  }
}

TEST(Tokenizer, SpecialTokensInsideText) {
  const Tokenizer& tok = test::tinyTokenizer();
  const TokenId eos = tok.specialTokenId("<end_of_sentence>").value();
  const TokenId think = tok.specialTokenId("<think>").value();
  const TokenId end_think = tok.specialTokenId("</think>").value();

  const auto ids = tok.encode("a<end_of_sentence>b<think>c</think>");
  const std::vector<TokenId> a = tok.encode("a"), b = tok.encode("b"), c = tok.encode("c");
  std::vector<TokenId> expected = a;
  expected.push_back(eos);
  expected.insert(expected.end(), b.begin(), b.end());
  expected.push_back(think);
  expected.insert(expected.end(), c.begin(), c.end());
  expected.push_back(end_think);
  EXPECT_EQ(ids, expected);

  // Adjacent specials, a special at each end, and a special split by a missing byte.
  const auto adjacent = tok.encode("<think></think>");
  EXPECT_EQ(adjacent, (std::vector<TokenId>{think, end_think}));
  const auto broken = tok.encode("<think</think>");
  EXPECT_EQ(broken.back(), end_think);
  EXPECT_EQ(std::count(broken.begin(), broken.end(), think), 0);

  // As text, the specials are spelled out in ordinary tokens.
  const auto as_text = tok.encode("a<end_of_sentence>b", SpecialTokens::AsText);
  EXPECT_EQ(std::count(as_text.begin(), as_text.end(), eos), 0);
  EXPECT_EQ(tok.decode(as_text), "a<end_of_sentence>b");

  // Decoding renders specials as their content unless skipped.
  EXPECT_EQ(tok.decode(ids), "a<end_of_sentence>b<think>c</think>");
  EXPECT_EQ(tok.decode(ids, DecodeOptions{.skip_special = true}), "abc");
}

TEST(Tokenizer, LongestAddedTokenWinsAtTheSamePosition) {
  TokenizerSpec spec;
  spec.vocab = test::byteVocab();
  spec.pre_tokenizer = test::miniMaxPreTokenizer();
  spec.added_tokens = {{300, "<a>", true}, {301, "<a><b>", true}, {302, "b>", false}, {303, "a><b>xyz", true}};
  auto tok = Tokenizer::create(spec);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  EXPECT_EQ(tok->encode("<a><b>"), (std::vector<TokenId>{301}));
  EXPECT_EQ(tok->encode("<a><c>").front(), 300);
  // The leftmost occurrence wins over a longer one that starts later.
  const auto ids = tok->encode("<a><b>xyz");
  EXPECT_EQ(ids.front(), 301);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 303), 0);
  EXPECT_EQ(tok->encode("x<a><b>").back(), 301);
  // Non-special added tokens are matched even when specials are kept as text.
  const auto plain = tok->encode("<a>b>", SpecialTokens::AsText);
  EXPECT_EQ(plain.back(), 302);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), 300), 0);
  EXPECT_FALSE(tok->isSpecial(302));
  EXPECT_TRUE(tok->isSpecial(300));
}

TEST(Tokenizer, Lookups) {
  const Tokenizer& tok = test::tinyTokenizer();
  const auto config = readJson(test::kFixtures / "models" / "tiny-f32-h4-ls" / "tokenizer.json");
  size_t highest = 0;
  for (const auto& [token, id] : config["model"]["vocab"].items()) highest = std::max(highest, id.get<size_t>());
  for (const auto& a : config["added_tokens"]) {
    highest = std::max(highest, a["id"].get<size_t>());
    EXPECT_EQ(tok.specialTokenId(a["content"].get<std::string>()), a["id"].get<TokenId>());
    EXPECT_TRUE(tok.isSpecial(a["id"].get<TokenId>()));
  }
  EXPECT_EQ(tok.vocabSize(), highest + 1);
  EXPECT_EQ(tok.tokenId("Ġ"), tok.encode(" ").front());
  EXPECT_FALSE(tok.specialTokenId("<no_such_token>").has_value());
  const auto missing = tok.requireSpecialToken("<no_such_token>");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("<no_such_token>"), std::string::npos);
  EXPECT_TRUE(tok.requireSpecialToken("<end_of_sentence>").ok());
  EXPECT_FALSE(tok.isSpecial(tok.encode("a").front()));
  EXPECT_FALSE(tok.isKnown(-1));
  EXPECT_FALSE(tok.isKnown(static_cast<TokenId>(tok.vocabSize())));
  // Unknown ids (e.g. from a padded lm_head) decode to nothing.
  const std::vector<TokenId> with_unknown = {tok.encode("a").front(), 100000, -5};
  EXPECT_EQ(tok.decode(with_unknown), "a");
}

TEST(Tokenizer, ByteLevelAlphabetIsGpt2s) {
  EXPECT_EQ(byte_level::encoded(" "), "Ġ");
  EXPECT_EQ(byte_level::encoded("\n"), "Ċ");
  EXPECT_EQ(byte_level::encoded(std::string(1, '\0')), "Ā");
  EXPECT_EQ(byte_level::encoded("a!~"), "a!~");
  const auto order = byte_level::bytesInGpt2Order();
  EXPECT_EQ(order[0], '!');
  EXPECT_EQ(order[188], 0x00);
  EXPECT_EQ(order[220], 0x20);
  std::string back;
  ASSERT_TRUE(byte_level::appendDecoded(back, "ĠhelloĊ"));
  EXPECT_EQ(back, " hello\n");
  EXPECT_FALSE(byte_level::appendDecoded(back, "日"));  // not in the alphabet
}

}  // namespace
}  // namespace folio::engine
