// The date scanner (date_mentions.h): the ways documents and e-mail write a full date, with their
// byte spans, precision and time; what looks like a date and is not (versions, clause numbers, a year
// alone, "within 30 days", February 30); numeric dates read month first or day first.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/pipeline/date_mentions.h"

namespace folio::app {
namespace {

// "iso@span" for each date found ("2024-03-05@March 5, 2024"), with " time" when one was read.
std::vector<std::string> found(const std::string& text, bool day_first = false) {
  std::vector<std::string> out;
  for (const auto& m : findDates(text, {day_first})) {
    std::string s = m.iso() + "@" + text.substr(m.begin, m.end - m.begin);
    if (!m.time().empty()) s += " [" + m.time() + "]";
    out.push_back(s);
  }
  return out;
}

struct Case {
  const char* text;
  std::vector<std::string> expected;
};

TEST(DateMentions, FindsTheWaysDatesAreWritten) {
  const std::vector<Case> cases = {
      {"Signed on March 5, 2024 by both.", {"2024-03-05@March 5, 2024"}},
      {"Signed on Mar. 5, 2024.", {"2024-03-05@Mar. 5, 2024"}},
      {"Signed on Mar 5 2024.", {"2024-03-05@Mar 5 2024"}},
      {"Signed on Sept. 30, 2023.", {"2023-09-30@Sept. 30, 2023"}},
      {"Signed on MARCH 5, 2024.", {"2024-03-05@MARCH 5, 2024"}},
      {"on March 5th, 2024", {"2024-03-05@March 5th, 2024"}},
      {"Made 5 March 2024 between", {"2024-03-05@5 March 2024"}},
      {"Made 5 March, 2024 between", {"2024-03-05@5 March, 2024"}},
      {"this 5th day of March, 2024, by", {"2024-03-05@5th day of March, 2024"}},
      {"the 21st of June 2023", {"2023-06-21@21st of June 2023"}},
      {"due 2024-03-05.", {"2024-03-05@2024-03-05"}},
      {"stamp 2024-03-05T14:30:00Z here", {"2024-03-05@2024-03-05T14:30:00Z [14:30 UTC]"}},
      {"at 2024-03-05 09:15 local", {"2024-03-05@2024-03-05 09:15 [09:15]"}},
      {"posted 2024/03/05", {"2024-03-05@2024/03/05"}},
      {"due 03/05/2024.", {"2024-03-05@03/05/2024"}},
      {"due 3/5/24.", {"2024-03-05@3/5/24"}},
      {"due 13/05/2024.", {"2024-05-13@13/05/2024"}},
      {"due 05/13/2024.", {"2024-05-13@05/13/2024"}},
      {"am 05.03.2024 unterzeichnet", {"2024-03-05@05.03.2024"}},
      {"Invoice 5-Mar-2024 paid", {"2024-03-05@5-Mar-2024"}},
      {"Invoice 05-Mar-24 paid", {"2024-03-05@05-Mar-24"}},
      {"Date: Tue, 5 Mar 2024 14:30:00 +0000", {"2024-03-05@5 Mar 2024 14:30:00 +0000 [14:30 +0000]"}},
      {"Sent: Tuesday, March 5, 2024 2:30 PM", {"2024-03-05@March 5, 2024 2:30 PM [14:30]"}},
      {"On Tue, Mar 5, 2024 at 9:05 a.m. Jane wrote:", {"2024-03-05@Mar 5, 2024 at 9:05 a.m. [09:05]"}},
      {"at 12:00 AM on 1 Jan 2024? No: 1 Jan 2024 12:00 AM", {"2024-01-01@1 Jan 2024", "2024-01-01@1 Jan 2024 12:00 AM [00:00]"}},
      {"Mon, 4 Mar 2024 08:00:00 -0500 (EST)", {"2024-03-04@4 Mar 2024 08:00:00 -0500 [08:00 -0500]"}},
      {"March 5 - 7, 2024 conference", {"2024-03-05@March 5 - 7, 2024"}},
      {"Status report March 2024", {"2024-03@March 2024"}},
      {"as of March, 2024", {"2024-03@March, 2024"}},
      {"Q1: Jan 2024 and Feb 2024", {"2024-01@Jan 2024", "2024-02@Feb 2024"}},
      {"leap day February 29, 2024", {"2024-02-29@February 29, 2024"}},
      {"on March\n5, 2024 (a wrapped line)", {"2024-03-05@March\n5, 2024"}},
      {"(May 1, 2024)", {"2024-05-01@May 1, 2024"}},
      {"«1 May 2024»", {"2024-05-01@1 May 2024"}},
  };
  for (const auto& c : cases) EXPECT_EQ(found(c.text), c.expected) << c.text;
}

TEST(DateMentions, LeavesOutWhatIsNoFullDate) {
  const std::vector<const char*> none = {
      "within 30 days of notice",
      "in 2024 the parties",
      "on March 5 the parties met",         // no year
      "February 30, 2024",                  // no such day
      "February 29, 2023",                  // not a leap year
      "31 April 2024",                      // no such day (and no mention of April 2024)
      "the 30th day of February, 2024",     // no such day
      "13/13/2024",                         // no month 13
      "version 1.2.2024 released",          // a version
      "v1.2.2024",                          // a version
      "release 3.5.2024 of the tool",       // a version
      "see 1.3.5.2024 below",               // a longer dotted number
      "3.5.2024 The Supplier shall comply",  // a clause number opening a line
      "order 12-2024-03-05-1",              // a part number
      "call 555-12-2024",                   // a phone number
      "the remark 2024-13-01",              // no month 13
      "march 5, 2024 in lower case",        // "march" lower case is a verb
      "they may 2024 be",                   // "may" lower case
      "Marching 5, 2024",                   // not a month's name
      "Mayor 2024",                         // not a month's name
      "page 5 of 2024",                     // no month
      "2024-03-05-7 is a build",            // a version
      "12.5.2024.1",                        // a version
      "March 52024",                        // the year runs on
      "March 5, 20245",                     // the year runs on
      "1/2/3",                              // no year
      "5/6/123",                            // no year
      "on 31/02/2024",                      // no such day
      "at March 5th, 24",                   // two-digit year after a month's name
  };
  for (const char* text : none) EXPECT_TRUE(found(text).empty()) << text << " → " << found(text)[0];
}

TEST(DateMentions, ReadsAmbiguousNumericDatesAsAsked) {
  EXPECT_EQ(found("due 03/05/2024"), std::vector<std::string>{"2024-03-05@03/05/2024"});
  EXPECT_EQ(found("due 03/05/2024", true), std::vector<std::string>{"2024-05-03@03/05/2024"});
  // Only one way to read these, whatever the option.
  EXPECT_EQ(found("due 13/05/2024", false), std::vector<std::string>{"2024-05-13@13/05/2024"});
  EXPECT_EQ(found("due 05/13/2024", true), std::vector<std::string>{"2024-05-13@05/13/2024"});
  // Dotted dates are day first either way.
  EXPECT_EQ(found("am 05.03.2024", false), std::vector<std::string>{"2024-03-05@05.03.2024"});
  // A dotted date opening a line is a date when written as one (a leading zero).
  EXPECT_EQ(found("05.03.2024 Besprechung"), std::vector<std::string>{"2024-03-05@05.03.2024"});
  // And when a time follows it.
  EXPECT_EQ(found("5.3.2024 at 10:00 a.m. EST"), std::vector<std::string>{"2024-03-05@5.3.2024 at 10:00 a.m. EST [10:00 EST]"});
}

TEST(DateMentions, SpansPrecisionAndTimeAreExact) {
  const std::string text = "Tue, 5 Mar 2024 14:30:00 +0000; report of June 2023.";
  const auto dates = findDates(text);
  ASSERT_EQ(dates.size(), 2u);
  EXPECT_EQ(dates[0].begin, 5u);
  EXPECT_EQ(dates[0].year, 2024);
  EXPECT_EQ(dates[0].month, 3);
  EXPECT_EQ(dates[0].day, 5);
  EXPECT_EQ(dates[0].precision, DatePrecision::Day);
  EXPECT_EQ(dates[0].minute_of_day, 14 * 60 + 30);
  EXPECT_EQ(dates[0].zone, "+0000");
  EXPECT_EQ(dates[1].precision, DatePrecision::Month);
  EXPECT_EQ(dates[1].day, 0);
  EXPECT_EQ(dates[1].minute_of_day, -1);
  EXPECT_EQ(text.substr(dates[1].begin, dates[1].end - dates[1].begin), "June 2023");
}

// With a reference date (a message's), a day and month written without a year are read as the nearest
// such day: the same year, the next year's January from late December, the last year's December from
// early January; February 29 in a leap year only; a following number that is no year reads no date.
TEST(DateMentions, ADayWithoutAYearIsReadNearTheReferenceDate) {
  const auto near = [](const std::string& text, int y, int m, int d) {
    DateScanOptions o;
    o.reference_year = y, o.reference_month = m, o.reference_day = d;
    std::vector<std::string> out;
    for (const auto& mention : findDates(text, o))
      out.push_back(mention.iso() + (mention.year_inferred ? "~" : "") + "@" + text.substr(mention.begin, mention.end - mention.begin));
    return out;
  };
  EXPECT_EQ(near("We sign on Friday, March 8 at the office.", 2024, 3, 5), (std::vector<std::string>{"2024-03-08~@March 8"}));
  EXPECT_EQ(near("the call on 8 March went well", 2024, 3, 5), (std::vector<std::string>{"2024-03-08~@8 March"}));
  EXPECT_EQ(near("Let us close by January 3.", 2024, 12, 20), (std::vector<std::string>{"2025-01-03~@January 3"}));
  EXPECT_EQ(near("as agreed on December 28, the fee", 2025, 1, 10), (std::vector<std::string>{"2024-12-28~@December 28"}));
  EXPECT_EQ(near("due February 29", 2023, 3, 1), (std::vector<std::string>{"2024-02-29~@February 29"}));
  EXPECT_EQ(near("signed March 5, 2023 and sent March 9", 2024, 3, 10),
            (std::vector<std::string>{"2023-03-05@March 5, 2023", "2024-03-09~@March 9"}));
  EXPECT_TRUE(near("March 5 12345", 2024, 3, 1).empty());
  EXPECT_TRUE(near("February 30", 2024, 3, 1).empty());
  EXPECT_TRUE(found("on March 8 we sign").empty());  // no reference: no date
}

TEST(DateMentions, ParsesIsoDatesStrictly) {
  int y = 0, m = 0, d = 0;
  EXPECT_TRUE(parseIsoDate("2024-02-29", y, m, d));
  EXPECT_EQ(y * 10000 + m * 100 + d, 20240229);
  EXPECT_FALSE(parseIsoDate("2023-02-29", y, m, d));
  EXPECT_FALSE(parseIsoDate("2024-3-5", y, m, d));
  EXPECT_FALSE(parseIsoDate("2024-03", y, m, d));
  EXPECT_TRUE(parseIsoDate("2024-03", y, m, d, true));
  EXPECT_EQ(d, 0);
  EXPECT_FALSE(parseIsoDate("2024-03-05x", y, m, d));
  EXPECT_EQ(daysInMonth(1900, 2), 28);
  EXPECT_EQ(daysInMonth(2000, 2), 29);
}

// No timing assertion (benchmarks print tables): a large text is scanned whole and its dates counted,
// so a scanner that stopped early or went quadratic would show here as a wrong count or a hang.
TEST(DateMentions, ScansALargeTextWhole) {
  const std::string line = "Payment of 1,250.00 within 30 days, version 1.2.3, paid on March 5, 2024 per clause 4.2.\n";
  std::string text;
  for (int i = 0; i < 100000; ++i) text += line;
  EXPECT_EQ(findDates(text).size(), 100000u);
}

}  // namespace
}  // namespace folio::app
