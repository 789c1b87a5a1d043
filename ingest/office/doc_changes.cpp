#include "ingest/office/doc_changes.h"

#include <algorithm>

#include "ingest/charset.h"

namespace folio::ingest::office {
namespace {

constexpr int kDepth = 1;  // a .doc change is no element: each opens and closes at one depth

}  // namespace

std::vector<std::string> readRevisionAuthors(const DocBytes& table, FcLcb where) {
  std::vector<std::string> out;
  // Word 97 and later write the extended form: 0xFFFF, a count, the size of each string's extra data.
  if (where.lcb < 6 || !table.has(where.fc, where.lcb) || table.u16(where.fc) != 0xFFFF) return out;
  const uint64_t end = uint64_t{where.fc} + where.lcb;
  const uint16_t count = table.u16(where.fc + 2), extra = table.u16(where.fc + 4);
  uint64_t at = uint64_t{where.fc} + 6;
  for (uint16_t i = 0; i < count && at + 2 <= end; ++i) {
    const uint64_t bytes = 2 * uint64_t{table.u16(at)};
    at += 2;
    out.push_back(utf16leToUtf8(table.sub(at, std::min(bytes, end - at))));
    at += bytes + extra;
  }
  return out;
}

XmlAttributes DocRevisions::attributes(const DocCharacters::Revision& revision) {
  author_ = revision.author < authors_->size() ? (*authors_)[revision.author] : std::string();
  date_ = dttmText(revision.dttm);
  return XmlAttributes{{{"author", author_}, {"date", date_}}};
}

void DocRevisions::character(const DocCharacters::Marks& marks, ParagraphChanges& paragraph, const std::string& text) {
  if (marks.format_changed && !format_open_) log_->countFormatting();
  format_open_ = marks.format_changed;
  const DocCharacters::Revision& revision = marks.revision;
  if (revision == open_) return;
  if (open_.mark != ChangeMark::None) paragraph.close(kDepth, text);
  open_ = revision;
  if (revision.mark != ChangeMark::None) paragraph.open(revision.mark, attributes(revision), {}, text.size(), kDepth);
}

void DocRevisions::endParagraph(const DocCharacters::Revision& revision, ParagraphChanges& paragraph, const std::string& text) {
  if (open_.mark != ChangeMark::None) paragraph.close(kDepth, text);
  open_ = {};
  format_open_ = false;
  if (revision.mark != ChangeMark::None) paragraph.markParagraph(revision.mark, attributes(revision));
}

}  // namespace folio::ingest::office
