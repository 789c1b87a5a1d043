// The "When:" line of an Outlook appointment: its times in the organizer's zone with the offset, and in
// UTC, as its stored times and time zone definitions (mapi_time_zone.h) give them:
//
//   2024-03-05 09:00 – 10:00 (UTC−05:00, Eastern Standard Time; 14:00 – 15:00 UTC)
//   2024-07-09 09:00 – 10:00 (UTC−04:00, Eastern Daylight Time; 13:00 – 14:00 UTC)
//   2024-03-05 14:00 – 15:00 (UTC)                     (no zone, or one that cannot be read)
//   2024-03-05 – 2024-03-07 (all day)                  (dates, whatever the zone)
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

#include "ingest/mail/mapi_time_zone.h"

namespace folio::ingest::mail {

// `start_zone` and `end_zone` may be null (then in UTC); an end before the start is left out; "" when
// the start is no date.
std::string appointmentWhen(uint64_t start, std::optional<uint64_t> end, bool all_day, const MapiTimeZone* start_zone,
                            const MapiTimeZone* end_zone);

// All-day items and tasks' dates are midnight where they were made, stored in UTC: the nearest midnight
// is their date in any time zone within 12 hours of UTC.
uint64_t nearestMidnight(uint64_t filetime);

// "2024-03-05", or "2024-03-05 14:00" `with_time`.
std::string calendarText(const std::tm& t, bool with_time);

}  // namespace folio::ingest::mail
