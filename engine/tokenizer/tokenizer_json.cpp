#include "engine/tokenizer/tokenizer_json.h"

#include <nlohmann/json.hpp>

namespace folio::engine {
namespace {

using nlohmann::json;

std::string typeName(const json& j) { return j.type_name(); }

Error unsupported(const std::string& message) { return Error{ErrorKind::Unsupported, message}; }

// A member of an object, or nullptr when absent or null.
const json* member(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

Result<bool> optionalBool(const json& object, const char* key, bool fallback, const std::string& where) {
  const json* v = member(object, key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) return badInput(where + "." + key + ": expected a boolean, found " + typeName(*v));
  return v->get<bool>();
}

Result<std::string> requiredString(const json& object, const char* key, const std::string& where) {
  const json* v = member(object, key);
  if (v == nullptr) return badInput(where + "." + key + ": missing");
  if (!v->is_string()) return badInput(where + "." + key + ": expected a string, found " + typeName(*v));
  return v->get<std::string>();
}

Result<TokenId> tokenIdValue(const json& v, const std::string& where) {
  if (!v.is_number_integer()) return badInput(where + ": expected an integer id, found " + typeName(v));
  if (v.is_number_unsigned() ? v.get<uint64_t>() > uint64_t{Tokenizer::kMaxTokenId}
                             : (v.get<int64_t>() < 0 || v.get<int64_t>() > Tokenizer::kMaxTokenId)) {
    return badInput(where + ": id " + v.dump() + " is outside 0.." + std::to_string(Tokenizer::kMaxTokenId));
  }
  return static_cast<TokenId>(v.get<int64_t>());
}

Status readModel(const json& root, TokenizerSpec& spec) {
  const json* model = member(root, "model");
  if (model == nullptr) return badInput("model: missing");
  if (!model->is_object()) return badInput("model: expected an object, found " + typeName(*model));
  if (const json* type = member(*model, "type")) {
    if (!type->is_string()) return badInput("model.type: expected a string, found " + typeName(*type));
    if (type->get<std::string>() != "BPE") {
      return unsupported("model.type: " + type->dump() + " is not supported (only BPE)");
    }
  }
  if (const json* dropout = member(*model, "dropout")) {
    if (!dropout->is_number() || dropout->get<double>() != 0.0) {
      return unsupported("model.dropout: " + dropout->dump() + " is not supported (only null)");
    }
  }
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    if (const json* v = member(*model, key); v != nullptr && !(v->is_string() && v->get<std::string>().empty())) {
      return unsupported(std::string("model.") + key + ": " + v->dump() + " is not supported (only null)");
    }
  }
  auto ignore_merges = optionalBool(*model, "ignore_merges", false, "model");
  if (!ignore_merges.ok()) return ignore_merges.error();
  spec.ignore_merges = *ignore_merges;

  const json* vocab = member(*model, "vocab");
  if (vocab == nullptr) return badInput("model.vocab: missing");
  if (!vocab->is_object()) return badInput("model.vocab: expected an object, found " + typeName(*vocab));
  spec.vocab.reserve(vocab->size());
  for (auto it = vocab->begin(); it != vocab->end(); ++it) {
    auto id = tokenIdValue(it.value(), "model.vocab[" + json(it.key()).dump() + "]");
    if (!id.ok()) return id.error();
    spec.vocab.emplace_back(it.key(), *id);
  }

  const json* merges = member(*model, "merges");
  if (merges == nullptr) return badInput("model.merges: missing");
  if (!merges->is_array()) return badInput("model.merges: expected an array, found " + typeName(*merges));
  spec.merges.reserve(merges->size());
  for (size_t r = 0; r < merges->size(); ++r) {
    const json& m = (*merges)[r];
    const std::string where = "model.merges[" + std::to_string(r) + "]";
    if (m.is_string()) {
      const std::string& line = m.get_ref<const std::string&>();
      const size_t space = line.find(' ');
      if (space == std::string::npos || space == 0 || space + 1 == line.size() ||
          line.find(' ', space + 1) != std::string::npos) {
        return badInput(where + ": expected \"left right\" (two tokens and one space), found " + m.dump());
      }
      spec.merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      spec.merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    } else {
      return badInput(where + ": expected \"left right\" or [\"left\", \"right\"], found " + m.dump());
    }
  }
  return {};
}

Status readAddedTokens(const json& root, TokenizerSpec& spec) {
  const json* added = member(root, "added_tokens");
  if (added == nullptr) return {};
  if (!added->is_array()) return badInput("added_tokens: expected an array, found " + typeName(*added));
  for (size_t i = 0; i < added->size(); ++i) {
    const json& a = (*added)[i];
    const std::string where = "added_tokens[" + std::to_string(i) + "]";
    if (!a.is_object()) return badInput(where + ": expected an object, found " + typeName(a));
    const json* id = member(a, "id");
    if (id == nullptr) return badInput(where + ".id: missing");
    auto value = tokenIdValue(*id, where + ".id");
    if (!value.ok()) return value.error();
    auto content = requiredString(a, "content", where);
    if (!content.ok()) return content.error();
    auto special = optionalBool(a, "special", false, where);
    if (!special.ok()) return special.error();
    spec.added_tokens.push_back({*value, std::move(*content), *special});
  }
  return {};
}

Status checkNormalizer(const json& root) {
  const json* n = member(root, "normalizer");
  if (n == nullptr) return {};
  // An empty Sequence normalises nothing; anything else would change the text before BPE.
  if (n->is_object() && n->value("type", json()) == "Sequence" && n->contains("normalizers") &&
      (*n)["normalizers"].is_array() && (*n)["normalizers"].empty()) {
    return {};
  }
  const json* type = n->is_object() ? member(*n, "type") : nullptr;
  return unsupported("normalizer: " + (type != nullptr ? "type " + type->dump() : n->dump().substr(0, 80)) +
                     " is not supported (only null)");
}

Result<SplitBehavior> splitBehavior(const json& step, const std::string& where) {
  const json* b = member(step, "behavior");
  if (b == nullptr) return badInput(where + ".behavior: missing");
  if (!b->is_string()) return badInput(where + ".behavior: expected a string, found " + typeName(*b));
  const std::string& name = b->get_ref<const std::string&>();
  if (name == "Removed") return SplitBehavior::Removed;
  if (name == "Isolated") return SplitBehavior::Isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (name == "Contiguous") return SplitBehavior::Contiguous;
  return badInput(where + ".behavior: unknown value " + b->dump());
}

Status readPreTokenizerStep(const json& step, const std::string& where, PreTokenizerConfig& config, int depth) {
  if (!step.is_object()) return badInput(where + ": expected an object, found " + typeName(step));
  auto type = requiredString(step, "type", where);
  if (!type.ok()) return type.error();
  if (*type == "Sequence") {
    if (depth > 0) return unsupported(where + ": a Sequence inside a Sequence is not supported");
    const json* list = member(step, "pretokenizers");
    if (list == nullptr || !list->is_array()) return badInput(where + ".pretokenizers: expected an array");
    for (size_t i = 0; i < list->size(); ++i) {
      FOLIO_TRY(readPreTokenizerStep((*list)[i], where + ".pretokenizers[" + std::to_string(i) + "]", config,
                                     depth + 1));
    }
    return {};
  }
  PreTokenizerStep s;
  if (*type == "ByteLevel") {
    s.kind = PreTokenizerStep::Kind::ByteLevel;
    auto prefix = optionalBool(step, "add_prefix_space", true, where);
    if (!prefix.ok()) return prefix.error();
    auto use_regex = optionalBool(step, "use_regex", true, where);
    if (!use_regex.ok()) return use_regex.error();
    s.add_prefix_space = *prefix;
    s.use_regex = *use_regex;
  } else if (*type == "Split") {
    s.kind = PreTokenizerStep::Kind::Split;
    const json* pattern = member(step, "pattern");
    if (pattern == nullptr || !pattern->is_object()) {
      return badInput(where + ".pattern: expected {\"Regex\": ...} or {\"String\": ...}");
    }
    if (const json* regex = member(*pattern, "Regex"); regex != nullptr && regex->is_string()) {
      s.pattern = regex->get<std::string>();
    } else if (const json* literal = member(*pattern, "String"); literal != nullptr && literal->is_string()) {
      s.pattern = literal->get<std::string>();
      s.pattern_is_regex = false;
    } else {
      return badInput(where + ".pattern: expected {\"Regex\": string} or {\"String\": string}");
    }
    auto behavior = splitBehavior(step, where);
    if (!behavior.ok()) return behavior.error();
    s.behavior = *behavior;
    auto invert = optionalBool(step, "invert", false, where);
    if (!invert.ok()) return invert.error();
    s.invert = *invert;
  } else {
    return unsupported(where + ".type: " + json(*type).dump() + " is not supported (ByteLevel, Split, Sequence)");
  }
  config.steps.push_back(std::move(s));
  return {};
}

Status checkDecoder(const json& root) {
  const json* d = member(root, "decoder");
  if (d == nullptr) return badInput("decoder: missing (a byte-level tokenizer needs the ByteLevel decoder)");
  const json* type = d->is_object() ? member(*d, "type") : nullptr;
  if (type == nullptr || *type != "ByteLevel") {
    return unsupported("decoder: " + (type != nullptr ? "type " + type->dump() : d->dump().substr(0, 80)) +
                       " is not supported (only ByteLevel)");
  }
  return {};
}

}  // namespace

Result<TokenizerSpec> parseTokenizerJson(std::string_view json_text) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    return badInput("not valid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  }
  if (!root.is_object()) return badInput("expected a JSON object at the top, found " + typeName(root));
  TokenizerSpec spec;
  FOLIO_TRY(readModel(root, spec));
  FOLIO_TRY(readAddedTokens(root, spec));
  FOLIO_TRY(checkNormalizer(root));
  const json* pre = member(root, "pre_tokenizer");
  if (pre == nullptr) return badInput("pre_tokenizer: missing (a byte-level tokenizer needs ByteLevel)");
  FOLIO_TRY(readPreTokenizerStep(*pre, "pre_tokenizer", spec.pre_tokenizer, 0));
  FOLIO_TRY(checkDecoder(root));
  return spec;
}

Result<Tokenizer> Tokenizer::fromJson(std::string_view json_text, const std::string& source) {
  auto spec = parseTokenizerJson(json_text);
  if (!spec.ok()) return spec.error().context(source);
  auto tokenizer = create(*spec);
  if (!tokenizer.ok()) return tokenizer.error().context(source);
  return tokenizer;
}

}  // namespace folio::engine
