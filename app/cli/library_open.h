// Opening the library for a command line: a schema upgrade that re-indexes every chunk takes minutes
// on a large library, so its progress goes to stderr (one updating line on a terminal, a line every
// ~10% otherwise) and Ctrl-C cancels it (the step is one transaction: the library stays as it was).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "engine/common/result.h"
#include "ingest/library/library.h"
#include "ingest/library/schema.h"

namespace folio::cli {

// Prints MigrationProgress reports as "<prefix>: upgrading the library index (schema v4 -> v5):
// 123,456 / 1,000,000 chunks", and a wait for another process's write lock as one line.
class MigrationProgressPrinter {
 public:
  MigrationProgressPrinter(std::FILE* out, bool terminal, std::string prefix)
      : out_(out), terminal_(terminal), prefix_(std::move(prefix)) {}
  void operator()(const ingest::MigrationProgress& p);
  // Ends the updating line on a terminal (after the last report, or a cancel).
  void finish();

 private:
  std::FILE* out_;
  bool terminal_;
  std::string prefix_;
  bool drawn_ = false;
  bool waiting_ = false;     // the "waiting for another process" line is out
  int64_t last_tenth_ = -1;  // the last tenth of the work a plain line was printed for
  std::chrono::steady_clock::time_point last_draw_{};
};

// app::openLibrary with the progress above on stderr and Ctrl-C as cancel (an ErrorKind::Cancelled
// error, exit code 130). `prefix` starts each line, e.g. "folio search".
Result<ingest::Library> openLibraryReporting(const std::string& requested, bool create, const std::string& prefix);

// The id of the collection called `name`; a NotFound error naming it when there is none.
Result<int64_t> collectionNamed(ingest::Library& library, const std::string& name);

// 1234567 -> "1,234,567".
std::string groupThousands(int64_t n);

}  // namespace folio::cli
