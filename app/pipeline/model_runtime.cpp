#include "app/pipeline/model_runtime.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <system_error>

#include "engine/generation/generator.h"
#include "engine/generation/routing_log.h"
#include "engine/model/session.h"
#include "ingest/content_hash.h"

namespace folio::app {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

}  // namespace

Result<ModelRuntime> loadModelRuntime(const std::filesystem::path& dir, const engine::ModelLoadOptions& options) {
  auto model = engine::Model::load(dir, options);
  if (!model) return model.error();
  auto tok = engine::Tokenizer::fromFile(dir / "tokenizer.json");
  if (!tok) return tok.error();
  ModelRuntime rt;
  rt.model = *model;
  rt.tokenizer = std::make_shared<const engine::Tokenizer>(std::move(*tok));
  rt.name = dir.filename().string();
  if (rt.name.empty()) rt.name = dir.parent_path().filename().string();
  rt.identity = rt.model->identity();
  return rt;
}

int64_t defaultContextWindow(const ModelRuntime* rt) {
  int64_t window = 32768;
  if (rt && rt->model->config().max_position_embeddings > 0)
    window = std::min<int64_t>(window, rt->model->config().max_position_embeddings);
  return window;
}

std::string prefixStateKey(const std::vector<int32_t>& prefix, const std::string& model_identity, double tau) {
  std::string bytes(prefix.size() * sizeof(int32_t), '\0');
  if (!prefix.empty()) std::memcpy(bytes.data(), prefix.data(), bytes.size());
  bytes += '\0';
  bytes += model_identity;
  bytes += '\0';
  bytes += std::to_string(tau);
  return ingest::contentHashHex(bytes);
}

Result<ChatOutput> runChat(const ModelRuntime& rt, const PromptTokens& prompt, const ChatGeneration& gen,
                           StageUsage& usage) {
  FOLIO_CHECK(rt.model && rt.tokenizer);
  const auto& cfg = rt.model->config();
  engine::SessionOptions so;
  so.context_capacity = gen.context_window;
  so.expert_threshold = gen.expert_threshold;
  so.backend = rt.backend;
  so.devices = rt.devices;
  so.threads = rt.threads;
  so.decode_batcher = rt.decode_batcher;
  auto session = engine::Session::create(rt.model, so);
  if (!session) return session.error();
  engine::RoutingLog log(cfg.num_layers, cfg.num_experts, cfg.top_k);
  ChatOutput out;
  std::vector<int32_t> rest;
  if (!prompt.prefix.empty() && gen.state_dir) {
    out.state_key = prefixStateKey(prompt.prefix, rt.identity, gen.expert_threshold);
    const auto path = *gen.state_dir / (out.state_key + ".state");
    std::error_code ec;
    bool restored = false;
    if (std::filesystem::exists(path, ec)) {
      // A snapshot that does not load (another build, corruption) is rebuilt, not fatal.
      restored = (*session)->loadState(path).ok() &&
                 (*session)->position() == static_cast<int64_t>(prompt.prefix.size());
      if (!restored) {
        auto fresh = engine::Session::create(rt.model, so);
        if (!fresh) return fresh.error();
        *session = std::move(*fresh);
      }
    }
    if (restored) {
      out.state_restored = true;
      usage.reused_prefix_tokens += static_cast<int64_t>(prompt.prefix.size());
      usage.prompt_tokens += static_cast<int64_t>(prompt.prefix.size());
    } else {
      const auto t0 = Clock::now();
      (*session)->setRoutingSink(&log);
      log.noteTokens((*session)->position(), prompt.prefix);
      auto s = (*session)->prefill(prompt.prefix, nullptr, gen.cancel);
      (*session)->setRoutingSink(nullptr);
      if (!s) return s.error();
      usage.prefill_ms += msSince(t0);
      usage.prompt_tokens += static_cast<int64_t>(prompt.prefix.size());
      std::filesystem::create_directories(*gen.state_dir, ec);
      if (auto saved = (*session)->saveState(path); !saved) return saved.error().context("saving the prefix state");
    }
    rest = prompt.suffix;
  } else {
    rest = prompt.prefix;
    rest.insert(rest.end(), prompt.suffix.begin(), prompt.suffix.end());
  }
  if (rest.empty()) return badInput("prompt: nothing to generate from (empty suffix)");
  engine::GenerateRequest req;
  req.prompt_ids = std::move(rest);
  req.max_output_tokens = gen.max_output_tokens;
  req.context_window = gen.context_window;
  req.thinking_budget = gen.thinking_budget;
  req.answer_budget = gen.answer_budget;
  req.expert_threshold = gen.expert_threshold;
  req.cancel = gen.cancel;
  req.routing_log = &log;
  // Generated token i is fed back at the position right after the prompt plus i.
  TokenRoutingRecorder tokens((*session)->position() + static_cast<int64_t>(req.prompt_ids.size()));
  GenerationProgress progress{prompt.size(), 0, 0};
  if (gen.on_progress) gen.on_progress(progress);
  req.on_token = [&gen, &tokens, &progress](int32_t id, std::string_view piece, bool is_thinking) {
    tokens.add(id, piece, is_thinking);
    if (gen.on_text && !piece.empty()) gen.on_text(piece);
    if (id < 0 || !gen.on_progress) return;  // id < 0: held-back text at the end, not a token
    ++(is_thinking ? progress.thinking_tokens : progress.answer_tokens);
    gen.on_progress(progress);
  };
  auto res = engine::generate(**session, *rt.tokenizer, req);
  if (!res) return res.error();
  usage.add(res->usage);  // one call: the prefix prefill above belongs to it
  usage.addRouting(log.aggregate());
  if (res->finish_reason == engine::FinishReason::Cancelled) return cancelled("generation cancelled");
  out.text = res->text;
  out.thinking = res->thinking;
  out.answer = res->answer;
  out.finish_reason = engine::finishReasonName(res->finish_reason);
  out.answer_tokens = tokens.answerTokens(log);
  return out;
}

}  // namespace folio::app
