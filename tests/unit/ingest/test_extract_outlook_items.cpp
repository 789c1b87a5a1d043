// Outlook items that are not mail — appointments and meetings, contacts, tasks, sticky notes — in PST
// stores (tests/support/pst_writer) and .msg files (msg_writer): their fields from named properties
// through the name-to-id map (readpst and pffexport read the same fields from the writer's stores:
// tools/pst/compare_pst.py), and items read without those fields when the map is missing or damaged.
#include <gtest/gtest.h>

#include <string>

#include "ingest/extract.h"
#include "ingest/mail/mapi_named_props.h"
#include "ingest/source_kind.h"
#include "support/msg_writer.h"
#include "support/pst_writer.h"

using namespace folio::ingest;
using namespace folio::ingest::mail;
namespace test = folio::test;
using test::fileTime;

namespace {

const std::string kAppointmentSet = "00062002-0000-0000-C000-000000000046", kTaskSet = "00062003-0000-0000-C000-000000000046",
                  kAddressSet = "00062004-0000-0000-C000-000000000046", kCommonSet = "00062008-0000-0000-C000-000000000046";

test::PstMessageSpec item(const std::string& message_class, const std::string& subject) {
  test::PstMessageSpec m;
  m.message_class = message_class;
  m.subject = subject;
  m.delivery_time = fileTime(2024, 2, 20, 9, 0);
  return m;
}

test::PstMessageSpec meeting() {
  test::PstMessageSpec m = item("IPM.Appointment", "Meeting with Acme");
  m.from_name = "Jane Roe";
  m.from_address = "jane@acme.example";
  m.recipients = {{"Legal Team", "legal@example.com", 1}};
  m.body = "Agenda: indemnities.";
  m.props = {test::pstTime(kAppointmentSet, 0x820D, fileTime(2024, 3, 5, 14, 0)),
             test::pstTime(kAppointmentSet, 0x820E, fileTime(2024, 3, 5, 15, 0)),
             test::pstText(kAppointmentSet, 0x8208, "Acme HQ, Room 4.01"),
             test::pstText(kAppointmentSet, 0x8232, "every Tuesday from 2:00 PM to 3:00 PM"),
             test::pstText(kAppointmentSet, 0x8234, "(UTC) Coordinated Universal Time")};
  return m;
}

test::PstMessageSpec contact() {
  test::PstMessageSpec m = item("IPM.Contact", "Jane Roe");
  m.props = {test::pstText("", 0x3001, "Jane Roe"),
             test::pstText("", 0x3A16, "Acme Corp"),
             test::pstText("", 0x3A17, "General Counsel"),
             test::pstText("", 0x3A08, "+1 555 0100"),
             test::pstText("", 0x3A1C, "+1 555 0199"),
             test::pstText("", 0x3A09, "+1 555 0111"),
             test::pstText(kAddressSet, 0x8080, "Jane Roe (jane@acme.example)"),
             test::pstText(kAddressSet, 0x8083, "jane@acme.example"),
             test::pstText(kAddressSet, 0x8093, "jane.roe@home.example"),
             test::pstText(kAddressSet, 0x80A0, "Jane (Exchange)"),
             test::pstText(kAddressSet, 0x80A3, "/O=ACME/OU=EXCHANGE/CN=RECIPIENTS/CN=JROE"),
             test::pstText(kAddressSet, 0x801B, "1 Main Street\r\nSpringfield, IL 62701"),
             test::pstText("", 0x3A5D, "5 Elm Road"),
             test::pstText("", 0x3A59, "Shelbyville")};
  return m;
}

test::PstMessageSpec task() {
  test::PstMessageSpec m = item("IPM.Task", "File the 10-K");
  m.body = "Check the risk factors.";
  m.props = {test::pstTime(kTaskSet, 0x8104, fileTime(2024, 3, 1, 0, 0)),
             test::pstTime(kTaskSet, 0x8105, fileTime(2024, 3, 8, 0, 0)), test::pstInt(kTaskSet, 0x8101, 1),
             test::pstDouble(kTaskSet, 0x8102, 0.25), test::pstText(kTaskSet, 0x811F, "Ann Archer")};
  return m;
}

std::string readStore(const std::vector<test::PstFolderSpec>& folders, const test::PstWriterOptions& options = {}) {
  auto r = extractBytes(test::makePst(folders, options), SourceType{SourceKind::Email, "pst"}, "store.pst");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r->text : "";
}

std::string readMsg(const test::MsgObject& m, const test::NameIdStreams& map) {
  auto r = extractBytes(test::msgBytes(m, map), SourceType{SourceKind::Email, ""}, "item.msg");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r->text : "";
}

// `part` stands in `text` (shown when it does not).
void expectIn(const std::string& text, const std::string& part) { EXPECT_NE(text.find(part), std::string::npos) << text; }

}  // namespace

