// Writes test mail stores with tests/support/pst_writer: `make_pst sample OUT.pst [--permute|--cyclic] [--ansi|--4k]
// [--deep]` a small store with every kind of content the reader handles (for compare_pst.py), `make_pst large OUT.pst N
// [--4k]` a store of N messages (each with a ~50 KiB attachment) for measuring time and memory, `make_pst small OUT.pst
// [--permute] [--ansi|--4k]` a store under 64 KiB for the fuzz corpus, `make_pst msg OUT.msg` an .msg meeting with
// an attached contact and distribution list for fuzz_msg's corpus, `make_pst zones OUT.pst` 400 appointments
// organized in New York, Tokyo, Sydney and London at random times (compare_pst.py checks their local times). The sample and small stores hold
// appointments, contacts and tasks too (the small one a distribution list), their fields in named
// properties. `--4k` writes an Outlook 2013+ offline store (.ost: 4 KiB pages, blocks up to 64 KiB, deflated where
// that is smaller); with `--deep` its blocks hold at most 512 bytes and its B-tree pages 4 entries, so data trees
// are XXBLOCKs, tables span blocks and the B-trees have five levels (`--block-data=N`, `--page-entries=N` set
// either; `--stored` deflates nothing, `--deflate-internal` XBLOCKs and subnode blocks too).
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "tests/support/msg_writer.h"
#include "tests/support/pst_writer.h"

using namespace folio::test;

