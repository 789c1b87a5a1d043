#include "ingest/walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "engine/common/file_io.h"
#include "ingest/ignore_rules.h"
#include "ingest/archive_member.h"
#include "ingest/image_pdf.h"
#include "ingest/archive_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest {
namespace {

// The size cap of a file of this type (WalkOptions).
uint64_t sizeCap(const SourceType& type, const WalkOptions& options) {
  const bool prose = type.kind == SourceKind::Markdown || type.kind == SourceKind::Html || type.kind == SourceKind::Email ||
                     (type.kind == SourceKind::PlainText && type.language.empty());
  return isMailStore(type) || type.kind == SourceKind::Archive ? options.max_mail_store_bytes
         : isBinaryFormat(type.kind)                          ? options.max_pdf_bytes
         : prose                                               ? options.max_document_bytes
                                                               : options.max_file_bytes;
}

std::string errnoText(int err) { return std::strerror(err); }

std::string realPath(const std::string& p) {
  char* r = ::realpath(p.c_str(), nullptr);
  if (!r) return {};
  std::string out(r);
  std::free(r);
  return out;
}

const char* fileTypeName(mode_t mode) {
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  return "special file";
}

// The files of the archive at `path` as a folder's would be walked, in the order of their paths or, for a
// tar, the archive's (no ignore rules: the archive was made to be handed over whole); false when on_file stopped the walk.
bool walkArchive(const std::string& path, const std::string& rel, int64_t mtime_ns, const WalkOptions& options,
                 const std::function<bool(const WalkEntry&)>& on_file,
                 const std::function<void(const SkippedEntry&)>& on_skipped, const std::string& only = "") {
  const auto skip = [&](const std::string& p, std::string reason) {
    if (on_skipped) on_skipped(SkippedEntry{p, std::move(reason)});
  };
  auto archive = openArchiveFile(path);
  if (!archive) {
    const std::string& why = archive.error().message;
    skip(path, why.rfind(path + ": ", 0) == 0 ? why.substr(path.size() + 2) : why);
    return true;
  }
  struct stat st {};
  const uint64_t archive_bytes = ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  // What its files may expand to together: a zip bomb states sizes thousands of times its own, a data
  // room's PDFs and Word files barely more than theirs (each file is also held to its stated size).
  const uint64_t budget = std::max<uint64_t>(options.max_archive_expansion, archive_bytes * kMaxArchiveRatio);
  std::vector<ArchiveReader::Entry> files = archiveFiles(**archive);
  if (!only.empty()) std::erase_if(files, [&](const auto& e) { return e.name != only; });
  uint64_t stated = 0;
  size_t taken = 0;
  for (const auto& e : files) {
    WalkEntry entry;
    entry.path = path + "/" + e.name;
    entry.rel_path = rel + "/" + e.name;
    entry.size = e.size;
    entry.mtime_ns = mtime_ns;
    entry.type = classifySource(std::filesystem::path(e.name).filename());
    entry.archive = path;
    entry.member = e.name;
    const std::string where = entry.path.string();
    if (!e.unreadable.empty()) {  // encrypted; a link or device inside a tar, not followed
      skip(where, e.unreadable);
      continue;
    }
    if (const uint64_t cap = sizeCap(entry.type, options); e.size > cap) {
      skip(where, "too large: " + std::to_string(e.size) + " bytes > " + std::to_string(cap));
      continue;
    }
    if (++taken > kMaxArchiveFiles) {
      skip(where, "not read: an archive's first " + std::to_string(kMaxArchiveFiles) + " files are read");
      continue;
    }
    if ((stated += e.size) > budget) {
      skip(where, "not read: the archive's files expand past " + std::to_string(budget >> 20) + " MiB (" +
                      std::to_string(archive_bytes) + " bytes compressed)");
      continue;
    }
    if (on_file && !on_file(entry)) return false;
  }
  return true;
}

struct DirId {
  dev_t dev;
  ino_t ino;
  auto operator<=>(const DirId&) const = default;
};

class Walker {
 public:
  Walker(std::string root, const WalkOptions& options, const std::function<bool(const WalkEntry&)>& on_file,
         const std::function<void(const SkippedEntry&)>& on_skipped)
      : root_(std::move(root)), options_(options), on_file_(on_file), on_skipped_(on_skipped) {}

