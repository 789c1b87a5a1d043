#include "ingest/office/chart_text.h"

#include <cctype>
#include <map>

namespace folio::ingest::office {
namespace {

// "Column chart.", "Column and line chart."
std::string kindsSentence(const std::vector<std::string>& kinds) {
  if (kinds.empty()) return {};
  std::string s;
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) s += i + 1 == kinds.size() ? " and " : ", ";
    s += kinds[i];
  }
  if (std::islower(static_cast<unsigned char>(s[0]))) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s + " chart.";
}

// A title or name on one line (a cached reference's text may hold line breaks).
std::string oneLine(std::string s) {
  for (char& c : s) c = c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
  return s;
}

std::string describe(const Chart& chart) {
  std::string line = kindsSentence(chart.kinds);
  for (const ChartAxis& axis : chart.axes) {
    if (axis.title.empty()) continue;
    line += (line.empty() ? "" : " ") + axis.role + " axis: " + oneLine(axis.title) + ".";
  }
  return line;
}

// The labels of a series' categories (or x values) by point index.
std::map<size_t, std::string> labels(const ChartPoints& categories) {
  std::map<size_t, std::string> out;
  for (auto& [index, text] : categories.labelled()) out.emplace(index, std::move(text));
  return out;
}

std::string points(const ChartSeries& s) {
  if (!s.values.cached || s.values.size() == 0) {
    if (s.values.ref.empty()) return "no values";
    std::string refs = "values from " + s.values.ref;
    if (!s.categories.ref.empty()) refs += (s.xy ? "; x values from " : "; categories from ") + s.categories.ref;
    return refs;
  }
  const auto category = labels(s.categories);
  const auto size = labels(s.sizes);
  std::string out;
  size_t shown = 0;
  for (const auto& [index, value] : s.values.labelled()) {
    if (shown == ChartText::kShownPoints) break;
    if (shown++ > 0) out += "; ";
    const auto c = category.find(index);
    const std::string x = c == category.end() ? std::string() : c->second;
    if (s.xy) {
      const auto z = size.find(index);
      out += "(" + (x.empty() ? std::to_string(index + 1) : x) + ", " + value +
             (z == size.end() ? std::string() : ", size " + z->second) + ")";
    } else {
      out += x.empty() ? value : x + " " + value;
    }
  }
  if (const size_t more = s.values.size() - shown; more > 0) {
    out += "; … (" + std::to_string(more) + " more point" + (more == 1 ? "" : "s") + ")";
  }
  if (category.empty() && !s.categories.ref.empty()) out += " (categories from " + s.categories.ref + ")";
  return out;
}

}  // namespace

ChartText chartText(const Chart& chart) {
  ChartText out;
  out.title = oneLine(chart.title);
  if (std::string line = describe(chart); !line.empty()) out.lines.push_back(std::move(line));
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const ChartSeries& s = chart.series[i];
    std::string name = oneLine(!s.name.empty()       ? s.name
                               : !s.name_ref.empty() ? s.name_ref
                                                     : "Series " + std::to_string(i + 1));
    if (chart.kinds.size() > 1 && !s.kind.empty()) name += " (" + s.kind + ")";
    out.lines.push_back("Series: " + name + " — " + points(s));
  }
  if (chart.dropped_series > 0) {
    std::string line = "(";  // appended, not "(" + …: GCC 12 warns wrongly (-Wrestrict) on that
    line += std::to_string(chart.dropped_series) + " more series not listed)";
    out.lines.push_back(std::move(line));
  }
  return out;
}

ChartText chartNotRead(const std::string& why) { return ChartText{"", {"(chart not read: " + why + ")"}}; }

}  // namespace folio::ingest::office
