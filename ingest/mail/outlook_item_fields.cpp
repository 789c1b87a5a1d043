#include "ingest/mail/outlook_item_fields.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <optional>

#include "ingest/mail/appointment_when.h"
#include "ingest/mail/mapi_one_off_entry_id.h"
#include "ingest/mail/mapi_time_zone.h"

namespace folio::ingest::mail {
namespace {

// PSETID_Appointment LIDs ([MS-OXOCAL]).
constexpr uint32_t kLocation = 0x8208, kStartWhole = 0x820D, kEndWhole = 0x820E, kAllDay = 0x8215,
                   kRecurrencePattern = 0x8232, kTimeZoneStruct = 0x8233, kTimeZoneDescription = 0x8234,
                   kTimeZoneDefinitionStart = 0x825E, kTimeZoneDefinitionEnd = 0x825F;
// PSETID_Address LIDs ([MS-OXOCNTC]): each e-mail address as display name, address type and address.
constexpr uint32_t kHomeAddress = 0x801A, kWorkAddress = 0x801B, kOtherAddress = 0x801C, kImAddress = 0x8062,
                   kListName = 0x8053, kListOneOffMembers = 0x8054;
constexpr uint32_t kEmailDisplayName[] = {0x8080, 0x8090, 0x80A0}, kEmailAddress[] = {0x8083, 0x8093, 0x80A3};
// PSETID_Task LIDs ([MS-OXOTASK]).
constexpr uint32_t kTaskStatus = 0x8101, kPercentComplete = 0x8102, kTaskStart = 0x8104, kTaskDue = 0x8105,
                   kTaskCompleted = 0x810F, kTaskOwner = 0x811F;
// PSETID_Common LIDs: an item's start and end where the appointment's own are absent.
constexpr uint32_t kCommonStart = 0x8516, kCommonEnd = 0x8517;
// Tags ([MS-OXPROPS]).
constexpr uint16_t kStartDate = 0x0060, kEndDate = 0x0061, kGeneration = 0x3A05, kGivenName = 0x3A06, kSurname = 0x3A11,
                   kCompany = 0x3A16, kJobTitle = 0x3A17, kDepartment = 0x3A18, kBirthday = 0x3A42,
                   kMiddleName = 0x3A44, kPrefix = 0x3A45, kBusinessHomePage = 0x3A51;

// Phone numbers, in the order Outlook's contact card lists them.
constexpr std::pair<uint16_t, const char*> kPhones[] = {
    {0x3A1A, "Primary phone"}, {0x3A08, "Business phone"}, {0x3A1B, "Business phone 2"}, {0x3A57, "Company phone"},
    {0x3A1C, "Mobile phone"},  {0x3A09, "Home phone"},     {0x3A2F, "Home phone 2"},     {0x3A24, "Business fax"},
    {0x3A25, "Home fax"},      {0x3A2E, "Assistant phone"}, {0x3A1E, "Car phone"},       {0x3A21, "Pager"},
    {0x3A1F, "Other phone"}};

// An address kept as one string (a named property), else in parts (tags: street, city, state, postal
// code, country).
struct PostalAddress {
  const char* label;
  uint32_t whole;
  uint16_t parts[5];
};
constexpr PostalAddress kAddresses[] = {{"Work address", kWorkAddress, {0x3A29, 0x3A27, 0x3A28, 0x3A2A, 0x3A26}},
                                        {"Home address", kHomeAddress, {0x3A5D, 0x3A59, 0x3A5C, 0x3A5B, 0x3A5A}},
                                        {"Other address", kOtherAddress, {0x3A63, 0x3A5F, 0x3A62, 0x3A61, 0x3A60}}};

constexpr const char* kTaskStatuses[] = {"Not started", "In progress", "Complete", "Waiting on someone else", "Deferred"};

bool startsWithNoCase(const std::string& s, const char* prefix) {
  const size_t n = std::strlen(prefix);
  if (s.size() < n) return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
  return s.size() == n || s[n] == '.';
}

// A value on one line: an address's lines joined by ", ".
std::string oneLine(const std::string& s) {
  std::string out;
  for (size_t at = 0; at < s.size();) {
    size_t nl = s.find('\n', at);
    if (nl == std::string::npos) nl = s.size();
    std::string line = s.substr(at, nl - at);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (!line.empty()) out += (out.empty() ? "" : ", ") + line;
    at = nl + 1;
  }
  return out;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts)
    if (!p.empty()) out += (out.empty() ? "" : separator) + p;
  return out;
}

std::string isoDate(uint64_t filetime) {
  const auto t = filetimeUtc(filetime);
  return t ? calendarText(*t, false) : std::string();
}

class ItemReader {
 public:
  ItemReader(const MapiObject& o, const NamedProperties& named, const std::string& charset)
      : o_(o), named_(named), charset_(charset) {}