  Status run() {
    struct stat st {};
    if (::stat(root_.c_str(), &st) != 0) {
      const int err = errno;
      return Error{err == ENOENT ? ErrorKind::NotFound : ErrorKind::Io, root_ + ": " + errnoText(err)};
    }
    real_root_ = realPath(root_);
    if (real_root_.empty()) return ioError(root_ + ": cannot resolve the path: " + errnoText(errno));
    if (S_ISREG(st.st_mode)) {
      std::string name = std::filesystem::path(root_).filename().string();
      visitFile(root_, name, st);
      return {};
    }
    if (!S_ISDIR(st.st_mode)) return badInput(root_ + ": not a regular file or directory (" + fileTypeName(st.st_mode) + ")");
    if (options_.honour_ignore_files) {
      loadRules(root_ + "/.git/info/exclude", IgnoreStack::Source::Exclude, "");
    }
    std::vector<DirId> chain;
    walkDir(root_, "", st, chain);
    // Symlinked directories inside the root are walked after the real tree, so that real directories
    // are reported at their own paths and a link to one of them is reported as a duplicate.
    for (size_t i = 0; i < deferred_.size() && !stopped_; ++i) {
      Deferred d = deferred_[i];
      std::swap(ignore_, d.ignore);
      std::vector<DirId> link_chain = d.chain;
      walkDir(d.path, d.rel, d.st, link_chain);
      std::swap(ignore_, d.ignore);
    }
    return {};
  }

 private:
  struct Deferred {
    std::string path, rel;
    struct stat st;
    std::vector<DirId> chain;
    IgnoreStack ignore;
  };

  void skip(const std::string& path, std::string reason) {
    if (on_skipped_) on_skipped_(SkippedEntry{path, std::move(reason)});
  }

  void loadRules(const std::string& file, IgnoreStack::Source source, const std::string& base) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
    auto bytes = readFile(file, options_.max_file_bytes);
    if (!bytes.ok()) {
      skip(file, "ignore file not read: " + bytes.error().message);
      return;
    }
    ignore_.push(source, parseIgnoreFile(*bytes, base));
  }

  bool insideRoot(const std::string& real) const {
    if (real == real_root_) return true;
    if (real_root_ == "/") return true;
    return real.size() > real_root_.size() && real.compare(0, real_root_.size(), real_root_) == 0 &&
           real[real_root_.size()] == '/';
  }

  void walkDir(const std::string& path, const std::string& rel, const struct stat& dir_st, std::vector<DirId>& chain) {
    const DirId id{dir_st.st_dev, dir_st.st_ino};
    if (std::find(chain.begin(), chain.end(), id) != chain.end()) {
      skip(path, "directory loop (already an ancestor of this path)");
      return;
    }
    if (!visited_.insert(id).second) {
      skip(path, "directory already walked at another path");
      return;
    }
    DIR* dir = ::opendir(path.c_str());
    if (!dir) {
      skip(path, "cannot open directory: " + errnoText(errno));
      return;
    }
    std::vector<std::string> names;
    errno = 0;
    while (dirent* e = ::readdir(dir)) {
      const std::string name = e->d_name;
      if (name == "." || name == ".." || name == ".git") continue;
      names.push_back(name);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());

    chain.push_back(id);
    if (options_.honour_ignore_files) {
      loadRules(path + "/.gitignore", IgnoreStack::Source::GitIgnore, rel);
      loadRules(path + "/.ignore", IgnoreStack::Source::Ignore, rel);
    }
    for (const std::string& name : names) {
      if (stopped_) break;
      const std::string child = path + "/" + name;
      const std::string child_rel = rel.empty() ? name : rel + "/" + name;
      visitEntry(child, child_rel, chain);
    }
    if (options_.honour_ignore_files) ignore_.popBase(rel);
    chain.pop_back();
  }

  void visitEntry(const std::string& path, const std::string& rel, std::vector<DirId>& chain) {
    struct stat lst {};
    if (::lstat(path.c_str(), &lst) != 0) {
      skip(path, "cannot stat: " + errnoText(errno));
      return;
    }
    struct stat st = lst;
    bool via_link = false;
    if (S_ISLNK(lst.st_mode)) {
      const std::string real = realPath(path);
      if (real.empty()) {
        skip(path, errno == ELOOP ? "symlink loop" : "broken symlink: " + errnoText(errno));
        return;
      }
      if (!insideRoot(real)) {
        skip(path, "symlink points outside the root (" + real + ")");
        return;
      }
      if (::stat(path.c_str(), &st) != 0) {
        skip(path, "broken symlink: " + errnoText(errno));
        return;
      }
      via_link = true;
    }
    const bool is_dir = S_ISDIR(st.st_mode);
    if (options_.honour_ignore_files && ignore_.match(rel, is_dir) == IgnoreMatch::Ignored) return;
    if (is_dir) {
      if (via_link) {
        const DirId id{st.st_dev, st.st_ino};
        if (std::find(chain.begin(), chain.end(), id) != chain.end()) {
          skip(path, "symlink loop (points to an ancestor directory)");
          return;
        }
        deferred_.push_back(Deferred{path, rel, st, chain, ignore_});
        return;
      }
      walkDir(path, rel, st, chain);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      skip(path, std::string("not a regular file (") + fileTypeName(st.st_mode) + ")");
      return;
    }
    visitFile(path, rel, st);
  }

