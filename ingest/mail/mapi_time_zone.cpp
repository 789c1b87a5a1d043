#include "ingest/mail/mapi_time_zone.h"

#include <algorithm>

#include "ingest/charset.h"
#include "ingest/civil_date.h"
#include "ingest/mail/pst_le.h"

namespace folio::ingest::mail {
namespace {

constexpr int kMaxOffsetMinutes = 14 * 60;  // UTC−12:00 to UTC+14:00 are the zones there are
constexpr size_t kRuleSize = 66, kSystemTimeSize = 16, kTzStructSize = 48;
constexpr uint16_t kFlagGuid = 0x0001, kFlagKeyName = 0x0002;  // TZDEFINITION header flags
constexpr size_t kMaxKeyName = 260, kMaxRules = 1024;

int32_t sle32(std::string_view b, size_t at) { return static_cast<int32_t>(le32(b, at)); }

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The year of a day counted from 1970-01-01.
int64_t yearOfDay(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = floorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  return yoe + era * 400 + (mp >= 10);  // January and February belong to the next March-based year
}

std::optional<ZoneTransition> systemTime(std::string_view b, size_t at) {
  ZoneTransition t{le16(b, at), le16(b, at + 2), le16(b, at + 4), le16(b, at + 6), le16(b, at + 8), le16(b, at + 10), le16(b, at + 12)};
  if (t.month == 0) return t;  // no daylight saving time: the rest is not read
  if (t.month > 12 || t.hour > 23 || t.minute > 59 || t.second > 59 || le16(b, at + 14) > 999) return std::nullopt;
  if (t.year == 0) {  // the week-th day_of_week of the month
    if (t.day_of_week > 6 || t.day < 1 || t.day > 5) return std::nullopt;
  } else if (t.year < 1601 || t.day < 1 || t.day > daysInMonth(t.year, t.month)) {
    return std::nullopt;
  }
  return t;
}

bool offsetOk(int64_t minutes) { return minutes >= -kMaxOffsetMinutes && minutes <= kMaxOffsetMinutes; }

// A rule's biases and transitions from where TZRULE and TZSTRUCT keep them.
std::optional<ZoneRule> rule(std::string_view b, size_t biases, size_t standard, size_t daylight) {
  ZoneRule r;
  r.bias = sle32(b, biases);
  r.standard_bias = sle32(b, biases + 4);
  r.daylight_bias = sle32(b, biases + 8);
  const auto s = systemTime(b, standard), d = systemTime(b, daylight);
  if (!s || !d) return std::nullopt;
  r.standard = *s;
  r.daylight = *d;
  // Both transitions or neither; offsets that a zone can have.
  if ((r.standard.month == 0) != (r.daylight.month == 0)) return std::nullopt;
  if (!offsetOk(-(int64_t{r.bias} + r.standard_bias))) return std::nullopt;
  if (r.daylight.month != 0 && !offsetOk(-(int64_t{r.bias} + r.daylight_bias))) return std::nullopt;
  return r;
}

const ZoneRule& ruleFor(const MapiTimeZone& zone, int64_t year) {
  const ZoneRule* found = &zone.rules.front();
  for (const ZoneRule& r : zone.rules)
    if (r.from_year <= year) found = &r;
  return *found;
}

// The transition's moment in `year` in UTC seconds, its local time read with `bias_minutes`; nullopt
// for a one-off date of another year.
std::optional<int64_t> transitionUtc(const ZoneTransition& t, int64_t year, int64_t bias_minutes) {
  int64_t day = 0;
  if (t.year != 0) {
    if (t.year != year) return std::nullopt;
    day = daysFromCivil(year, t.month, t.day);
  } else {
    const int64_t first = daysFromCivil(year, t.month, 1);
    const int64_t weekday_of_first = ((first + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
    int d = 1 + static_cast<int>((t.day_of_week - weekday_of_first + 7) % 7) + 7 * (t.day - 1);
    if (d > daysInMonth(year, t.month)) d -= 7;  // week 5: the last in the month
    day = first + d - 1;
  }
  return day * 86400 + t.hour * 3600 + t.minute * 60 + t.second + bias_minutes * 60;
}

}  // namespace

std::optional<MapiTimeZone> parseTzDefinition(std::string_view b) {
  if (b.size() < 6 || static_cast<uint8_t>(b[0]) != 2) return std::nullopt;  // major version 2
  const size_t header_end = 4 + size_t{le16(b, 2)};
  const uint16_t flags = le16(b, 4);
  size_t at = 6;
  if (flags & kFlagGuid) at += 16;
  MapiTimeZone zone;
  if (flags & kFlagKeyName) {
    if (at + 2 > b.size()) return std::nullopt;
    const size_t chars = le16(b, at);
    if (chars > kMaxKeyName || at + 2 + 2 * chars > b.size()) return std::nullopt;
    zone.name = utf16leToUtf8(b.substr(at + 2, 2 * chars), true);
    at += 2 + 2 * chars;
  }
  // cbHeader counts the flags, the GUID and key name there are, and cRules.
  if (at + 2 != header_end || header_end > b.size()) return std::nullopt;
  const size_t count = le16(b, at);
  if (count == 0 || count > kMaxRules || b.size() - header_end < count * kRuleSize) return std::nullopt;
  for (size_t i = 0; i < count; ++i) {
    const size_t r = header_end + i * kRuleSize;
    if (static_cast<uint8_t>(b[r]) != 2) return std::nullopt;
    auto parsed = rule(b, r + 22, r + 34, r + 34 + kSystemTimeSize);
    if (!parsed) return std::nullopt;
    parsed->from_year = le16(b, r + 6);
    zone.rules.push_back(*parsed);
  }
  std::stable_sort(zone.rules.begin(), zone.rules.end(), [](const ZoneRule& x, const ZoneRule& y) { return x.from_year < y.from_year; });
  return zone;
}

std::optional<MapiTimeZone> parseTzStruct(std::string_view b) {
  if (b.size() < kTzStructSize) return std::nullopt;
  auto parsed = rule(b, 0, 14, 32);
  if (!parsed) return std::nullopt;
  return MapiTimeZone{"", {*parsed}};
}

std::optional<ZoneOffset> zoneOffsetAt(const MapiTimeZone& zone, uint64_t filetime) {
  constexpr int64_t kUnixEpoch = 11644473600;  // seconds from 1601 to 1970
  const int64_t utc = static_cast<int64_t>(filetime / 10000000) - kUnixEpoch;
  if (zone.rules.empty() || filetime == 0 || utc > 253402300799) return std::nullopt;  // after 9999: no date
  // The rule of the year in the zone's standard time (which the UTC year's rule tells).
  const ZoneRule& first_guess = ruleFor(zone, yearOfDay(floorDiv(utc, 86400)));
  const int64_t standard_bias = int64_t{first_guess.bias} + first_guess.standard_bias;
  const int64_t year = yearOfDay(floorDiv(utc - standard_bias * 60, 86400));
  const ZoneRule& r = ruleFor(zone, year);
  const int64_t standard = int64_t{r.bias} + r.standard_bias, daylight = int64_t{r.bias} + r.daylight_bias;
  if (r.daylight.month == 0) return ZoneOffset{static_cast<int>(-standard), false};
  // Daylight saving time begins at a standard local time and ends at a daylight one.
  const auto begins = transitionUtc(r.daylight, year, standard), ends = transitionUtc(r.standard, year, daylight);
  if (!begins || !ends) return std::nullopt;
  // In the southern hemisphere it spans the new year: it begins after it ends in the same year.
  const bool in_daylight = *begins < *ends ? (utc >= *begins && utc < *ends) : (utc >= *begins || utc < *ends);
  return ZoneOffset{static_cast<int>(-(in_daylight ? daylight : standard)), in_daylight};
}

}  // namespace folio::ingest::mail
