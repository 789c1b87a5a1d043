#include "ingest/archive_reader.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_set>

#include "ingest/archive_member.h"
#include "ingest/libarchive_reader.h"
#include "ingest/office/zip_archive.h"

namespace folio::ingest {
namespace {

// libzip's reader: entries by its central directory, read in any order.
class ZipReader final : public ArchiveReader {
 public:
  explicit ZipReader(office::ZipArchive zip) : zip_(std::move(zip)) {}
  std::vector<Entry> entries() const override {
    std::vector<Entry> out;
    for (auto& z : zip_.entries()) {
      Entry e{z.index, std::move(z.name), z.size, z.directory, {}};
      if (z.encrypted) e.unreadable = "encrypted: it needs the archive's password";
      out.push_back(std::move(e));
    }
    return out;
  }
  bool sequential() const override { return false; }
  Result<std::string> readEntry(uint64_t index, uint64_t max_bytes, uint64_t* inflated) override {
    return zip_.readEntry(index, max_bytes, inflated);
  }

 private:
  office::ZipArchive zip_;
};

Result<std::unique_ptr<ArchiveReader>> zipReader(Result<office::ZipArchive> zip) {
  if (!zip) return zip.error();
  return std::unique_ptr<ArchiveReader>(std::make_unique<ZipReader>(std::move(*zip)));
}

bool zipByName(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name.size() >= 4 && name.compare(name.size() - 4, 4, ".zip") == 0;
}

}  // namespace

Result<std::unique_ptr<ArchiveReader>> openArchiveFile(const std::filesystem::path& path) {
  if (zipByName(path.filename().string())) return zipReader(office::ZipArchive::openFile(path));
  return openLibArchiveFile(path);
}

Result<std::unique_ptr<ArchiveReader>> openArchiveBytes(std::string_view bytes, const std::string& name) {
  // "PK": a zip's local header or (empty) end record; a name says so for one with a stub before it.
  if (zipByName(name) || bytes.substr(0, 2) == "PK") return zipReader(office::ZipArchive::open(bytes, name));
  return openLibArchiveBytes(bytes, name);
}

std::vector<ArchiveReader::Entry> archiveFiles(const ArchiveReader& archive) {
  std::vector<ArchiveReader::Entry> files;
  std::unordered_set<std::string> seen;
  for (auto& e : archive.entries()) {
    if (e.directory || isArchiveDebris(e.name)) continue;
    e.name = archiveMemberName(std::move(e.name));
    // A tar appended to holds a name twice: one document per path, the first read.
    if (seen.insert(e.name).second) files.push_back(std::move(e));
  }
  if (!archive.sequential())
    std::stable_sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return files;
}

}  // namespace folio::ingest
