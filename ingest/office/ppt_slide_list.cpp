#include "ingest/office/ppt_slide_list.h"

#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {
namespace {

constexpr uint16_t kSlidesInstance = 0, kNotesInstance = 2;  // 1: master slides, not read

Result<std::vector<PptListEntry>> readList(std::string_view stream, const PptRecord& list, const std::string& name) {
  auto children = pptChildren(stream, list, name);
  if (!children.ok()) return children.error();
  const DocBytes b{stream};
  std::vector<PptListEntry> entries;
  std::vector<PptRecord> texts;  // the current entry's text records
  const auto flush = [&] {
    if (!entries.empty()) appendPptTexts(stream, texts, entries.back().texts);
    texts.clear();
  };
  for (const PptRecord& r : *children) {
    if (r.type == kPptSlidePersistAtom && r.length >= 16) {  // persistIdRef, flags, cTexts, slideId
      flush();
      entries.push_back(PptListEntry{b.u32(r.body()), b.u32(r.body() + 12), {}});
    } else {
      texts.push_back(r);
    }
  }
  flush();
  return entries;
}

}  // namespace

Result<PptSlideLists> readPptSlideLists(std::string_view stream, const PptRecord& document, const std::string& name) {
  auto children = pptChildren(stream, document, name);
  if (!children.ok()) return children.error();
  PptSlideLists lists;
  bool slides_read = false, notes_read = false;
  for (const PptRecord& r : *children) {
    if (r.type != kPptSlideListWithText) continue;
    bool& read = r.instance == kSlidesInstance ? slides_read : notes_read;
    if ((r.instance != kSlidesInstance && r.instance != kNotesInstance) || read) continue;
    auto entries = readList(stream, r, name);
    if (!entries.ok()) return entries.error();
    (r.instance == kSlidesInstance ? lists.slides : lists.notes) = std::move(*entries);
    read = true;
  }
  return lists;
}

}  // namespace folio::ingest::office
