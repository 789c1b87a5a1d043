#include "app/compare/comparison_format.h"

#include <cstdio>

#include "ingest/library/library.h"
#include "ingest/utf8_text.h"

namespace folio::app {
namespace {

constexpr size_t kQuoteKeep = 240;  // a longer added, removed or moved text is shown shortened in its middle

std::string shortenedMiddle(const std::string& text) { return ingest::elideMiddle(text, kQuoteKeep); }

std::string lastHeadingPart(const std::string& heading) {
  const auto parts = ingest::splitHeadingPath(heading);
  return parts.empty() ? std::string() : parts.back();
}

std::string withPlace(std::string text, const VersionPlace& p) {
  const std::string at = describePlace(p);
  if (at.empty()) return text;
  return text.empty() ? at : text + ", " + at;
}

// "5.1 General Liability Cap (p. 4, line 12; was 6.1 General Liability Cap, p. 5)"
std::string whereOf(const VersionChange& c) {
  const bool old_only = c.kind == ChangeKind::ClauseRemoved;
  const VersionPlace& here = old_only ? c.old_place : c.new_place;
  std::string where = here.heading.empty() ? std::string("(no heading)") : here.heading;
  std::string detail = describePlace(here);
  if (!old_only && c.kind != ChangeKind::ClauseAdded && c.kind != ChangeKind::Moved) {
    const std::string was = lastHeadingPart(c.old_place.heading);
    std::string was_place = describePlace(c.old_place);
    if (was != lastHeadingPart(here.heading) && !was.empty()) {
      detail += std::string(detail.empty() ? "" : "; ") + "was " + withPlace(was, c.old_place);
    } else if (!was_place.empty() && was_place != describePlace(here)) {
      detail += std::string(detail.empty() ? "" : "; ") + "was " + was_place;
    }
  }
  return detail.empty() ? where : where + " (" + detail + ")";
}

std::string whatOf(const VersionChange& c) {
  switch (c.kind) {
    case ChangeKind::Replaced: return c.maybe_misread ? "replaced (perhaps misread by OCR: check the page)" : "replaced";
    case ChangeKind::Inserted: return "inserted";
    case ChangeKind::Deleted: return "deleted";
    case ChangeKind::ClauseAdded: return "clause added";
    case ChangeKind::ClauseRemoved:
      if (c.new_place.heading.empty() && c.new_place.line == 0 && c.new_place.page_first == 0) return "clause removed (it opened the document)";
      return "clause removed (it followed " + withPlace(lastHeadingPart(c.new_place.heading), c.new_place) + " in the new version)";
    case ChangeKind::Moved: {
      std::string what = "moved here from " + withPlace(lastHeadingPart(c.old_place.heading), c.old_place);
      if (c.inner.empty()) return what + ", unchanged";
      return what + ", with " + std::to_string(c.inner.size()) + (c.inner.size() == 1 ? " change" : " changes") + " in it";
    }
  }
  return "changed";
}

std::string renumberingLine(const VersionComparison& c) {
  if (c.renumbered.empty()) return "";
  std::string out;
  const size_t n = c.renumbered.size();
  for (size_t k = 0; k < n; ++k) {
    if (n > 6 && k == 4) {
      out += ", …";
      k = n - 2;
      continue;
    }
    out += (out.empty() ? "" : ", ") + c.renumbered[k].old_number + " → " + c.renumbered[k].new_number;
  }
  return out;
}

std::string documentLine(const ComparedDocument& d) {
  std::string out = d.name + " (";
  if (d.document_id) out += "document " + std::to_string(d.document_id) + ", ";
  out += d.kind;
  if (d.page_count > 0) out += ", " + std::to_string(d.page_count) + (d.page_count == 1 ? " page" : " pages");
  if (d.text.ocr_pages > 0) out += ", " + std::to_string(d.text.ocr_pages) + " read by OCR";
  if (!d.document_id) out += ", not in the library";
  return out + ")";
}

std::string keptPercent(const VersionComparison& c) {
  if (c.old_tokens == 0) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(c.unchanged_tokens) / static_cast<double>(c.old_tokens));
  return buf;
}

nlohmann::json placeJson(const VersionPlace& p) {
  nlohmann::json j = {{"heading", p.heading}, {"page_first", p.page_first}, {"page_last", p.page_last}, {"line", p.line}};
  if (p.chunk_id) j["chunk_id"] = p.chunk_id;
  return j;
}

nlohmann::json changeJson(const VersionChange& c) {
  nlohmann::json j = {{"kind", std::string(changeKindName(c.kind))},
                      {"deleted", c.deleted},
                      {"inserted", c.inserted},
                      {"before", c.before},
                      {"after", c.after},
                      {"maybe_misread", c.maybe_misread},
                      {"old", placeJson(c.old_place)},
                      {"new", placeJson(c.new_place)}};
  if (c.kind == ChangeKind::Moved) {
    j["inner"] = nlohmann::json::array();
    for (const auto& i : c.inner) j["inner"].push_back(changeJson(i));
  }
  return j;
}

nlohmann::json documentJson(const ComparedDocument& d) {
  nlohmann::json j = {{"name", d.name}, {"path", d.path}, {"kind", d.kind}, {"pages", d.page_count}};
  j["document_id"] = d.document_id ? nlohmann::json(d.document_id) : nlohmann::json(nullptr);
  return j;
}

// The changed text: a whole clause quoted (shortened), an edit marked in its context.
std::string markedText(const VersionChange& c) {
  const bool whole = c.kind == ChangeKind::ClauseAdded || c.kind == ChangeKind::ClauseRemoved || c.kind == ChangeKind::Moved;
  if (whole) return "\"" + shortenedMiddle(c.kind == ChangeKind::ClauseRemoved ? c.deleted : c.inserted) + "\"";
  std::string out;
  if (!c.before.empty()) out += "… " + c.before;
  if (!c.deleted.empty()) out += "[-" + c.deleted + "-]";
  if (!c.inserted.empty()) out += "{+" + c.inserted + "+}";
  if (!c.after.empty()) out += c.after + " …";
  return out;
}

void appendTextChange(std::string& out, const VersionChange& c, const std::string& indent) {
  out += indent + markedText(c) + "\n";
}

ReportChange reportChangeOf(const VersionChange& c) {
  ReportChange r;
  r.where = whereOf(c);
  r.what = whatOf(c);
  switch (c.kind) {
    case ChangeKind::ClauseAdded: r.inserted = shortenedMiddle(c.inserted); break;
    case ChangeKind::ClauseRemoved: r.deleted = shortenedMiddle(c.deleted); break;
    case ChangeKind::Moved: r.before = "\"" + shortenedMiddle(c.inserted) + "\""; break;
    default:
      r.before = c.before;
      r.deleted = c.deleted;
      r.inserted = c.inserted;
      r.after = c.after;
  }
  return r;
}

}  // namespace

