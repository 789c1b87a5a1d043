// `folio ask [--library DB] [--model DIR] [--collection NAME] [--doc ID]... [--thinking-budget N]
// [--context-window N] [--max-tokens N] [--max-documents N] [--each-document] [--expert-threshold τ] [--json]
// QUESTION`: answers a question over the library with citations. Without --model the answer is extractive (passages, clearly
// labelled). The answer is recorded in the library with an id (see `folio report --answer ID`). Ctrl-C
// stops the summary build or the generation (exit 130) and records no answer; summaries built are kept.
#include <csignal>
#include <unistd.h>

#include <iostream>

#include "app/cli/answer_printer.h"
#include "app/cli/backend_args.h"
#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/library_format.h"
#include "app/cli/library_open.h"
#include "app/cli/sigint_scope.h"
#include "app/cli/summary_progress.h"
#include "app/library_path.h"
#include "app/pipeline/ask.h"
#include "app/pipeline/each_document.h"

namespace folio::cli {
namespace {

struct AskArgs {
  std::string library, model;
  BackendArgs backend;
  std::optional<std::string> collection;
  std::vector<int64_t> docs;
  int64_t thinking_budget = 1024, context_window = 0, max_tokens = 512;
  int max_documents = app::AskOptions{}.max_documents;
  double tau = 1.0;
  bool json = false, show_thinking = false, no_reuse = false, each_document = false;
  std::vector<std::string> words;
};

void printUsage(std::ostream& out, const app::AnswerRecord& a) {
  const auto& p = a.plan;
  // A model asked each document in its own call: the figures are those of the largest call.
  const bool per_document = p.mode == app::kModeEachDocument && !a.extractive;
  out << "\nPlan: " << p.mode << (p.inline_summaries ? " (with section summaries)" : "")
      << (per_document ? " — one call per matching document (" + std::to_string(p.stages.back().inputs) +
                             "); the largest: context "
                       : std::string(" — context "))
      << p.context_tokens << " of " << p.available_tokens << " available tokens; window " << p.budgets.context_window
      << " = prompt " << p.prompt_tokens << " + thinking budget " << p.budgets.thinking_budget << " + answer budget "
      << p.budgets.answer_budget << " + free " << (p.budgets.context_window - p.prompt_tokens - p.budgets.thinking_budget - p.budgets.answer_budget)
      << "\n";
  for (const auto& l : p.left_out) out << "  left out: " << l.what << " — " << l.why << "\n";
  out << "Usage:\n";
  for (const auto& s : a.usage.stages) {
    out << "  " << s.stage << " (" << app::stageEngineName(a, s) << "): " << s.calls << " calls";
    if (s.reused) out << ", " << s.reused << " reused";
    out << ", prompt " << s.prompt_tokens << " tokens";
    if (s.reused_prefix_tokens) out << " (" << s.reused_prefix_tokens << " reused from a state snapshot)";
    out << ", thinking " << s.thinking_tokens << ", answer " << s.answer_tokens << ", " << static_cast<int64_t>(s.elapsed_ms)
        << " ms";
    if (s.tokensPerSecond() > 0) out << ", " << static_cast<int64_t>(s.tokensPerSecond()) << " tokens/s";
    out << "\n";
  }
  const auto r = a.usage.routingTotal();
  if (r.num_layers > 0)
    out << "Routing: " << r.num_layers << " layers × " << r.num_experts << " experts, " << r.experts_evaluated
        << " expert evaluations, " << r.experts_skipped << " skipped by τ\n";
}

int runAsk(const AskArgs& args) {
  const char* me = "folio ask: ";
  auto path = app::resolveLibraryPath(args.library);
  if (!path) {
    std::cerr << me << path.error().message << "\n";
    return exitCodeFor(path.error());
  }
  auto lib = openLibraryReporting(path->string(), false, "folio ask");
  if (!lib) {
    std::cerr << me << lib.error().message << "\n";
    return exitCodeFor(lib.error());
  }
  std::optional<app::ModelRuntime> rt;
  if (const int code = loadRuntimeReporting(args.model, args.backend, me, rt); code != kExitOk) return code;
  app::AskOptions opt;
  for (const auto& w : args.words) opt.question += (opt.question.empty() ? "" : " ") + w;
  opt.collection = args.collection;
  opt.document_ids = args.docs;
  opt.context_window = args.context_window;
  opt.thinking_budget = args.thinking_budget;
  opt.answer_budget = args.max_tokens;
  opt.expert_threshold = args.tau;
  opt.max_documents = args.max_documents;
  opt.each_document = args.each_document;
  if (!args.no_reuse) opt.state_dir = app::defaultStateDir(*path);
  const bool tty_progress = !args.json;
  SummaryProgressPrinter summary_progress(std::cerr, ::isatty(STDERR_FILENO) == 1);
  app::SummaryProgress last;
  auto progress = [tty_progress, &summary_progress, &last](const app::SummaryProgress& p) {
    last = p;
    if (tty_progress) summary_progress(p);
  };
  AnswerPrinter printer(std::cout, rt ? rt->name : std::string(), args.show_thinking);
  bool streamed = false;
  if (rt && !args.json)
    opt.on_stream = [&printer, &summary_progress, &streamed](const app::ThinkingStreamSplitter::Delta& d) {
      summary_progress.finish();
      printer.add(d);
      streamed = true;
    };
  SigintScope sigint;  // Ctrl-C stops between summary nodes or generated tokens
  auto a = app::ask(*lib, rt ? &*rt : nullptr, opt, progress, &sigint.interrupted());
  summary_progress.finish();
  if (!a && a.error().kind == ErrorKind::Cancelled) {
    if (streamed) std::cout << std::endl;  // the partial answer's line, before the message
    std::cerr << me << (last.total > 0 ? stoppedSummaries(last) + ", " : std::string("stopped; "))
              << "no answer recorded\n";
    return kExitCancelled;
  }
  if (!a) {
    std::cerr << me << a.error().message << "\n";
    return exitCodeFor(a.error());
  }
  if (args.json) {
    std::cout << dumpJson(app::answerJson(*a)) << "\n";
    return kExitOk;
  }
  printer.finish(*a);
  std::cout << "\n\nSources:\n";
  if (a->citations.empty()) std::cout << "  (no citations)\n";
  for (const auto& c : a->citations) {
    std::cout << "  [" << c.n << "] " << (c.source.path.empty() ? "collection" : c.source.path);
    if (!c.source.heading.empty()) std::cout << " › " << c.source.heading;
    const auto span = app::describeSpan(c.source.page_first, c.source.page_last, c.source.line_first, c.source.line_last);
    if (!span.empty()) std::cout << " (" << span << ")";
    if (c.source.kind != "chunk") std::cout << " [" << c.source.kind << "]";
    std::cout << "\n";
  }
  if (!a->dropped_citations.empty()) {
    std::cout << "Dropped citations (no such passage):";
    for (int n : a->dropped_citations) std::cout << " [" << n << "]";
    std::cout << "\n";
  }
  printUsage(std::cout, *a);
  std::cout << "Answer id: " << a->id << "\n";
  return kExitOk;
}

}  // namespace

void addAskCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("ask", "Answer a question over the library, with citations");
  auto args = std::make_shared<AskArgs>();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--model", args->model, "Model directory (config.json, weights, tokenizer.json); without it the answer is extractive");
  addBackendOptions(cmd, &args->backend);
  cmd->add_option("--collection", args->collection, "Ask about this collection only");
  cmd->add_option("--doc", args->docs, "Ask about these document ids only (repeatable)");
  cmd->add_option("--thinking-budget", args->thinking_budget, "Tokens of thought before the answer is forced")
      ->capture_default_str()->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  cmd->add_option("--context-window", args->context_window, "Context window in tokens (default: the model's, at most 32768)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  cmd->add_option("--max-tokens", args->max_tokens, "Answer budget in tokens (after the thought)")
      ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  cmd->add_option("--max-documents", args->max_documents,
                  "A scope too large for the context window is narrowed to this many documents, those whose "
                  "passages best match the question (0: read or summarize every document; --doc lists are never narrowed)")
      ->capture_default_str()->check(CLI::Range(0, 1 << 20));
  cmd->add_flag("--each-document", args->each_document,
                "Ask the question of each document in scope (\"which contracts ...?\"): every document is screened for "
                "its best passage; with a model each matching document is asked in a short call of its own and the "
                "answer lists them all, without one the passages are quoted, strongest first, as many as fit the window");
  cmd->add_option("--expert-threshold", args->tau, "τ in (0, 1]: skip experts below this share of routing weight (1 = exact)")
      ->capture_default_str()->check(CLI::Range(1e-9, 1.0));
  cmd->add_flag("--show-thinking", args->show_thinking, "Print the model's thinking before the answer");
  cmd->add_flag("--no-reuse", args->no_reuse, "Do not restore or save engine state snapshots of inlined documents");
  cmd->add_flag("--json", args->json, "Print text, thinking, citations, usage, plan and routing as JSON");
  cmd->add_option("question", args->words, "The question")->required();
  cmd->callback([&ctx, args] { ctx.exit_code = runAsk(*args); });
}

}  // namespace folio::cli
