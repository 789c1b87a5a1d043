// Loading arbitrary bytes as tokenizer.json must give a tokenizer or an error, never a crash; a loaded
// tokenizer must encode and decode text (including the input itself) without crashing, and round-trip
// it when its pre-tokenizer removes nothing.
// fuzz-link: folio_engine
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/common/check.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/tokenizer_json.h"

namespace {

// Removed splits drop text and a prefix space adds some: only without either must text round-trip.
bool keepsTextExactly(const folio::engine::TokenizerSpec& spec) {
  for (const auto& step : spec.pre_tokenizer.steps) {
    if (step.kind == folio::engine::PreTokenizerStep::Kind::Split &&
        step.behavior == folio::engine::SplitBehavior::Removed) {
      return false;
    }
    if (step.kind == folio::engine::PreTokenizerStep::Kind::ByteLevel && step.add_prefix_space) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto tokenizer = folio::engine::Tokenizer::fromJson(bytes, "fuzz/tokenizer.json");
  if (!tokenizer.ok()) {
    FOLIO_CHECK(!tokenizer.error().message.empty());
    return 0;
  }
  const bool round_trips = keepsTextExactly(folio::engine::parseTokenizerJson(bytes).value());
  for (const std::string_view text : {std::string_view("Hello <think>world</think> 12345 \xff\xfe naïve 🎉"),
                                      bytes.substr(0, 2048)}) {
    const auto ids = tokenizer->encode(text);
    const std::string back = tokenizer->decode(ids);
    FOLIO_CHECK(!round_trips || back == text);
  }
  return 0;
}