TEST(NamedProperties, NumberedPropertiesOfTheKnownSetsAreMapped) {
  auto streams = test::nameIdStreams({{kAppointmentSet, 0x820D, 0x8003},
                                             {"11111111-2222-3333-4444-555555555555", 0x820D, 0x8004},
                                             {kAddressSet, 0x8083, 0x8010},
                                             {kCommonSet, 0x8516, 0x8001},
                                             {kTaskSet, 0x8105, 0x8123}});
  // A name kept as a string (kind 1) and a property of PS_MAPI (GUID index 1) are not among them.
  streams.entries += std::string("\x00\x00\x00\x00\x07\x00\x05\x00", 8) + std::string("\x08\x82\x00\x00\x02\x00\x06\x00", 8);
  auto map = NamedProperties::parse(streams.guids, streams.entries, "store.pst");
  ASSERT_TRUE(map.ok()) << map.error().message;
  EXPECT_EQ(map->id(PropertySet::Appointment, 0x820D), 0x8003);
  EXPECT_EQ(map->id(PropertySet::Address, 0x8083), 0x8010);
  EXPECT_EQ(map->id(PropertySet::Common, 0x8516), 0x8001);
  EXPECT_EQ(map->id(PropertySet::Task, 0x8105), 0x8123);
  EXPECT_FALSE(map->id(PropertySet::Appointment, 0x8208));
  EXPECT_FALSE(map->id(PropertySet::Appointment, 0x0000));
  // The set's GUID as the reader knows it is the one the writer writes from its text.
  EXPECT_EQ(propertySetGuid(PropertySet::Appointment), test::guidBytes(kAppointmentSet));
  EXPECT_EQ(propertySetGuid(PropertySet::Common), test::guidBytes(kCommonSet));
}

TEST(NamedProperties, AMapWhoseStreamsDoNotAddUpFailsWithTheReason) {
  const auto fails = [](const std::string& guids, const std::string& entries, const std::string& reason) {
    auto map = NamedProperties::parse(guids, entries, "store.pst");
    ASSERT_FALSE(map.ok()) << reason;
    EXPECT_EQ(map.error().message, "store.pst: damaged name-to-id map (" + reason + ")");
  };
  const std::string guid = test::guidBytes(kAppointmentSet);
  fails(guid + "x", "", "GUID stream of 17 bytes");
  fails(guid, std::string(12, '\0'), "entry stream of 12 bytes");
  fails(guid, std::string("\x0D\x82\x00\x00\x08\x00\x00\x00", 8), "GUID index 4 of 1");
  fails(guid, std::string("\x0D\x82\x00\x00\x06\x00\xFF\x7F", 8), "property index 32767");
  EXPECT_TRUE(NamedProperties::parse("", "", "store.pst").ok());
}

TEST(OutlookItems, AnAppointmentShowsWhenWhereAndHowItRecurs) {
  test::PstMessageSpec all_day = item("IPM.Appointment", "Closing");
  // Midnight to midnight in Paris (UTC+1), stored in UTC: the days are still 5 to 6 March.
  all_day.props = {test::pstTime(kAppointmentSet, 0x820D, fileTime(2024, 3, 4, 23, 0)),
                   test::pstTime(kAppointmentSet, 0x820E, fileTime(2024, 3, 6, 23, 0)),
                   test::pstBool(kAppointmentSet, 0x8215, true)};
  test::PstMessageSpec one_day = all_day;
  one_day.subject = "Holiday";
  one_day.props[1] = test::pstTime(kAppointmentSet, 0x820E, fileTime(2024, 3, 5, 23, 0));
  test::PstMessageSpec overnight = item("IPM.Schedule.Meeting.Request", "Filing night");
  overnight.props = {test::pstTime(kCommonSet, 0x8516, fileTime(2024, 3, 5, 22, 0)),
                     test::pstTime(kCommonSet, 0x8517, fileTime(2024, 3, 6, 1, 30))};
  const std::string text = readStore({{"Calendar", {meeting(), all_day, one_day, overnight}, {}}});
  expectIn(text, "Subject: Meeting with Acme\nFrom: Jane Roe <jane@acme.example>\nTo: Legal Team <legal@example.com>\n"
                      "Date: Tue, 20 Feb 2024 09:00:00 +0000\nWhen: 2024-03-05 14:00 \u2013 15:00 (UTC)\n"
                      "Where: Acme HQ, Room 4.01\nRecurs: every Tuesday from 2:00 PM to 3:00 PM\nTime zone: (UTC) Coordinated Universal Time\n\n"
                       "Agenda: indemnities.\n");
  expectIn(text, "Subject: Closing\nDate: Tue, 20 Feb 2024 09:00:00 +0000\nWhen: 2024-03-05 \u2013 2024-03-06 (all day)\n\n");
  expectIn(text, "Subject: Holiday\nDate: Tue, 20 Feb 2024 09:00:00 +0000\nWhen: 2024-03-05 (all day)\n\n");
  expectIn(text, "When: 2024-03-05 22:00 \u2013 2024-03-06 01:30 (UTC)\n");
}

