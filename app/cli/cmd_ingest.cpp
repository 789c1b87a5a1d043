// `folio ingest [--library DB] [--collection NAME] [--reread] [--max-file-mib N] [--no-ocr] [--ocr-lang L] [--json] PATH...`: incremental
// ingest with a progress bar on a terminal (plain periodic lines otherwise), a summary, and Ctrl-C to cancel.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/library_format.h"
#include "app/cli/library_open.h"
#include "app/cli/sigint_scope.h"
#include "app/library_path.h"
#include "ingest/ingest_job.h"

namespace folio::cli {
namespace {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool terminal) : terminal_(terminal) {}

  void operator()(const ingest::IngestProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(2000);
    const bool complete = !p.walking && p.files_done == p.files_total;
    if (complete ? printed_complete_ : now - last_ < interval) return;
    printed_complete_ = complete;
    last_ = now;
    char line[200];
    if (p.walking) {
      std::snprintf(line, sizeof line, "scanning: %zu files found", p.files_total);
    } else {
      const double frac = p.files_total ? static_cast<double>(p.files_done) / static_cast<double>(p.files_total) : 1.0;
      constexpr int kWidth = 24;
      std::string bar(kWidth, ' ');
      for (int i = 0; i < static_cast<int>(frac * kWidth + 0.5) && i < kWidth; ++i) bar[static_cast<size_t>(i)] = '#';
      std::snprintf(line, sizeof line, "[%s] %zu/%zu files  %s  %lld pages  %lld chunks%s", bar.c_str(),
                    p.files_done, p.files_total, formatBytes(p.bytes_done).c_str(), static_cast<long long>(p.pages),
                    static_cast<long long>(p.chunks), formatIngestRate(p.files_done, p.elapsed_s).c_str());
    }
    if (terminal_) {
      std::fprintf(stderr, "\r%-100.100s", line);
      drawn_ = true;
    } else {
      std::fprintf(stderr, "folio ingest: %s\n", line);
    }
    std::fflush(stderr);
  }

  void finish() {
    if (terminal_ && drawn_) std::fprintf(stderr, "\r%-100s\r", "");
  }

 private:
  bool terminal_;
  bool drawn_ = false;
  bool printed_complete_ = false;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

struct IngestArgs {
  std::string library;
  std::string collection = "default";
  std::vector<std::string> paths;
  bool json = false;
  bool quiet = false;
  bool reread = false;
  bool no_ocr = false;
  int workers = 0;
  std::optional<int> max_file_mib;
  std::optional<std::string> ocr_lang;
};

int runIngestCommand(const IngestArgs& args) {
  auto path = app::resolveLibraryPath(args.library);
  if (!path) {
    std::cerr << "folio ingest: " << path.error().message << "\n";
    return exitCodeFor(path.error());
  }
  auto lib = openLibraryReporting(path->string(), true, "folio ingest");
  if (!lib) {
    std::cerr << "folio ingest: " << lib.error().message << "\n";
    return exitCodeFor(lib.error());
  }
  ingest::IngestOptions options;
  options.collection = args.collection;
  options.worker_threads = args.workers;
  options.reread_unchanged = args.reread;
  options.extract.ocr = !args.no_ocr;
  if (args.max_file_mib) options.max_file_bytes = static_cast<uint64_t>(*args.max_file_mib) << 20;
  options.ocr_languages = args.ocr_lang;
  std::vector<std::filesystem::path> roots(args.paths.begin(), args.paths.end());
  const ingest::EstimatingTokenCounter tokens;
  ProgressPrinter printer(::isatty(STDERR_FILENO) == 1);
  ingest::IngestProgressFn on_progress;
  if (!args.quiet) on_progress = [&](const ingest::IngestProgress& p) { printer(p); };

  SigintScope sigint;
  auto report = ingest::runIngest(*lib, roots, options, tokens, on_progress, &sigint.interrupted());
  printer.finish();
  if (!report) {
    std::cerr << "folio ingest: " << report.error().message << "\n";
    return exitCodeFor(report.error());
  }
  if (args.json) {
    auto j = ingestReportJson(*report);
    j["library"] = path->string();
    std::cout << dumpJson(j) << "\n";
  } else {
    printIngestSummary(std::cout, *report);
    std::cout << "  library: " << path->string() << "\n";
  }
  return report->cancelled ? kExitCancelled : kExitOk;
}

}  // namespace

void addIngestCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("ingest", "Add or update documents (folders or files) in the library");
  auto args = std::make_shared<IngestArgs>();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--collection", args->collection, "Collection to ingest into")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  cmd->add_flag("--quiet", args->quiet, "No progress output");
  cmd->add_flag("--reread", args->reread,
                "Extract and chunk every file again, also unchanged ones (after an update of Folio)");
  cmd->add_option("--max-file-mib", args->max_file_mib,
                  "Read text files (source, data, prose; not PDFs) up to N MiB in this collection, where the default "
                  "caps (2 MiB source and data, 32 MiB prose) would skip them; the collection keeps it for later "
                  "ingests (0: back to the defaults)")
      ->check(CLI::Range(0, 4096));
  cmd->add_flag("--no-ocr", args->no_ocr,
                "Leave PDF pages without a text layer (scans) empty instead of reading them by OCR");
  cmd->add_option("--ocr-lang", args->ocr_lang,
                  "Languages to read scanned pages in, Tesseract's names joined by '+' (deu+eng); the collection "
                  "keeps them for later ingests (default eng; each needs its tesseract-ocr-<lang> package)");
  cmd->add_option("--workers", args->workers, "Extraction threads (default: one per core)")->check(CLI::Range(0, 64));
  cmd->add_option("paths", args->paths, "Folders and files to ingest")->required();
  cmd->callback([&ctx, args] { ctx.exit_code = runIngestCommand(*args); });
}

}  // namespace folio::cli
