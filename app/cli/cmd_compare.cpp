// `folio compare [--library DB] [--json] [--format md|html|pdf --out FILE] OLD NEW`: what changed between
// two versions of a document (app/compare/version_compare.h), each named by its library id, its file
// as ingested, or any readable file (read now, not stored); or, given two ingested folders, which of
// their documents changed, came or went (app/compare/folder_compare.h).
#include <filesystem>
#include <iostream>
#include <optional>

#include <unistd.h>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/export_args.h"
#include "app/cli/library_open.h"
#include "app/cli/sigint_scope.h"
#include "app/compare/compared_document.h"
#include "app/compare/comparison_format.h"
#include "app/compare/folder_compare.h"
#include "app/report/report_render.h"

namespace folio::cli {
namespace {

struct CompareArgs {
  std::string library, old_ref, new_ref, format, out;
  bool json = false;
};

int runCompare(const CompareArgs& args) {
  const char* me = "folio compare: ";
  std::optional<app::ReportFormat> format;
  if (!parseExportArgs(args.format, args.out, me, format)) return kExitUsage;
  // Without --library a missing default library is no error: two files compare without one.
  std::optional<ingest::Library> lib;
  auto opened = openLibraryReporting(args.library, false, "folio compare");
  if (opened) {
    lib.emplace(std::move(*opened));
  } else if (!args.library.empty() || opened.error().kind != ErrorKind::NotFound) {
    std::cerr << me << opened.error().message << "\n";
    return exitCodeFor(opened.error());
  }
  ingest::Library* library = lib ? &*lib : nullptr;
  if (app::comparesAsFolder(library, args.old_ref) && app::comparesAsFolder(library, args.new_ref)) {
    if (format) {
      std::cerr << me << "--format exports one document's comparison; compare the folders' documents one by one\n";
      return kExitUsage;
    }
    if (!library) {
      std::cerr << me << "comparing folders reads their documents from the library: ingest both first (folio ingest "
                << args.old_ref << " " << args.new_ref << ")\n";
      return kExitBadInput;
    }
    // A data room of thousands of documents takes a while: its progress on a terminal, Ctrl-C stops it.
    SigintScope sigint;
    const bool terminal = isatty(STDERR_FILENO) != 0;
    auto progress = [&](size_t done, size_t total) {
      if (terminal && (done == total || done % 16 == 0)) {
        std::cerr << "\rfolio compare: " << done << " of " << total << " document pairs compared" << (done == total ? "\n" : "")
                  << std::flush;
      }
    };
    auto folders = app::compareFolders(*library, args.old_ref, args.new_ref, progress, &sigint.interrupted());
    if (!folders) {
      std::cerr << me << folders.error().message << "\n";
      return exitCodeFor(folders.error());
    }
    std::cout << (args.json ? app::folderComparisonJson(*folders).dump(2) + "\n" : app::folderComparisonText(*folders));
    return kExitOk;
  }
  // A file read now may be a scan OCR reads for minutes, and thousands of pages take a second or more to
  // compare: Ctrl-C stops the reading or the comparison inside (exit 130), no report.
  std::optional<SigintScope> sigint(std::in_place);
  ingest::ExtractOptions extract;
  extract.cancel = &sigint->interrupted();
  auto old_doc = app::findComparedDocument(library, args.old_ref, extract);
  if (!old_doc) {
    std::cerr << me << old_doc.error().message << "\n";
    return exitCodeFor(old_doc.error());
  }
  auto new_doc = app::findComparedDocument(library, args.new_ref, extract);
  if (!new_doc) {
    std::cerr << me << new_doc.error().message << "\n";
    return exitCodeFor(new_doc.error());
  }
  auto compared = app::compareVersions(old_doc->text, new_doc->text, &sigint->interrupted());
  sigint.reset();  // Ctrl-C ends the program again while the report is written
  if (!compared) {
    std::cerr << me << compared.error().message << "\n";
    return exitCodeFor(compared.error());
  }
  const app::VersionComparison& comparison = *compared;
  if (format) {
    const int code = exportReporting(app::comparisonReport(*old_doc, *new_doc, comparison), *format, args.out, me, std::cerr);
    if (code != kExitOk) return code;
  }
  if (args.json) {
    std::cout << app::comparisonJson(*old_doc, *new_doc, comparison).dump(2) << "\n";
  } else if (!format) {
    std::cout << app::comparisonText(*old_doc, *new_doc, comparison);
  }
  return kExitOk;
}

}  // namespace

void addCompareCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("compare", "What changed between two versions of a document, clause by clause");
  auto args = std::make_shared<CompareArgs>();
  cmd->add_option("old", args->old_ref, "The earlier version: a document id (folio docs --json), its file as ingested, or any file")
      ->required();
  cmd->add_option("new", args->new_ref, "The later version, named the same ways")->required();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_flag("--json", args->json, "Print the comparison as JSON");
  cmd->add_option("--format", args->format, "Also export it: md, html or pdf (with --out)");
  cmd->add_option("--out", args->out, "The exported file");
  cmd->callback([&ctx, args] { ctx.exit_code = runCompare(*args); });
}

}  // namespace folio::cli