TEST(OutlookItems, AContactShowsItsNameCompanyAddressesAndPhones) {
  const std::string text = readStore({{"Contacts", {contact()}, {}}});
  // The Exchange address of the third slot is not shown: its display name is.
  expectIn(text, "Subject: Jane Roe\nDate: Tue, 20 Feb 2024 09:00:00 +0000\nName: Jane Roe\nCompany: Acme Corp\n"
                      "Job title: General Counsel\nE-mail: Jane Roe <jane@acme.example>\nE-mail 2: jane.roe@home.example\n"
                      "E-mail 3: Jane (Exchange)\nBusiness phone: +1 555 0100\nMobile phone: +1 555 0199\nHome phone: +1 555 0111\n"
                      "Work address: 1 Main Street, Springfield, IL 62701\nHome address: 5 Elm Road, Shelbyville\n\n");
}

TEST(OutlookItems, ATaskShowsItsDatesStatusAndOwnerAndANoteItsText) {
  test::PstMessageSpec note = item("IPM.StickyNote", "Call Jane");
  note.body = "Call Jane\r\nShe has the signed copy.";
  const std::string text = readStore({{"Tasks", {task(), note}, {}}});
  expectIn(text, "Subject: File the 10-K\nDate: Tue, 20 Feb 2024 09:00:00 +0000\nStart: 2024-03-01\nDue: 2024-03-08\n"
                      "Status: In progress, 25% complete\nOwner: Ann Archer\n\nCheck the risk factors.\n");
  expectIn(text, "Subject: Call Jane\nDate: Tue, 20 Feb 2024 09:00:00 +0000\n\nCall Jane\nShe has the signed copy.\n");
}

TEST(OutlookItems, AMailMessageWithNamedPropertiesReadsAsBefore) {
  test::PstMessageSpec mail = meeting();
  mail.message_class = "IPM.Note";
  const std::string text = readStore({{"Inbox", {mail}, {}}});
  expectIn(text, "Date: Tue, 20 Feb 2024 09:00:00 +0000\n\nAgenda: indemnities.\n");
  EXPECT_EQ(text.find("When:"), std::string::npos) << text;
}

TEST(OutlookItems, AChangedOccurrenceAttachedToItsSeriesHasItsOwnTime) {
  test::PstMessageSpec series = meeting();
  auto moved = std::make_shared<test::PstMessageSpec>(item("IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}", "Meeting with Acme"));
  moved->props = {test::pstTime(kAppointmentSet, 0x820D, fileTime(2024, 3, 12, 16, 0)),
                  test::pstTime(kAppointmentSet, 0x820E, fileTime(2024, 3, 12, 17, 0))};
  series.attachments.push_back({"", "", "", moved});
  const std::string text = readStore({{"Calendar", {series}, {}}});
  expectIn(text, "---------- Attached message ----------\nSubject: Meeting with Acme\nDate: Tue, 20 Feb 2024 09:00:00 +0000\n"
                      "When: 2024-03-12 16:00 \u2013 17:00 (UTC)\n");
}

TEST(OutlookItems, AnAnsiStoreMapsItsNamedPropertiesToo) {
  test::PstWriterOptions ansi;
  ansi.unicode = false;
  const std::string text = readStore({{"Calendar", {meeting()}, {}}, {"Contacts", {contact()}, {}}}, ansi);
  expectIn(text, "When: 2024-03-05 14:00 \u2013 15:00 (UTC)\nWhere: Acme HQ, Room 4.01\n");
  expectIn(text, "E-mail: Jane Roe <jane@acme.example>\n");
}

