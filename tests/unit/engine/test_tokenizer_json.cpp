// tokenizer.json loading: both merge spellings, the configuration fields, and clear errors (naming the
// file and the field) for corrupt or unsupported files — never a crash.
#include <gtest/gtest.h>

#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/tokenizer_json.h"
#include "test_tokenizer_support.h"

namespace folio::engine {
namespace {

using nlohmann::json;

// A small valid tokenizer.json: the 256 byte tokens, merges for "he" and " the", two specials.
json minimalJson() {
  json vocab = json::object();
  for (const auto& [token, id] : test::byteVocab()) vocab[token] = id;
  vocab["he"] = 256;
  vocab["Ġt"] = 257;
  vocab["Ġthe"] = 258;
  return json{
      {"version", "1.0"},
      {"added_tokens",
       json::array({{{"id", 259}, {"content", "<end_of_sentence>"}, {"special", true}},
                    {{"id", 260}, {"content", "<think>"}, {"special", true}}})},
      {"normalizer", nullptr},
      {"pre_tokenizer",
       {{"type", "Sequence"},
        {"pretokenizers",
         json::array({{{"type", "Split"},
                       {"pattern", {{"Regex", std::string(test::kMiniMaxPattern)}}},
                       {"behavior", "Isolated"},
                       {"invert", false}},
                      {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}})}}},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", json::array({"h e", "Ġ t", "Ġt he"})}}},
  };
}

Result<Tokenizer> load(const json& j) { return Tokenizer::fromJson(j.dump(), "dir/tokenizer.json"); }

// Expects loading to fail with a message naming the file and containing `needle`.
void expectError(const json& j, const std::string& needle, ErrorKind kind = ErrorKind::BadInput) {
  auto t = load(j);
  ASSERT_FALSE(t.ok()) << "expected an error containing: " << needle;
  EXPECT_EQ(t.error().kind, kind) << t.error().message;
  EXPECT_TRUE(t.error().message.starts_with("dir/tokenizer.json: ")) << t.error().message;
  EXPECT_NE(t.error().message.find(needle), std::string::npos) << t.error().message;
}

TEST(TokenizerJson, LoadsAndEncodes) {
  auto t = load(minimalJson());
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->encode(" the"), (std::vector<TokenId>{258}));
  EXPECT_EQ(t->encode("he<think>"), (std::vector<TokenId>{256, 260}));
  EXPECT_EQ(t->vocabSize(), 261u);
}

TEST(TokenizerJson, MergesAsPairsEqualMergesAsStrings) {
  json pairs = minimalJson();
  pairs["model"]["merges"] = json::array({json::array({"h", "e"}), json::array({"Ġ", "t"}), json::array({"Ġt", "he"})});
  auto a = load(minimalJson());
  auto b = load(pairs);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string text = " the theme, he then";
  EXPECT_EQ(a->encode(text), b->encode(text));
}

TEST(TokenizerJson, FixtureFilesLoad) {
  for (const auto& entry : std::filesystem::directory_iterator(test::kFixtures / "models")) {
    auto t = Tokenizer::fromFile(entry.path() / "tokenizer.json");
    EXPECT_TRUE(t.ok()) << entry.path() << ": " << t.error().message;
  }
}

TEST(TokenizerJson, PrefixSpaceAndIgnoreMerges) {
  json j = minimalJson();
  j["pre_tokenizer"] = {{"type", "ByteLevel"}};  // Hugging Face defaults: prefix space, GPT-2 regex
  auto t = load(j);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->encode("the"), (std::vector<TokenId>{258}));  // " the" after the prefix space

  // ignore_merges: a word in the vocabulary is taken whole even when no merge path leads to it.
  j = minimalJson();
  j["model"]["vocab"]["xyz"] = 261;
  j["model"]["ignore_merges"] = true;
  t = load(j);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->encode("xyz"), (std::vector<TokenId>{261}));
  j["model"]["ignore_merges"] = false;
  t = load(j);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->encode("xyz").size(), 3u);
}

