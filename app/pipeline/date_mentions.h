// Full dates written in text, for a chronology (timeline.h): "March 5, 2024", "Mar. 5, 2024", "5 March
// 2024", "the 5th day of March, 2024", "2024-03-05", "03/05/2024", "05.03.2024", an e-mail header's
// "Tue, 5 Mar 2024 14:30:00 +0000" (with its time), and "March 2024" (a month). Not dates: a year
// alone, "within 30 days", "March 5" without a year (unless a reference date is given: a message's),
// an impossible day (February 30), a version or clause number ("v1.2.2024", "1.3.5.2024", a numbered
// line "3.5.2024 The Supplier …").
// One pass over the bytes, no regular expressions: it reads 100 MB in well under a second.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace folio::app {

enum class DatePrecision { Day, Month };

struct DateMention {
  size_t begin = 0, end = 0;  // byte span in the text scanned, time of day included
  int year = 0, month = 0, day = 0;  // day 0 for DatePrecision::Month
  DatePrecision precision = DatePrecision::Day;
  bool year_inferred = false;  // written without a year, read in DateScanOptions' reference year
  int minute_of_day = -1;    // 0..1439 when a time follows the date ("14:30", "2:30 PM"), else -1
  std::string zone;          // the time's zone as written ("+0000", "UTC", "EST"); "" when none

  // "2024-03-05" or "2024-03".
  std::string iso() const;
  // "14:30" (with " " + zone when given), or "" without a time.
  std::string time() const;
};

struct DateScanOptions {
  // A numeric date whose first two parts could both be the month ("03/05/2024") is read month first
  // (March 5, as in the US) unless this is set (3 May). Unambiguous ones ("13/05/2024", "05/13/2024")
  // read the only way they can. Dotted dates ("05.03.2024") are read day first either way: that is how
  // the countries that write them read them.
  bool day_first = false;
  // A day and month written without a year ("March 5", "Friday, 8 March") are read as the nearest such
  // day to this date (an e-mail's "we sign on March 8" in a message sent 2024-03-05: 2024-03-08; "January
  // 3" in one sent in late December: the next year's). 0: such dates are not read.
  int reference_year = 0, reference_month = 0, reference_day = 0;
};

// The dates in `text`, in text order, not overlapping.
std::vector<DateMention> findDates(std::string_view text, const DateScanOptions& options = {});

// Days in `month` (1..12) of `year` (Gregorian leap years).
int daysInMonth(int year, int month);

// "2024-03-05" (or "2024-03" with `month_ok`) as (year, month, day), day 0 for a month; false when the
// text is not such a date or names no real day.
bool parseIsoDate(std::string_view text, int& year, int& month, int& day, bool month_ok = false);

}  // namespace folio::app
