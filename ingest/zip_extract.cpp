#include "ingest/zip_extract.h"

#include <algorithm>
#include <cstdio>

#include "ingest/archive_member.h"
#include "ingest/archive_reader.h"
#include "ingest/extract.h"
#include "ingest/source_kind.h"
#include "ingest/walker.h"

namespace folio::ingest {
namespace {

std::string sizeText(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  if (bytes < (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024.0);
  else if (bytes < (1ull << 30)) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  else std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / (1ull << 30));
  return buf;
}

}  // namespace

Result<ExtractedText> extractZip(std::string_view bytes, const std::string& name, const mail::AttachmentReader& reader,
                                 const ZipLimits& limits) {
  auto archive = openArchiveBytes(bytes, name);
  if (!archive) return archive.error();
  // In the order of their paths, as a folder of them would be walked; a tar's in its own order.
  const std::vector<ArchiveReader::Entry> files = archiveFiles(**archive);

  std::string listing = "Files in this archive (" + std::to_string(files.size()) + "):\n";
  for (size_t i = 0; i < files.size() && i < limits.max_listed; ++i)
    listing += "- " + files[i].name + " (" + sizeText(files[i].size) + ")\n";
  if (files.size() > limits.max_listed) listing += "- and " + std::to_string(files.size() - limits.max_listed) + " more\n";

  mail::MessageText text(mail::MessageText::Holder::Archive);
  text.addBody(listing);
  std::atomic<uint64_t> own{0};
  std::atomic<uint64_t>& expanded = limits.expanded != nullptr ? *limits.expanded : own;
  size_t read = 0, left = 0;
  for (const auto& f : files) {
    if (limits.cancel != nullptr && limits.cancel->load()) return cancelled(name + ": stopped while reading");
    if (read >= limits.max_files) {
      ++left;
      continue;
    }
    if (!f.unreadable.empty()) {
      text.addAttachment(f.name, "", f.unreadable);
      continue;
    }
    // A file whose name says no kind (README, ChangeLog, Makefile.in) is read when its first bytes look
    // like text and it is no larger than a folder walk reads such a file; other unknown kinds are named,
    // not inflated.
    SourceType type = classifySource(f.name);
    if (type.kind == SourceKind::Unknown && f.size > limits.max_unknown_text_bytes) {
      text.addAttachment(f.name, "");
      continue;
    }
    const uint64_t spent = std::min(expanded.load(), limits.max_total_bytes);
    if (spent == limits.max_total_bytes) {
      text.addAttachment(f.name, "", "not read: the archive expands past " +
                                               std::to_string(limits.max_total_bytes >> 20) + " MiB");
      continue;
    }
    uint64_t inflated = 0;
    const uint64_t cap = type.kind == SourceKind::Unknown ? limits.max_unknown_text_bytes : limits.max_file_bytes;
    auto data = (*archive)->readEntry(f.index, std::min(cap, limits.max_total_bytes - spent), &inflated);
    expanded += inflated;
    if (!data) {
      // A file that does not fit what is left of the whole archive's budget: a zip bomb or a huge export.
      // The reason as one line of UTF-8: the library's message names the entry as stored.
      const std::string why = archiveMemberName(data.error().message);
      const std::string named = name + ": " + f.name + ": ";
      text.addAttachment(f.name, "", why.rfind(named, 0) == 0 ? why.substr(named.size()) : why);
      continue;
    }
    ++read;
    if (type.kind == SourceKind::Unknown) {
      if (sniffContent(std::string_view(*data).substr(0, kSniffBytes), type) || type.kind != SourceKind::PlainText) {
        text.addAttachment(f.name, "");
        continue;
      }
      const mail::AttachmentReader as_text = [&type](std::string_view bytes, const std::string& file_name) {
        return std::optional<Result<ExtractedText>>(extractBytes(bytes, type, file_name));
      };
      text.addAttachment(as_text, *data, f.name, "");
      continue;
    }
    text.addAttachment(reader, *data, f.name, "");
  }
  if (limits.cancel != nullptr && limits.cancel->load()) return cancelled(name + ": stopped while reading");
  if (left > 0)
    text.addAttachment(std::to_string(left) + " more files", "",
                       "not read: an archive's first " + std::to_string(limits.max_files) + " files are read");
  ExtractedText out;
  out.text = text.finish();
  out.attached_page_starts = text.attachedPageStarts();
  out.attached_files = text.attachedFiles();
  text.moveScannedPagesTo(out);
  return out;
}

}  // namespace folio::ingest
