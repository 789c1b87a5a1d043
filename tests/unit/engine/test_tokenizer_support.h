// Shared helpers for the tokenizer tests: the fixture tokenizer, the real MiniMax merges.txt as a
// tokenizer (vocab in GPT-2 byte order, then one token per merge rank) and fixture JSON.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "engine/common/file_io.h"
#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/tokenizer.h"

namespace folio::engine::test {

inline const std::filesystem::path kFixtures = FOLIO_FIXTURES_DIR;
inline const std::filesystem::path kRepoRoot = kFixtures.parent_path().parent_path();
inline const std::filesystem::path kRealMerges =
    std::filesystem::path(FOLIO_SHARED_DIR) / "models" / "minimax-m1" / "merges.txt";

// The pattern of the MiniMax tokenizer.json (cl100k-style).
inline constexpr std::string_view kMiniMaxPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

inline nlohmann::json readJson(const std::filesystem::path& path) {
  auto text = readFile(path);
  EXPECT_TRUE(text.ok()) << path;
  return text.ok() ? nlohmann::json::parse(*text) : nlohmann::json();
}

// Split(MiniMax pattern, Isolated) then ByteLevel without prefix space or regex, as in the release.
inline PreTokenizerConfig miniMaxPreTokenizer() {
  PreTokenizerStep split;
  split.pattern = std::string(kMiniMaxPattern);
  PreTokenizerStep byte_level;
  byte_level.kind = PreTokenizerStep::Kind::ByteLevel;
  byte_level.add_prefix_space = false;
  byte_level.use_regex = false;
  return {{split, byte_level}};
}

// The 256 byte tokens, ids 0..255 in GPT-2 order.
inline std::vector<std::pair<std::string, TokenId>> byteVocab() {
  std::vector<std::pair<std::string, TokenId>> vocab;
  const auto order = byte_level::bytesInGpt2Order();
  for (int i = 0; i < 256; ++i) {
    const char b = static_cast<char>(order[i]);
    vocab.emplace_back(byte_level::encoded(std::string_view(&b, 1)), i);
  }
  return vocab;
}

// The fixture tokenizer named by tests/fixtures/tokenizer/cases.json.
inline const Tokenizer& tinyTokenizer() {
  static const std::unique_ptr<Tokenizer> tokenizer = [] {
    const auto cases = readJson(kFixtures / "tokenizer" / "cases.json");
    auto t = Tokenizer::fromFile(kRepoRoot / cases["tokenizer"].get<std::string>());
    if (!t.ok()) ADD_FAILURE() << t.error().message;
    return t.ok() ? std::make_unique<Tokenizer>(std::move(t).value()) : nullptr;
  }();
  if (!tokenizer) std::abort();  // the failure above says why
  return *tokenizer;
}

// The real merges.txt as a tokenizer spec: ids 0..255 the byte tokens, 256 + r the result of merge r
// (the first rank wins when two merges make the same string). Empty when ../shared is absent.
inline std::optional<TokenizerSpec> realMergesSpec(PreTokenizerConfig pre_tokenizer = miniMaxPreTokenizer()) {
  std::ifstream in(kRealMerges);
  if (!in) return std::nullopt;
  TokenizerSpec spec;
  spec.vocab = byteVocab();
  std::unordered_set<std::string> known;
  for (const auto& entry : spec.vocab) known.insert(entry.first);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    const bool header = first && line.starts_with("#version");
    first = false;
    if (header || line.empty()) continue;
    const size_t space = line.find(' ');
    auto& merge = spec.merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    const std::string joined = merge.first + merge.second;
    if (known.insert(joined).second) {
      spec.vocab.emplace_back(joined, static_cast<TokenId>(256 + spec.merges.size() - 1));
    }
  }
  spec.pre_tokenizer = std::move(pre_tokenizer);
  return spec;
}

// realMergesSpec() as a tokenizer with the MiniMax pre-tokenizer, built once. Null when ../shared is absent.
inline const Tokenizer* realMergesTokenizer() {
  static const std::unique_ptr<Tokenizer> tokenizer = []() -> std::unique_ptr<Tokenizer> {
    auto spec = realMergesSpec();
    if (!spec) return nullptr;
    auto t = Tokenizer::create(*spec);
    if (!t.ok()) {
      ADD_FAILURE() << t.error().message;
      return nullptr;
    }
    return std::make_unique<Tokenizer>(std::move(t).value());
  }();
  return tokenizer.get();
}

#define FOLIO_REQUIRE_REAL_MERGES(var)                                            \
  const Tokenizer* var = ::folio::engine::test::realMergesTokenizer();            \
  if (var == nullptr) GTEST_SKIP() << "no " << ::folio::engine::test::kRealMerges << " (../shared absent)"

// Deterministic mixed text: words from `source` shuffled with numbers, punctuation runs, whitespace
// runs, CJK, emoji and (when `invalid_bytes`) stray invalid UTF-8 bytes.
inline std::string mixedText(size_t bytes, uint64_t seed, bool invalid_bytes) {
  static const char* kExtras[] = {"  ", "\n", "\n\n", "\t", " 1234567", " 3.14", "!!", " --", " 日本語", " 🎉🙂",
                                  " naïve", " don't", " I'LL", "\r\n", "    ", " (x)", " \"quoted\"", " 👍🏽"};
  static const char* kWords[] = {"the", "model", "reads", "whole", "library", "answer", "question", "summary",
                                 "chapter", "contract", "clause", "page", "line", "expert", "layer", "token",
                                 "attention", "lightning", "softmax", "budget", "Folio", "MiniMax"};
  uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
  const auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::string out;
  out.reserve(bytes + 64);
  while (out.size() < bytes) {
    const uint64_t r = next();
    if (r % 5 == 0) {
      out += kExtras[(r >> 8) % std::size(kExtras)];
    } else if (invalid_bytes && r % 97 == 1) {
      out += static_cast<char>(0x80 + (r >> 16) % 0x80);  // a lone continuation or lead byte
    } else {
      out += ' ';
      out += kWords[(r >> 8) % std::size(kWords)];
      if ((r >> 20) % 7 == 0) out += std::to_string((r >> 24) % 100000);  // words with digits: less cache reuse
    }
  }
  out.resize(bytes);
  return out;
}

}  // namespace folio::engine::test
