// `folio generate --model DIR (--prompt TEXT | --chat TEXT | --prompt-ids 1,2,3) [options]`: runs the
// engine on one prompt, streams the text to stdout and prints usage to stderr, or prints one JSON object
// with --json: {"text", "thinking", "answer", "finish_reason", "usage": {...}, "ids": [...]}.
// Options: --max-tokens, --temperature, --top-p, --top-k, --seed, --stop (repeatable),
// --expert-threshold, --thinking-budget, --context-window, --threads, --backend cpu|cuda|auto,
// --devices 0,1, --experts-int8, --routing-log FILE (JSON, schema in
// engine/generation/routing_log.h), --dump-logits FILE (.npy float32 [T, V], the logits of every prompt
// position), --save-state FILE (after the run), --load-state FILE (before it: the prompt continues the
// restored sequence).
// Exit codes: 64 for a wrong command line (each numeric option is range-checked by name), 2 for
// malformed model files or snapshots, 1 for I/O failures, 130 when interrupted (Ctrl-C).
#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>
#include <utility>
#include <nlohmann/json.hpp>

#include "app/cli/backend_args.h"
#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "engine/common/npy_writer.h"
#include "engine/generation/generator.h"
#include "engine/generation/routing_log.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

namespace folio::cli {
namespace {

struct GenerateArgs {
  std::string model_dir;
  std::string prompt, chat, prompt_ids;
  int64_t max_tokens = 256;
  double temperature = 0.0;
  double top_p = 1.0;
  int top_k = 0;
  uint64_t seed = 0;
  std::vector<std::string> stop;
  double expert_threshold = 1.0;
  int64_t thinking_budget = -1;
  int64_t context_window = 0;
  int threads = 0;
  BackendArgs backend;
  std::string routing_log, dump_logits, save_state, load_state;
  bool json = false;
};

// Set by SIGINT while a generation runs; the generator checks it between tokens.
std::atomic<bool> g_interrupted{false};
extern "C" void onInterrupt(int) { g_interrupted.store(true); }

// Installs the SIGINT handler for the lifetime of the object.
class InterruptScope {
 public:
  InterruptScope() { previous_ = std::signal(SIGINT, onInterrupt); }
  ~InterruptScope() { std::signal(SIGINT, previous_); }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  void (*previous_)(int) = SIG_DFL;
};

// A number as a person would write it: 2, 0.5, 1e-06.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A usage error: the message names the option. Returns the exit code.
int usage(const std::string& message) {
  std::cerr << "folio generate: " << message << "\n";
  return kExitUsage;
}

int fail(const Error& e) {
  std::cerr << "folio generate: " << e.message << "\n";
  return exitCodeFor(e);
}

// The range checks of every numeric option; empty when all are valid.
std::string checkRanges(const GenerateArgs& a, const CLI::App& cmd) {
  if (a.max_tokens < 0) return "--max-tokens must be >= 0, got " + std::to_string(a.max_tokens);
  if (!std::isfinite(a.temperature) || a.temperature < 0)
    return "--temperature must be a finite number >= 0 (0 = greedy), got " + num(a.temperature);
  if (!(a.top_p > 0 && a.top_p <= 1)) return "--top-p must be in (0, 1], got " + num(a.top_p);
  if (a.top_k < 0) return "--top-k must be >= 0 (0 = no limit), got " + std::to_string(a.top_k);
  if (!(a.expert_threshold > 0 && a.expert_threshold <= 1))
    return "--expert-threshold must be in (0, 1], got " + num(a.expert_threshold);
  if (cmd.count("--thinking-budget") && a.thinking_budget < 0)
    return "--thinking-budget must be >= 0, got " + std::to_string(a.thinking_budget);
  if (cmd.count("--context-window") && a.context_window < 1)
    return "--context-window must be >= 1, got " + std::to_string(a.context_window);
  if (a.threads < 0 || a.threads > 4096) return "--threads must be in [0, 4096] (0 = all cores), got " + std::to_string(a.threads);
  for (const auto& s : a.stop)
    if (s.empty()) return "--stop may not be empty";
  if (auto backend = parseBackendArgs(a.backend); !backend.ok()) return backend.error().message;
  const int sources = !a.prompt.empty() + !a.chat.empty() + !a.prompt_ids.empty();
  if (sources != 1) return "exactly one of --prompt, --chat or --prompt-ids is needed (and it may not be empty)";
  return {};
}

// The folders the output files go into must exist: checked before the model loads and the run starts,
// since the files are written only after it. Empty when they do.
std::string checkOutputFolders(const GenerateArgs& a) {
  const std::pair<const char*, const std::string*> outputs[] = {
      {"--routing-log", &a.routing_log}, {"--dump-logits", &a.dump_logits}, {"--save-state", &a.save_state}};
  for (const auto& [option, path] : outputs) {
    if (path->empty()) continue;
    const std::filesystem::path folder = std::filesystem::path(*path).parent_path();
    std::error_code ec;
    if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
      return std::string(option) + ": " + *path + ": the folder " + folder.string() + " does not exist";
  }
  return {};
}

// "1,2,3" → ids; each within [0, vocab).
Result<std::vector<int32_t>> parseIds(const std::string& text, int vocab) {
  std::vector<int32_t> ids;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t end = std::min(text.find(',', pos), text.size());
    int64_t v = 0;
    const char* first = text.data() + pos;
    const char* last = text.data() + end;
    while (first < last && *first == ' ') ++first;
    auto [ptr, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || ptr != last || first == last)
      return badInput("--prompt-ids: item " + std::to_string(ids.size()) + " \"" + text.substr(pos, end - pos) +
                      "\" is not an integer");
    if (v < 0 || v >= vocab)
      return badInput("--prompt-ids: id " + std::to_string(v) + " at index " + std::to_string(ids.size()) +
                      " is outside the vocabulary [0, " + std::to_string(vocab) + ")");
    ids.push_back(static_cast<int32_t>(v));
    pos = end + 1;
  }
  return ids;
}

// The position stored in a state snapshot (header layout in engine/model/snapshot.h: magic, u32 version,
// u32 flags, u32 n + n bytes of model identity, i64 position), used to size the session before it is
// restored; -1 when unreadable (loadState then reports what is wrong).
int64_t snapshotPosition(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[20];
  if (!in.read(head, sizeof head)) return -1;
  uint32_t n = 0;
  std::memcpy(&n, head + 16, 4);
  if (n > (1u << 20)) return -1;
  in.seekg(static_cast<std::streamoff>(20 + n));
  int64_t position = -1;
  if (!in.read(reinterpret_cast<char*>(&position), sizeof position) || position < 0) return -1;
  return position;
}

nlohmann::json usageJson(const engine::GenerationUsage& u) {
  return {{"prompt_tokens", u.prompt_tokens},       {"thinking_tokens", u.thinking_tokens},
          {"answer_tokens", u.answer_tokens},       {"prefill_ms", u.prefill_ms},
          {"decode_ms", u.decode_ms},               {"tokens_per_s", u.decode_tokens_per_s},
          {"experts_evaluated", u.experts_evaluated}, {"experts_skipped", u.experts_skipped}};
}

void printUsage(const engine::GenerateResult& r, std::ostream& err) {
  const auto& u = r.usage;
  char line[512];
  std::snprintf(line, sizeof line,
                "finish: %s · prompt %lld tokens · thinking %lld · answer %lld · prefill %.1f ms · decode %.1f ms "
                "(%.2f tokens/s) · experts evaluated %lld, skipped %lld\n",
                engine::finishReasonName(r.finish_reason), static_cast<long long>(u.prompt_tokens),
                static_cast<long long>(u.thinking_tokens), static_cast<long long>(u.answer_tokens), u.prefill_ms,
                u.decode_ms, u.decode_tokens_per_s, static_cast<long long>(u.experts_evaluated),
                static_cast<long long>(u.experts_skipped));
  err << line;
}

int runGenerate(const GenerateArgs& a, const CLI::App& cmd) {
  if (auto bad = checkRanges(a, cmd); !bad.empty()) return usage(bad);
  if (auto missing = checkOutputFolders(a); !missing.empty()) {
    std::cerr << "folio generate: " << missing << "\n";
    return kExitFailure;
  }

  const std::filesystem::path dir = a.model_dir;
  auto model = engine::Model::load(dir, loadOptions(a.backend));
  if (!model.ok()) return fail(model.error());
  const engine::ModelConfig& config = (*model)->config();
  auto tokenizer = engine::Tokenizer::fromFile(dir / "tokenizer.json");
  if (!tokenizer.ok()) return fail(tokenizer.error());

  std::vector<int32_t> prompt;
  if (!a.prompt_ids.empty()) {
    auto ids = parseIds(a.prompt_ids, config.vocab_size);
    if (!ids.ok()) return usage(ids.error().message);
    prompt = std::move(*ids);
  } else if (!a.chat.empty()) {
    const engine::ChatMessage messages[] = {engine::ChatMessage::user(a.chat)};
    prompt = tokenizer->encode(engine::renderChat(messages));
  } else {
    prompt = tokenizer->encode(a.prompt);
  }

  // The session holds what is restored, the prompt and the output, within the context window (the
  // model's max_position_embeddings unless --context-window says otherwise).
  const int64_t restored = a.load_state.empty() ? 0 : std::max<int64_t>(0, snapshotPosition(a.load_state));
  const int64_t needed = restored + static_cast<int64_t>(prompt.size()) + a.max_tokens;
  int64_t window = a.context_window;
  if (window == 0 && config.max_position_embeddings > 0) window = config.max_position_embeddings;
  engine::SessionOptions options;
  options.context_capacity = std::max<int64_t>(1, window > 0 ? std::min(window, needed) : needed);
  options.threads = a.threads;
  options.expert_threshold = a.expert_threshold;
  auto backend = parseBackendArgs(a.backend);
  if (!backend.ok()) return fail(backend.error());
  options.backend = backend.value().backend;
  options.devices = backend.value().devices;
  Result<std::unique_ptr<engine::Session>> session = Error{};
  try {
    session = engine::Session::create(*model, options);
  } catch (const std::bad_alloc&) {
    return fail(ioError("not enough memory for a context of " + std::to_string(options.context_capacity) +
                        " tokens; lower --max-tokens or --context-window"));
  }
  if (!session.ok()) return fail(session.error());
  if (!a.load_state.empty()) {
    auto st = (*session)->loadState(a.load_state);
    if (!st.ok()) return fail(st.error().context("--load-state"));
  }

  std::unique_ptr<engine::RoutingLog> routing;
  if (!a.routing_log.empty()) {
    routing = std::make_unique<engine::RoutingLog>(config.num_layers, config.num_experts, config.top_k);
    routing->reserve(needed - restored);
  }
  std::vector<float> prompt_logits;
  engine::GenerateRequest request;
  request.prompt_ids = std::move(prompt);
  request.max_output_tokens = a.max_tokens;
  request.context_window = window;
  request.thinking_budget = a.thinking_budget;
  request.sampling = {a.temperature, a.top_k, a.top_p};
  request.seed = a.seed;
  request.stop = a.stop;
  request.expert_threshold = a.expert_threshold;
  request.cancel = &g_interrupted;
  request.prompt_logits = a.dump_logits.empty() ? nullptr : &prompt_logits;
  request.routing_log = routing.get();
  if (!a.json) {
    request.on_token = [](int32_t, std::string_view piece, bool) {
      std::cout << piece << std::flush;
    };
  }

  g_interrupted = false;
  InterruptScope interrupt_scope;
  auto result = engine::generate(**session, *tokenizer, request);
  if (!result.ok()) return fail(result.error());
  const engine::GenerateResult& r = *result;

  if (!a.dump_logits.empty()) {
    const int64_t T = static_cast<int64_t>(request.prompt_ids.size()), V = config.vocab_size;
    if (static_cast<int64_t>(prompt_logits.size()) == T * V) {
      auto st = writeNpyF32(a.dump_logits, prompt_logits.data(), T, V);
      if (!st.ok()) return fail(st.error().context("--dump-logits"));
    }
  }
  if (routing) {
    auto st = routing->writeJson(a.routing_log, dir.filename().empty() ? dir.parent_path().filename().string()
                                                                       : dir.filename().string());
    if (!st.ok()) return fail(st.error().context("--routing-log"));
  }
  if (!a.save_state.empty()) {
    auto st = (*session)->saveState(a.save_state);
    if (!st.ok()) return fail(st.error().context("--save-state"));
  }

  if (a.json) {
    nlohmann::json out = {{"text", r.text},
                          {"thinking", r.thinking},
                          {"answer", r.answer},
                          {"finish_reason", engine::finishReasonName(r.finish_reason)},
                          {"usage", usageJson(r.usage)},
                          {"ids", r.ids}};
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << "\n" << std::flush;
    printUsage(r, std::cerr);
  }
  return r.finish_reason == engine::FinishReason::Cancelled ? kExitCancelled : kExitOk;
}

}  // namespace

void addGenerateCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("generate", "Run the model on a prompt: stream the text, print usage");
  auto a = std::make_shared<GenerateArgs>();
  cmd->add_option("--model", a->model_dir, "Model directory (config.json, safetensors, tokenizer.json)")->required();
  auto* prompt = cmd->add_option("--prompt", a->prompt, "Prompt text, tokenized as is (special tokens recognised)");
  auto* chat = cmd->add_option("--chat", a->chat, "A user message, wrapped in the chat template + generation prompt");
  auto* ids = cmd->add_option("--prompt-ids", a->prompt_ids, "Prompt token ids, comma-separated: 1,2,3");
  prompt->excludes(chat)->excludes(ids);
  chat->excludes(ids);
  cmd->add_option("--max-tokens", a->max_tokens, "Most tokens to generate, thinking included (0: run the prompt only)")
      ->capture_default_str();
  cmd->add_option("--temperature", a->temperature, "Sampling temperature (0: greedy)")->capture_default_str();
  cmd->add_option("--top-p", a->top_p, "Nucleus sampling mass in (0, 1]")->capture_default_str();
  cmd->add_option("--top-k", a->top_k, "Sample among the k most likely tokens (0: no limit)")->capture_default_str();
  cmd->add_option("--seed", a->seed, "Random seed (the same seed gives the same tokens)")->capture_default_str();
  cmd->add_option("--stop", a->stop, "Stop string (repeatable); not included in the output");
  cmd->add_option("--expert-threshold", a->expert_threshold, "τ in (0, 1]: keep the top experts whose mass reaches τ")
      ->capture_default_str();
  cmd->add_option("--thinking-budget", a->thinking_budget, "Tokens of thought before </think> is forced (default: no limit)");
  cmd->add_option("--context-window", a->context_window, "Prompt + output tokens allowed (default: the model's limit)");
  cmd->add_option("--threads", a->threads, "CPU threads (0: all cores)")->capture_default_str();
  addBackendOptions(cmd, &a->backend);
  cmd->add_option("--routing-log", a->routing_log, "Write the experts chosen per token and layer as JSON to FILE");
  cmd->add_option("--dump-logits", a->dump_logits, "Write the logits of every prompt position to FILE (.npy float32 [T, V])");
  cmd->add_option("--save-state", a->save_state, "Save the session state to FILE after the run");
  cmd->add_option("--load-state", a->load_state, "Restore the session state from FILE before the run");
  cmd->add_flag("--json", a->json, "Print one JSON object (text, thinking, answer, finish_reason, usage, ids)");
  cmd->callback([&ctx, a, cmd] { ctx.exit_code = runGenerate(*a, *cmd); });
}

}  // namespace folio::cli
