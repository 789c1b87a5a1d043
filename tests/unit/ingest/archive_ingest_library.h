// A library for the tests of archives walked as folders (zip, tar, 7z): ingest roots into it, list its
// documents by relative path and status; a small two-page PDF to put in archives.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "bench/bench_pdf_writer.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/verify.h"
#include "unit/ingest/test_library_util.h"

namespace folio::ingest::test {

inline void writeBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

class ArchiveIngestLibrary {
 protected:
  ArchiveIngestLibrary() {
    auto opened = Library::open(dir_.path() / "lib.sqlite");
    EXPECT_TRUE(opened) << opened.error().message;
    if (opened) lib_.emplace(std::move(*opened));
    pdf_ = bench::writeTextPdf({{"1. Term"}, {"2. Rent is due monthly."}}, "Lease");
  }

  IngestReport ingest(const std::vector<std::filesystem::path>& roots, IngestOptions options = {}) {
    auto r = runIngest(*lib_, roots, options, tokens_, {}, nullptr);
    EXPECT_TRUE(r) << r.error().message;
    EXPECT_TRUE(verifyLibrary(lib_->db()));
    return r ? *r : IngestReport{};
  }

  // "dataroom.zip/Notes/todo.txt ok", sorted.
  std::vector<std::string> relPaths() {
    std::vector<std::string> out;
    const auto docs = lib_->documents();
    for (const auto& d : *docs) out.push_back(d.rel_path + " " + std::string(documentStatusName(d.status)));
    std::sort(out.begin(), out.end());
    return out;
  }

  TempDir dir_;
  std::optional<Library> lib_;
  EstimatingTokenCounter tokens_;
  std::string pdf_;
};

}  // namespace folio::ingest::test
