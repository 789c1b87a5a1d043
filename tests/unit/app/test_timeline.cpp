// The timeline (timeline.h) over a small library ingested here: a mailbox of a two-message thread, one
// of its messages again as an .eml in another folder, a Word contract and notes with numbers that are
// no dates. Each message is one event at its time; a sentence quoted in a reply and copied in the .eml
// is one event with its places; events come in date order; from/to and words filter; progress and
// cancel work as for other long pipeline work.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "app/pipeline/timeline.h"
#include "app/pipeline/timeline_format.h"
#include "support/docx_writer.h"
#include "unit/app/notes_library.h"

namespace folio::app {
namespace {

constexpr const char* kFirst =
    "From: Jane Roe <jane@acme.example>\n"
    "To: Bob Poe <bob@beta.example>\n"
    "Subject: Draft SPA\n"
    "Date: Tue, 5 Mar 2024 14:30:00 +0000\n"
    "\n"
    "Bob,\n\nThe closing is set for April 15, 2024. Please review the draft.\n\nJane\n";

constexpr const char* kReply =
    "From: Bob Poe <bob@beta.example>\n"
    "To: Jane Roe <jane@acme.example>\n"
    "Subject: Re: Draft SPA\n"
    "Date: Wed, 6 Mar 2024 09:00:00 +0000\n"
    "\n"
    "Agreed; version 1.2.2024 of the model is fine.\n\n"
    "> The closing is set for April 15, 2024. Please review the draft.\n";

std::string contract() {
  folio::test::DocxParts parts;
  parts.body = folio::test::wordParagraph("SHARE PURCHASE AGREEMENT") +
               folio::test::wordParagraph("This Agreement is made on the 1st day of February, 2024 between Acme and Beta.") +
               folio::test::wordParagraph("1. Term") +
               folio::test::wordParagraph("1.1 This Agreement ends on January 31, 2026 unless renewed.");
  return folio::test::docxBytes(parts);
}

class TimelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(notes_.open());
    const std::string mbox = std::string("From jane@acme.example Tue Mar  5 14:30:00 2024\n") + kFirst +
                             "\nFrom bob@beta.example Wed Mar  6 09:00:00 2024\n" + kReply;
    ASSERT_TRUE(notes_.ingest("mail", {{"thread.mbox", mbox}}, "case"));
    ASSERT_TRUE(notes_.ingest("copies", {{"draft.eml", kFirst}}, "case"));
    ASSERT_TRUE(notes_.ingest("contracts", {{"spa.docx", contract()}}, "case"));
    ASSERT_TRUE(notes_.ingest("notes", {{"numbers.txt", "Pay within 30 days. Clause 3.5.2024 applies. Build 2024.\n"}},
                              "case"));
  }

  Timeline build(TimelineOptions opt = {}) {
    opt.collection = "case";
    auto t = buildTimeline(*notes_.lib, opt);
    EXPECT_TRUE(t) << (t ? "" : t.error().message);
    return t ? *t : Timeline{};
  }

  static std::vector<std::string> dates(const Timeline& t) {
    std::vector<std::string> out;
    for (const auto& e : t.events) out.push_back(e.date + (e.time.empty() ? "" : " " + e.time));
    return out;
  }

  test::NotesLibrary notes_;
};

