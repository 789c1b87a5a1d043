#include "app/demo.h"

#include <stdlib.h>

#include <cstdio>
#include <string>
#include <vector>

#include "app/cli/exit_codes.h"
#include "app/cli/library_format.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"

namespace folio::app {
namespace {

// A private directory under $TMPDIR, removed with everything in it when the demo ends.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "folio-demo-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

constexpr const char* kExampleQueries[] = {"termination notice", "bearer token"};

}  // namespace

int runDemo(const std::filesystem::path& samples_dir, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_directory(samples_dir, ec)) {
    err << "folio demo: sample directory not found: " << samples_dir.string() << "\n";
    return cli::kExitFailure;
  }
  ScratchDir scratch;
  if (scratch.path().empty()) {
    err << "folio demo: cannot create a temporary directory under " << std::filesystem::temp_directory_path().string()
        << "\n";
    return cli::kExitFailure;
  }
  auto lib = ingest::Library::open(scratch.path() / "library.sqlite");
  if (!lib) {
    err << "folio demo: " << lib.error().message << "\n";
    return cli::exitCodeFor(lib.error());
  }

  out << "Folio demo over " << samples_dir.string() << "\n\n";
  ingest::IngestOptions options;
  options.collection = "samples";
  const ingest::EstimatingTokenCounter tokens;
  const std::vector<std::filesystem::path> roots{samples_dir};
  auto report = ingest::runIngest(*lib, roots, options, tokens);
  if (!report) {
    err << "folio demo: " << report.error().message << "\n";
    return cli::exitCodeFor(report.error());
  }
  cli::printIngestSummary(out, *report);

  auto docs = lib->documents();
  if (!docs) {
    err << "folio demo: " << docs.error().message << "\n";
    return cli::exitCodeFor(docs.error());
  }
  out << "\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-44s %-9s %-8s %6s %7s\n", "document", "kind", "status", "pages", "chunks");
  out << line;
  int64_t chunks = 0;
  for (const auto& d : *docs) {
    std::snprintf(line, sizeof line, "%-44s %-9s %-8s %6s %7d\n", d.rel_path.c_str(), d.kind.c_str(),
                  std::string(ingest::documentStatusName(d.status)).c_str(),
                  d.page_count ? std::to_string(d.page_count).c_str() : "-", d.chunk_count);
    out << line;
    chunks += d.chunk_count;
  }
  out << docs->size() << " documents, " << chunks << " chunks.\n";

  ingest::SearchOptions search_options;
  search_options.limit = 3;
  for (const char* query : kExampleQueries) {
    out << "\nfolio search \"" << query << "\"\n";
    auto result = ingest::search(lib->db(), query, search_options);
    if (!result) {
      err << "folio demo: " << result.error().message << "\n";
      return cli::exitCodeFor(result.error());
    }
    if (result->hits.empty()) out << "  (no matches)\n";
    for (size_t i = 0; i < result->hits.size(); ++i) cli::printSearchHit(out, i + 1, result->hits[i]);
  }
  return cli::kExitOk;
}

}  // namespace folio::app