TEST(OutlookItems, WithoutTheMapItemsReadWithoutTheirNamedFields) {
  for (const auto map : {test::PstNameMap::Missing, test::PstNameMap::Damaged}) {
    test::PstWriterOptions options;
    options.name_map = map;
    const std::string text = readStore({{"Calendar", {meeting()}, {}}, {"Contacts", {contact()}, {}}, {"Tasks", {task()}, {}}}, options);
    // Tags still show: a contact's company and phones; named ones do not.
    expectIn(text, "Date: Tue, 20 Feb 2024 09:00:00 +0000\n\nAgenda: indemnities.\n");
    expectIn(text, "Name: Jane Roe\nCompany: Acme Corp\nJob title: General Counsel\nBusiness phone: +1 555 0100\n");
    expectIn(text, "# Message 3 of 3: Tasks \u203A File the 10-K\n\nSubject: File the 10-K\nDate: Tue, 20 Feb 2024 09:00:00 +0000\n\n");
    for (const char* named : {"When:", "Where:", "E-mail:", "Work address:", "Due:", "Status:"})
      EXPECT_EQ(text.find(named), std::string::npos) << named;
    const bool noted = text.find("---------- Not read ----------\nThe store's name-to-id map could not be read, so appointments, "
                                 "contacts and tasks are read without their own fields: store.pst: damaged name-to-id map "
                                 "(entry stream of 131 bytes)\n") != std::string::npos;
    EXPECT_EQ(noted, map == test::PstNameMap::Damaged) << text;
  }
}

TEST(OutlookItems, AMsgMapsItsNamedPropertiesForItselfAndItsAttachedMessages) {
  test::MsgObject m;
  m.unicode = {{0x001A, "IPM.Appointment"}, {0x0037, "Meeting with Acme"}, {0x8001, "Acme HQ"}};
  m.fixed = {{0x80020040, fileTime(2024, 3, 5, 14, 0)}, {0x80030040, fileTime(2024, 3, 5, 15, 0)}};
  test::MsgObject card;
  card.unicode = {{0x001A, "IPM.Contact"}, {0x0037, "Jane Roe"}, {0x3001, "Jane Roe"}, {0x8004, "jane@acme.example"}};
  test::MsgObject attached;
  attached.fixed = {{0x37050003, 5}};
  attached.embedded = {card};
  m.attachments = {attached};
  const auto map = test::nameIdStreams({{kAppointmentSet, 0x8208, 0x8001},
                                               {kAppointmentSet, 0x820D, 0x8002},
                                               {kAppointmentSet, 0x820E, 0x8003},
                                               {kAddressSet, 0x8083, 0x8004}});
  EXPECT_EQ(readMsg(m, map),
            "Subject: Meeting with Acme\nWhen: 2024-03-05 14:00 \u2013 15:00 (UTC)\nWhere: Acme HQ\n\n"
            "---------- Attached message ----------\nSubject: Jane Roe\nName: Jane Roe\nE-mail: jane@acme.example\n\n");
  // A damaged map (an entry naming a GUID the stream does not hold), or one without entries: the message
  // reads without them.
  auto damaged = map;
  damaged.guids.resize(0);
  const std::string without = "Subject: Meeting with Acme\n\n---------- Attached message ----------\nSubject: Jane Roe\nName: Jane Roe\n\n";
  EXPECT_EQ(readMsg(m, damaged), without);
  EXPECT_EQ(readMsg(m, {}), without);
}

TEST(OutlookItems, AMsgTaskAndContactInEightBitStrings) {
  test::MsgObject m;
  m.ansi = {{0x001A, "IPM.Task"}, {0x0037, "Relire le bail"}, {0x8001, "Ren\xE9" "e"}};
  m.fixed = {{0x3FFD0003, 1252}, {0x80020040, fileTime(2024, 3, 8, 0, 0)}, {0x80030003, 2}, {0x80040005, 0x3FF0000000000000ull}};
  const auto map = test::nameIdStreams(
      {{kTaskSet, 0x811F, 0x8001}, {kTaskSet, 0x8105, 0x8002}, {kTaskSet, 0x8101, 0x8003}, {kTaskSet, 0x8102, 0x8004}});
  EXPECT_EQ(readMsg(m, map), "Subject: Relire le bail\nDue: 2024-03-08\nStatus: Complete, 100% complete\nOwner: Ren\xC3\xA9" "e\n\n");
}

