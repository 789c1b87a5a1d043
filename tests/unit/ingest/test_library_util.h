// Helpers shared by the library and ingest-job tests: a temporary directory, chunk builders, and one
// ingest of a folder with default options.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "ingest/chunk.h"
#include "ingest/chunker.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/verify.h"

namespace folio::ingest::test {

// `folio ingest <tree>` into `lib` with the default options and estimated token counts.
inline Result<IngestReport> ingestFolder(Library& lib, const std::filesystem::path& tree) {
  const EstimatingTokenCounter tokens;
  const std::vector<std::filesystem::path> roots{tree};
  return runIngest(lib, roots, IngestOptions{}, tokens, {}, nullptr);
}

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("folio-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline Chunk makeChunk(std::string text, std::vector<std::string> heading = {}) {
  Chunk c;
  c.kind = ChunkKind::Paragraph;
  c.heading_path = std::move(heading);
  c.line_first = 1;
  c.line_last = 1;
  c.byte_end = static_cast<int64_t>(text.size());
  c.text = std::move(text);
  c.token_count = 1;
  return c;
}

// The document at `rel_path` among `docs`, nullptr when there is none.
inline const DocumentRecord* documentAt(const std::vector<DocumentRecord>& docs, const std::string& rel_path) {
  for (const DocumentRecord& d : docs)
    if (d.rel_path == rel_path) return &d;
  return nullptr;
}

// A folder ingested into a new library at `library` (ingestFolder), the library checked (verifyLibrary),
// and its documents listed: what the per-format folder tests look at. `lib` is empty, and the test has
// failed, when the library could not be opened or ingested into.
struct IngestedFolder {
  std::optional<Library> lib;
  IngestReport report;
  std::vector<DocumentRecord> docs;
  const DocumentRecord* at(const std::string& rel_path) const { return documentAt(docs, rel_path); }
};

inline IngestedFolder ingestFolderInto(const std::filesystem::path& library, const std::filesystem::path& tree) {
  IngestedFolder out;
  auto lib = Library::open(library);
  EXPECT_TRUE(lib) << (lib ? "" : lib.error().message);
  if (!lib) return out;
  auto report = ingestFolder(*lib, tree);
  EXPECT_TRUE(report) << (report ? "" : report.error().message);
  if (!report) return out;
  const Status checked = verifyLibrary(lib->db());
  EXPECT_TRUE(checked) << (checked ? "" : checked.error().message);
  auto docs = lib->documents();
  EXPECT_TRUE(docs);
  if (docs) out.docs = std::move(*docs);
  out.report = std::move(*report);
  out.lib.emplace(std::move(*lib));
  return out;
}

inline void writeText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace folio::ingest::test