std::string changeLine(const VersionChange& c) {
  std::string line = whereOf(c) + ": " + whatOf(c) + ": " + markedText(c);
  for (const VersionChange& inner : c.inner) line += "; in it: " + markedText(inner);
  return line;
}

std::string describePlace(const VersionPlace& p) {
  std::string out;
  if (p.page_first > 0) {
    out = p.page_last > p.page_first ? "pp. " + std::to_string(p.page_first) + "–" + std::to_string(p.page_last)
                                     : "p. " + std::to_string(p.page_first);
  }
  if (p.line > 0) out += (out.empty() ? "line " : ", line ") + std::to_string(p.line);
  return out;
}

std::string comparisonSummary(const VersionComparison& c) {
  size_t text = 0, added = 0, removed = 0, moved = 0;
  for (const auto& ch : c.changes) {
    switch (ch.kind) {
      case ChangeKind::ClauseAdded: ++added; break;
      case ChangeKind::ClauseRemoved: ++removed; break;
      case ChangeKind::Moved: ++moved; break;
      default: ++text;
    }
  }
  if (c.changes.empty() && c.renumbered.empty()) return "no differences in the text";
  std::string out = std::to_string(c.changes.size()) + (c.changes.size() == 1 ? " difference" : " differences");
  std::string parts;
  auto part = [&](size_t n, const std::string& what) {
    if (n) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  part(text, "in the text");
  part(added, added == 1 ? "clause added" : "clauses added");
  part(removed, "removed");
  part(moved, "moved");
  if (!parts.empty()) out += ": " + parts;
  if (!c.renumbered.empty()) {
    out += "; " + std::to_string(c.renumbered.size()) +
           (c.renumbered.size() == 1 ? " clause number changed" : " clause numbers changed");
  }
  return out;
}

std::string comparisonText(const ComparedDocument& old_doc, const ComparedDocument& new_doc, const VersionComparison& c) {
  std::string out = "Comparing\n  old: " + documentLine(old_doc) + "\n  new: " + documentLine(new_doc) + "\n";
  out += comparisonSummary(c);
  if (const std::string kept = keptPercent(c); !kept.empty()) {
    out += "; " + kept + " of the old version's " + std::to_string(c.old_tokens) + " words and marks kept";
  }
  out += ".\n";
  if (!c.renumbered.empty()) out += "Renumbered: " + renumberingLine(c) + "\n";
  for (size_t k = 0; k < c.changes.size(); ++k) {
    const VersionChange& ch = c.changes[k];
    out += "\n[" + std::to_string(k + 1) + "] " + whereOf(ch) + "\n    " + whatOf(ch) + "\n";
    appendTextChange(out, ch, "    ");
    for (const VersionChange& inner : ch.inner) appendTextChange(out, inner, "      ");
  }
  return out;
}

nlohmann::json comparisonJson(const ComparedDocument& old_doc, const ComparedDocument& new_doc, const VersionComparison& c) {
  nlohmann::json j;
  j["old"] = documentJson(old_doc);
  j["new"] = documentJson(new_doc);
  j["summary"] = comparisonSummary(c);
  j["old_tokens"] = c.old_tokens;
  j["new_tokens"] = c.new_tokens;
  j["unchanged_tokens"] = c.unchanged_tokens;
  j["changes"] = nlohmann::json::array();
  for (const auto& ch : c.changes) j["changes"].push_back(changeJson(ch));
  j["renumbered"] = nlohmann::json::array();
  for (const auto& r : c.renumbered) j["renumbered"].push_back({{"old", r.old_number}, {"new", r.new_number}, {"heading", r.heading}});
  return j;
}

Report comparisonReport(const ComparedDocument& old_doc, const ComparedDocument& new_doc, const VersionComparison& c) {
  Report r;
  r.title = "Comparison: " + old_doc.name + " → " + new_doc.name;
  r.subtitle = "old: " + documentLine(old_doc) + " · new: " + documentLine(new_doc);
  ReportSection s;
  s.heading = "Differences";
  s.label = comparisonSummary(c);
  if (const std::string kept = keptPercent(c); !kept.empty()) s.body = kept + " of the old version's words and marks kept.";
  if (!c.renumbered.empty()) s.body += "\n\nRenumbered: " + renumberingLine(c);
  s.body += "\n\nCompared word by word: line breaks, page layout and the file format do not count; comments, "
            "tracked-change lists and headers and footers are not compared.";
  for (const auto& ch : c.changes) {
    s.changes.push_back(reportChangeOf(ch));
    for (const auto& inner : ch.inner) {
      ReportChange rc = reportChangeOf(inner);
      rc.where = "in the moved text: " + rc.where;
      s.changes.push_back(std::move(rc));
    }
  }
  r.sections.push_back(std::move(s));
  return r;
}

}  // namespace folio::app