  Result<std::string> text(uint16_t id) const { return mapiText(o_, id, charset_); }
  Result<std::string> text(PropertySet set, uint32_t lid) const {
    const auto id = named_.id(set, lid);
    if (!id) return std::string();
    return text(*id);
  }
  std::optional<uint64_t> fixed(PropertySet set, uint32_t lid) const {
    const auto id = named_.id(set, lid);
    return id ? o_.fixed(*id) : std::nullopt;
  }
  std::optional<uint64_t> fixed(uint16_t id) const { return o_.fixed(id); }
  Result<std::optional<std::string>> binary(PropertySet set, uint32_t lid) const {
    const auto id = named_.id(set, lid);
    if (!id) return std::optional<std::string>();
    return o_.binary(*id);
  }
  Result<std::optional<std::vector<std::string>>> binaries(PropertySet set, uint32_t lid) const {
    const auto id = named_.id(set, lid);
    if (!id) return std::optional<std::vector<std::string>>();
    return o_.binaries(*id);
  }
  const std::string& charset() const { return charset_; }

  void add(const char* label, const std::string& value) {
    if (!value.empty()) fields_.emplace_back(label, value);
  }
  // Adds a string property's value on one line.
  Status addText(const char* label, const Result<std::string>& value) {
    if (!value.ok()) return value.error();
    add(label, oneLine(*value));
    return {};
  }
  ItemFields take() { return std::move(fields_); }

