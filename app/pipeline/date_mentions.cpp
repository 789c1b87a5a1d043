#include "app/pipeline/date_mentions.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstdio>

#include "ingest/civil_date.h"

namespace folio::app {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isAlpha(char c) { return isUpper(c) || isLower(c); }
bool isAlnum(char c) { return isDigit(c) || isAlpha(c); }
char lower(char c) { return isUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// Scans one candidate; positions past the end read as '\0', so no check needs a bounds test.
class Reader {
 public:
  explicit Reader(std::string_view text) : t_(text) {}
  char at(size_t i) const { return i < t_.size() ? t_[i] : '\0'; }
  size_t size() const { return t_.size(); }
  std::string_view text() const { return t_; }

  // A run of 1..max digits at i, not followed by another digit; its end, or npos.
  size_t digits(size_t i, size_t max, int& value) const {
    value = 0;
    size_t j = i;
    while (isDigit(at(j)) && j - i < max) value = value * 10 + (at(j++) - '0');
    if (j == i || isDigit(at(j))) return npos;
    return j;
  }
  // Spaces and tabs, and at most one line break (a date wrapped at the end of a PDF line).
  size_t space(size_t i) const {
    bool line_break = false;
    for (;; ++i) {
      const char c = at(i);
      if (c == ' ' || c == '\t' || c == '\r') continue;
      if (c == '\n' && !line_break) {
        line_break = true;
        continue;
      }
      return i;
    }
  }
  // The ASCII word at i (case-insensitive) equals `w` (lower case) and ends there.
  bool word(size_t i, std::string_view w) const {
    for (size_t k = 0; k < w.size(); ++k)
      if (lower(at(i + k)) != w[k]) return false;
    return !isAlpha(at(i + w.size()));
  }

  static constexpr size_t npos = std::string_view::npos;

 private:
  std::string_view t_;
};

constexpr size_t npos = Reader::npos;

constexpr std::array<std::string_view, 12> kMonths = {"january", "february", "march",     "april",   "may",      "june",
                                                      "july",    "august",   "september", "october", "november", "december"};

// A month's name at i: its full name or its 3-letter abbreviation ("Sept" too), followed by an
// optional '.' after an abbreviation; Title Case or ALL CAPS ("may" and "march" in lower case are
// words). Returns the month (1..12) and sets `end`, or 0.
int monthName(const Reader& r, size_t i, size_t& end) {
  if (!isUpper(r.at(i))) return 0;
  size_t j = i + 1;
  while (isAlpha(r.at(j)) && j - i <= 9) ++j;
  const size_t n = j - i;
  if (n < 3 || n > 9 || isAlpha(r.at(j))) return 0;
  bool all_upper = true, rest_lower = true;
  for (size_t k = i + 1; k < j; ++k) {
    all_upper = all_upper && isUpper(r.at(k));
    rest_lower = rest_lower && isLower(r.at(k));
  }
  if (!all_upper && !rest_lower) return 0;
  std::array<char, 9> w{};
  for (size_t k = 0; k < n; ++k) w[k] = lower(r.at(i + k));
  const std::string_view word(w.data(), n);
  for (size_t m = 0; m < kMonths.size(); ++m) {
    const bool full = word == kMonths[m];
    const bool abbreviation = (n == 3 && word == kMonths[m].substr(0, 3)) || (m == 8 && word == "sept");
    if (!full && !abbreviation) continue;
    end = j;
    if (!full && r.at(j) == '.') ++end;
    return static_cast<int>(m) + 1;
  }
  return 0;
}

// A four-digit year at i that ends a word; its end, or npos.
size_t year4(const Reader& r, size_t i, int& year) {
  const size_t e = r.digits(i, 4, year);
  if (e == npos || e - i != 4 || isAlpha(r.at(e))) return npos;
  return e;
}

// "st", "nd", "rd", "th" after a day's number ("5th").
size_t ordinalSuffix(const Reader& r, size_t i) {
  for (std::string_view s : {"st", "nd", "rd", "th"})
    if (r.word(i, s)) return i + 2;
  return i;
}

bool realDay(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// A time of day after a date: [", " | " at " | "T"] H:MM[:SS[.fff]] [AM|PM] [zone]. Fills the mention's
// time and returns its end, or `i` when none follows.
size_t timeOfDay(const Reader& r, size_t i, DateMention& m) {
  size_t j = i;
  if (r.at(j) == 'T' && isDigit(r.at(j + 1))) {
    ++j;
  } else {
    if (r.at(j) == ',') ++j;
    if (r.at(j) != ' ') return i;
    while (r.at(j) == ' ') ++j;
    if (r.word(j, "at")) j += 2;
    while (r.at(j) == ' ') ++j;
  }
  int hour = 0, minute = 0, second = 0;
  size_t e = r.digits(j, 2, hour);
  if (e == npos || r.at(e) != ':') return i;
  e = r.digits(e + 1, 2, minute);
  if (e == npos || minute > 59) return i;
  if (r.at(e) == ':' && isDigit(r.at(e + 1))) {
    e = r.digits(e + 1, 2, second);
    if (e == npos || second > 60) return i;
  }
  // Skip a fraction of a second (ISO 8601 "14:30:00.250").
  if (r.at(e) == '.' && isDigit(r.at(e + 1))) {
    ++e;
    while (isDigit(r.at(e))) ++e;
  }
  // AM / PM / a.m. / p.m.
  size_t k = e;
  while (r.at(k) == ' ') ++k;
  const char ap = lower(r.at(k));
  if ((ap == 'a' || ap == 'p') && (r.word(k, ap == 'a' ? "am" : "pm") || (r.at(k + 1) == '.' && lower(r.at(k + 2)) == 'm' &&
                                                                          r.at(k + 3) == '.'))) {
    if (hour < 1 || hour > 12) return i;
    hour = hour % 12 + (ap == 'p' ? 12 : 0);
    e = r.at(k + 1) == '.' ? k + 4 : k + 2;
  }
  if (hour > 23) return i;
  if (isAlnum(r.at(e)) && !(r.at(e) == 'Z' && !isAlnum(r.at(e + 1)))) return i;
  m.minute_of_day = hour * 60 + minute;
  m.zone.clear();
  // Zone: "Z", "+0000", "-05:00", "UTC", "GMT+1", "EST" (3-4 capitals ending in T).
  if (r.at(e) == 'Z') {
    m.zone = "UTC";
    return e + 1;
  }
  size_t z = e;
  while (r.at(z) == ' ') ++z;
  if ((r.at(z) == '+' || r.at(z) == '-') && isDigit(r.at(z + 1)) && isDigit(r.at(z + 2))) {
    size_t ze = z + 3;
    if (r.at(ze) == ':') ++ze;
    if (isDigit(r.at(ze)) && isDigit(r.at(ze + 1)) && !isDigit(r.at(ze + 2))) {
      m.zone = std::string(r.text().substr(z, ze + 2 - z));
      return ze + 2;
    }
    return e;
  }
  size_t ze = z;
  while (isUpper(r.at(ze)) && ze - z < 5) ++ze;
  if (ze - z >= 3 && ze - z <= 4 && r.at(ze - 1) == 'T' && !isAlpha(r.at(ze))) {
    m.zone = std::string(r.text().substr(z, ze - z));
    return ze;
  }
  return e;
}

// A month and day written without a year, [i, e): the nearest such real day to the options' reference
// date (the year before, of or after it), or npos when there is no reference.
size_t yearless(const DateScanOptions& o, size_t i, size_t e, int month, int day, DateMention& m) {
  if (o.reference_year < 1000) return npos;
  const int64_t ref = ingest::daysFromCivil(o.reference_year, o.reference_month, o.reference_day);
  int best = 0;
  int64_t best_gap = 0;
  for (int year = o.reference_year - 1; year <= o.reference_year + 1; ++year) {
    if (!realDay(year, month, day)) continue;
    const int64_t gap = std::llabs(ingest::daysFromCivil(year, month, day) - ref);
    if (!best || gap < best_gap) best = year, best_gap = gap;
  }
  if (!best) return npos;
  m = {i, e, best, month, day, DatePrecision::Day};
  m.year_inferred = true;
  return e;
}

// "March 5, 2024", "Mar. 5th, 2024", "March 5-7, 2024", "March 2024", "March, 2024" at i; "March 5"
// with a reference date (yearless).
size_t monthFirst(const Reader& r, size_t i, const DateScanOptions& options, DateMention& m) {
  size_t j = 0;
  const int month = monthName(r, i, j);
  if (!month) return npos;
  if (r.at(j) == ',') {
    // "March, 2024" only: "March, 5" is no date.
    const size_t y = r.space(j + 1);
    int year = 0;
    const size_t e = y > j + 1 ? year4(r, y, year) : npos;
    if (e == npos || year < 1000) return npos;
    m = {i, e, year, month, 0, DatePrecision::Month};
    return e;
  }
  const size_t s = r.space(j);
  if (s == j && r.at(j - 1) != '.') return npos;
  int first = 0;
  const size_t d = r.digits(s, 4, first);
  if (d == npos) return npos;
  if (d - s == 4) {  // "March 2024"
    if (isAlpha(r.at(d)) || first < 1000) return npos;
    m = {i, d, first, month, 0, DatePrecision::Month};
    return d;
  }
  if (d - s > 2) return npos;
  size_t k = ordinalSuffix(r, d);
  // A range of days ("March 5-7, 2024", "March 5 – 7, 2024"): the first day.
  size_t range = k;
  while (r.at(range) == ' ') ++range;
  if (r.at(range) == '-' || r.text().substr(std::min(range, r.size()), 3) == "\xE2\x80\x93") {
    range += r.at(range) == '-' ? 1 : 3;
    while (r.at(range) == ' ') ++range;
    int last = 0;
    const size_t le = r.digits(range, 2, last);
    if (le != npos && last > first) k = ordinalSuffix(r, le);
  }
  if (isAlpha(r.at(k))) return npos;
  size_t y = k;
  if (r.at(y) == ',') ++y;
  y = r.space(y);
  int year = 0;
  const size_t e = y > k ? year4(r, y, year) : npos;
  if (e == npos) return isDigit(r.at(y)) ? npos : yearless(options, i, k, month, first, m);
  if (year < 1000 || !realDay(year, month, first)) return npos;
  m = {i, e, year, month, first, DatePrecision::Day};
  return timeOfDay(r, e, m);
}

// "5 March 2024", "5th March, 2024", "5th day of March, 2024", "5 Mar 2024 14:30:00 +0000",
// "5-Mar-2024", "05-Mar-24" at i, the day's digits ending at d.
size_t dayFirst(const Reader& r, size_t i, size_t d, int day, const DateScanOptions& options, DateMention& m,
                size_t& skip) {
  size_t j = npos;
  int month = 0;
  if (r.at(d) == '-' && isUpper(r.at(d + 1))) {  // spreadsheet style
    size_t me = 0;
    month = monthName(r, d + 1, me);
    if (!month || r.at(me) != '-') return npos;
    int year = 0;
    size_t e = r.digits(me + 1, 4, year);
    if (e == npos || isAlpha(r.at(e))) return npos;
    if (e - (me + 1) == 2) {
      year += year < 70 ? 2000 : 1900;
    } else if (e - (me + 1) != 4 || year < 1000) {
      return npos;
    }
    if (!realDay(year, month, day)) return npos;
    m = {i, e, year, month, day, DatePrecision::Day};
    return timeOfDay(r, e, m);
  }
  size_t k = ordinalSuffix(r, d);
  const bool ordinal = k != d;
  size_t s = r.space(k);
  if (s == k) return npos;
  if (ordinal && r.word(s, "day")) {  // "5th day of March"
    s = r.space(s + 3);
    if (!r.word(s, "of")) return npos;
    s = r.space(s + 2);
  } else if (r.word(s, "of")) {  // "5th of March"
    s = r.space(s + 2);
  }
  month = monthName(r, s, j);
  if (!month) return npos;
  size_t y = j;
  if (r.at(y) == ',') ++y;
  y = r.space(y);
  int year = 0;
  const size_t e = y > j ? year4(r, y, year) : npos;
  if (e == npos) return isDigit(r.at(y)) ? npos : yearless(options, i, j, month, day, m);
  if (year < 1000) return npos;
  // "31 April 2024" is a mistake, not a mention of April 2024: the scan goes on after it.
  if (!realDay(year, month, day)) {
    skip = e;
    return npos;
  }
  m = {i, e, year, month, day, DatePrecision::Day};
  return timeOfDay(r, e, m);
}

// The lower-case word that ends just before i, spaces skipped ("version" before "1.2.2024").
std::string wordBefore(const Reader& r, size_t i) {
  size_t e = i;
  while (e > 0 && (r.at(e - 1) == ' ' || r.at(e - 1) == '\t')) --e;
  size_t b = e;
  while (b > 0 && isAlpha(r.at(b - 1)) && e - b < 12) --b;
  std::string w;
  for (size_t k = b; k < e; ++k) w += lower(r.at(k));
  return w;
}

bool startsLine(const Reader& r, size_t i) {
  while (i > 0 && (r.at(i - 1) == ' ' || r.at(i - 1) == '\t')) --i;
  return i == 0 || r.at(i - 1) == '\n';
}

// "2024-03-05", "2024/03/05" (with a time: "2024-03-05T14:30:00Z", "2024-03-05 14:30") at i, the
// year's digits ending at d.
size_t yearFirst(const Reader& r, size_t i, size_t d, int year, DateMention& m) {
  const char sep = r.at(d);
  int month = 0, day = 0;
  const size_t me = r.digits(d + 1, 2, month);
  if (me == npos || r.at(me) != sep) return npos;
  const size_t de = r.digits(me + 1, 2, day);
  if (de == npos || (isAlpha(r.at(de)) && r.at(de) != 'T')) return npos;
  if ((r.at(de) == sep || r.at(de) == '.') && isDigit(r.at(de + 1))) return npos;  // "2024-03-05-2", a version
  if (year < 1000 || !realDay(year, month, day)) return npos;
  m = {i, de, year, month, day, DatePrecision::Day};
  const size_t e = timeOfDay(r, de, m);
  if (e == de && r.at(de) == 'T') return npos;
  return e;
}

// Numeric day and month: "03/05/2024", "3/5/24", "05.03.2024", "05-03-2024" at i, the first part's
// digits (value `a`) ending at d.
size_t numeric(const Reader& r, size_t i, size_t d, int a, const DateScanOptions& options, DateMention& m) {
  const char sep = r.at(d);
  int b = 0, year = 0;
  const size_t be = r.digits(d + 1, 2, b);
  if (be == npos || r.at(be) != sep) return npos;
  const size_t ye = r.digits(be + 1, 4, year);
  if (ye == npos || isAlpha(r.at(ye))) return npos;
  const size_t year_digits = ye - (be + 1);
  if (year_digits == 2 && sep == '/') {
    year += year < 70 ? 2000 : 1900;
  } else if (year_digits != 4 || year < 1900 || year > 2099) {
    return npos;
  }
  // A longer dotted or dashed number ("1.3.5.2024", "03/05/2024/7") is no date.
  if ((r.at(ye) == '.' || r.at(ye) == sep) && isDigit(r.at(ye + 1))) return npos;
  if (sep == '.') {
    const std::string before = wordBefore(r, i);
    for (std::string_view w : {"v", "ver", "version", "release", "rel", "build", "rev", "revision", "section", "clause",
                               "article", "art", "paragraph", "para", "no", "item", "rule", "step"})
      if (before == w) return npos;
    // A numbered line ("3.5.2024 The Supplier shall …") is a clause number, unless written as dates
    // are, with a leading zero ("05.03.2024 Meeting"), or followed by a time ("3.5.2024 at 10:00").
    const bool padded = r.at(i) == '0' || r.at(d + 1) == '0';
    DateMention timed;
    if (!padded && startsLine(r, i) && r.at(ye) == ' ' && isAlpha(r.at(ye + 1)) && timeOfDay(r, ye, timed) == ye)
      return npos;
  }
  int day = 0, month = 0;
  const bool day_first = sep == '.' || options.day_first;
  if (a > 12 && b <= 12) {
    day = a, month = b;
  } else if (b > 12 && a <= 12) {
    month = a, day = b;
  } else if (day_first) {
    day = a, month = b;
  } else {
    month = a, day = b;
  }
  if (!realDay(year, month, day)) return npos;
  m = {i, ye, year, month, day, DatePrecision::Day};
  return timeOfDay(r, ye, m);
}

// A date starting at i (a word's start); its end, or npos (with `skip` set past a date that names no
// real day, where no other date may start).
size_t dateAt(const Reader& r, size_t i, const DateScanOptions& options, DateMention& m, size_t& skip) {
  const char c = r.at(i);
  if (isUpper(c)) return monthFirst(r, i, options, m);
  int first = 0;
  const size_t d = r.digits(i, 4, first);
  if (d == npos) return npos;
  // Part of a longer number: "1.03.05.2024", "12-2024-03-05", "1,2024-03-05".
  if (i >= 2 && (r.at(i - 1) == '.' || r.at(i - 1) == '-' || r.at(i - 1) == '/' || r.at(i - 1) == ',' ||
                 r.at(i - 1) == ':') &&
      isDigit(r.at(i - 2)))
    return npos;
  const char next = r.at(d);
  if (d - i == 4) return next == '-' || next == '/' ? yearFirst(r, i, d, first, m) : npos;
  if (d - i > 2) return npos;
  if ((next == '/' || next == '.' || next == '-') && isDigit(r.at(d + 1))) return numeric(r, i, d, first, options, m);
  return dayFirst(r, i, d, first, options, m, skip);
}

}  // namespace

int daysInMonth(int year, int month) { return ingest::daysInMonth(year, month); }

std::string DateMention::iso() const {
  char buf[16];
  if (precision == DatePrecision::Month)
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string DateMention::time() const {
  if (minute_of_day < 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
  return zone.empty() ? std::string(buf) : std::string(buf) + " " + zone;
}

std::vector<DateMention> findDates(std::string_view text, const DateScanOptions& options) {
  std::vector<DateMention> out;
  const Reader r(text);
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    const bool candidate = (isDigit(c) || isUpper(c)) && (i == 0 || !isAlnum(text[i - 1]));
    if (candidate) {
      DateMention m;
      size_t skip = 0;
      const size_t e = dateAt(r, i, options, m, skip);
      if (e != npos) {
        m.end = e;
        out.push_back(std::move(m));
        i = e;
        continue;
      }
      if (skip > i) {
        i = skip;
        continue;
      }
    }
    // Past the rest of the word: no date starts inside one.
    ++i;
    while (i < text.size() && isAlnum(text[i]) && isAlnum(text[i - 1])) ++i;
  }
  return out;
}

bool parseIsoDate(std::string_view text, int& year, int& month, int& day, bool month_ok) {
  auto number = [&](size_t at, size_t n, int& v) {
    v = 0;
    for (size_t k = at; k < at + n; ++k) {
      if (!isDigit(text[k])) return false;
      v = v * 10 + (text[k] - '0');
    }
    return true;
  };
  day = 0;
  if (text.size() == 7 && month_ok)
    return number(0, 4, year) && text[4] == '-' && number(5, 2, month) && month >= 1 && month <= 12;
  return text.size() == 10 && number(0, 4, year) && text[4] == '-' && number(5, 2, month) && text[7] == '-' &&
         number(8, 2, day) && realDay(year, month, day);
}

}  // namespace folio::app
