// A loaded model for the pipeline: weights, tokenizer and identity, plus one chat generation with
// optional reuse of an engine state snapshot for a prompt prefix (documents inlined ahead of a question).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/pipeline/token_routing.h"
#include "app/pipeline/usage.h"
#include "engine/common/result.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "engine/tokenizer/tokenizer.h"

namespace folio::app {

struct ModelRuntime {
  std::shared_ptr<const engine::Model> model;
  std::shared_ptr<const engine::Tokenizer> tokenizer;
  std::string name;      // the model directory's name
  std::string identity;  // Model::identity(): weights + hyper-parameters
  engine::Backend backend = engine::Backend::Cpu;  // where runChat's sessions run
  std::vector<int> devices;                         // CUDA devices (empty: device 0)
  int threads = 0;                                  // CPU backend: engine threads per session (0: all cores)
  // When set, runChat's sessions decode through it, batched with the other sessions decoding at the
  // same moment (engine/model/decode_batcher.h).
  std::shared_ptr<engine::DecodeBatcher> decode_batcher;
};

// Loads <dir>/config.json, the weights and <dir>/tokenizer.json.
Result<ModelRuntime> loadModelRuntime(const std::filesystem::path& dir, const engine::ModelLoadOptions& options = {});

// The context window when the user gives none: the model's max_position_embeddings, at most 32768
// (32768 without a model, for estimates).
int64_t defaultContextWindow(const ModelRuntime* runtime);

// A prompt in two parts: `prefix` (may be empty) is what a state snapshot can stand for; `suffix` follows.
struct PromptTokens {
  std::vector<int32_t> prefix;
  std::vector<int32_t> suffix;
  int64_t size() const { return static_cast<int64_t>(prefix.size() + suffix.size()); }
};

// Running token counts of one generation, as GenerationUsage will count them when it completes.
struct GenerationProgress {
  int64_t prompt_tokens = 0;    // the whole prompt, a restored prefix included
  int64_t thinking_tokens = 0;  // generated so far
  int64_t answer_tokens = 0;
};

struct ChatGeneration {
  int64_t context_window = 8192;   // session capacity and the generator's window
  int64_t max_output_tokens = 512;
  int64_t thinking_budget = -1;    // < 0 unlimited
  int64_t answer_budget = -1;      // answer tokens (outside the thought) before it stops; < 0 unlimited
  double expert_threshold = 1.0;
  // When set and the prefix is not empty: <state_dir>/<key>.state is restored instead of prefilling the
  // prefix, or written after prefilling it. The key hashes the prefix tokens, the model and τ.
  std::optional<std::filesystem::path> state_dir;
  const std::atomic<bool>* cancel = nullptr;
  // When set: called on the generating thread with each piece of generated text as it becomes final
  // (thought and tags included; their concatenation is ChatOutput::text).
  std::function<void(std::string_view piece)> on_text;
  // When set: called on the generating thread once the prompt is known and after each generated token.
  std::function<void(const GenerationProgress&)> on_progress;
};

struct ChatOutput {
  std::string text, thinking, answer;
  std::string finish_reason;
  std::string state_key;  // "" when no snapshot was involved
  bool state_restored = false;
  // The generated answer tokens (thought left out) with their per-layer experts.
  std::vector<TokenRouting> answer_tokens;
};

// Runs prompt through a fresh session; adds tokens, times and routing to `usage`.
Result<ChatOutput> runChat(const ModelRuntime& rt, const PromptTokens& prompt, const ChatGeneration& gen,
                           StageUsage& usage);

// The snapshot key for a prefix: 16 hex digits of XXH64 over the ids, the model identity and τ.
std::string prefixStateKey(const std::vector<int32_t>& prefix, const std::string& model_identity, double tau);

}  // namespace folio::app
