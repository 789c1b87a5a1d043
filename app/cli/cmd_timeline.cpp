// `folio timeline [--library DB] [--collection NAME] [--doc ID]... [--from YYYY-MM-DD] [--to YYYY-MM-DD]
// [--day-first] [--limit N] [--json] [--format md|html|pdf|csv --out FILE] [WORDS...]`: the dated events
// of the library's documents in date order (app/pipeline/timeline.h) — each sentence holding a full
// date and each e-mail message, duplicates merged — printed, as JSON, or exported as a table.
// Ctrl-C stops the reading (exit 130), nothing exported.
#include <unistd.h>

#include <iostream>
#include <optional>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/export_args.h"
#include "app/cli/library_format.h"
#include "app/cli/library_open.h"
#include "app/cli/sigint_scope.h"
#include "app/pipeline/timeline.h"
#include "app/pipeline/timeline_format.h"
#include "app/report/report_render.h"

namespace folio::cli {
namespace {

struct TimelineArgs {
  std::string library, from, to, format, out;
  std::optional<std::string> collection;
  std::vector<int64_t> docs;
  int64_t limit = 0;
  bool json = false, day_first = false;
  std::vector<std::string> words;
};

int runTimeline(const TimelineArgs& args) {
  const char* me = "folio timeline: ";
  std::optional<app::ReportFormat> format;
  if (!parseExportArgs(args.format, args.out, me, format)) return kExitUsage;
  int y = 0, m = 0, d = 0;
  for (const auto& [name, value] : {std::pair{"--from", &args.from}, std::pair{"--to", &args.to}})
    if (!value->empty() && !app::parseIsoDate(*value, y, m, d)) {
      std::cerr << me << name << ": \"" << *value << "\" is not a date (YYYY-MM-DD)\n";
      return kExitUsage;
    }
  auto lib = openLibraryReporting(args.library, false, "folio timeline");
  if (!lib) {
    std::cerr << me << lib.error().message << "\n";
    return exitCodeFor(lib.error());
  }
  app::TimelineOptions opt;
  opt.collection = args.collection;
  opt.document_ids = args.docs;
  if (!args.from.empty()) opt.from = args.from;
  if (!args.to.empty()) opt.to = args.to;
  opt.day_first = args.day_first;
  for (const auto& w : args.words) opt.words += (opt.words.empty() ? "" : " ") + w;
  // 5,000 e-mails and a data room take a while: progress on a terminal, Ctrl-C stops between chunks.
  const bool terminal = isatty(STDERR_FILENO) != 0;
  bool drawn = false;
  auto progress = [&](int64_t done, int64_t total) {
    if (!terminal || (done != total && done % 16 != 0)) return;
    std::cerr << "\rfolio timeline: " << groupThousands(done) << " of " << groupThousands(total) << " documents read"
              << std::flush;
    drawn = true;
  };
  std::optional<SigintScope> sigint(std::in_place);
  auto timeline = app::buildTimeline(*lib, opt, progress, &sigint->interrupted());
  sigint.reset();  // Ctrl-C ends the program again while the output is written
  if (drawn) std::cerr << "\n";
  if (!timeline) {
    std::cerr << me << timeline.error().message << "\n";
    return exitCodeFor(timeline.error());
  }
  const app::Timeline& t = *timeline;
  const size_t shown = args.limit > 0 ? std::min(t.events.size(), static_cast<size_t>(args.limit)) : t.events.size();
  if (format) {
    const int code = exportReporting(app::timelineReport(opt, t, shown), *format, args.out, me, std::cerr);
    if (code != kExitOk) return code;
  }
  if (args.json) app::writeTimelineJson(std::cout, t, shown);
  else if (!format) std::cout << app::timelineText(opt, t, shown);
  if (t.stopped) {
    std::cerr << me << "stopped after reading " << groupThousands(t.documents) << " of " << groupThousands(t.documents_in_scope)
              << " documents; the events found until then are " << (format ? "exported" : "shown") << "\n";
    return kExitCancelled;
  }
  return kExitOk;
}

}  // namespace

void addTimelineCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("timeline", "A chronology of the dated events in the library's documents and e-mail");
  auto args = std::make_shared<TimelineArgs>();
  cmd->add_option("--library", args->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--collection", args->collection, "Read this collection only");
  cmd->add_option("--doc", args->docs, "Read these document ids only (repeatable)");
  cmd->add_option("--from", args->from, "Only events on or after this date (YYYY-MM-DD)");
  cmd->add_option("--to", args->to, "Only events on or before this date (YYYY-MM-DD)");
  cmd->add_flag("--day-first", args->day_first,
                "Read numeric dates whose day and month could be swapped (03/05/2024) day first (3 May), not month first");
  cmd->add_option("--limit", args->limit, "Show at most this many events, the earliest (0: all)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_flag("--json", args->json, "Print the events as JSON");
  cmd->add_option("--format", args->format, "Also export them as a table: md, html, pdf or csv (with --out)");
  cmd->add_option("--out", args->out, "The exported file");
  cmd->add_option("words", args->words, "Only events whose sentence, heading, subject or sender holds these words");
  cmd->callback([&ctx, args] { ctx.exit_code = runTimeline(*args); });
}

}  // namespace folio::cli
