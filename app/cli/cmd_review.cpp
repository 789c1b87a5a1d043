// `folio review [--library DB] [--model DIR] [--collection NAME] [--doc ID]... [--question Q]...
// [--questions FILE] [--checklist contracts] [--matching-only] [--json] [--format md|html|pdf|csv --out FILE]`:
// the same questions asked of every document in scope, a table of documents × questions
// (app/pipeline/review_table.h), each cell the passage that answers (or a model's answer from it) and
// where it lies. Ctrl-C stops it (exit 130) and still prints or exports the cells asked so far.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/cli/backend_args.h"
#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/export_args.h"
#include "app/cli/library_format.h"
#include "app/cli/library_open.h"
#include "app/cli/sigint_scope.h"
#include "app/cli/summary_progress.h"
#include "app/pipeline/review_format.h"
#include "app/report/report_render.h"

namespace folio::cli {
namespace {

struct ReviewArgs {
  std::string library, model, questions_file, checklist, format, out;
  BackendArgs backend;
  std::optional<std::string> collection;
  std::vector<int64_t> docs;
  std::vector<std::string> questions;
  int64_t thinking_budget = app::kEachDocumentThinkingTokens, max_tokens = app::kEachDocumentAnswerTokens, context_window = 0;
  double tau = 1.0;
  bool json = false, matching_only = false;
};

// --question, then --questions FILE, then --checklist, in that order.
Result<std::vector<std::string>> gatherQuestions(const ReviewArgs& args) {
  std::string lines;
  for (const auto& q : args.questions) {
    if (const auto problem = app::reviewQuestionProblem(q); !problem.empty())
      return badInput("--question \"" + q + "\" " + problem);
    lines += q + "\n";
  }
  if (!args.questions_file.empty()) {
    std::ifstream f(args.questions_file, std::ios::binary);
    if (!f) return ioError(args.questions_file + ": cannot be read");
    std::stringstream s;
    s << f.rdbuf();
    lines += s.str() + "\n";
  }
  if (!args.checklist.empty()) {
    if (args.checklist != "contracts")
      return badInput("--checklist \"" + args.checklist + "\": the checklist Folio has is \"contracts\"");
    for (const auto& q : app::contractChecklist()) lines += q + "\n";
  }
  if (lines.empty()) return badInput("give the questions: --question Q (repeatable), --questions FILE or --checklist contracts");
  auto questions = app::parseReviewQuestions(lines);
  if (!questions && !args.questions_file.empty()) return badInput(args.questions_file + ": " + questions.error().message);
  return questions;
}

int runReview(const ReviewArgs& args) {
  const char* me = "folio review: ";
  std::optional<app::ReportFormat> format;
  if (!parseExportArgs(args.format, args.out, me, format)) return kExitUsage;
  auto questions = gatherQuestions(args);
  if (!questions) {
    std::cerr << me << questions.error().message << "\n";
    return questions.error().kind == ErrorKind::BadInput ? kExitUsage : exitCodeFor(questions.error());
  }
  auto lib = openLibraryReporting(args.library, false, "folio review");
  if (!lib) {
    std::cerr << me << lib.error().message << "\n";
    return exitCodeFor(lib.error());
  }
  std::optional<app::ModelRuntime> rt;
  if (const int code = loadRuntimeReporting(args.model, args.backend, me, rt); code != kExitOk) return code;
  app::ReviewOptions opt;
  opt.questions = std::move(*questions);
  opt.collection = args.collection;
  opt.document_ids = args.docs;
  opt.matching_only = args.matching_only;
  opt.context_window = args.context_window;
  opt.thinking_budget = args.thinking_budget;
  opt.answer_budget = args.max_tokens;
  opt.expert_threshold = args.tau;

  SummaryProgressPrinter printer(std::cerr, ::isatty(STDERR_FILENO) == 1);
  app::SummaryProgress last;
  auto progress = [&](const app::SummaryProgress& p) {
    last = p;
    if (!args.json) printer(p);
  };
  std::optional<SigintScope> sigint(std::in_place);
  auto table = app::reviewTable(*lib, rt ? &*rt : nullptr, opt, progress, &sigint->interrupted());
  sigint.reset();  // Ctrl-C ends the program again while the table is written
  printer.finish();
  if (!table) {
    std::cerr << me << table.error().message << "\n";
    return exitCodeFor(table.error());
  }
  if (format) {
    const auto layout = app::reviewLayoutFor(*format, table->questions.size());
    const int code = exportReporting(app::reviewReport(*table, layout), *format, args.out, me, std::cerr);
    if (code != kExitOk) return code;
  }
  if (args.json) app::writeReviewJson(std::cout, *table);
  else if (!format) std::cout << app::reviewText(*table);
  else std::cerr << "Found: " << app::reviewFoundLine(*table) << "\n";
  if (table->stopped) {
    std::cerr << me << stoppedSummaries(last) << "; the table holds the cells asked before\n";
    return kExitCancelled;
  }
  return kExitOk;
}

}  // namespace

void addReviewCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "review", "Ask the same questions of every document: a table of documents × questions with the passage that answers");
  auto args = std::make_shared<ReviewArgs>();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--model", args->model, "Model directory; each cell is then the model's answer read from the passage");
  addBackendOptions(cmd, &args->backend);
  cmd->add_option("--collection", args->collection, "Review this collection only");
  cmd->add_option("--doc", args->docs, "Review these document ids only (repeatable)");
  cmd->add_option("-q,--question", args->questions, "A question, a column of the table (repeatable; short: \"Governing law\")");
  cmd->add_option("--questions", args->questions_file, "A file of questions, one a line (# starts a comment)");
  cmd->add_option("--checklist", args->checklist,
                  "Add a built-in list of questions: \"contracts\" (effective date, term, termination, governing law, "
                  "assignment, liability, indemnification, confidentiality, payment, warranties)");
  cmd->add_flag("--matching-only", args->matching_only, "Leave out documents where no question found a passage");
  cmd->add_option("--thinking-budget", args->thinking_budget, "With --model: tokens of thought per cell")
      ->capture_default_str()->check(CLI::Range(int64_t{0}, int64_t{1} << 20));
  cmd->add_option("--max-tokens", args->max_tokens, "With --model: answer tokens per cell")
      ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_option("--context-window", args->context_window, "With --model: context window in tokens (default: the model's, at most 32768)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  cmd->add_option("--expert-threshold", args->tau, "τ in (0, 1]: skip experts below this share of routing weight (1 = exact)")
      ->capture_default_str()->check(CLI::Range(1e-9, 1.0));
  cmd->add_flag("--json", args->json, "Print the table as JSON");
  cmd->add_option("--format", args->format, "Export the table: md, html, pdf or csv (with --out)");
  cmd->add_option("--out", args->out, "The exported file");
  cmd->callback([&ctx, args] { ctx.exit_code = runReview(*args); });
}

}  // namespace folio::cli
