// An Outlook appointment's time zone, so that its times read as the organizer saw them: a New York
// call at 09:00 is stored as 14:00 UTC. Outlook keeps the zone as a TZDEFINITION
// (PidLidAppointmentTimeZoneDefinitionStartDisplay/EndDisplay, [MS-OXOCAL] 2.2.1.42–43, laid out in
// 2.2.1.41: a header with the zone's registry key name and TZRULEs, each from a year on) and, in older
// items, a TZSTRUCT (PidLidTimeZoneStruct, 2.2.1.39: one rule). A rule is Windows' TIME_ZONE_INFORMATION:
// UTC = local + bias (+ the standard or daylight bias, minutes), daylight saving time starting and
// ending at a month's n-th weekday ("5th" meaning last) at a local hour.
//
// Everything is checked — sizes, counts, versions, months, weekdays, hours, offsets within ±14 h — and
// a definition that fails any check is no zone at all: the times are then shown in UTC, never wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace folio::ingest::mail {

// A transition as a SYSTEMTIME: year 0 for "the day_of_week's week-th in month" (week 5: the last),
// else that one date of that year. month 0: the zone keeps no daylight saving time.
struct ZoneTransition {
  int year = 0, month = 0, day_of_week = 0, day = 0, hour = 0, minute = 0, second = 0;
};

struct ZoneRule {
  int from_year = 0;  // the first year it applies to (0: all)
  int bias = 0, standard_bias = 0, daylight_bias = 0;  // minutes; UTC = local + bias + standard/daylight bias
  ZoneTransition standard, daylight;  // when standard time and daylight saving time begin
};

struct MapiTimeZone {
  std::string name;  // the key name, "Eastern Standard Time"; "" from a TZSTRUCT
  std::vector<ZoneRule> rules;  // by from_year, ascending; at least one
};

std::optional<MapiTimeZone> parseTzDefinition(std::string_view bytes);
std::optional<MapiTimeZone> parseTzStruct(std::string_view bytes);

// Local time = UTC + minutes.
struct ZoneOffset {
  int minutes = 0;
  bool daylight = false;
};

// The zone's offset at a FILETIME, by the rule for its year (the first rule before the first year);
// nullopt when that cannot be told (a rule's one-off date of another year, a time that is no date).
std::optional<ZoneOffset> zoneOffsetAt(const MapiTimeZone& zone, uint64_t filetime);

}  // namespace folio::ingest::mail