 private:
  const MapiObject& o_;
  const NamedProperties& named_;
  const std::string& charset_;
  ItemFields fields_;
};

using OptionalZone = std::optional<MapiTimeZone>;

// The zones of the start and the end: the definitions Outlook 2007 and later keep for display, else the
// older TZSTRUCT for both. A definition that cannot be read is no zone (times then in UTC): an end's
// unreadable one is not taken to be the start's.
Result<std::pair<OptionalZone, OptionalZone>> appointmentZones(const ItemReader& r) {
  auto start = r.binary(PropertySet::Appointment, kTimeZoneDefinitionStart);
  if (!start.ok()) return start.error();
  auto end = r.binary(PropertySet::Appointment, kTimeZoneDefinitionEnd);
  if (!end.ok()) return end.error();
  OptionalZone start_zone = *start ? parseTzDefinition(**start) : std::nullopt;
  if (!start_zone) {
    auto old = r.binary(PropertySet::Appointment, kTimeZoneStruct);
    if (!old.ok()) return old.error();
    if (*old) start_zone = parseTzStruct(**old);
  }
  OptionalZone end_zone = *end ? parseTzDefinition(**end) : start_zone;
  return std::pair{std::move(start_zone), std::move(end_zone)};
}

Status appointment(ItemReader& r) {
  auto start = r.fixed(PropertySet::Appointment, kStartWhole);
  auto end = r.fixed(PropertySet::Appointment, kEndWhole);
  if (!start) {
    start = r.fixed(PropertySet::Common, kCommonStart);
    end = r.fixed(PropertySet::Common, kCommonEnd);
  }
  if (!start) {  // tags, read without the map
    start = r.fixed(kStartDate);
    end = r.fixed(kEndDate);
  }
  const bool all_day = (r.fixed(PropertySet::Appointment, kAllDay).value_or(0) & 0xFF) != 0;
  if (start) {
    auto zones = appointmentZones(r);
    if (!zones.ok()) return zones.error();
    const auto& [start_zone, end_zone] = *zones;
    r.add("When", appointmentWhen(*start, end, all_day, start_zone ? &*start_zone : nullptr, end_zone ? &*end_zone : nullptr));
  }
  FOLIO_TRY(r.addText("Where", r.text(PropertySet::Appointment, kLocation)));
  FOLIO_TRY(r.addText("Recurs", r.text(PropertySet::Appointment, kRecurrencePattern)));
  // The organizer's zone, in which a recurrence's times are given.
  return r.addText("Time zone", r.text(PropertySet::Appointment, kTimeZoneDescription));
}

// "Jane Doe <jane@example.com>" from an e-mail slot's display name ("Jane Doe (jane@example.com)" as
// Outlook writes it) and address; an Exchange address ("/O=…") is not shown.
Result<std::string> emailSlot(const ItemReader& r, int slot) {
  auto name = r.text(PropertySet::Address, kEmailDisplayName[slot]);
  if (!name.ok()) return name.error();
  auto address = r.text(PropertySet::Address, kEmailAddress[slot]);
  if (!address.ok()) return address.error();
  if (address->find('@') == std::string::npos) address = std::string();
  const std::string suffix = " (" + *address + ")";
  if (!address->empty() && name->size() > suffix.size() && name->compare(name->size() - suffix.size(), suffix.size(), suffix) == 0) {
    name->resize(name->size() - suffix.size());
  }
  return nameAndAddress(oneLine(*name), *address);
}

Status contact(ItemReader& r) {
  auto name = r.text(kPropDisplayName);
  if (!name.ok()) return name.error();
  if (name->empty()) {  // composed from its parts
    std::vector<std::string> parts;
    for (uint16_t id : {kPrefix, kGivenName, kMiddleName, kSurname, kGeneration}) {
      auto part = r.text(id);
      if (!part.ok()) return part.error();
      parts.push_back(*part);
    }
    name = joined(parts, " ");
  }
  r.add("Name", oneLine(*name));
  FOLIO_TRY(r.addText("Company", r.text(kCompany)));
  FOLIO_TRY(r.addText("Department", r.text(kDepartment)));
  FOLIO_TRY(r.addText("Job title", r.text(kJobTitle)));
  for (int slot = 0; slot < 3; ++slot) {
    static constexpr const char* kLabels[] = {"E-mail", "E-mail 2", "E-mail 3"};
    FOLIO_TRY(r.addText(kLabels[slot], emailSlot(r, slot)));
  }
  for (const auto& [id, label] : kPhones) FOLIO_TRY(r.addText(label, r.text(id)));
  for (const PostalAddress& a : kAddresses) {
    auto whole = r.text(PropertySet::Address, a.whole);
    if (!whole.ok()) return whole.error();
    if (whole->empty()) {
      std::vector<std::string> parts;
      for (uint16_t id : a.parts) {
        auto part = r.text(id);
        if (!part.ok()) return part.error();
        parts.push_back(oneLine(*part));
      }
      whole = joined(parts, ", ");
    }
    r.add(a.label, oneLine(*whole));
  }
  FOLIO_TRY(r.addText("Web page", r.text(kBusinessHomePage)));
  FOLIO_TRY(r.addText("IM address", r.text(PropertySet::Address, kImAddress)));
  if (const auto birthday = r.fixed(kBirthday)) r.add("Birthday", isoDate(nearestMidnight(*birthday)));
  return {};
}

// A personal distribution list: its name and its members, from the one-off EntryIDs Outlook keeps of
// each (members in an address book have one too).
Status distributionList(ItemReader& r) {
  auto name = r.text(PropertySet::Address, kListName);
  if (!name.ok()) return name.error();
  if (name->empty()) name = r.text(kPropDisplayName);
  FOLIO_TRY(r.addText("Name", name));
  auto members = r.binaries(PropertySet::Address, kListOneOffMembers);
  if (!members.ok()) return members.error();
  std::string list;
  for (const std::string& id : members->value_or(std::vector<std::string>())) {
    const auto member = parseOneOffEntryId(id, r.charset());
    if (!member) continue;
    const std::string who = nameAndAddress(oneLine(member->name), member->address.find('@') == std::string::npos ? "" : oneLine(member->address));
    if (!who.empty()) list += (list.empty() ? "" : ", ") + who;
  }
  r.add("Members", list);
  return {};
}

Status task(ItemReader& r) {
  // Dates without times: Outlook keeps a task's dates as midnight of the day.
  if (const auto start = r.fixed(PropertySet::Task, kTaskStart)) r.add("Start", isoDate(nearestMidnight(*start)));
  if (const auto due = r.fixed(PropertySet::Task, kTaskDue)) r.add("Due", isoDate(nearestMidnight(*due)));
  std::string status;
  if (const auto s = r.fixed(PropertySet::Task, kTaskStatus); s && *s < std::size(kTaskStatuses)) status = kTaskStatuses[*s];
  if (const auto bits = r.fixed(PropertySet::Task, kPercentComplete)) {
    double done = 0;
    std::memcpy(&done, &*bits, sizeof done);  // a PT_DOUBLE from 0 to 1
    if (std::isfinite(done) && done >= 0 && done <= 1) {
      status += (status.empty() ? "" : ", ") + std::to_string(static_cast<int>(std::lround(done * 100))) + "% complete";
    }
  }
  r.add("Status", status);
  if (const auto completed = r.fixed(PropertySet::Task, kTaskCompleted)) r.add("Completed", isoDate(nearestMidnight(*completed)));
  return r.addText("Owner", r.text(PropertySet::Task, kTaskOwner));
}

}  // namespace

Result<ItemFields> outlookItemFields(const MapiObject& item, const std::string& message_class, const NamedProperties& named,
                                     const std::string& charset) {
  ItemReader r(item, named, charset);
  // A changed occurrence of a recurring series is an attached message of this class.
  if (startsWithNoCase(message_class, "IPM.Appointment") || startsWithNoCase(message_class, "IPM.Schedule.Meeting") ||
      startsWithNoCase(message_class, "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}")) {
    FOLIO_TRY(appointment(r));
  } else if (startsWithNoCase(message_class, "IPM.Contact")) {
    FOLIO_TRY(contact(r));
  } else if (startsWithNoCase(message_class, "IPM.DistList")) {
    FOLIO_TRY(distributionList(r));
  } else if (startsWithNoCase(message_class, "IPM.Task")) {
    FOLIO_TRY(task(r));
  }
  return r.take();
}

}  // namespace folio::ingest::mail
