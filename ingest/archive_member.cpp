#include "ingest/archive_member.h"

#include <sys/stat.h>

#include "engine/common/file_io.h"
#include "ingest/source_kind.h"
#include "ingest/utf8_text.h"

namespace folio::ingest {

std::string archiveMemberName(std::string raw) {
  if (!isValidUtf8(raw)) raw = normalizeText(raw);
  for (char& c : raw)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return raw;
}

bool isArchiveDebris(const std::string& name) {
  if (name.rfind("__MACOSX/", 0) == 0) return true;
  const size_t slash = name.rfind('/');
  const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  return base == ".DS_Store" || base == "Thumbs.db" || base == "desktop.ini" || base.rfind("._", 0) == 0;
}

std::optional<ArchiveMember> archiveMemberOf(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return std::nullopt;  // a file or folder of its own
  for (std::filesystem::path up = path.parent_path(); !up.empty() && up != up.parent_path(); up = up.parent_path()) {
    if (::stat(up.c_str(), &st) != 0) continue;
    if (!S_ISREG(st.st_mode) || classifySource(up.filename()).kind != SourceKind::Archive) return std::nullopt;
    const std::string whole = path.string(), archive = up.string();
    if (whole.size() <= archive.size() + 1) return std::nullopt;
    return ArchiveMember{up, whole.substr(archive.size() + 1)};
  }
  return std::nullopt;
}

Result<std::string> ArchiveMemberReader::read(const ArchiveMember& m, uint64_t max_bytes) {
  if (!open_ || open_path_ != m.archive) {
    open_.reset();
    entries_.clear();
    auto opened = openArchiveFile(m.archive);
    if (!opened) return opened.error();
    open_ = std::move(*opened);
    open_path_ = m.archive;
    for (auto& e : archiveFiles(*open_)) entries_.emplace(e.name, e);
  }
  const auto found = entries_.find(m.member);
  const std::string where = m.archive.string() + "/" + m.member;
  if (found == entries_.end()) return ioError(where + ": no such file in the archive");
  if (!found->second.unreadable.empty()) return badInput(where + ": " + found->second.unreadable);
  // One byte past the stated size tells an entry that expands past it.
  uint64_t inflated = 0;
  auto bytes = open_->readEntry(found->second.index, std::min(max_bytes, found->second.size + 1), &inflated);
  if (inflated > found->second.size)
    return badInput(where + ": expands past the " + std::to_string(found->second.size) + " bytes the archive states for it");
  return bytes;
}

Result<std::string> readDocumentBytes(const std::filesystem::path& path, uint64_t max_bytes) {
  if (const auto member = archiveMemberOf(path)) {
    ArchiveMemberReader reader;
    return reader.read(*member, max_bytes);
  }
  return readFile(path, max_bytes);
}

}  // namespace folio::ingest
