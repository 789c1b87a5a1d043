// `folio summarize [--library DB] [--model DIR] (--doc ID | --collection NAME) [--json]`: builds (or
// reuses) the summary tree of a document or a collection and prints it. Without --model the summaries
// are extractive (sentence ranking), and say so. Ctrl-C stops between nodes (exit 130); what was
// built is kept and the next run continues from it.
#include <unistd.h>

#include <iostream>

#include "app/cli/backend_args.h"
#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/library_format.h"
#include "app/cli/library_open.h"
#include "app/cli/sigint_scope.h"
#include "app/cli/summary_progress.h"
#include "app/library_path.h"
#include "app/pipeline/ask.h"
#include "app/pipeline/evidence.h"
#include "app/pipeline/extractive_summarizer.h"
#include "app/pipeline/model_summarizer.h"
#include "app/pipeline/token_counter.h"

namespace folio::cli {
namespace {

struct SummarizeArgs {
  std::string library, model;
  BackendArgs backend;
  std::optional<int64_t> doc;
  std::optional<std::string> collection;
  int64_t context_window = 0;
  bool json = false;
};

// A name for people, or null (extractive, or stored before the library kept names).
nlohmann::json nameOrNull(const std::string& name) { return name.empty() ? nlohmann::json(nullptr) : nlohmann::json(name); }

nlohmann::json nodeJson(const app::SummaryNode& n) {
  return {{"id", n.id},
          {"level", app::summaryLevelName(n.level)},
          {"heading", n.heading},
          {"page_first", n.page_first},
          {"page_last", n.page_last},
          {"line_first", n.line_first},
          {"line_last", n.line_last},
          {"token_count", n.token_count},
          {"children", n.children},
          {"source_hash", n.source_hash},
          {"model", n.model},
          {"model_name", nameOrNull(n.model_name)},
          {"text", n.text}};
}

int runSummarize(const SummarizeArgs& args) {
  const char* me = "folio summarize: ";
  if (args.doc.has_value() == args.collection.has_value()) {
    std::cerr << me << "give exactly one of --doc ID and --collection NAME\n";
    return kExitUsage;
  }
  auto lib = openLibraryReporting(args.library, false, "folio summarize");
  if (!lib) {
    std::cerr << me << lib.error().message << "\n";
    return exitCodeFor(lib.error());
  }
  std::optional<app::ModelRuntime> rt;
  if (const int code = loadRuntimeReporting(args.model, args.backend, me, rt); code != kExitOk) return code;
  std::vector<int64_t> ids;
  if (args.doc) ids.push_back(*args.doc);
  auto scope = app::resolveScope(*lib, args.collection, ids);
  if (!scope) {
    std::cerr << me << scope.error().message << "\n";
    return exitCodeFor(scope.error());
  }
  const auto counter = app::makeTokenCounter(rt ? rt->tokenizer.get() : nullptr);
  std::unique_ptr<app::Summarizer> summarizer;
  if (rt) {
    const int64_t window = args.context_window > 0 ? args.context_window : app::defaultContextWindow(&*rt);
    summarizer = std::make_unique<app::ModelSummarizer>(*rt, window, 1.0);
  } else {
    summarizer = std::make_unique<app::ExtractiveSummarizer>(*counter);
  }
  app::SummaryTreeBuilder builder(*lib, *summarizer, *counter);
  const bool quiet = args.json;
  SummaryProgressPrinter printer(std::cerr, ::isatty(STDERR_FILENO) == 1);
  app::SummaryProgress last;
  SigintScope sigint;  // Ctrl-C stops between nodes; every node built so far is stored
  auto tree = builder.build(
      scope->documents, scope->collection_id,
      [quiet, &printer, &last](const app::SummaryProgress& p) {
        last = p;
        if (!quiet) printer(p);
      },
      &sigint.interrupted());
  printer.finish();
  if (!tree && tree.error().kind == ErrorKind::Cancelled) {
    std::cerr << me << stoppedSummaries(last) << ", run again to continue\n";
    return kExitCancelled;
  }
  if (!tree) {
    std::cerr << me << tree.error().message << "\n";
    return exitCodeFor(tree.error());
  }
  const bool extractive = !rt;
  const std::string label = extractive ? "Extractive summary (no model loaded)" : "Model summary (" + rt->name + ")";
  if (args.json) {
    nlohmann::json docs = nlohmann::json::array();
    for (const auto& d : tree->documents) {
      nlohmann::json sections = nlohmann::json::array();
      for (const auto& s : d.sections) sections.push_back(nodeJson(s));
      docs.push_back({{"document_id", d.document.id}, {"path", d.document.rel_path}, {"summary", nodeJson(d.summary)},
                      {"sections", sections}});
    }
    nlohmann::json usage = nlohmann::json::array({app::stageUsageJson(tree->map), app::stageUsageJson(tree->reduce)});
    std::cout << dumpJson({{"label", label},
                           {"extractive", extractive},
                           {"model", summarizer->identity()},
                           {"model_name", nameOrNull(summarizer->modelName())},
                           {"built", tree->built},
                           {"reused", tree->reused},
                           {"documents", docs},
                           {"collection", tree->collection ? nodeJson(*tree->collection) : nlohmann::json()},
                           {"usage", usage}})
              << "\n";
    return kExitOk;
  }
  std::cout << label << "\n";
  if (tree->collection) std::cout << "\nCollection " << scope->collection << ":\n" << tree->collection->text << "\n";
  for (const auto& d : tree->documents) {
    std::cout << "\n" << d.document.rel_path << ":\n" << d.summary.text << "\n";
    for (size_t i = 0; i < d.sections.size(); ++i) {
      const auto& s = d.sections[i];
      const auto span = app::describeSpan(s.page_first, s.page_last, s.line_first, s.line_last);
      std::cout << "  §" << i + 1 << " " << (s.heading.empty() ? "(untitled)" : s.heading)
                << (span.empty() ? "" : " (" + span + ")") << ": " << s.text << "\n";
    }
  }
  std::cout << "\n" << tree->built << " summaries built, " << tree->reused << " reused from the library\n";
  return kExitOk;
}

}  // namespace

void addSummarizeCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("summarize", "Build (or reuse) the summary tree of a document or collection");
  auto args = std::make_shared<SummarizeArgs>();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--model", args->model, "Model directory; without it the summaries are extractive");
  addBackendOptions(cmd, &args->backend);
  cmd->add_option("--doc", args->doc, "Document id (see folio docs)");
  cmd->add_option("--collection", args->collection, "Collection name");
  cmd->add_option("--context-window", args->context_window, "Context window in tokens for model summaries")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  cmd->add_flag("--json", args->json, "Print the tree as JSON");
  cmd->callback([&ctx, args] { ctx.exit_code = runSummarize(*args); });
}

}  // namespace folio::cli
