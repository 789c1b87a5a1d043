#include "app/pipeline/timeline_format.h"

#include "app/pipeline/evidence.h"
#include "app/pipeline/progress_text.h"

namespace folio::app {
namespace {

// "1 event", "86,391 events".
std::string counted(int64_t n, const std::string& noun) { return groupedCount(n) + " " + noun + (n == 1 ? "" : "s"); }

std::string dumped(const nlohmann::json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

std::string timelineEventDate(const TimelineEvent& e) { return e.date + (e.time.empty() ? "" : " " + e.time); }

std::string timelineEventText(const TimelineEvent& e) {
  if (!e.message) return e.text;
  return "E-mail: " + e.text + (e.from.empty() ? "" : " — from " + e.from);
}

std::string timelinePlaceText(const TimelinePlace& p) {
  std::string s = p.path;
  if (!p.heading.empty()) s += " › " + p.heading;
  const auto span = describeSpan(p.page_first, p.page_last, p.line_first, p.line_last);
  return span.empty() ? s : s + " (" + span + ")";
}

std::string timelineOtherPlaces(const TimelineEvent& e) {
  if (e.occurrences <= 1) return "";
  const int64_t others = e.occurrences - 1;
  return "and " + groupedCount(others) + " other place" + (others == 1 ? "" : "s");
}

std::string timelineSummary(const TimelineOptions& o, const Timeline& t, size_t shown) {
  std::string s = counted(static_cast<int64_t>(t.events.size()), "event") + " from " + counted(t.documents, "document") +
                  " (" + counted(t.mentions, "date") + " found)";
  if (shown < t.events.size()) s += "; the first " + groupedCount(static_cast<int64_t>(shown)) + " shown";
  if (t.stopped) s += "; stopped after reading " + groupedCount(t.documents) + " of " + groupedCount(t.documents_in_scope);
  if (o.collection) s += "; collection " + *o.collection;
  if (o.from) s += "; from " + *o.from;
  if (o.to) s += "; to " + *o.to;
  if (!o.words.empty()) s += "; holding \"" + o.words + "\"";
  return s;
}

nlohmann::json timelineEventJson(const TimelineEvent& e) {
  nlohmann::json places = nlohmann::json::array();
  for (const auto& p : e.places)
    places.push_back({{"document_id", p.document_id},
                      {"chunk_id", p.chunk_id},
                      {"path", p.path},
                      {"heading", p.heading},
                      {"page_first", p.page_first},
                      {"page_last", p.page_last},
                      {"line_first", p.line_first},
                      {"line_last", p.line_last}});
  nlohmann::json j = {{"date", e.date},
                      {"precision", e.precision == DatePrecision::Day ? "day" : "month"},
                      {"kind", e.message ? "message" : "mention"},
                      {"text", e.text},
                      {"occurrences", e.occurrences},
                      {"places", places}};
  if (!e.time.empty()) j["time"] = e.time;
  if (e.year_inferred) j["year_inferred"] = true;
  if (e.message) j["from"] = e.from;
  return j;
}

void writeTimelineJson(std::ostream& out, const Timeline& t, size_t shown) {
  out << "{\n  \"documents\": " << t.documents << ",\n  \"mentions\": " << t.mentions
      << ",\n  \"events_total\": " << t.events.size() << ",\n  \"events\": [";
  for (size_t i = 0; i < shown; ++i) {
    std::string event = dumped(timelineEventJson(t.events[i]));
    for (size_t nl = event.find('\n'); nl != std::string::npos; nl = event.find('\n', nl + 1)) event.insert(nl + 1, "    ");
    out << (i ? ",\n    " : "\n    ") << event;
  }
  out << (shown ? "\n  ]\n}\n" : "]\n}\n");
}

Report timelineReport(const TimelineOptions& o, const Timeline& t, size_t shown) {
  Report r;
  r.title = "Timeline";
  r.subtitle = timelineSummary(o, t, shown);
  r.wide = true;
  ReportSection section;
  section.heading = "Events";
  ReportTable table;
  table.header = {"Date", "Event", "Document", "Where"};
  table.note_headers = {"", "", "Other places", "Pages and lines"};
  for (size_t i = 0; i < shown; ++i) {
    const auto& e = t.events[i];
    const auto& p = e.places.front();
    table.rows.push_back({{timelineEventDate(e), ""},
                          {timelineEventText(e), ""},
                          {p.path, timelineOtherPlaces(e)},
                          {p.heading, describeSpan(p.page_first, p.page_last, p.line_first, p.line_last)}});
  }
  section.tables.push_back(std::move(table));
  r.sections.push_back(std::move(section));
  return r;
}

std::string timelineText(const TimelineOptions& o, const Timeline& t, size_t shown) {
  std::string s;
  for (size_t i = 0; i < shown; ++i) {
    const auto& e = t.events[i];
    const auto others = timelineOtherPlaces(e);
    s += timelineEventDate(e) + "  " + timelineEventText(e) + "\n    " + timelinePlaceText(e.places.front()) +
         (others.empty() ? "" : " " + others) + "\n";
  }
  return s + (shown ? "\n" : "") + timelineSummary(o, t, shown) + "\n";
}

}  // namespace folio::app
