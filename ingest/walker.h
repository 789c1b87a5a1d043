// The codebase walker: visits the regular text files under a root in a deterministic (sorted) order,
// honouring .gitignore (nested, negated, anchored, dir-only, **), .ignore and <root>/.git/info/exclude.
// It never descends into .git, never follows a symlink that leaves the root, detects directory loops
// (device + inode), opens regular files only (FIFOs, sockets and devices are skipped without opening),
// and reports binaries (a NUL byte in the first 8 KiB), files over the size cap and unreadable entries
// through on_skipped with the reason. Files with unknown extensions are sniffed: text-like content
// becomes PlainText.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "engine/common/result.h"
#include "ingest/source_kind.h"

namespace folio::ingest {

struct WalkEntry {
  std::filesystem::path path;  // the path as reached from the root (root / rel_path)
  std::string rel_path;        // relative to the root, '/'-separated, bytes as on disk (may be non-UTF-8);
                               // for a single-file root: the file name
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  SourceType type;
};

struct SkippedEntry {
  std::filesystem::path path;
  std::string reason;  // e.g. "binary (NUL byte in the first 8 KiB)", "too large: 3145728 bytes > 2097152"
};

struct WalkOptions {
  uint64_t max_file_bytes = 2 << 20;       // text and source files over this are skipped
  uint64_t max_pdf_bytes = 512ull << 20;   // PDFs are larger by nature; they get their own cap
  bool honour_ignore_files = true;
};

// Walks `root` (a directory, or a single file). on_file returning false stops the walk (the Status is
// still ok). Returns an error only when the root itself cannot be walked (missing, unreadable, not a
// regular file or directory); problems below the root are reported through on_skipped.
Status walkTree(const std::filesystem::path& root, const WalkOptions& options,
                const std::function<bool(const WalkEntry&)>& on_file,
                const std::function<void(const SkippedEntry&)>& on_skipped);

}  // namespace folio::ingest
