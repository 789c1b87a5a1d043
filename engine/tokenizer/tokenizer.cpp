#include "engine/tokenizer/tokenizer.h"

#include <cstdio>

#include "engine/common/file_io.h"
#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/stream_encoder.h"

namespace folio::engine {
namespace {

std::string inQuotes(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

std::string hexByte(unsigned b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

// The largest tokenizer.json accepted (the MiniMax one is about 10 MB).
constexpr size_t kMaxTokenizerJsonBytes = size_t{512} << 20;

}  // namespace

Result<Tokenizer> Tokenizer::create(const TokenizerSpec& spec) {
  Tokenizer t;
  if (spec.vocab.empty()) return badInput("model.vocab: empty");

  // Vocabulary: ids in range, no id given twice.
  TokenId max_id = 0;
  for (const auto& [token, id] : spec.vocab) {
    if (id < 0 || id > kMaxTokenId) {
      return badInput("model.vocab: id " + std::to_string(id) + " of " + inQuotes(token) + " is outside 0.." +
                      std::to_string(kMaxTokenId));
    }
    if (!t.vocab_.emplace(token, id).second) return badInput("model.vocab: " + inQuotes(token) + " is listed twice");
    max_id = std::max(max_id, id);
  }
  for (size_t i = 0; i < spec.added_tokens.size(); ++i) {
    const AddedToken& a = spec.added_tokens[i];
    const std::string where = "added_tokens[" + std::to_string(i) + "]";
    if (a.content.empty()) return badInput(where + ": empty content");
    if (a.id < 0 || a.id > kMaxTokenId) {
      return badInput(where + ": id " + std::to_string(a.id) + " is outside 0.." + std::to_string(kMaxTokenId));
    }
    max_id = std::max(max_id, a.id);
  }

  const size_t n = static_cast<size_t>(max_id) + 1;
  std::vector<const std::string*> owner(n, nullptr);  // the vocab token holding each id
  for (const auto& [token, id] : t.vocab_) {
    if (owner[id] != nullptr) {
      const auto& [a, b] = std::minmax(*owner[id], token);
      return badInput("model.vocab: id " + std::to_string(id) + " is given to both " + inQuotes(a) + " and " + inQuotes(b));
    }
    owner[id] = &token;
  }

  // Added tokens: one content per id, one id per content; a vocab entry with the same id must agree.
  std::unordered_map<TokenId, const AddedToken*> added_by_id;
  std::unordered_map<std::string_view, TokenId> added_by_content;
  for (size_t i = 0; i < spec.added_tokens.size(); ++i) {
    const AddedToken& a = spec.added_tokens[i];
    const std::string where = "added_tokens[" + std::to_string(i) + "]";
    if (owner[a.id] != nullptr && *owner[a.id] != a.content) {
      return badInput(where + ": id " + std::to_string(a.id) + " is " + inQuotes(a.content) +
                      " but model.vocab gives that id to " + inQuotes(*owner[a.id]));
    }
    if (auto it = added_by_id.find(a.id); it != added_by_id.end()) {
      if (it->second->content != a.content) {
        return badInput(where + ": id " + std::to_string(a.id) + " is both " + inQuotes(it->second->content) +
                        " and " + inQuotes(a.content));
      }
      continue;  // an exact repeat
    }
    if (auto it = added_by_content.find(a.content); it != added_by_content.end()) {
      return badInput(where + ": " + inQuotes(a.content) + " has two ids, " + std::to_string(it->second) + " and " +
                      std::to_string(a.id));
    }
    added_by_id.emplace(a.id, &a);
    added_by_content.emplace(a.content, a.id);
    t.added_tokens_.push_back(a);
  }

  // Byte tokens: byte-level BPE must be able to spell every byte.
  std::array<TokenId, 256> byte_ids{};
  for (unsigned b = 0; b < 256; ++b) {
    const std::string alphabet = byte_level::encoded(std::string_view(reinterpret_cast<const char*>(&b), 1));
    auto it = t.vocab_.find(alphabet);
    if (it == t.vocab_.end()) {
      return badInput("model.vocab: no token for byte " + hexByte(b) + " (" + inQuotes(alphabet) +
                      "); a byte-level vocabulary needs all 256");
    }
    byte_ids[b] = it->second;
  }

  // Merges: both parts and their concatenation must be tokens.
  std::vector<BpeModel::Merge> merges;
  merges.reserve(spec.merges.size());
  for (size_t r = 0; r < spec.merges.size(); ++r) {
    const auto& [left, right] = spec.merges[r];
    const std::string where = "model.merges[" + std::to_string(r) + "]";
    auto l = t.vocab_.find(left);
    if (l == t.vocab_.end()) return badInput(where + ": " + inQuotes(left) + " is not in model.vocab");
    auto rt = t.vocab_.find(right);
    if (rt == t.vocab_.end()) return badInput(where + ": " + inQuotes(right) + " is not in model.vocab");
    auto m = t.vocab_.find(left + right);
    if (m == t.vocab_.end()) {
      return badInput(where + ": the merged token " + inQuotes(left + right) + " is not in model.vocab");
    }
    merges.push_back({l->second, rt->second, m->second});
  }

  // Id tables: raw bytes per id. A vocab token outside the alphabet decodes as its own UTF-8, as the
  // Hugging Face ByteLevel decoder does.
  t.token_offsets_.assign(n + 1, 0);
  t.token_flags_.assign(n, 0);
  std::vector<std::string> bytes_of(n);
  std::unordered_map<std::string, TokenId> whole_words;
  for (const auto& [token, id] : t.vocab_) {
    if (!byte_level::appendDecoded(bytes_of[id], token)) bytes_of[id] = token;
    t.token_flags_[id] = kKnown;
    if (spec.ignore_merges) whole_words.emplace(bytes_of[id], id);
  }
  for (const AddedToken& a : t.added_tokens_) {
    bytes_of[a.id] = a.content;
    t.token_flags_[a.id] = kKnown | (a.special ? kSpecial : 0);
  }
  for (size_t id = 0; id < n; ++id) {
    t.token_bytes_.append(bytes_of[id]);
    t.token_offsets_[id + 1] = static_cast<uint32_t>(t.token_bytes_.size());
  }

  auto pre = PreTokenizer::create(spec.pre_tokenizer);
  if (!pre.ok()) return pre.error();
  t.pre_tokenizer_ = std::move(pre).value();
  t.bpe_ = BpeModel(byte_ids, merges, std::move(whole_words));
  t.added_matcher_ = AddedTokenMatcher(t.added_tokens_);
  return t;
}

Result<Tokenizer> Tokenizer::fromFile(const std::filesystem::path& path) {
  auto text = readFile(path, kMaxTokenizerJsonBytes);
  if (!text.ok()) return text.error();
  return fromJson(*text, path.string());
}

std::vector<TokenId> Tokenizer::encode(std::string_view text, SpecialTokens specials) const {
  std::vector<TokenId> ids;
  ids.reserve(text.size() / 3 + 8);
  StreamEncoder encoder(*this, [&ids](std::span<const TokenId> part) { ids.insert(ids.end(), part.begin(), part.end()); },
                        StreamEncodeOptions{specials});
  // Without a cancel flag neither call can fail.
  FOLIO_CHECK(encoder.feed(text).ok());
  FOLIO_CHECK(encoder.finish().ok());
  return ids;
}

std::string Tokenizer::decode(std::span<const TokenId> ids, DecodeOptions options) const {
  std::string out;
  for (const TokenId id : ids) {
    if (!isKnown(id) || (options.skip_special && isSpecial(id))) continue;
    out.append(tokenBytes(id));
  }
  return out;
}

std::optional<TokenId> Tokenizer::tokenId(std::string_view token) const {
  for (const AddedToken& a : added_tokens_) {
    if (a.content == token) return a.id;
  }
  if (auto it = vocab_.find(std::string(token)); it != vocab_.end()) return it->second;
  return std::nullopt;
}

std::optional<TokenId> Tokenizer::specialTokenId(std::string_view content) const {
  for (const AddedToken& a : added_tokens_) {
    if (a.special && a.content == content) return a.id;
  }
  return std::nullopt;
}

Result<TokenId> Tokenizer::requireSpecialToken(std::string_view content) const {
  if (auto id = specialTokenId(content)) return *id;
  return badInput("tokenizer has no special token " + inQuotes(content) + " among its added_tokens");
}

bool Tokenizer::isKnown(TokenId id) const {
  return id >= 0 && static_cast<size_t>(id) < token_flags_.size() && (token_flags_[id] & kKnown) != 0;
}

bool Tokenizer::isSpecial(TokenId id) const { return isKnown(id) && (token_flags_[id] & kSpecial) != 0; }

std::string_view Tokenizer::tokenBytes(TokenId id) const {
  if (!isKnown(id)) return {};
  return std::string_view(token_bytes_).substr(token_offsets_[id], token_offsets_[id + 1] - token_offsets_[id]);
}

}  // namespace folio::engine