TEST(TokenizerJson, CorruptFilesGiveErrorsNamingTheField) {
  expectError(json::array(), "expected a JSON object");
  {
    auto t = Tokenizer::fromJson("{\"model\": ", "dir/tokenizer.json");
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.error().message.find("not valid JSON at byte"), std::string::npos) << t.error().message;
  }
  json j = minimalJson();
  j.erase("model");
  expectError(j, "model: missing");

  j = minimalJson();
  j["model"]["type"] = "WordPiece";
  expectError(j, "model.type", ErrorKind::Unsupported);

  j = minimalJson();
  j["model"]["merges"].push_back("Ġthe qq");
  expectError(j, "model.merges[3]: \"qq\" is not in model.vocab");

  j = minimalJson();
  j["model"]["merges"].push_back("h h");
  expectError(j, "model.merges[3]: the merged token \"hh\" is not in model.vocab");

  j = minimalJson();
  j["model"]["merges"].push_back("nospace");
  expectError(j, "model.merges[3]: expected");

  j = minimalJson();
  j["model"]["merges"].push_back(json::array({"a"}));
  expectError(j, "model.merges[3]: expected");

  j = minimalJson();
  j["model"]["vocab"]["dup"] = 256;
  expectError(j, "model.vocab: id 256 is given to both");

  j = minimalJson();
  j["model"]["vocab"]["neg"] = -1;
  expectError(j, "model.vocab[\"neg\"]: id -1 is outside");

  j = minimalJson();
  j["model"]["vocab"]["str"] = "7";
  expectError(j, "model.vocab[\"str\"]: expected an integer id");

  j = minimalJson();
  j["model"]["vocab"]["huge"] = 4000000000u;
  expectError(j, "is outside");

  j = minimalJson();
  j["model"]["vocab"].erase("Ċ");
  expectError(j, "no token for byte 0x0A");

  j = minimalJson();
  j["model"].erase("vocab");
  expectError(j, "model.vocab: missing");

  j = minimalJson();
  j["model"]["merges"] = "h e";
  expectError(j, "model.merges: expected an array");

  j = minimalJson();
  j["added_tokens"].push_back({{"id", 259}, {"content", "<other>"}});
  expectError(j, "added_tokens[2]: id 259 is both");

  j = minimalJson();
  j["added_tokens"].push_back({{"id", 256}, {"content", "<x>"}});
  expectError(j, "added_tokens[2]: id 256 is \"<x>\" but model.vocab gives that id to \"he\"");

  j = minimalJson();
  j["added_tokens"].push_back({{"id", 300}, {"content", ""}});
  expectError(j, "added_tokens[2]: empty content");

  j = minimalJson();
  j["added_tokens"].push_back({{"content", "<y>"}});
  expectError(j, "added_tokens[2].id: missing");

  j = minimalJson();
  j["normalizer"] = {{"type", "NFC"}};
  expectError(j, "normalizer: type \"NFC\" is not supported", ErrorKind::Unsupported);

  j = minimalJson();
  j["pre_tokenizer"] = {{"type", "Whitespace"}};
  expectError(j, "pre_tokenizer.type: \"Whitespace\" is not supported", ErrorKind::Unsupported);

  j = minimalJson();
  j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(\\p{L";
  expectError(j, "does not compile at offset");

  j = minimalJson();
  j["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Sideways";
  expectError(j, "pre_tokenizer.pretokenizers[0].behavior: unknown value");

  j = minimalJson();
  j["pre_tokenizer"]["pretokenizers"][1]["add_prefix_space"] = "yes";
  expectError(j, "pre_tokenizer.pretokenizers[1].add_prefix_space: expected a boolean");

  j = minimalJson();
  j.erase("pre_tokenizer");
  expectError(j, "pre_tokenizer: missing");

  j = minimalJson();
  j["decoder"] = {{"type", "WordPiece"}};
  expectError(j, "decoder: type \"WordPiece\" is not supported", ErrorKind::Unsupported);

  j = minimalJson();
  j.erase("decoder");
  expectError(j, "decoder: missing");
}

TEST(TokenizerJson, MissingFileNamesThePath) {
  auto t = Tokenizer::fromFile("/nonexistent/dir/tokenizer.json");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("/nonexistent/dir/tokenizer.json"), std::string::npos) << t.error().message;
}

}  // namespace
}  // namespace folio::engine
