// The "Tracked changes" listing of a Word file: where each change stands, who made it and when, and what
// it did, quoted.
#include <algorithm>

#include "ingest/chunker.h"
#include "ingest/office/docx_change_list.h"
#include "ingest/office/docx_changes.h"
#include "ingest/source_kind.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

constexpr size_t kQuoteKeep = 200;  // a longer changed text is quoted shortened in its middle

// `text` on one line, shortened in the middle past kQuoteKeep.
std::string quote(std::string_view text) {
  std::string flat = oneLine(text);
  return "\"" + elideMiddle(flat, kQuoteKeep) + "\"";
}

// A heading path entry without the markers standing in its line ("8.1 Caps[change 3]" -> "8.1 Caps").
std::string withoutMarkers(std::string entry) {
  for (const std::string_view open : {"[change ", "[comment "}) {
    for (size_t at = entry.find(open); at != std::string::npos; at = entry.find(open, at)) {
      const size_t close = entry.find(']', at);
      if (close == std::string::npos) break;
      entry.erase(at, close + 1 - at);
    }
  }
  while (!entry.empty() && entry.back() == ' ') entry.pop_back();
  return entry;
}

std::string joinPath(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& entry : path) {
    const std::string clean = withoutMarkers(entry);
    if (clean.empty()) continue;
    if (!out.empty()) out += " \xE2\x80\xBA ";
    out += clean;
  }
  return out;
}

std::string joined(const std::string& a, const std::string& b, std::string_view separator) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + std::string(separator) + b;
}

std::string counted(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::map<int, std::vector<std::string>> changePlacesInBody(const ExtractedText& body) {
  std::map<int, std::vector<std::string>> places;
  const EstimatingTokenCounter tokens;
  const std::vector<Chunk> chunks = chunkDocument(body, SourceType{SourceKind::Word, ""}, tokens);
  const std::string_view open = "[change ";
  for (size_t at = body.text.find(open); at != std::string::npos; at = body.text.find(open, at + 1)) {
    size_t end = at + open.size();
    int number = 0;
    while (end < body.text.size() && end - at < open.size() + 7 && body.text[end] >= '0' && body.text[end] <= '9') {
      number = number * 10 + (body.text[end++] - '0');
    }
    if (end == at + open.size() || end >= body.text.size() || body.text[end] != ']') continue;
    // The last chunk that starts at or before the marker holds it (chunks are in text order).
    const auto after = std::upper_bound(chunks.begin(), chunks.end(), static_cast<int64_t>(at),
                                        [](int64_t offset, const Chunk& c) { return offset < c.byte_begin; });
    places[number].push_back(after == chunks.begin() ? std::string() : joinPath(std::prev(after)->heading_path));
  }
  return places;
}

std::string DocxChangeLog::placeOf(int number, const Site& site,
                                   const std::map<int, std::vector<std::string>>& body_places) const {
  std::string place = site.where.story;
  if (place.empty()) {
    const auto it = body_places.find(number);
    if (it != body_places.end() && site.body_index < it->second.size()) place = it->second[site.body_index];
  }
  return joined(place, site.where.detail, ", ");
}

std::vector<std::string> DocxChangeLog::lines(const std::map<int, std::vector<std::string>>& body_places) const {
  std::vector<std::string> out;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    const ChangeDraft& c = e.change;
    const int number = static_cast<int>(i + 1);
    // A move stands where it went; it says where it came from.
    const auto to = std::find_if(e.sites.begin(), e.sites.end(), [](const Site& s) { return !s.move_source; });
    const auto from = std::find_if(e.sites.begin(), e.sites.end(), [](const Site& s) { return s.move_source; });
    const Site& main = to != e.sites.end() ? *to : e.sites.front();
    const std::string place = placeOf(number, main, body_places);
    std::string what;
    switch (c.kind) {
      case ChangeDraft::Kind::Text:
        what = joined(c.deleted.empty() ? "" : "deleted " + quote(c.deleted),
                      c.inserted.empty() ? "" : "inserted " + quote(c.inserted), ", ");
        break;
      case ChangeDraft::Kind::Move: {
        what = std::string(to == e.sites.end() ? "moved away " : "moved ") + quote(c.move_source ? c.deleted : c.inserted);
        if (to != e.sites.end() && from != e.sites.end()) {
          const std::string source = placeOf(number, *from, body_places);
          if (!source.empty() && source != place) what += " from " + source;
        }
        break;
      }
      case ChangeDraft::Kind::InsertedParagraph: what = "inserted paragraph " + quote(c.inserted); break;
      case ChangeDraft::Kind::DeletedParagraph: what = "deleted paragraph " + quote(c.deleted); break;
      case ChangeDraft::Kind::InsertedRow: what = "inserted table row " + quote(c.inserted); break;
      case ChangeDraft::Kind::DeletedRow: what = "deleted table row " + quote(c.deleted); break;
      case ChangeDraft::Kind::InsertedCell: what = "inserted cell " + quote(c.inserted); break;
      case ChangeDraft::Kind::DeletedCell: what = "deleted cell " + quote(c.deleted); break;
    }
    const std::string who = joined(c.author, changeDate(c.date), ", ");
    const std::string head = joined(place, who, " \xE2\x80\x94 ");
    out.push_back(changeMarker(number) + " " + joined(head, what, ": "));
  }
  std::string not_listed;
  if (formatting_ > 0) not_listed = counted(formatting_, "formatting change", "formatting changes");
  if (paragraph_marks_ > 0) {
    not_listed = joined(not_listed, counted(paragraph_marks_, "paragraph break", "paragraph breaks") + " added or removed", ", ");
  }
  if (!not_listed.empty()) out.push_back(entries_.empty() ? not_listed : "and " + not_listed);
  return out;
}

}  // namespace folio::ingest::office