TEST(OutlookItems, WithoutTheMapAMeetingsStartAndEndTagsStillGiveItsTime) {
  test::PstMessageSpec request = item("IPM.Schedule.Meeting.Request", "Board call");
  request.props = {test::pstTime("", 0x0060, fileTime(2024, 3, 7, 16, 0)), test::pstTime("", 0x0061, fileTime(2024, 3, 7, 16, 45))};
  test::PstWriterOptions options;
  options.name_map = test::PstNameMap::Missing;
  expectIn(readStore({{"Inbox", {request}, {}}}, options),
           "Subject: Board call\nDate: Tue, 20 Feb 2024 09:00:00 +0000\nWhen: 2024-03-07 16:00 \u2013 16:45 (UTC)\n\n");
}

TEST(OutlookItems, ADistributionListNamesItsMembers) {
  test::PstMessageSpec list = item("IPM.DistList", "Deal team");
  list.props = {test::pstText(kAddressSet, 0x8053, "Deal team"),
                test::pstBinaries(kAddressSet, 0x8054,
                                  {test::oneOffEntryId("Jane Roe", "SMTP", "jane@acme.example"), std::string("not an entry id"),
                                   test::oneOffEntryId("Exchange Only", "EX", "/O=ACME/CN=X"), test::oneOffEntryId("", "SMTP", "ann@example.com")})};
  expectIn(readStore({{"Contacts", {list}, {}}}),
           "Subject: Deal team\nDate: Tue, 20 Feb 2024 09:00:00 +0000\nName: Deal team\n"
           "Members: Jane Roe <jane@acme.example>, Exchange Only, ann@example.com\n\n");
  test::MsgObject m;
  m.unicode = {{0x001A, "IPM.DistList"}, {0x3001, "Deal team"}};
  m.multi_binary = {{0x8001, {test::oneOffEntryId("Jane Roe", "SMTP", "jane@acme.example"), test::oneOffEntryId("Bob", "SMTP", "bob@b.example")}}};
  EXPECT_EQ(readMsg(m, test::nameIdStreams({{kAddressSet, 0x8054, 0x8001}})),
            "Name: Deal team\nMembers: Jane Roe <jane@acme.example>, Bob <bob@b.example>\n\n");
  // A member's id cut short is left out.
  m.multi_binary[0].second[1].resize(40);
  EXPECT_EQ(readMsg(m, test::nameIdStreams({{kAddressSet, 0x8054, 0x8001}})), "Name: Deal team\nMembers: Jane Roe <jane@acme.example>\n\n");
}

namespace {

// Zones as Windows defines them: SYSTEMTIMEs {year, month, day of week, week of the month, hour, …}.
test::TzRuleSpec newYork(uint16_t from_year = 2007) {  // second Sunday in March to first Sunday in November
  return {from_year, 300, 0, -60, {0, 11, 0, 1, 2, 0, 0, 0}, {0, 3, 0, 2, 2, 0, 0, 0}};
}
test::TzRuleSpec newYorkBefore2007() {  // first Sunday in April to last Sunday in October
  return {2000, 300, 0, -60, {0, 10, 0, 5, 2, 0, 0, 0}, {0, 4, 0, 1, 2, 0, 0, 0}};
}
test::TzRuleSpec tokyo() { return {0, -540, 0, 0, {}, {}}; }
test::TzRuleSpec sydney() {  // first Sunday in October to first Sunday in April
  return {0, -600, 0, -60, {0, 4, 0, 1, 3, 0, 0, 0}, {0, 10, 0, 1, 2, 0, 0, 0}};
}

// The "When:" line of an appointment from `start` to `end` (UTC) with these named properties.
std::string whenLine(uint64_t start, uint64_t end, std::vector<test::PstPropSpec> zone_props) {
  test::PstMessageSpec m = item("IPM.Appointment", "Call with Acme");
  m.props = {test::pstTime(kAppointmentSet, 0x820D, start), test::pstTime(kAppointmentSet, 0x820E, end)};
  m.props.insert(m.props.end(), zone_props.begin(), zone_props.end());
  const std::string text = readStore({{"Calendar", {m}, {}}});
  const size_t at = text.find("When: ");
  if (at == std::string::npos) return text;
  return text.substr(at + 6, text.find('\n', at) - at - 6);
}

std::vector<test::PstPropSpec> startDisplay(const std::string& definition) { return {test::pstBinary(kAppointmentSet, 0x825E, definition)}; }

const std::string kEastern = "Eastern Standard Time";

}  // namespace

