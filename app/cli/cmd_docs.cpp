// `folio docs [--library DB] [--collection NAME] [--json]`: the documents in the library with their
// status (ok, skipped, failed, pending) and the reason for the ones that are not ok.
#include <cstdio>
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/library_format.h"
#include "app/cli/library_open.h"
#include "app/library_path.h"

namespace folio::cli {
namespace {

struct DocsArgs {
  std::string library;
  std::string collection;
  bool json = false;
};

int runDocsCommand(const DocsArgs& args) {
  auto lib = openLibraryReporting(args.library, false, "folio docs");
  if (!lib) {
    std::cerr << "folio docs: " << lib.error().message << "\n";
    return exitCodeFor(lib.error());
  }
  std::optional<int64_t> collection;
  if (!args.collection.empty()) {
    auto id = collectionNamed(*lib, args.collection);
    if (!id) {
      std::cerr << "folio docs: " << id.error().message << "\n";
      return exitCodeFor(id.error());
    }
    collection = *id;
  }
  auto docs = lib->documents(collection);
  if (!docs) {
    std::cerr << "folio docs: " << docs.error().message << "\n";
    return exitCodeFor(docs.error());
  }
  if (args.json) {
    // One document at a time, laid out as dumpJson lays out {"documents": [...]}: a JSON tree of the
    // whole list held 600 MB for 100,000 documents.
    std::cout << "{\n  \"documents\": [";
    bool first = true;
    for (const auto& d : *docs) {
      std::string one = dumpJson(documentJson(d));
      std::string indented;
      indented.reserve(one.size() + one.size() / 8);
      for (const char c : one) {
        indented += c;
        if (c == '\n') indented += "    ";
      }
      std::cout << (first ? "\n    " : ",\n    ") << indented;
      first = false;
    }
    std::cout << (first ? "]\n}\n" : "\n  ]\n}\n");
    return kExitOk;
  }
  size_t counts[4] = {0, 0, 0, 0};
  char line[160];
  std::snprintf(line, sizeof line, "%-8s %-12s %6s %7s %7s  %s\n", "status", "kind", "pages", "lines", "chunks",
                "document");
  std::cout << line;
  std::string current_collection;
  for (const auto& d : *docs) {
    if (d.collection != current_collection) {
      current_collection = d.collection;
      std::cout << "[" << current_collection << "]\n";
    }
    counts[static_cast<int>(d.status)]++;
    std::snprintf(line, sizeof line, "%-8s %-12s %6s %7d %7d  ", std::string(ingest::documentStatusName(d.status)).c_str(),
                  d.kind.c_str(), d.page_count ? std::to_string(d.page_count).c_str() : "-", d.line_count, d.chunk_count);
    std::cout << line << d.rel_path;
    if (d.ocr_pages > 0) {
      std::cout << "  (" << d.ocr_pages << " of " << d.page_count << (d.page_count == 1 ? " page" : " pages")
                << " read by OCR)";
    }
    if (!d.error.empty()) std::cout << "  (" << d.error << ")";
    std::cout << "\n";
  }
  std::cout << docs->size() << " documents: " << counts[0] << " ok, " << counts[1] << " skipped, " << counts[2]
            << " failed, " << counts[3] << " pending\n";
  return kExitOk;
}

}  // namespace

void addDocsCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("docs", "List the documents in the library with their status");
  auto args = std::make_shared<DocsArgs>();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--collection", args->collection, "Only this collection");
  cmd->add_flag("--json", args->json, "Print the documents as JSON");
  cmd->callback([&ctx, args] { ctx.exit_code = runDocsCommand(*args); });
}

}  // namespace folio::cli
