#include "ingest/libarchive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "ingest/walker.h"

namespace folio::ingest {
namespace {

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

std::string errorText(archive* a) {
  const char* why = archive_error_string(a);
  return why != nullptr ? why : "unknown error";
}

// Why an entry that is no regular file is not read: a link is not followed out of the archive.
std::string notRegular(archive_entry* e) {
  if (const char* target = archive_entry_hardlink(e)) return std::string("not a regular file (hard link to ") + target + ")";
  switch (archive_entry_filetype(e)) {
    case AE_IFREG: return {};
    case AE_IFLNK: return "not a regular file (symbolic link)";
    case AE_IFCHR: return "not a regular file (character device)";
    case AE_IFBLK: return "not a regular file (block device)";
    case AE_IFIFO: return "not a regular file (fifo)";
    case AE_IFSOCK: return "not a regular file (socket)";
    default: return "not a regular file";
  }
}

// A tar's member names often start "./" (tar czf x.tgz .) or "/" (an absolute path): the file's path
// inside is what follows.
std::string memberPath(archive_entry* e) {
  const char* utf8 = archive_entry_pathname_utf8(e);
  std::string name = utf8 != nullptr ? utf8 : (archive_entry_pathname(e) != nullptr ? archive_entry_pathname(e) : "");
  size_t start = 0;
  while (true) {
    if (name.compare(start, 2, "./") == 0) start += 2;
    else if (name.compare(start, 1, "/") == 0) start += 1;
    else break;
  }
  return name.substr(start);
}

class LibArchiveReader final : public ArchiveReader {
 public:
  LibArchiveReader(std::filesystem::path path, std::string_view bytes, std::string name)
      : path_(std::move(path)), bytes_(bytes), name_(std::move(name)) {}

  // Reads every header once, recording the entries. A compressed tar's headers are found by inflating
  // all that lies between them: the listing stops once the stated sizes pass what a walk would read of
  // an archive this size (a gzip bomb would otherwise be inflated whole just to list it).
  Status list(uint64_t budget) {
    if (auto s = reopen(); !s) return s;
    uint64_t stated = 0;
    archive_entry* e = nullptr;
    while (entries_.size() < kMaxListedEntries) {
      if (stated > budget) {
        entries_.push_back(Entry{entries_.size(), "(the rest of the archive)", 0, false,
                                 "not read: the files before it expand past " + std::to_string(budget >> 20) + " MiB"});
        break;
      }
      const int rc = archive_read_next_header(a_.get(), &e);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        if (entries_.empty()) return badInput(name_ + ": not a readable archive (" + errorText(a_.get()) + ")");
        // A download cut short keeps the files before the cut.
        entries_.push_back(Entry{entries_.size(), "(the rest of the archive)", 0, false,
                                 "not read: the archive is corrupt after its first " + std::to_string(entries_.size()) +
                                     " entries (" + errorText(a_.get()) + ")"});
        break;
      }
      Entry entry;
      entry.index = entries_.size();
      entry.name = memberPath(e);
      entry.size = archive_entry_size_is_set(e) ? static_cast<uint64_t>(std::max<la_int64_t>(0, archive_entry_size(e))) : 0;
      entry.directory = archive_entry_filetype(e) == AE_IFDIR || entry.name.empty() || entry.name.back() == '/';
      if (!entry.directory) entry.unreadable = notRegular(e);
      if (entry.unreadable.empty() && archive_entry_is_encrypted(e)) entry.unreadable = "encrypted: it needs the archive's password";
      stated += entry.size;
      entries_.push_back(std::move(entry));
    }
    a_.reset();  // the first read reopens it at the start
    return {};
  }

  std::vector<Entry> entries() const override { return entries_; }
  bool sequential() const override { return true; }