TEST_F(TimelineTest, OneEventPerDateAndMessageInDateOrder) {
  const Timeline t = build();
  EXPECT_EQ(t.documents, 4);
  EXPECT_EQ(dates(t), (std::vector<std::string>{"2024-02-01", "2024-03-05 14:30 +0000", "2024-03-06 09:00 +0000",
                                                "2024-04-15", "2026-01-31"}));
  const TimelineEvent& signing = t.events[0];
  EXPECT_FALSE(signing.message);
  EXPECT_EQ(signing.text, "This Agreement is made on the 1st day of February, 2024 between Acme and Beta.");
  EXPECT_EQ(signing.places[0].path, "spa.docx");
  EXPECT_EQ(t.events[4].places[0].path, "spa.docx");

  const TimelineEvent& draft = t.events[1];
  EXPECT_TRUE(draft.message);
  EXPECT_EQ(draft.text, "Draft SPA");
  EXPECT_EQ(draft.from, "Jane Roe <jane@acme.example>");
  // The message in the mailbox and its copy as an .eml.
  EXPECT_EQ(draft.occurrences, 2);
  ASSERT_EQ(draft.places.size(), 2u);
  EXPECT_EQ(draft.places[0].path, "draft.eml");
  EXPECT_EQ(draft.places[0].line_first, 4);  // its Date line
  EXPECT_EQ(draft.places[1].path, "thread.mbox");
  EXPECT_EQ(draft.places[1].heading, "Message 1 of 2: Draft SPA");

  const TimelineEvent& reply = t.events[2];
  EXPECT_TRUE(reply.message);
  EXPECT_EQ(reply.text, "Re: Draft SPA");
  EXPECT_EQ(reply.occurrences, 1);

  // Said in the first message, quoted in the reply, copied in the .eml: one event, three places.
  const TimelineEvent& closing = t.events[3];
  EXPECT_FALSE(closing.message);
  EXPECT_EQ(closing.text, "The closing is set for April 15, 2024.");
  EXPECT_EQ(closing.occurrences, 3);
  ASSERT_EQ(closing.places.size(), 3u);
  EXPECT_EQ(closing.places[0].line_first, 8);
}

TEST_F(TimelineTest, FiltersByDatesAndWords) {
  TimelineOptions range;
  range.from = "2024-03-06";
  range.to = "2024-12-31";
  EXPECT_EQ(dates(build(range)), (std::vector<std::string>{"2024-03-06 09:00 +0000", "2024-04-15"}));

  TimelineOptions words;
  words.words = "closing";
  const Timeline closing = build(words);
  ASSERT_EQ(closing.events.size(), 1u);
  EXPECT_EQ(closing.events[0].date, "2024-04-15");

  // A message's subject and sender count; "Re:" is part of the reply's subject only.
  TimelineOptions sender;
  sender.words = "Bob Poe";
  const Timeline from_bob = build(sender);
  ASSERT_EQ(from_bob.events.size(), 1u);
  EXPECT_EQ(from_bob.events[0].text, "Re: Draft SPA");

  TimelineOptions bad;
  bad.from = "2024-02-30";
  auto t = buildTimeline(*notes_.lib, bad);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::BadInput);
}

TEST_F(TimelineTest, MonthEventsComeBeforeTheirDaysAndMeetARange) {
  ASSERT_TRUE(notes_.ingest("reports", {{"status.txt", "Status report for April 2024.\n\nShipped on April 2, 2024.\n"}},
                            "reports"));
  TimelineOptions opt;
  opt.collection = "reports";
  opt.from = "2024-04-10";
  auto t = buildTimeline(*notes_.lib, opt);
  ASSERT_TRUE(t);
  ASSERT_EQ(t->events.size(), 1u);  // April 2024 meets the range; April 2 does not
  EXPECT_EQ(t->events[0].date, "2024-04");
  EXPECT_EQ(t->events[0].precision, DatePrecision::Month);
  opt.from.reset();
  t = buildTimeline(*notes_.lib, opt);
  ASSERT_TRUE(t);
  EXPECT_EQ(dates(*t), (std::vector<std::string>{"2024-04", "2024-04-02"}));
}

TEST_F(TimelineTest, DayFirstReadsAmbiguousDates) {
  ASSERT_TRUE(notes_.ingest("uk", {{"minutes.txt", "The board met on 03/05/2024 and again on 25/05/2024.\n"}}, "uk"));
  TimelineOptions opt;
  opt.collection = "uk";
  auto us = buildTimeline(*notes_.lib, opt);
  ASSERT_TRUE(us);
  EXPECT_EQ(dates(*us), (std::vector<std::string>{"2024-03-05", "2024-05-25"}));
  opt.day_first = true;
  auto uk = buildTimeline(*notes_.lib, opt);
  ASSERT_TRUE(uk);
  EXPECT_EQ(dates(*uk), (std::vector<std::string>{"2024-05-03", "2024-05-25"}));
}

