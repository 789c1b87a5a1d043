// Connections to the library the server was started with. SQLite connections are per thread, so each
// request borrows one (opening a new one when all are in use) and returns it when done.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/common/result.h"
#include "ingest/library/library.h"

namespace folio::app::server {

class LibraryPool {
 public:
  explicit LibraryPool(std::filesystem::path path) : path_(std::move(path)) {}
  LibraryPool(const LibraryPool&) = delete;
  LibraryPool& operator=(const LibraryPool&) = delete;

  class Lease {
   public:
    Lease(LibraryPool* pool, std::unique_ptr<ingest::Library> lib) : pool_(pool), lib_(std::move(lib)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    ingest::Library& operator*() { return *lib_; }
    ingest::Library* operator->() { return lib_.get(); }

   private:
    LibraryPool* pool_;
    std::unique_ptr<ingest::Library> lib_;
  };

  Result<Lease> acquire();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ingest::Library>> idle_;
};

}  // namespace folio::app::server
