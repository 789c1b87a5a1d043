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
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/source_kind.h"

namespace folio::ingest {

struct WalkEntry {
  std::filesystem::path path;  // the path as reached from the root (root / rel_path)
  std::string rel_path;        // relative to the root, '/'-separated, bytes as on disk (may be non-UTF-8);
                               // for a single-file root: the file name
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // a file in a zip archive: the archive's
  SourceType type;
  // A file inside a zip archive met in the walk (archive_member.h): the archive, and the file's path in it.
  // `path` is then archive/member, the document's path, which names no file on disk.
  std::filesystem::path archive;
  std::string member;
};


// A zip archive is walked as the folder it holds: at most this many of its files, expanding together to
// at most the larger of these (a zip bomb states sizes a thousand times its own).
inline constexpr size_t kMaxArchiveFiles = 20000;
inline constexpr uint64_t kMaxArchiveExpansion = 4ull << 30;
inline constexpr uint64_t kMaxArchiveRatio = 100;

struct SkippedEntry {
  std::filesystem::path path;
  std::string reason;  // e.g. "binary (NUL byte in the first 8 KiB)", "too large: 3145728 bytes > 2097152"
};

struct WalkOptions {
  uint64_t max_file_bytes = 2 << 20;       // source code, data and unknown text files over this are skipped
  // Prose (Markdown, HTML, .txt/.rst) over this: a book, or a contract exported to HTML, passes 2 MiB,
  // where a source or data file that large is generated.
  uint64_t max_document_bytes = 32ull << 20;
  uint64_t max_pdf_bytes = 512ull << 20;   // PDFs and Word files are larger by nature (images); their own cap
  // Outlook mail stores (.pst, .ost): read in place, a block at a time; 50 GiB is the most Outlook lets a
  // store grow to.
  uint64_t max_mail_store_bytes = 50ull << 30;
  // A zip archive's files together, at least (a zip bomb states sizes far past its own): kMaxArchiveRatio
  // times the archive's size where that is more.
  uint64_t max_archive_expansion = kMaxArchiveExpansion;
  bool honour_ignore_files = true;
  // Open every non-PDF file and apply sniffContent to its first bytes. A caller that reads each file
  // anyway (the ingest job) turns this off and applies sniffContent itself, so that a file is opened
  // once, on a worker thread, not twice with the first read on the walking thread.
  bool sniff_contents = true;
};

inline constexpr size_t kSniffBytes = 8192;  // how much of a file sniffContent looks at

// What the first kSniffBytes of a file say about it: the reason to skip it (a NUL byte: binary; an
// unknown type whose content does not look like text), or nullopt, with `type` changed to PlainText
// when an unknown type looks like text. Binary formats (isBinaryFormat: PDF, Word, e-mail) are not
// judged: they are read by content.
std::optional<std::string> sniffContent(std::string_view head, SourceType& type);

// The files of the zip archive `archive` as a walk meets them (its relative path `rel_path`); with `only`,
// just the file of that path inside it (a document read again).
Status walkArchiveFile(const std::filesystem::path& archive, const std::string& rel_path, const WalkOptions& options,
                       const std::function<bool(const WalkEntry&)>& on_file,
                       const std::function<void(const SkippedEntry&)>& on_skipped, const std::string& only = "");

// Walks `root` (a directory, or a single file; a zip archive met, as the folder it holds). on_file returning false stops the walk (the Status is
// still ok). Returns an error only when the root itself cannot be walked (missing, unreadable, not a
// regular file or directory); problems below the root are reported through on_skipped.
Status walkTree(const std::filesystem::path& root, const WalkOptions& options,
                const std::function<bool(const WalkEntry&)>& on_file,
                const std::function<void(const SkippedEntry&)>& on_skipped);

}  // namespace folio::ingest