TEST_F(TimelineTest, ReportsProgressAndStopsWhenCancelled) {
  std::vector<std::pair<int64_t, int64_t>> reports;
  TimelineOptions opt;
  opt.collection = "case";
  auto t = buildTimeline(*notes_.lib, opt, [&](int64_t done, int64_t total) { reports.push_back({done, total}); });
  ASSERT_TRUE(t);
  EXPECT_EQ(reports, (std::vector<std::pair<int64_t, int64_t>>{{1, 4}, {2, 4}, {3, 4}, {4, 4}}));

  std::atomic<bool> cancel{true};
  auto none = buildTimeline(*notes_.lib, opt, {}, &cancel);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->stopped);
  EXPECT_EQ(none->documents, 0);
  EXPECT_EQ(none->documents_in_scope, 4);
  EXPECT_TRUE(none->events.empty());
  // Stopped after the second document: the events found in the first two, sorted, and said so.
  cancel = false;
  auto half = buildTimeline(*notes_.lib, opt, [&](int64_t done, int64_t) { cancel = done >= 2; }, &cancel);
  ASSERT_TRUE(half) << half.error().message;
  EXPECT_TRUE(half->stopped);
  EXPECT_EQ(half->documents, 2);
  EXPECT_LT(half->events.size(), t->events.size());
  EXPECT_TRUE(std::is_sorted(half->events.begin(), half->events.end(),
                             [](const TimelineEvent& a, const TimelineEvent& b) { return a.date < b.date; }));
  EXPECT_NE(timelineSummary(opt, *half, half->events.size()).find("; stopped after reading 2 of 4"), std::string::npos);

  opt.collection = "no such collection";
  auto missing = buildTimeline(*notes_.lib, opt);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::NotFound);
}

TEST(TimelineChunk, LongSentencesAreShortenedAroundTheirDate) {
  std::string sentence;
  for (int i = 0; i < 60; ++i) sentence += "word" + std::to_string(i) + " ";
  sentence += "on March 5, 2024 the parties";
  for (int i = 0; i < 60; ++i) sentence += " tail" + std::to_string(i);
  sentence += ".";
  const auto events = chunkEvents(sentence, {}, {});
  ASSERT_EQ(events.size(), 1u);
  const std::string& text = events[0].text;
  EXPECT_LE(text.size(), kTimelineSentenceBytes + 8);
  EXPECT_NE(text.find("March 5, 2024"), std::string::npos);
  EXPECT_EQ(text.substr(0, 4), "… ");
  EXPECT_EQ(text.substr(text.size() - 4), " …");
  // Cut at words: no word is cut in half at either end.
  EXPECT_EQ(text.substr(4, 4), "word");
  const size_t last_space = text.rfind(' ', text.size() - 5);
  EXPECT_EQ(text.substr(last_space + 1, 4), "tail");
}

// The message quoted under "-----Original Message-----" is the message itself where it is in the library.
TEST_F(TimelineTest, AMessageQuotedByOutlookIsTheSameEvent) {
  ASSERT_TRUE(notes_.ingest("forwarded",
                            {{"fwd.txt", "Bob, see below.\n\n-----Original Message-----\nFrom: Jane Roe\n"
                                         "Sent: Tuesday, March 5, 2024 2:30 PM\nTo: Bob Poe\nSubject: Draft SPA\n\n"
                                         "Bob,\n\nThe closing is set for April 15, 2024.\n"}},
                            "case"));
  const Timeline t = build();
  ASSERT_EQ(t.events.size(), 5u);
  EXPECT_EQ(t.events[1].text, "Draft SPA");
  EXPECT_EQ(t.events[1].occurrences, 3);  // the mailbox, the .eml, the reply quoting it
  EXPECT_EQ(t.events[3].occurrences, 4);  // the closing date, there too
}