TEST(OutlookTimeZones, ANewYorkMeetingShowsItsLocalTimeInWinterAndSummerWithUtc) {
  const auto ny = startDisplay(test::tzDefinition(kEastern, {newYork()}));
  EXPECT_EQ(whenLine(fileTime(2024, 3, 5, 14, 0), fileTime(2024, 3, 5, 15, 0), ny),
            "2024-03-05 09:00 \u2013 10:00 (UTC\u221205:00, Eastern Standard Time; 14:00 \u2013 15:00 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 7, 9, 13, 0), fileTime(2024, 7, 9, 14, 0), ny),
            "2024-07-09 09:00 \u2013 10:00 (UTC\u221204:00, Eastern Daylight Time; 13:00 \u2013 14:00 UTC)");
  // Either side of 2:00 EST on 10 March 2024 (07:00 UTC), and of 2:00 EDT on 3 November (06:00 UTC).
  EXPECT_EQ(whenLine(fileTime(2024, 3, 10, 6, 59), fileTime(2024, 3, 10, 6, 59), ny),
            "2024-03-10 01:59 \u2013 01:59 (UTC\u221205:00, Eastern Standard Time; 06:59 \u2013 06:59 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 3, 10, 7, 0), fileTime(2024, 3, 10, 8, 0), ny),
            "2024-03-10 03:00 \u2013 04:00 (UTC\u221204:00, Eastern Daylight Time; 07:00 \u2013 08:00 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 3, 10, 6, 30), fileTime(2024, 3, 10, 7, 30), ny),
            "2024-03-10 01:30 \u2013 03:30 (UTC\u221205:00, Eastern Standard Time to UTC\u221204:00, Eastern Daylight Time; "
            "06:30 \u2013 07:30 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 11, 3, 5, 59), fileTime(2024, 11, 3, 6, 0), ny),
            "2024-11-03 01:59 \u2013 01:00 (UTC\u221204:00, Eastern Daylight Time to UTC\u221205:00, Eastern Standard Time; "
            "05:59 \u2013 06:00 UTC)");
  // An evening meeting that is the next day in UTC.
  EXPECT_EQ(whenLine(fileTime(2024, 3, 6, 0, 30), fileTime(2024, 3, 6, 1, 0), ny),
            "2024-03-05 19:30 \u2013 20:00 (UTC\u221205:00, Eastern Standard Time; 2024-03-06 00:30 \u2013 01:00 UTC)");
}

TEST(OutlookTimeZones, TokyoHasNoDaylightTimeAndSydneysSpansTheNewYear) {
  const auto jp = startDisplay(test::tzDefinition("Tokyo Standard Time", {tokyo()}));
  EXPECT_EQ(whenLine(fileTime(2024, 3, 4, 23, 30), fileTime(2024, 3, 5, 0, 30), jp),
            "2024-03-05 08:30 \u2013 09:30 (UTC+09:00, Tokyo Standard Time; 2024-03-04 23:30 \u2013 2024-03-05 00:30 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 7, 9, 0, 0), fileTime(2024, 7, 9, 1, 0), jp),
            "2024-07-09 09:00 \u2013 10:00 (UTC+09:00, Tokyo Standard Time; 00:00 \u2013 01:00 UTC)");
  const auto au = startDisplay(test::tzDefinition("AUS Eastern Standard Time", {sydney()}));
  // January is summer: UTC+11 from the first Sunday in October to the first Sunday in April.
  EXPECT_EQ(whenLine(fileTime(2025, 1, 15, 22, 0), fileTime(2025, 1, 15, 23, 0), au),
            "2025-01-16 09:00 \u2013 10:00 (UTC+11:00, AUS Eastern Daylight Time; 2025-01-15 22:00 \u2013 23:00 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 12, 31, 13, 0), fileTime(2024, 12, 31, 14, 0), au),
            "2025-01-01 00:00 \u2013 01:00 (UTC+11:00, AUS Eastern Daylight Time; 2024-12-31 13:00 \u2013 14:00 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 7, 15, 23, 0), fileTime(2024, 7, 16, 0, 0), au),
            "2024-07-16 09:00 \u2013 10:00 (UTC+10:00, AUS Eastern Standard Time; 2024-07-15 23:00 \u2013 2024-07-16 00:00 UTC)");
  // 6 October 2024, 2:00 AEST (16:00 UTC the day before) begins daylight time; 7 April 2024, 3:00 AEDT ends it.
  EXPECT_EQ(whenLine(fileTime(2024, 10, 5, 15, 59), fileTime(2024, 10, 5, 16, 0), au),
            "2024-10-06 01:59 \u2013 03:00 (UTC+10:00, AUS Eastern Standard Time to UTC+11:00, AUS Eastern Daylight Time; "
            "2024-10-05 15:59 \u2013 16:00 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 4, 6, 15, 59), fileTime(2024, 4, 6, 16, 0), au),
            "2024-04-07 02:59 \u2013 02:00 (UTC+11:00, AUS Eastern Daylight Time to UTC+10:00, AUS Eastern Standard Time; "
            "2024-04-06 15:59 \u2013 16:00 UTC)");
}

