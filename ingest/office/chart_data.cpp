#include "ingest/office/chart_data.h"

#include <algorithm>

#include "ingest/utf8_text.h"

namespace folio::ingest::office {

void appendBounded(std::string& out, std::string_view text, size_t limit) {
  if (out.size() >= limit) return;
  appendValidUtf8(out, text.substr(0, limit - out.size()));
  if (out.size() > limit) out.resize(utf8Boundary(out, limit));
}

void ChartPoints::beginLevel() {
  level_dropped = levels.size() >= kMaxLevels;
  if (!level_dropped) levels.emplace_back();
}

void ChartPoints::add(size_t index, std::string_view text) {
  if (levels.empty()) beginLevel();
  if (level_dropped) return;
  auto& level = levels.back();
  if (level.size() >= kMaxKept) {
    if (levels.size() == 1) ++dropped;
    return;
  }
  std::string shown;
  appendBounded(shown, text, kMaxText);
  for (char& c : shown) c = c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
  level.emplace_back(index, std::move(shown));
}

std::vector<std::pair<size_t, std::string>> ChartPoints::labelled() const {
  if (levels.empty()) return {};
  auto byIndex = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::vector<std::pair<size_t, std::string>> out = levels.front();
  std::stable_sort(out.begin(), out.end(), byIndex);
  for (size_t l = 1; l < levels.size(); ++l) {
    auto outer = levels[l];
    std::stable_sort(outer.begin(), outer.end(), byIndex);
    for (auto& [index, text] : out) {
      // The outer label whose index is the last at or before this point's.
      auto it = std::upper_bound(outer.begin(), outer.end(), std::make_pair(index, std::string()),
                                 [](const auto& a, const auto& b) { return a.first < b.first; });
      if (it == outer.begin() || std::prev(it)->second.empty()) continue;
      std::string joined = std::prev(it)->second;
      if (!text.empty()) joined += " " + text;
      text.clear();
      appendBounded(text, joined, kMaxText * 2);
    }
  }
  return out;
}

void Chart::addKind(std::string kind) {
  if (kind.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) return;
  kinds.push_back(std::move(kind));
}

ChartSeries* Chart::addSeries() {
  if (series.size() >= kMaxSeries) {
    ++dropped_series;
    return nullptr;
  }
  return &series.emplace_back();
}

}  // namespace folio::ingest::office
