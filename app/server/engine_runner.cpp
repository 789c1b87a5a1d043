#include "app/server/engine_runner.h"

#include <algorithm>
#include <random>
#include <thread>

#include "engine/model/session.h"
#include "engine/tokenizer/chat_template.h"

namespace folio::app::server {

namespace {

// A request without a seed samples differently each time, as clients of OpenAI-style servers expect.
uint64_t randomSeed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

Result<LoadedModel> loadModel(const std::filesystem::path& dir, const engine::ModelLoadOptions& options) {
  auto model = engine::Model::load(dir, options);
  if (!model) return model.error();
  auto tok = engine::Tokenizer::fromFile(dir / "tokenizer.json");
  if (!tok) return tok.error();
  LoadedModel m;
  m.model = *model;
  m.tokenizer = std::make_shared<const engine::Tokenizer>(std::move(*tok));
  m.name = dir.filename().string();
  if (m.name.empty()) m.name = dir.parent_path().filename().string();
  return m;
}

std::vector<int32_t> generatePrompt(const LoadedModel& m, const GenerateParams& p) {
  if (p.raw) return m.tokenizer->encode(p.input);
  const engine::ChatMessage messages[] = {engine::ChatMessage::user(p.input)};
  return m.tokenizer->encode(engine::renderChat(messages));
}

std::vector<int32_t> chatPrompt(const LoadedModel& m, std::span<const engine::ChatMessage> messages) {
  return m.tokenizer->encode(engine::renderChat(messages));
}

Status checkWindow(const LoadedModel& m, int64_t prompt_tokens, const GenerationParams& params) {
  const int64_t model_limit = m.model->config().max_position_embeddings;
  if (model_limit > 0 && params.context_window > model_limit)
    return badInput("context_window: must be <= " + std::to_string(model_limit) +
                    " (the model's max_position_embeddings), got " + std::to_string(params.context_window));
  if (prompt_tokens == 0) return badInput(params.prompt_field + ": the prompt has no tokens");
  const int64_t window = params.context_window > 0 ? params.context_window : model_limit;
  // Blame context_window only when the client set it; else the prompt is what is too long.
  const std::string field = params.context_window > 0 ? "context_window" : params.prompt_field;
  if (window > 0 && prompt_tokens > window)
    return badInput(field + ": the prompt has " + std::to_string(prompt_tokens) +
                    " tokens, more than the context window of " + std::to_string(window) +
                    (params.context_window > 0 ? "" : " (the model's)"));
  return {};
}

Result<engine::Backend> checkPlacement(const LoadedModel& m, const SessionPlacement& placement) {
  engine::SessionOptions options;
  options.context_capacity = 1;
  options.threads = placement.threads;
  options.backend = placement.backend;
  options.devices = placement.devices;
  auto session = engine::Session::create(m.model, options);
  if (!session) return session.error();
  return (*session)->backend();
}

Result<std::shared_ptr<engine::DecodeBatcher>> makeDecodeBatcher(const LoadedModel& m, const SessionPlacement& placement,
                                                                 int max_batch) {
  if (placement.backend == engine::Backend::Auto || max_batch < 2) return std::shared_ptr<engine::DecodeBatcher>();
  engine::DecodeBatcher::Options o;
  o.max_batch = max_batch;
  if (placement.threads > 0) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    o.threads = std::min(placement.threads * max_batch, cores);
  }
  return engine::DecodeBatcher::create(m.model, o);
}

Result<GenerationOutcome> runGeneration(const LoadedModel& m, const SessionPlacement& placement,
                                        std::vector<int32_t> prompt,
                                        const GenerationParams& params, bool record_routing,
                                        const std::atomic<bool>* cancel, const TokenCallback& on_piece) {
  FOLIO_TRY(checkWindow(m, static_cast<int64_t>(prompt.size()), params));
  const engine::ModelConfig& config = m.model->config();
  const int64_t model_limit = config.max_position_embeddings;
  const int64_t window = params.context_window > 0 ? params.context_window : model_limit;
  const int64_t prompt_tokens = static_cast<int64_t>(prompt.size());
  const int64_t needed = prompt_tokens + params.max_output_tokens;
  engine::SessionOptions options;
  options.context_capacity = std::max<int64_t>(1, window > 0 ? std::min(window, needed) : needed);
  options.threads = placement.threads;
  options.backend = placement.backend;
  options.devices = placement.devices;
  options.decode_batcher = placement.decode_batcher;
  options.expert_threshold = params.expert_threshold;
  auto session = engine::Session::create(m.model, options);
  if (!session) return session.error();

  GenerationOutcome out;
  if (record_routing) {
    out.routing = std::make_unique<engine::RoutingLog>(config.num_layers, config.num_experts, config.top_k);
    out.routing->reserve(options.context_capacity);
  }
  engine::GenerateRequest request;
  request.prompt_ids = std::move(prompt);
  request.max_output_tokens = params.max_output_tokens;
  request.context_window = window;
  request.thinking_budget = params.thinking_budget;
  request.sampling = {params.temperature, params.top_k, params.top_p};
  request.seed = params.seed ? *params.seed : randomSeed();
  request.stop = params.stop;
  request.expert_threshold = params.expert_threshold;
  request.cancel = cancel;
  request.routing_log = out.routing.get();
  if (on_piece) {
    request.on_token = [&on_piece](int32_t, std::string_view piece, bool) {
      if (!piece.empty()) on_piece(piece);
    };
  }
  auto result = engine::generate(**session, *m.tokenizer, request);
  if (!result) return result.error();
  out.result = std::move(*result);
  return out;
}

}  // namespace folio::app::server
