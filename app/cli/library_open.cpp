#include "app/cli/library_open.h"

#include <unistd.h>

#include "app/cli/sigint_scope.h"
#include "app/library_path.h"

namespace folio::cli {

Result<int64_t> collectionNamed(ingest::Library& library, const std::string& name) {
  auto id = library.findCollection(name);
  if (!id) return id.error();
  if (!*id) return Error{ErrorKind::NotFound, "no collection named \"" + name + "\""};
  return **id;
}

std::string groupThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

namespace {
// The version the upgrade starts from (several steps may run as one).
int fromVersion(const ingest::MigrationProgress& p) { return p.from_version > 0 ? p.from_version : p.version - 1; }
}  // namespace

void MigrationProgressPrinter::operator()(const ingest::MigrationProgress& p) {
  if (p.waiting) {  // once per wait: the reports repeat every quarter second
    if (waiting_) return;
    waiting_ = true;
    const std::string line = prefix_ + ": waiting for another Folio process that is writing to the library (schema v" +
                             std::to_string(fromVersion(p)) + " -> v" + std::to_string(p.version) +
                             " upgrade due); Ctrl-C to stop";
    std::fprintf(out_, terminal_ ? "\r%s" : "%s\n", line.c_str());
    std::fflush(out_);
    drawn_ = terminal_;
    return;
  }
  if (waiting_ && terminal_ && drawn_) std::fputc('\n', out_);  // keep the waiting line, start a new one
  waiting_ = false;
  const bool complete = p.done >= p.total;
  if (terminal_) {
    const auto now = std::chrono::steady_clock::now();
    if (!complete && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
  } else {
    const int64_t tenth = p.total > 0 ? p.done * 10 / p.total : 10;
    if (tenth == last_tenth_) return;
    last_tenth_ = tenth;
  }
  const std::string line = prefix_ + ": upgrading the library index (schema v" + std::to_string(fromVersion(p)) +
                           " -> v" + std::to_string(p.version) + "): " + groupThousands(p.done) + " / " +
                           groupThousands(p.total) + " chunks";
  std::fprintf(out_, terminal_ ? "\r%s" : "%s\n", line.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void MigrationProgressPrinter::finish() {
  if (terminal_ && drawn_) std::fputc('\n', out_);
  drawn_ = false;
}

Result<ingest::Library> openLibraryReporting(const std::string& requested, bool create, const std::string& prefix) {
  MigrationProgressPrinter printer(stderr, ::isatty(STDERR_FILENO) == 1, prefix);
  SigintScope sigint;
  auto lib = app::openLibrary(requested, create, [&](const ingest::MigrationProgress& p) {
    printer(p);
    return !sigint.interrupted().load();
  });
  printer.finish();
  return lib;
}

}  // namespace folio::cli
