// Fuzzes the date scanner (date_mentions.h) on any bytes, month first and day first: dates come in text
// order without overlapping, inside the text, each a real day (or month) whose ISO form parses back and
// whose span read alone is the same date (with a reference date too: a day without a year within a year
// of it); and a chunk's timeline events (timeline.h) on the text as
// extraction stores it (valid UTF-8): their dates parse, their sentences stay valid UTF-8 and short.
// fuzz-link: folio_app folio_ingest
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/pipeline/date_mentions.h"
#include "app/pipeline/timeline.h"
#include "ingest/utf8_text.h"

namespace {

void checkDates(std::string_view text, bool day_first, int reference_year = 0) {
  folio::app::DateScanOptions options{day_first};
  if (reference_year) options.reference_year = reference_year, options.reference_month = 12, options.reference_day = 31;
  size_t previous_end = 0;
  for (const auto& m : folio::app::findDates(text, options)) {
    if (m.begin < previous_end || m.begin >= m.end || m.end > text.size()) std::abort();
    previous_end = m.end;
    int y = 0, mo = 0, d = 0;
    const bool month = m.precision == folio::app::DatePrecision::Month;
    if (!folio::app::parseIsoDate(m.iso(), y, mo, d, month)) std::abort();
    if (y != m.year || mo != m.month || d != m.day || (month != (d == 0))) std::abort();
    if (m.minute_of_day < -1 || m.minute_of_day >= 24 * 60) std::abort();
    if (m.year_inferred && (!reference_year || m.year < reference_year - 1 || m.year > reference_year + 1)) std::abort();
    const auto alone = folio::app::findDates(text.substr(m.begin, m.end - m.begin), options);
    if (alone.size() != 1 || alone[0].iso() != m.iso() || alone[0].begin != 0 || alone[0].end != m.end - m.begin)
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;
  const std::string raw(reinterpret_cast<const char*>(data), size);
  checkDates(raw, false);
  checkDates(raw, true);
  checkDates(raw, false, 2024);  // as in a message of 31 December 2024: days without a year read near it
  const std::string text = folio::ingest::normalizeText(raw);  // what a chunk holds
  folio::app::TimelinePlace place;
  place.page_first = place.page_last = 1;
  place.line_first = 1;
  place.line_last = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const auto& e : folio::app::chunkEvents(text, place, {})) {
    int y = 0, mo = 0, d = 0;
    if (!folio::app::parseIsoDate(e.date, y, mo, d, true)) std::abort();
    if (!folio::ingest::isValidUtf8(e.text) || !folio::ingest::isValidUtf8(e.from)) std::abort();
    if (!e.message && e.text.size() > folio::app::kTimelineSentenceBytes + 8) std::abort();
    if (e.places.size() != 1 || e.places[0].line_first < 1 || e.places[0].line_first > place.line_last) std::abort();
  }
  return 0;
}
