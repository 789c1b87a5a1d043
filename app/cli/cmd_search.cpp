// `folio search [--library DB] [--collection NAME]... QUERY... [--limit N] [--json]`: BM25-ranked chunks
// with document, page span and line span.
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/library_format.h"
#include "app/cli/library_open.h"
#include "app/library_path.h"
#include "ingest/library/search.h"

namespace folio::cli {
namespace {

struct SearchArgs {
  std::string library;
  std::vector<std::string> words;
  std::vector<std::string> collections;  // empty: the whole library
  int limit = 10;
  bool json = false;
};

// The documents of these collections that a search can find, for SearchOptions::documents.
Result<std::vector<int64_t>> documentsOf(ingest::Library& lib, const std::vector<std::string>& collections) {
  std::vector<int64_t> ids;
  for (const std::string& name : collections) {
    auto collection = collectionNamed(lib, name);
    if (!collection) return collection.error();
    auto of = lib.documentIdsWithChunks(*collection);
    if (!of) return of.error();
    ids.insert(ids.end(), of->begin(), of->end());
  }
  return ids;
}

int runSearchCommand(const SearchArgs& args) {
  auto lib = openLibraryReporting(args.library, false, "folio search");
  if (!lib) {
    std::cerr << "folio search: " << lib.error().message << "\n";
    return exitCodeFor(lib.error());
  }
  std::string query;
  for (const auto& w : args.words) query += (query.empty() ? "" : " ") + w;
  ingest::SearchOptions options;
  options.limit = args.limit;
  if (!args.collections.empty()) {
    auto documents = documentsOf(*lib, args.collections);
    if (!documents) {
      std::cerr << "folio search: " << documents.error().message << "\n";
      return exitCodeFor(documents.error());
    }
    options.documents = std::move(*documents);
  }
  // An empty filter means the whole library; collections without chunks have no hits.
  auto result = !args.collections.empty() && options.documents.empty()
                    ? Result<ingest::SearchResult>(ingest::SearchResult{})
                    : ingest::search(lib->db(), query, options);
  if (!result) {
    std::cerr << "folio search: " << result.error().message << "\n";
    return exitCodeFor(result.error());
  }
  if (args.json) {
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& h : result->hits) hits.push_back(searchHitJson(h));
    std::cout << dumpJson({{"query", query}, {"fts_query", result->fts_query},
                           {"matched_any_term", result->matched_any}, {"hits", hits}})
              << "\n";
    return kExitOk;
  }
  if (result->hits.empty()) {
    std::cout << "No chunks match \"" << query << "\".\n";
    return kExitOk;
  }
  if (result->matched_any) std::cout << "No chunk holds every term; showing chunks with any of them.\n";
  for (size_t i = 0; i < result->hits.size(); ++i) printSearchHit(std::cout, i + 1, result->hits[i]);
  return kExitOk;
}

}  // namespace

void addSearchCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("search", "Full-text search over the library (BM25-ranked chunks)");
  auto args = std::make_shared<SearchArgs>();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--limit", args->limit, "Number of chunks to show")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_option("--collection", args->collections, "Only documents of this collection (repeatable)")
      ->allow_extra_args(false);  // one name per --collection: the query words follow
  cmd->add_flag("--json", args->json, "Print the hits as JSON");
  cmd->add_option("query", args->words, "Words and \"quoted phrases\"; a trailing * matches a prefix")->required();
  cmd->callback([&ctx, args] { ctx.exit_code = runSearchCommand(*args); });
}

}  // namespace folio::cli
