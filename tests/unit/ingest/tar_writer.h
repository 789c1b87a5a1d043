// Tar and 7-Zip archives written in the test with libarchive's writer (no binary fixtures): files, and
// entries that are no regular file (a symbolic link).
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <vector>

namespace folio::test {

enum class TarFormat { Tar, TarGz, TarXz, SevenZip };

struct TarMember {
  std::string name;
  std::string bytes;
  std::string symlink_to;  // set: a symbolic link, not a file
  // The size the header states; set: past the bytes written (libarchive pads with zeros).
  long long stated = -1;
};

inline std::string tarBytes(const std::vector<TarMember>& members, TarFormat format = TarFormat::Tar) {
  std::string out;
  archive* a = archive_write_new();
  if (format == TarFormat::SevenZip) archive_write_set_format_7zip(a);
  else archive_write_set_format_pax_restricted(a);
  if (format == TarFormat::TarGz) archive_write_add_filter_gzip(a);
  if (format == TarFormat::TarXz) archive_write_add_filter_xz(a);
  archive_write_set_bytes_in_last_block(a, 1);
  const auto append = [](archive*, void* data, const void* buf, size_t n) -> la_ssize_t {
    static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  };
  archive_write_open(a, &out, nullptr, append, nullptr);
  for (const auto& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1700000000, 0);
    if (!m.symlink_to.empty()) {
      archive_entry_set_filetype(e, AE_IFLNK);
      archive_entry_set_symlink(e, m.symlink_to.c_str());
      archive_entry_set_size(e, 0);
    } else {
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_size(e, m.stated >= 0 ? m.stated : static_cast<la_int64_t>(m.bytes.size()));
    }
    archive_write_header(a, e);
    if (!m.bytes.empty()) archive_write_data(a, m.bytes.data(), m.bytes.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

}  // namespace folio::test