TEST(OutlookTimeZones, TheRuleOfTheEventsYearIsUsed) {
  // US daylight time ended on the last Sunday in October until 2006, the first in November since 2007.
  const auto ny = startDisplay(test::tzDefinition(kEastern, {newYork(2007), newYorkBefore2007()}));  // out of order
  EXPECT_EQ(whenLine(fileTime(2006, 10, 31, 14, 0), fileTime(2006, 10, 31, 15, 0), ny),
            "2006-10-31 09:00 \u2013 10:00 (UTC\u221205:00, Eastern Standard Time; 14:00 \u2013 15:00 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 10, 31, 13, 0), fileTime(2024, 10, 31, 14, 0), ny),
            "2024-10-31 09:00 \u2013 10:00 (UTC\u221204:00, Eastern Daylight Time; 13:00 \u2013 14:00 UTC)");
  // March 2006: still standard time; before the first rule's year, the first rule.
  EXPECT_EQ(whenLine(fileTime(2006, 3, 20, 14, 0), fileTime(2006, 3, 20, 15, 0), ny),
            "2006-03-20 09:00 \u2013 10:00 (UTC\u221205:00, Eastern Standard Time; 14:00 \u2013 15:00 UTC)");
  EXPECT_EQ(whenLine(fileTime(1998, 5, 1, 13, 0), fileTime(1998, 5, 1, 14, 0), ny),
            "1998-05-01 09:00 \u2013 10:00 (UTC\u221204:00, Eastern Daylight Time; 13:00 \u2013 14:00 UTC)");
}

TEST(OutlookTimeZones, TheOlderTimeZoneStructServesWhereThereIsNoDefinition) {
  const std::vector<test::PstPropSpec> old = {test::pstBinary(kAppointmentSet, 0x8233, test::tzStruct(newYork(0)))};
  EXPECT_EQ(whenLine(fileTime(2024, 3, 5, 14, 0), fileTime(2024, 3, 5, 15, 0), old),
            "2024-03-05 09:00 \u2013 10:00 (UTC\u221205:00; 14:00 \u2013 15:00 UTC)");
  EXPECT_EQ(whenLine(fileTime(2024, 7, 9, 13, 0), fileTime(2024, 7, 9, 14, 0), old),
            "2024-07-09 09:00 \u2013 10:00 (UTC\u221204:00, daylight saving time; 13:00 \u2013 14:00 UTC)");
  // A definition is preferred to it; the end's own definition gives the end's zone.
  auto both = startDisplay(test::tzDefinition(kEastern, {newYork()}));
  both.push_back(test::pstBinary(kAppointmentSet, 0x8233, test::tzStruct(tokyo())));
  both.push_back(test::pstBinary(kAppointmentSet, 0x825F, test::tzDefinition("GMT Standard Time", {{0, 0, 0, -60, {0, 10, 0, 5, 2}, {0, 3, 0, 5, 1}}})));
  EXPECT_EQ(whenLine(fileTime(2024, 3, 5, 14, 0), fileTime(2024, 3, 5, 20, 0), both),
            "2024-03-05 09:00 \u2013 20:00 (UTC\u221205:00, Eastern Standard Time to UTC+00:00, GMT Standard Time; "
            "14:00 \u2013 20:00 UTC)");
}