  void visitFile(const std::string& path, const std::string& rel, const struct stat& st) {
    SourceType type = classifySource(std::filesystem::path(rel).filename());
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    const int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    if (type.kind == SourceKind::Archive) {  // the folder it holds, read in place
      if (!walkArchive(path, rel, mtime_ns, options_, on_file_, on_skipped_)) stopped_ = true;
      return;
    }
    const uint64_t cap = sizeCap(type, options_);
    if (size > cap) {
      skip(path, "too large: " + std::to_string(size) + " bytes > " + std::to_string(cap));
      return;
    }
    if ((!isBinaryFormat(type.kind) || type.kind == SourceKind::Image) && options_.sniff_contents) {
      // O_NONBLOCK: if the file was swapped for a FIFO since lstat, opening must not hang.
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
      if (fd < 0) {
        skip(path, "cannot open: " + errnoText(errno));
        return;
      }
      struct stat fst {};
      if (::fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode)) {
        ::close(fd);
        skip(path, "not a regular file");
        return;
      }
      std::string head(kSniffBytes, '\0');
      size_t got = 0;
      while (got < head.size()) {
        const ssize_t n = ::read(fd, head.data() + got, head.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<size_t>(n);
      }
      ::close(fd);
      head.resize(got);
      if (auto reason = sniffContent(head, type)) {
        skip(path, std::move(*reason));
        return;
      }
    }
    WalkEntry entry;
    entry.path = path;
    entry.rel_path = rel;
    entry.size = size;
    entry.mtime_ns = mtime_ns;
    entry.type = type;
    if (on_file_ && !on_file_(entry)) stopped_ = true;
  }

  std::string root_;
  std::string real_root_;
  const WalkOptions& options_;
  const std::function<bool(const WalkEntry&)>& on_file_;
  const std::function<void(const SkippedEntry&)>& on_skipped_;
  IgnoreStack ignore_;
  std::set<DirId> visited_;
  std::vector<Deferred> deferred_;
  bool stopped_ = false;
};

}  // namespace

std::optional<std::string> sniffContent(std::string_view head, SourceType& type) {
  if (type.kind == SourceKind::Image) return imageSkipReason(head);  // icons are no scanned pages
  if (isBinaryFormat(type.kind)) return std::nullopt;  // read by content, whatever it holds
  head = head.substr(0, kSniffBytes);
  // The container of Office 97-2003 and Outlook files. Those named as such (.doc, .xls, .ppt, .msg, …)
  // are read by content (never sniffed); what is left here is a renamed file or another program's
  // compound file: name what it may be.
  if (head.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
    return "a Microsoft Office 97-2003 file without its extension (a Word .doc, Excel .xls, PowerPoint .ppt or Outlook "
           ".msg) or another program's compound file, which is not read here: give it its extension, or save it as PDF";
  }
  if (head.find('\0') != std::string_view::npos) return "binary (NUL byte in the first 8 KiB)";
  if (type.kind == SourceKind::Unknown) {
    if (!looksLikeText(head)) return "unknown file type and the content does not look like text";
    type = SourceType{SourceKind::PlainText, ""};
  }
  return std::nullopt;
}

Status walkArchiveFile(const std::filesystem::path& archive, const std::string& rel_path, const WalkOptions& options,
                       const std::function<bool(const WalkEntry&)>& on_file,
                       const std::function<void(const SkippedEntry&)>& on_skipped, const std::string& only) {
  struct stat st {};
  if (::stat(archive.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return ioError(archive.string() + ": no such archive");
  walkArchive(archive.string(), rel_path, static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
              options, on_file, on_skipped, only);
  return {};
}

Status walkTree(const std::filesystem::path& root, const WalkOptions& options,
                const std::function<bool(const WalkEntry&)>& on_file,
                const std::function<void(const SkippedEntry&)>& on_skipped) {
  std::string r = root.string();
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  if (r.empty()) return badInput("walk: empty root path");
  return Walker(std::move(r), options, on_file, on_skipped).run();
}

}  // namespace folio::ingest
