#include "ingest/office/ppt_extract.h"

#include <unordered_map>
#include <unordered_set>

#include "ingest/office/ppt_current_user.h"
#include "ingest/office/ppt_persist.h"
#include "ingest/office/ppt_slide.h"
#include "ingest/office/ppt_slide_list.h"
#include "ingest/office/slide_text.h"
#include "ingest/ole/summary_information.h"

namespace folio::ingest::office {
namespace {

bool isTitle(const PptShape& shape, const PptText& text) {
  const int p = shape.placeholder;
  if (p == kPhTitle || p == kPhCenterTitle || p == kPhVerticalTitle || p == kPhMasterTitle || p == kPhMasterCenterTitle) {
    return true;
  }
  return p < 0 && (text.type == kPptTitle || text.type == kPptCenterTitle);
}

// Repeated on every slide from the master: not the slide's own text.
bool isFurniture(int placeholder) { return placeholder >= kPhMasterDate && placeholder <= kPhMasterHeader; }

// Fills `out` (a slide's items and title, or a notes page's items) from the shapes of its drawing;
// texts a shape shows from the slide list are taken from `entry` once each.
void addShapes(const std::vector<PptShape>& shapes, const PptListEntry* entry, bool notes, SlideText& out,
               std::vector<SlideItem>& items) {
  std::unordered_set<int> used;
  for (const PptShape& shape : shapes) {
    if (isFurniture(shape.placeholder)) continue;
    if (notes && shape.placeholder >= 0 && shape.placeholder != kPhNotesBody && shape.placeholder != kPhMasterNotesBody) {
      continue;  // the slide's picture, its number
    }
    if (!shape.rows.empty()) {
      items.push_back(SlideItem{{}, shape.rows});
      continue;
    }
    for (const PptText& own : shape.texts) {
      const PptText* text = &own;
      if (own.outline_ref >= 0) {
        if (!entry || static_cast<size_t>(own.outline_ref) >= entry->texts.size() || !used.insert(own.outline_ref).second) {
          continue;
        }
        text = &entry->texts[static_cast<size_t>(own.outline_ref)];
      }
      const bool title = !notes && (isTitle(shape, own) || (own.type < 0 && isTitle(shape, *text)));
      for (std::string& p : pptParagraphs(text->text)) {
        if (title) {
          for (char& c : p)
            if (c == '\n' || c == '\t') c = ' ';
          out.title += (out.title.empty() ? "" : " ") + p;
        } else {
          items.push_back(SlideItem{std::move(p), {}});
        }
      }
    }
  }
}

// A slide without a readable drawing text still has its outline in the slide list.
void addListTexts(const PptListEntry& entry, bool notes, SlideText& out, std::vector<SlideItem>& items) {
  std::vector<PptShape> shapes;
  for (const PptText& text : entry.texts) shapes.push_back(PptShape{-1, {text}, {}});
  addShapes(shapes, nullptr, notes, out, items);
}

bool hasText(const std::vector<PptShape>& shapes) {
  for (const PptShape& s : shapes)
    if (!s.texts.empty() || !s.rows.empty()) return true;
  return false;
}

Result<std::string> readStream(const ole::CompoundFile& file, const char* stream, const std::string& name, uint64_t max) {
  const auto entry = file.find(stream);
  if (!entry || entry->storage) return badInput(pptWhere(name) + "no \"" + stream + "\" stream");
  return file.read(*entry, max);
}

Error passwordProtected(const std::string& name) {
  return badInput(name + ": a password-protected PowerPoint presentation: remove the password (or save it unprotected) to read it");
}

}  // namespace

Result<ExtractedText> extractPpt(const ole::CompoundFile& file, const std::string& name, uint64_t max_stream_bytes) {
  if (file.find("EncryptedSummary")) return passwordProtected(name);
  auto current_user = readStream(file, "Current User", name, 1 << 16);
  if (!current_user.ok()) return current_user.error();
  auto user = readPptCurrentUser(*current_user, name);
  if (!user.ok()) return user.error();
  if (user->encrypted) return passwordProtected(name);
  auto document_stream = readStream(file, "PowerPoint Document", name, max_stream_bytes);
  if (!document_stream.ok()) return document_stream.error();
  const std::string_view stream = *document_stream;
  auto persist = readPptPersist(stream, user->offset_to_current_edit, name);
  if (!persist.ok()) return persist.error();
  if (persist->encrypted) return passwordProtected(name);

  const auto document_at = persist->offsetOf(persist->document);
  const auto document = document_at ? readPptRecord(stream, *document_at, stream.size()) : std::nullopt;
  if (!document || document->type != kPptDocument || !document->container()) {
    return badInput(pptWhere(name) + "no DocumentContainer where its persist directory points (truncated or corrupt file)");
  }
  auto lists = readPptSlideLists(stream, *document, name);
  if (!lists.ok()) return lists.error();

  // Notes pages by their id, read once each (and given to one slide).
  std::unordered_map<uint32_t, std::vector<SlideItem>> notes_by_id;
  std::unordered_map<uint32_t, uint32_t> notes_of_slide;  // slide id -> notes id, as the notes page says
  // A record listed twice (by one persist id or two) is read once: a hostile list costs its length.
  std::unordered_set<uint64_t> seen;
  const auto firstVisit = [&](const PptListEntry& entry) {
    const auto at = persist->offsetOf(entry.persist_id);
    return seen.insert(at ? *at : uint64_t{1} << 32 | entry.persist_id).second;
  };
  for (const PptListEntry& entry : lists->notes) {
    if (!firstVisit(entry)) continue;
    SlideText page;
    std::vector<SlideItem> items;
    uint32_t slide_id = 0;
    if (const auto at = persist->offsetOf(entry.persist_id)) {
      auto notes = readPptSlide(stream, *at, true, name);
      if (!notes.ok()) return notes.error();
      addShapes(notes->shapes, &entry, true, page, items);
      slide_id = notes->slide_id;
    } else {
      addListTexts(entry, true, page, items);
    }
    notes_by_id.emplace(entry.slide_id, std::move(items));
    if (slide_id != 0) notes_of_slide.emplace(slide_id, entry.slide_id);
  }

  std::vector<SlideText> slides;
  seen.clear();
  for (const PptListEntry& entry : lists->slides) {
    if (!firstVisit(entry)) continue;
    SlideText slide;
    uint32_t notes_id = 0;
    const auto at = persist->offsetOf(entry.persist_id);
    if (at) {
      auto read = readPptSlide(stream, *at, false, name);
      if (!read.ok()) return read.error();
      slide.hidden = read->hidden;
      notes_id = read->notes_id;
      if (hasText(read->shapes)) addShapes(read->shapes, &entry, false, slide, slide.items);
      else addListTexts(entry, false, slide, slide.items);
    } else {
      addListTexts(entry, false, slide, slide.items);
    }
    if (notes_id == 0) {
      if (const auto n = notes_of_slide.find(entry.slide_id); n != notes_of_slide.end()) notes_id = n->second;
    }
    if (const auto n = notes_by_id.find(notes_id); notes_id != 0 && n != notes_by_id.end()) {
      slide.notes = std::move(n->second);
      notes_by_id.erase(n);
    }
    slides.push_back(std::move(slide));
  }

  ExtractedText out = renderSlides(slides);
  const ole::SummaryInformation summary = ole::readSummaryInformation(file, max_stream_bytes);
  out.title = summary.title;
  out.author = summary.author;
  return out;
}

}  // namespace folio::ingest::office