TEST(OutlookTimeZones, AMalformedDefinitionKeepsTheUtcLine) {
  const std::string utc = "2024-03-05 14:00 \u2013 15:00 (UTC)";
  const auto when = [&](const std::string& definition) {
    return whenLine(fileTime(2024, 3, 5, 14, 0), fileTime(2024, 3, 5, 15, 0), startDisplay(definition));
  };
  const std::string good = test::tzDefinition(kEastern, {newYork()});
  ASSERT_NE(when(good), utc);
  for (size_t cut : {size_t{0}, size_t{3}, size_t{20}, good.size() - 66, good.size() - 1}) EXPECT_EQ(when(good.substr(0, cut)), utc) << cut;
  const auto with = [&](auto change) {
    test::TzRuleSpec r = newYork();
    change(r);
    return when(test::tzDefinition(kEastern, {r}));
  };
  EXPECT_EQ(with([](test::TzRuleSpec& r) { r.daylight[1] = 13; }), utc);               // month 13
  EXPECT_EQ(with([](test::TzRuleSpec& r) { r.standard[3] = 6; }), utc);                // a 6th week
  EXPECT_EQ(with([](test::TzRuleSpec& r) { r.standard[2] = 7; }), utc);                // day of week 7
  EXPECT_EQ(with([](test::TzRuleSpec& r) { r.daylight[4] = 24; }), utc);               // 24:00
  EXPECT_EQ(with([](test::TzRuleSpec& r) { r.standard[1] = 0; }), utc);                // one transition without the other
  EXPECT_EQ(with([](test::TzRuleSpec& r) { r.bias = 900; }), utc);                     // UTC−15:00
  EXPECT_EQ(with([](test::TzRuleSpec& r) { r.daylight_bias = INT32_MIN; }), utc);      // overflowing
  EXPECT_EQ(with([](test::TzRuleSpec& r) { r.daylight = {2023, 3, 0, 10, 2}; }), utc);  // a one-off date of another year
  std::string bad = good;
  bad[2] = static_cast<char>(bad[2] + 2);  // cbHeader past the key name
  EXPECT_EQ(when(bad), utc);
  bad = good;
  bad[0] = 3;  // an unknown major version
  EXPECT_EQ(when(bad), utc);
  EXPECT_EQ(when(test::tzDefinition(kEastern, {})), utc);  // no rules
  // The older struct cut short, and an end whose definition is malformed.
  EXPECT_EQ(whenLine(fileTime(2024, 3, 5, 14, 0), fileTime(2024, 3, 5, 15, 0),
                     {test::pstBinary(kAppointmentSet, 0x8233, test::tzStruct(newYork()).substr(0, 47))}),
            utc);
  auto end_bad = startDisplay(good);
  end_bad.push_back(test::pstBinary(kAppointmentSet, 0x825F, good.substr(0, 30)));
  EXPECT_EQ(whenLine(fileTime(2024, 3, 5, 14, 0), fileTime(2024, 3, 5, 15, 0), end_bad), utc);
}

TEST(OutlookTimeZones, AllDayEventsStayDatesAndAMsgReadsItsZoneToo) {
  test::PstMessageSpec all_day = item("IPM.Appointment", "Closing");
  all_day.props = {test::pstTime(kAppointmentSet, 0x820D, fileTime(2024, 3, 5, 5, 0)), test::pstTime(kAppointmentSet, 0x820E, fileTime(2024, 3, 6, 5, 0)),
                   test::pstBool(kAppointmentSet, 0x8215, true), test::pstBinary(kAppointmentSet, 0x825E, test::tzDefinition(kEastern, {newYork()}))};
  expectIn(readStore({{"Calendar", {all_day}, {}}}), "When: 2024-03-05 (all day)\n");
  test::MsgObject m;
  m.unicode = {{0x001A, "IPM.Schedule.Meeting.Request"}, {0x0037, "Call with Acme"}};
  m.fixed = {{0x80010040, fileTime(2024, 7, 9, 13, 0)}, {0x80020040, fileTime(2024, 7, 9, 14, 0)}};
  m.binary = {{0x8003, test::tzDefinition(kEastern, {newYorkBefore2007(), newYork()})}};
  const auto map = test::nameIdStreams({{kAppointmentSet, 0x820D, 0x8001}, {kAppointmentSet, 0x820E, 0x8002}, {kAppointmentSet, 0x825E, 0x8003}});
  EXPECT_EQ(readMsg(m, map), "Subject: Call with Acme\nWhen: 2024-07-09 09:00 \u2013 10:00 (UTC\u221204:00, Eastern Daylight Time; "
                             "13:00 \u2013 14:00 UTC)\n\n");
}
