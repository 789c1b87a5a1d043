// One generation for the HTTP API: the prompt from a request, a fresh session sized for it, the
// generator with the request's budgets and sampling, and the routing log when asked for.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "app/server/api_requests.h"
#include "engine/common/result.h"
#include "engine/generation/generator.h"
#include "engine/generation/routing_log.h"
#include "engine/model/decode_batcher.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "engine/tokenizer/tokenizer.h"

namespace folio::app::server {

// The model the server was started with.
struct LoadedModel {
  std::shared_ptr<const engine::Model> model;
  std::shared_ptr<const engine::Tokenizer> tokenizer;
  std::string name;  // the model directory's name
};
Result<LoadedModel> loadModel(const std::filesystem::path& dir, const engine::ModelLoadOptions& options = {});

// Where every session the server creates runs (`folio serve --threads --backend --devices`).
struct SessionPlacement {
  int threads = 0;                                  // CPU backend: engine threads per generation (0: all cores)
  engine::Backend backend = engine::Backend::Cpu;
  std::vector<int> devices;                         // CUDA devices (empty: device 0)
  // CPU backend: the decode steps of concurrent generations run as one batch (null: each alone)
  std::shared_ptr<engine::DecodeBatcher> decode_batcher;
};

// Checks at start that `placement` can run `m` here, by creating one minimal session, so that a CUDA
// request on a machine without CUDA fails before the server listens ("CUDA backend requested but …").
// On CUDA that session uploads the weights, which stay with the model for every request after it.
// Returns the backend that will actually run (Auto resolves to Cpu or Cuda).
Result<engine::Backend> checkPlacement(const LoadedModel& m, const SessionPlacement& placement);

// The decode batcher for up to `max_batch` concurrent generations running per `placement` (its backend
// already resolved by checkPlacement): null when max_batch < 2. On the CPU its pool gets the cores the
// generations would have had together, threads × max_batch (0: all cores); on CUDA the first session builds
// its runner on its device (sessions split over several devices decode alone).
Result<std::shared_ptr<engine::DecodeBatcher>> makeDecodeBatcher(const LoadedModel& m, const SessionPlacement& placement,
                                                                 int max_batch);

// The prompt tokens of a generate request: `input` as one user message in the chat template (with the
// generation prompt), or tokenized as is when `raw`.
std::vector<int32_t> generatePrompt(const LoadedModel& m, const GenerateParams& p);
// The prompt tokens of a chat request: the messages in the chat template with the generation prompt.
std::vector<int32_t> chatPrompt(const LoadedModel& m, std::span<const engine::ChatMessage> messages);

struct GenerationOutcome {
  engine::GenerateResult result;
  std::unique_ptr<engine::RoutingLog> routing;  // null unless asked for
};

// The checks runGeneration makes before any work: context_window within the model's limit, a prompt that
// fits the window. BadInput errors name the field.
Status checkWindow(const LoadedModel& m, int64_t prompt_tokens, const GenerationParams& params);

using TokenCallback = std::function<void(std::string_view piece)>;

// Runs one generation on a new session. BadInput errors name the field (context_window over the model's
// limit, a prompt past the window). A cancelled run is a result with finish_reason Cancelled.
Result<GenerationOutcome> runGeneration(const LoadedModel& m, const SessionPlacement& placement,
                                        std::vector<int32_t> prompt,
                                        const GenerationParams& params, bool record_routing,
                                        const std::atomic<bool>* cancel, const TokenCallback& on_piece = {});

}  // namespace folio::app::server
