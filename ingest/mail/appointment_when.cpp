#include "ingest/mail/appointment_when.h"

#include <cstdio>

#include "ingest/mail/mapi_message.h"

namespace folio::ingest::mail {
namespace {

constexpr uint64_t kTicksPerSecond = 10000000, kTicksPerDay = 86400 * kTicksPerSecond;
const std::string kDash = " \u2013 ";

bool sameDay(const std::tm& a, const std::tm& b) { return a.tm_year == b.tm_year && a.tm_yday == b.tm_yday; }

// "14:00", or the whole "2024-03-06 01:30" where its day is not `day`'s.
std::string timeOn(const std::tm& t, const std::tm& day) { return calendarText(t, true).substr(sameDay(t, day) ? 11 : 0); }

// "start – end" with the end's date only where it is another day.
std::string span(const std::tm& start, const std::optional<std::tm>& end) {
  return calendarText(start, true) + (end ? kDash + timeOn(*end, start) : "");
}

std::string allDay(uint64_t start, std::optional<uint64_t> end) {
  const uint64_t first = nearestMidnight(start);
  const auto s = filetimeUtc(first);
  if (!s) return {};
  std::string out = calendarText(*s, false);
  // The end is the midnight after the last day.
  if (end && nearestMidnight(*end) > first + kTicksPerDay) {
    if (const auto e = filetimeUtc(nearestMidnight(*end) - kTicksPerDay)) out += kDash + calendarText(*e, false);
  }
  return out + " (all day)";
}

// A time moved by a zone's offset; nullopt where it leaves the dates there are.
std::optional<std::tm> shifted(uint64_t filetime, int minutes) {
  const int64_t ticks = static_cast<int64_t>(filetime) + int64_t{minutes} * 60 * static_cast<int64_t>(kTicksPerSecond);
  if (ticks <= 0) return std::nullopt;
  return filetimeUtc(static_cast<uint64_t>(ticks));
}

// "UTC−05:00, Eastern Standard Time"; in daylight saving time Windows' name for it where the key name
// is a standard time's ("Eastern Daylight Time"), else said.
std::string zoneLabel(const MapiTimeZone& zone, ZoneOffset offset) {
  const int m = offset.minutes < 0 ? -offset.minutes : offset.minutes;
  char buf[32];
  std::snprintf(buf, sizeof buf, "UTC%s%02d:%02d", offset.minutes < 0 ? "\u2212" : "+", m / 60, m % 60);
  std::string label = buf, name = zone.name;
  const std::string standard = " Standard Time";
  if (offset.daylight) {
    if (name.size() > standard.size() && name.compare(name.size() - standard.size(), standard.size(), standard) == 0) {
      name.replace(name.size() - standard.size(), standard.size(), " Daylight Time");
    } else {
      name += std::string(name.empty() ? "" : ", ") + "daylight saving time";
    }
  }
  return name.empty() ? label : label + ", " + name;
}

// The local times, their zone and the UTC times; nullopt where a zone does not tell the offset.
std::optional<std::string> zoned(uint64_t start, std::optional<uint64_t> end, const MapiTimeZone& start_zone,
                                 const MapiTimeZone& end_zone) {
  const auto start_offset = zoneOffsetAt(start_zone, start);
  if (!start_offset) return std::nullopt;
  std::optional<ZoneOffset> end_offset;
  if (end && !(end_offset = zoneOffsetAt(end_zone, *end))) return std::nullopt;
  const auto local_start = shifted(start, start_offset->minutes), utc_start = filetimeUtc(start);
  if (!local_start || !utc_start) return std::nullopt;
  std::optional<std::tm> local_end, utc_end;
  if (end) {
    local_end = shifted(*end, end_offset->minutes);
    utc_end = filetimeUtc(*end);
    if (!local_end || !utc_end) return std::nullopt;
  }
  std::string zones = zoneLabel(start_zone, *start_offset);
  // An end in another offset (a transition during the meeting, or another zone) names its own.
  if (end_offset && (end_offset->minutes != start_offset->minutes || end_zone.name != start_zone.name)) {
    zones += " to " + zoneLabel(end_zone, *end_offset);
  }
  std::string utc = timeOn(*utc_start, *local_start);
  if (utc_end) utc += kDash + timeOn(*utc_end, *utc_start);
  return span(*local_start, local_end) + " (" + zones + "; " + utc + " UTC)";
}

}  // namespace

uint64_t nearestMidnight(uint64_t filetime) { return (filetime + kTicksPerDay / 2) / kTicksPerDay * kTicksPerDay; }

std::string calendarText(const std::tm& t, bool with_time) {
  char buf[64];
  if (with_time) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min);
  else std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
  return buf;
}

std::string appointmentWhen(uint64_t start, std::optional<uint64_t> end, bool all_day, const MapiTimeZone* start_zone,
                            const MapiTimeZone* end_zone) {
  if (all_day) return allDay(start, end);
  if (end && *end < start) end.reset();
  if (start_zone && end_zone) {
    if (auto text = zoned(start, end, *start_zone, *end_zone)) return *text;
  }
  const auto s = filetimeUtc(start);
  if (!s) return {};
  std::optional<std::tm> e;
  if (end) e = filetimeUtc(*end);
  return span(*s, e) + " (UTC)";
}

}  // namespace folio::ingest::mail