// In a message a day written without a year is read in the message's year (and said to be); outside a
// message it is no event.
TEST(TimelineChunk, AMessagesDayWithoutAYearIsInItsYear) {
  const std::string message =
      "Subject: Closing\nFrom: Jane Roe <jane@acme.example>\nDate: Thu, 19 Dec 2024 09:00:00 +0000\n\n"
      "Bob,\n\nWe sign on Friday, January 3 at the office.\n";
  const auto events = chunkEvents(message, {}, {});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].message);
  EXPECT_FALSE(events[0].year_inferred);
  EXPECT_EQ(events[1].date, "2025-01-03");  // the next January: nearest to the message
  EXPECT_TRUE(events[1].year_inferred);
  EXPECT_NE(events[1].text.find("January 3"), std::string::npos);
  EXPECT_TRUE(chunkEvents("We sign on Friday, January 3 at the office.", {}, {}).empty());
}

TEST(TimelineChunk, QuotedOutlookHeadersAreAMessage) {
  const std::string text =
      "Thanks, see below.\n\n-----Original Message-----\nFrom: Jane Roe\nSent: Tuesday, March 5, 2024 2:30 PM\n"
      "To: Bob Poe\nSubject: Draft SPA\n\nThe closing is set for April 15, 2024.\n";
  const auto events = chunkEvents(text, {}, {});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].message);
  EXPECT_EQ(events[0].date, "2024-03-05");
  EXPECT_EQ(events[0].time, "14:30");
  EXPECT_EQ(events[0].text, "Draft SPA");
  EXPECT_EQ(events[0].from, "Jane Roe");
  EXPECT_FALSE(events[1].message);
  EXPECT_EQ(events[1].date, "2024-04-15");
}

// Chunks overlap: a message's second chunk may open with the end of its header block.
TEST(TimelineChunk, AHeaderBlockCutByTheChunkerIsNoEvent) {
  const auto events = chunkEvents("Date: Tue, 5 Mar 2024 14:30:00 +0000\n\nThe closing is set for April 15, 2024.\n", {}, {});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].date, "2024-04-15");
  // Not at a chunk's start, a lone Date line is text like any other.
  const auto memo = chunkEvents("Minutes\nDate: March 4, 2024\n", {}, {});
  ASSERT_EQ(memo.size(), 1u);
  EXPECT_FALSE(memo[0].message);
  EXPECT_EQ(memo[0].date, "2024-03-04");
}

// A spreadsheet's rows ("cell | cell") are events of their own, not run together.
TEST(TimelineChunk, TableRowsAreUnitsOfTheirOwn) {
  TimelinePlace place;
  place.page_first = place.page_last = 1;
  place.line_first = 1;
  place.line_last = 4;
  const auto events = chunkEvents(
      "## Sheet: Damages\nItem | Amount | Date\nLost profits | 125000.5 | 2024-03-01\nInterest | 0.3 | 2024-03-05 14:30\n",
      place, {});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].text, "Lost profits, 125000.5, 2024-03-01");
  EXPECT_EQ(events[0].places[0].line_first, 3);
  EXPECT_EQ(events[1].text, "Interest, 0.3, 2024-03-05 14:30");
  EXPECT_EQ(events[1].time, "14:30");
  EXPECT_EQ(events[1].places[0].line_first, 4);
}

TEST(TimelineChunk, QuotedRepliesReadAsTheTextTheyQuote) {
  const std::string text =
      "Agreed.\n\nOn Tue, Mar 5, 2024 at 2:30 PM, Jane Roe <jane@acme.example>\nwrote:\n> Bob,\n>\n"
      "> > The closing is set for\n> > April 15, 2024. Please review.\n";
  TimelinePlace place;
  place.page_first = place.page_last = 1;
  place.line_first = 1;
  place.line_last = 8;
  const auto events = chunkEvents(text, place, {});
  ASSERT_EQ(events.size(), 1u);  // the attribution line dates the quoted message, not an event
  EXPECT_EQ(events[0].date, "2024-04-15");
  EXPECT_EQ(events[0].text, "The closing is set for April 15, 2024.");
  EXPECT_EQ(events[0].places[0].line_first, 8);
}

}  // namespace
}  // namespace folio::app