namespace {

PstMessageSpec sampleMessage(int i) {
  PstMessageSpec m;
  m.subject = "Re: draft SPA " + std::to_string(i);
  m.from_name = "Renée Dubois";
  m.from_address = "renee" + std::to_string(i) + "@example.com";
  m.delivery_time = fileTime(2026, 3, 1 + i % 28, 9, i % 60);
  m.recipients = {{"Legal Team", "legal@example.com", 1}, {"Ann Archer", "ann@example.com", 2}};
  if (i % 3 == 0) m.html = "<html><body><p>Clause 4.2 of deal " + std::to_string(i) + " is agreed.</p></body></html>";
  else m.body = "Clause 4.2 of deal " + std::to_string(i) + " is agreed.\r\nRegards, Renée";
  return m;
}

const std::string kAppointment = "00062002-0000-0000-C000-000000000046", kTask = "00062003-0000-0000-C000-000000000046",
                  kAddress = "00062004-0000-0000-C000-000000000046";

// New York's daylight saving time rules until 2006 and since 2007 (SYSTEMTIMEs: year, month, day of week, week).
const TzRuleSpec kNewYorkBefore2007{2000, 300, 0, -60, {0, 10, 0, 5, 2, 0, 0, 0}, {0, 4, 0, 1, 2, 0, 0, 0}};
const TzRuleSpec kNewYork{2007, 300, 0, -60, {0, 11, 0, 1, 2, 0, 0, 0}, {0, 3, 0, 2, 2, 0, 0, 0}};

PstMessageSpec item(const std::string& message_class, const std::string& subject, uint64_t time) {
  PstMessageSpec m;
  m.message_class = message_class;
  m.subject = subject;
  m.delivery_time = time;
  return m;
}

// Items of the other classes, their fields in named properties: a meeting, a contact, a task and a note.
PstMessageSpec meeting(int i) {
  PstMessageSpec m = sampleMessage(i);
  m.message_class = "IPM.Appointment";
  m.subject = "Meeting with Acme " + std::to_string(i);
  m.body = "Agenda: the SPA's indemnities.";
  m.props = {pstTime(kAppointment, 0x820D, fileTime(2026, 3, 5 + i % 20, 14, 0)), pstTime(kAppointment, 0x820E, fileTime(2026, 3, 5 + i % 20, 15, 30)),
             pstText(kAppointment, 0x8208, "Acme HQ, Room " + std::to_string(400 + i)), pstBool(kAppointment, 0x8223, true),
             pstText(kAppointment, 0x8232, "every Tuesday from 2:00 PM to 3:30 PM")};
  if (i % 2 == 0) {  // organized in New York: its zone's definition (two rules) for start and end, and the older struct
    const std::string zone = tzDefinition("Eastern Standard Time", {kNewYorkBefore2007, kNewYork});
    m.props.push_back(pstBinary(kAppointment, 0x825E, zone));
    m.props.push_back(pstBinary(kAppointment, 0x825F, zone));
    m.props.push_back(pstBinary(kAppointment, 0x8233, tzStruct(kNewYork)));
  }
  if (i % 2 == 0) {  // a changed occurrence of the series, attached to it
    auto moved = std::make_shared<PstMessageSpec>(item("IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}", m.subject, m.delivery_time));
    moved->props = {pstTime(kAppointment, 0x820D, fileTime(2026, 3, 12 + i % 20, 16, 0)),
                    pstTime(kAppointment, 0x820E, fileTime(2026, 3, 12 + i % 20, 17, 0))};
    m.attachments.push_back({"", "", "", moved});
  }
  if (i % 2 == 1) {  // all day, in Paris (UTC+1): from the midnight before its day to the one after the next
    m.props[0] = pstTime(kAppointment, 0x820D, fileTime(2026, 3, 4 + i % 20, 23, 0));
    m.props[1] = pstTime(kAppointment, 0x820E, fileTime(2026, 3, 6 + i % 20, 23, 0));
    m.props.push_back(pstBool(kAppointment, 0x8215, true));
  }
  return m;
}

PstMessageSpec contact(int i) {
  PstMessageSpec m = item("IPM.Contact", "Jane Roe " + std::to_string(i), fileTime(2026, 2, 1, 8, i % 60));
  const std::string address = "jane.roe" + std::to_string(i) + "@acme.example";
  m.props = {pstText("", 0x3001, m.subject), pstText("", 0x3A06, "Jane"), pstText("", 0x3A11, "Roe " + std::to_string(i)),
             pstText("", 0x3A16, "Acme Corp"), pstText("", 0x3A17, "General Counsel"), pstText("", 0x3A08, "+1 555 0100"),
             pstText("", 0x3A1C, "+1 555 0199"), pstText(kAddress, 0x8080, m.subject + " (" + address + ")"),
             pstText(kAddress, 0x8082, "SMTP"), pstText(kAddress, 0x8083, address),
             pstText(kAddress, 0x8093, "jane" + std::to_string(i) + "@home.example"),
             pstText(kAddress, 0x801B, "1 Main Street\r\nSpringfield, IL 62701")};
  return m;
}

PstMessageSpec task(int i) {
  PstMessageSpec m = item("IPM.Task", "File the 10-K " + std::to_string(i), fileTime(2026, 3, 2, 8, i % 60));
  m.body = "Check the risk factors.";
  m.props = {pstTime(kTask, 0x8104, fileTime(2026, 3, 2, 0, 0)), pstTime(kTask, 0x8105, fileTime(2026, 3, 9, 0, 0)),
             pstInt(kTask, 0x8101, 1), pstDouble(kTask, 0x8102, 0.5), pstBool(kTask, 0x811C, false)};
  return m;
}

PstMessageSpec note(int i) {
  PstMessageSpec m = item("IPM.StickyNote", "Call Jane about clause " + std::to_string(i), fileTime(2026, 3, 3, 8, i % 60));
  m.body = m.subject + "\r\nShe has the signed copy.";
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s sample|small|large|msg|zones OUT [--permute|--cyclic] [--ansi|--4k] [--deep] [N]\n", argv[0]);
    return 2;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  PstWriterOptions options;
  long count = 20000;  // `large`: its messages
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--permute") options.permute = true;
    else if (a == "--cyclic") options.crypt = folio::ingest::mail::PstCrypt::Cyclic;
    else if (a == "--ansi") options.unicode = false;
    else if (a == "--4k") options.page4k = true;
    else if (a == "--deep") options.block_data = 512, options.page_entries = 4;
    else if (a == "--stored") options.compress = false;
    else if (a == "--deflate-internal") options.compress_internal = true;
    else if (a.rfind("--block-data=", 0) == 0) options.block_data = std::stoul(a.substr(13));
    else if (a.rfind("--page-entries=", 0) == 0) options.page_entries = std::stoul(a.substr(15));
    else if (!a.empty() && a[0] != '-') count = std::stol(a);
    else return std::fprintf(stderr, "%s: unknown option %s\n", argv[0], argv[i]), 2;
  }
  if (std::strcmp(argv[1], "sample") == 0) {
    PstWriter w(out, options);
    const uint32_t inbox = w.addFolder(0, "Inbox");
    const uint32_t alpha = w.addFolder(inbox, "Project Alpha");
    const uint32_t sent = w.addFolder(0, "Sent Items");
    for (int i = 0; i < 6; ++i) w.addMessage(i < 3 ? inbox : alpha, sampleMessage(i));
    PstMessageSpec big = sampleMessage(6);
    big.subject = "Large body and attachments";
    big.body.clear();
    for (int k = 0; big.body.size() < 40000; ++k) big.body += "Line " + std::to_string(k) + " of the long memo.\n";
    std::string notes;
    for (int k = 0; notes.size() < 30000; ++k) notes += "Note " + std::to_string(k) + ": the lessee pays.\n";
    big.attachments.push_back({"notes.txt", "text/plain", notes, nullptr});
    auto forwarded = std::make_shared<PstMessageSpec>(sampleMessage(7));
    forwarded->subject = "Fwd: signed lease";
    forwarded->attachments.push_back({"lease.txt", "text/plain", "The tenant may end the lease early.", nullptr});
    big.attachments.push_back({"", "", "", forwarded});
    w.addMessage(sent, big);
    const uint32_t calendar = w.addFolder(0, "Calendar"), contacts = w.addFolder(0, "Contacts"), tasks = w.addFolder(0, "Tasks"),
                   notes_folder = w.addFolder(0, "Notes");
    for (int i = 0; i < 2; ++i) {
      w.addMessage(calendar, meeting(i));
      w.addMessage(contacts, contact(i));
      w.addMessage(tasks, task(i));
      w.addMessage(notes_folder, note(i));
    }
    w.finish();
    return 0;
  }
  if (std::strcmp(argv[1], "msg") == 0) {  // fuzz_msg's corpus: a meeting with an attached contact and list, in an .msg
    MsgObject card;
    card.unicode = {{0x001A, "IPM.Contact"}, {0x0037, "Jane Roe"}, {0x3001, "Jane Roe"}, {0x3A16, "Acme Corp"}, {0x8004, "jane@acme.example"},
                    {0x8005, "Jane Roe (jane@acme.example)"}, {0x8006, "1 Main Street\r\nSpringfield"}};
    MsgObject attached;
    attached.fixed = {{0x37050003, 5}};
    attached.embedded = {card};
    MsgObject list;
    list.unicode = {{0x001A, "IPM.DistList"}, {0x3001, "Deal team"}};
    list.multi_binary = {{0x8009, {oneOffEntryId("Jane Roe", "SMTP", "jane@acme.example"), oneOffEntryId("Bob", "SMTP", "bob@b.example")}}};
    MsgObject attached_list;
    attached_list.fixed = {{0x37050003, 5}};
    attached_list.embedded = {list};
    MsgObject m;
    m.unicode = {{0x001A, "IPM.Appointment"}, {0x0037, "Meeting with Acme"}, {0x8001, "Acme HQ"}, {0x8007, "every Tuesday"}};
    m.fixed = {{0x80020040, fileTime(1709647200)}, {0x80030040, fileTime(1709650800)}};
    m.binary = {{0x800A, tzDefinition("Eastern Standard Time", {kNewYorkBefore2007, kNewYork})}};
    m.attachments = {attached, attached_list};
    const std::string set = "00062002-0000-0000-C000-000000000046", address = "00062004-0000-0000-C000-000000000046";
    const std::string bytes = msgBytes(m, nameIdStreams({{set, 0x8208, 0x8001}, {set, 0x820D, 0x8002}, {set, 0x820E, 0x8003},
                                                         {address, 0x8083, 0x8004}, {address, 0x8080, 0x8005},
                                                         {address, 0x801B, 0x8006}, {set, 0x8232, 0x8007}, {set, 0x8215, 0x8008},
                                                         {address, 0x8054, 0x8009}, {set, 0x825E, 0x800A}}));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return 0;
  }
  if (std::strcmp(argv[1], "zones") == 0) {  // appointments organized in four zones at random times, 2000-2030
    const TzRuleSpec tokyo{0, -540, 0, 0, {}, {}}, sydney{0, -600, 0, -60, {0, 4, 0, 1, 3, 0, 0, 0}, {0, 10, 0, 1, 2, 0, 0, 0}},
        london{0, 0, 0, -60, {0, 10, 0, 5, 2, 0, 0, 0}, {0, 3, 0, 5, 1, 0, 0, 0}};
    const std::pair<const char*, std::vector<TzRuleSpec>> zones[] = {{"Eastern Standard Time", {kNewYorkBefore2007, kNewYork}},
                                                                      {"Tokyo Standard Time", {tokyo}},
                                                                      {"AUS Eastern Standard Time", {sydney}},
                                                                      {"GMT Standard Time", {london}}};
    PstWriter w(out, options);
    const uint32_t calendar = w.addFolder(0, "Calendar");
    std::mt19937_64 random(20261129);
    for (int i = 0; i < 400; ++i) {
      // Sydney's rules changed in 2008, London's transitions are at 01:00 UTC: from 2008.
      const uint64_t start = fileTime(2008, 1, 1, 0, 0) + random() % (23ull * 365 * 86400) / 60 * 60 * 10000000;
      PstMessageSpec m = item("IPM.Appointment", "Zoned meeting " + std::to_string(i), fileTime(2026, 1, 1, 9, 0));
      const auto& [name, rules] = zones[i % 4];
      m.props = {pstTime(kAppointment, 0x820D, start), pstTime(kAppointment, 0x820E, start + 90ull * 60 * 10000000),
                 pstBinary(kAppointment, 0x825E, tzDefinition(name, rules))};
      w.addMessage(calendar, m);
    }
    w.finish();
    return 0;
  }
  if (std::strcmp(argv[1], "small") == 0) {  // the fuzz corpus: under 64 KiB
    PstWriter w(out, options);
    const uint32_t inbox = w.addFolder(0, "Inbox");
    PstMessageSpec m = sampleMessage(0);
    auto forwarded = std::make_shared<PstMessageSpec>(sampleMessage(3));
    forwarded->attachments.push_back({"lease.txt", "text/plain", "The tenant may end the lease early.", nullptr});
    m.attachments.push_back({"", "", "", forwarded});
    w.addMessage(inbox, m);
    w.addMessage(w.addFolder(inbox, "Alpha"), sampleMessage(1));
    w.addMessage(inbox, meeting(2));
    w.addMessage(inbox, contact(2));
    w.addMessage(inbox, task(2));
    PstMessageSpec list;
    list.message_class = "IPM.DistList";
    list.subject = "Deal team";
    list.props = {pstText(kAddress, 0x8053, "Deal team"),
                  pstBinaries(kAddress, 0x8054, {oneOffEntryId("Jane Roe", "SMTP", "jane@acme.example"), oneOffEntryId("Bob", "SMTP", "bob@b.example")})};
    w.addMessage(inbox, list);
    w.finish();
    return 0;
  }
  PstWriter w(out, options);
  std::mt19937 rng(7);
  uint32_t folder = 0;
  for (long i = 0; i < count; ++i) {
    if (i % 1000 == 0) folder = w.addFolder(0, "Custodian " + std::to_string(i / 1000));
    PstMessageSpec m = sampleMessage(static_cast<int>(i));
    std::string blob(50000, '\0');
    for (char& c : blob) c = static_cast<char>(rng());
    m.attachments.push_back({"scan" + std::to_string(i) + ".zip", "application/zip", blob, nullptr});
    // PidLidReminderSet: a named property, so the name-to-id map has an entry (pffexport refuses a store whose map has none).
    m.props = {pstBool("00062008-0000-0000-C000-000000000046", 0x8503, false)};
    w.addMessage(folder, m);
  }
  w.finish();
  return 0;
}