  Result<std::string> readEntry(uint64_t index, uint64_t max_bytes, uint64_t* inflated) override {
    uint64_t ignored = 0;
    uint64_t& count = inflated != nullptr ? *inflated : ignored;
    count = 0;
    if (index >= entries_.size()) return badInput(name_ + ": no entry " + std::to_string(index));
    const std::string where = name_ + ": " + entries_[index].name;
    if (!a_ || (current_ && *current_ >= index)) {  // an entry passed: the stream starts again
      if (auto s = reopen(); !s) return s.error();
    }
    archive_entry* e = nullptr;
    while (!current_ || *current_ < index) {
      const int rc = archive_read_next_header(a_.get(), &e);
      if (rc == ARCHIVE_EOF || rc < ARCHIVE_WARN) {
        const std::string why = rc == ARCHIVE_EOF ? "the archive ends before it" : errorText(a_.get());
        a_.reset();
        return badInput(where + ": cannot be read (" + why + ")");
      }
      current_ = current_ ? *current_ + 1 : 0;
    }
    std::string out;
    char buf[65536];
    while (true) {
      const la_ssize_t n = archive_read_data(a_.get(), buf, sizeof buf);
      if (n < 0) {
        const std::string why = errorText(a_.get());
        a_.reset();
        return badInput(where + ": corrupt (" + why + ")");
      }
      if (n == 0) break;
      count += static_cast<uint64_t>(n);
      if (out.size() + static_cast<uint64_t>(n) > max_bytes) return badInput(where + ": expands past " + std::to_string(max_bytes >> 20) + " MiB");
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  Status reopen() {
    a_.reset(archive_read_new());
    current_.reset();
    if (!a_) return Error{ErrorKind::Internal, name_ + ": out of memory"};
    archive_read_support_format_tar(a_.get());
    archive_read_support_format_7zip(a_.get());
    archive_read_support_filter_gzip(a_.get());
    archive_read_support_filter_bzip2(a_.get());
    archive_read_support_filter_xz(a_.get());
    const int rc = path_.empty() ? archive_read_open_memory(a_.get(), bytes_.data(), bytes_.size())
                                 : archive_read_open_filename(a_.get(), path_.c_str(), 65536);
    if (rc != ARCHIVE_OK) {
      const std::string why = errorText(a_.get());
      const int err = archive_errno(a_.get());  // the file not opened, rather than not an archive
      const bool io = !path_.empty() && (err == ENOENT || err == EACCES || err == EIO || err == EISDIR);
      a_.reset();
      if (io) return ioError(name_ + ": " + why);
      return badInput(name_ + ": not a readable archive (" + why + ")");
    }
    return {};
  }

  std::filesystem::path path_;  // empty: read from bytes_
  std::string_view bytes_;
  std::string name_;
  ArchivePtr a_;
  std::optional<uint64_t> current_;  // the entry whose header was read last
  std::vector<Entry> entries_;
};

Result<std::unique_ptr<ArchiveReader>> opened(std::unique_ptr<LibArchiveReader> reader, uint64_t compressed_bytes,
                                              uint64_t max_listed_bytes) {
  const uint64_t budget = max_listed_bytes > 0 ? max_listed_bytes
                                               : std::max<uint64_t>(kMaxArchiveExpansion, compressed_bytes * kMaxArchiveRatio);
  if (auto s = reader->list(budget); !s) return s.error();
  return std::unique_ptr<ArchiveReader>(std::move(reader));
}

}  // namespace

Result<std::unique_ptr<ArchiveReader>> openLibArchiveFile(const std::filesystem::path& path) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  return opened(std::make_unique<LibArchiveReader>(path, std::string_view{}, path.string()), ec ? 0 : size, 0);
}

Result<std::unique_ptr<ArchiveReader>> openLibArchiveBytes(std::string_view bytes, const std::string& name,
                                                          uint64_t max_listed_bytes) {
  return opened(std::make_unique<LibArchiveReader>(std::filesystem::path{}, bytes, name), bytes.size(), max_listed_bytes);
}

}  // namespace folio::ingest
