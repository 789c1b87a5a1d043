// Helpers shared by the library and ingest-job tests: a temporary directory, chunk builders, and one
// ingest of a folder with default options.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/chunk.h"
#include "ingest/chunker.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"

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

inline void writeText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace folio::ingest::test
