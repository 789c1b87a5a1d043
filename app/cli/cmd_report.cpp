// `folio report [--library DB] (--answer ID | --doc ID | --collection NAME | --session ID) --format
// md|html|pdf --out FILE [--no-thinking]`: exports an answer, a session (every answer asked in a
// collection), a document summary or a collection summary. Files are written atomically; a failed export leaves no file behind.
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/export_args.h"
#include "app/cli/library_open.h"
#include "app/library_path.h"
#include "app/report/report_builder.h"
#include "app/report/report_render.h"

namespace folio::cli {
namespace {

struct ReportArgs {
  std::string library, format, out, session, collection;
  std::optional<int64_t> answer, doc;
  bool no_thinking = false;
};

int runReport(const ReportArgs& args) {
  const char* me = "folio report: ";
  const int chosen = (args.answer ? 1 : 0) + (args.doc ? 1 : 0) + (args.session.empty() ? 0 : 1) +
                     (args.collection.empty() ? 0 : 1);
  if (chosen != 1) {
    std::cerr << me << "give exactly one of --answer ID, --doc ID, --collection NAME and --session ID\n";
    return kExitUsage;
  }
  auto format = app::parseReportFormat(args.format);
  if (!format) {
    std::cerr << me << format.error().message << "\n";
    return kExitUsage;
  }
  auto lib = openLibraryReporting(args.library, false, "folio report");
  if (!lib) {
    std::cerr << me << lib.error().message << "\n";
    return exitCodeFor(lib.error());
  }
  app::ReportOptions ro;
  ro.include_thinking = !args.no_thinking;
  Result<app::Report> report = args.answer                ? app::answerReport(*lib, *args.answer, ro)
                               : args.doc                 ? app::documentReport(*lib, *args.doc)
                               : !args.collection.empty() ? app::collectionSummaryReport(*lib, args.collection)
                                                          : app::sessionReport(*lib, args.session, ro);
  if (!report) {
    std::cerr << me << report.error().message << "\n";
    return exitCodeFor(report.error());
  }
  return exportReporting(*report, *format, args.out, me, std::cout);
}

}  // namespace

void addReportCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("report", "Export an answer, a session, a document summary or a collection summary as Markdown, HTML or PDF");
  auto args = std::make_shared<ReportArgs>();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--answer", args->answer, "Answer id (printed by folio ask)");
  cmd->add_option("--doc", args->doc, "Document id: its summary tree");
  cmd->add_option("--collection", args->collection,
                  "Collection name: its summary and each document's (as stored by folio summarize; extractive, "
                  "built now, when none is)");
  cmd->add_option("--session", args->session, "Collection name or id: every answer asked in it");
  cmd->add_option("--format", args->format, "md, html or pdf")->required();
  cmd->add_option("--out", args->out, "Output file")->required();
  cmd->add_flag("--no-thinking", args->no_thinking, "Leave the model's thinking out");
  cmd->callback([&ctx, args] { ctx.exit_code = runReport(*args); });
}

}  // namespace folio::cli
