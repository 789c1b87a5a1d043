#include "ingest/mail/msg_extract.h"

#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

#include "ingest/charset.h"
#include "ingest/html_text.h"
#include "ingest/mail/email_extract.h"
#include "ingest/mail/message_text.h"
#include "ingest/mail/rtf_compressed.h"
#include "ingest/rtf/rtf_extract.h"

namespace folio::ingest::mail {
namespace {

using ole::CompoundFile;

constexpr int kMaxDepth = 8;  // a message attached to a message attached to …

// Property ids ([MS-OXPROPS]).
constexpr uint16_t kSubject = 0x0037, kClientSubmitTime = 0x0039, kSentRepresentingName = 0x0042,
                   kSentRepresentingEmail = 0x0065, kTransportHeaders = 0x007D, kRecipientType = 0x0C15,
                   kSenderName = 0x0C1A, kSenderAddressType = 0x0C1E, kSenderEmail = 0x0C1F, kDisplayCc = 0x0E03,
                   kDisplayTo = 0x0E04, kDeliveryTime = 0x0E06, kBody = 0x1000, kRtfCompressed = 0x1009,
                   kHtml = 0x1013, kDisplayName = 0x3001, kCreationTime = 0x3007, kAddressType = 0x3002, kEmailAddress = 0x3003,
                   kAttachData = 0x3701, kAttachFilename = 0x3704, kAttachMethod = 0x3705,
                   kAttachLongFilename = 0x3707, kAttachMimeTag = 0x370E, kSmtpAddress = 0x39FE,
                   kInternetCodePage = 0x3FDE, kMessageCodePage = 0x3FFD, kSenderSmtp = 0x5D01,
                   kSentRepresentingSmtp = 0x5D02;
constexpr uint32_t kAttachEmbeddedMessage = 5;
constexpr uint32_t kRecipientCc = 2;

// The header of the fixed-size property table before its 16-byte entries: the message's own, an
// attached message's, a recipient's or an attachment's.
constexpr size_t kTopHeader = 32, kEmbeddedHeader = 24, kChildHeader = 8;

std::string hex4(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%04X", v & 0xFFFF);
  return buf;
}

uint64_t u64(std::string_view b, size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(b[at + static_cast<size_t>(i)]);
  return v;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  size_t start = 0;
  while (start < s.size() && (s[start] == ' ' || s[start] == '\r' || s[start] == '\n')) ++start;
  return s.substr(start);
}

// A FILETIME (100 ns since 1601) as an Internet date in UTC: "Tue, 03 Mar 2026 09:12:00 +0000".
std::string internetDate(uint64_t filetime) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  constexpr int64_t kUnixEpoch = 11644473600;  // seconds from 1601 to 1970
  const int64_t seconds = static_cast<int64_t>(filetime / 10000000) - kUnixEpoch;
  if (filetime == 0 || seconds < 0 || seconds > 253402300799) return {};  // after 9999: not a date
  const time_t t = static_cast<time_t>(seconds);
  tm u{};
  gmtime_r(&t, &u);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[u.tm_wday], u.tm_mday, kMonths[u.tm_mon],
                u.tm_year + 1900, u.tm_hour, u.tm_min, u.tm_sec);
  return buf;
}

std::string nameAndAddress(const std::string& name, const std::string& address) {
  if (address.empty() || name == address) return name;
  if (name.empty()) return address;
  return name + " <" + address + ">";
}

class MsgReader {
 public:
  MsgReader(const CompoundFile& file, const std::string& name, uint64_t max, const AttachmentReader& reader)
      : file_(file), name_(name), max_(max), reader_(reader) {}

  MessageText out;
  MessageFields top;

  Result<void> message(uint32_t storage, size_t header, int depth) {
    Props p{storage, fixedValues(storage, header), "CP1252"};
    if (auto cp = fixed(p, kMessageCodePage); cp && *cp > 0) p.charset = windowsCodePage(static_cast<int>(*cp));
    else if (auto icp = fixed(p, kInternetCodePage); icp && *icp > 0) p.charset = windowsCodePage(static_cast<int>(*icp));

    MessageFields f;
    auto transport = text(p, kTransportHeaders);
    if (!transport.ok()) return transport.error();
    auto subject = text(p, kSubject);
    if (!subject.ok()) return subject.error();
    f.subject = *subject;
    auto from = sender(p);
    if (!from.ok()) return from.error();
    f.from = *from;
    auto recipients = recipientLists(p);
    if (!recipients.ok()) return recipients.error();
    f.to = recipients->first;
    f.cc = recipients->second;
    f.date = headerField(*transport, "date");
    if (f.date.empty()) {
      auto time = fixed(p, kClientSubmitTime);
      if (!time) time = fixed(p, kDeliveryTime);
      if (!time) time = fixed(p, kCreationTime);  // a draft, never sent
      if (time) f.date = internetDate(*time);
    }
    if (f.from.empty()) f.from = headerField(*transport, "from");
    out.addHeaders(f);
    if (depth == 0) top = f;

    auto body = bodyText(p);
    if (!body.ok()) return body.error();
    out.addBody(*body);
    return attachments(storage, depth, p.charset);
  }

 private:
  struct Props {
    uint32_t storage;
    std::map<uint16_t, uint64_t> fixed;  // fixed-size values by property id
    std::string charset;                 // of 8-bit strings
  };

  std::string stream(uint16_t id, std::string_view type) const { return "__substg1.0_" + hex4(id) + std::string(type); }

  std::map<uint16_t, uint64_t> fixedValues(uint32_t storage, size_t header) const {
    std::map<uint16_t, uint64_t> values;
    auto entry = file_.child(storage, "__properties_version1.0");
    if (!entry || entry->storage) return values;
    auto bytes = file_.read(*entry, max_);
    if (!bytes.ok()) return values;  // the table holds dates and flags: the text is read without them
    for (size_t at = header; at + 16 <= bytes->size(); at += 16) {
      const uint64_t tag = u64(*bytes, at) & 0xFFFFFFFF;
      values[static_cast<uint16_t>(tag >> 16)] = u64(*bytes, at + 8);
    }
    return values;
  }

  static std::optional<uint64_t> fixed(const Props& p, uint16_t id) {
    auto it = p.fixed.find(id);
    if (it == p.fixed.end()) return std::nullopt;
    return it->second;
  }

  Result<std::optional<std::string>> raw(uint32_t storage, uint16_t id, std::string_view type) const {
    auto entry = file_.child(storage, stream(id, type));
    if (!entry || entry->storage) return std::optional<std::string>();
    auto bytes = file_.read(*entry, max_);
    if (!bytes.ok()) return bytes.error();
    return std::optional<std::string>(std::move(*bytes));
  }

  // A string property, stored as UTF-16 (type 001F) or 8-bit in the message's code page (001E).
  Result<std::string> text(const Props& p, uint16_t id) const {
    auto wide = raw(p.storage, id, "001F");
    if (!wide.ok()) return wide.error();
    if (*wide) return trimmed(lfLineEnds(utf16leToUtf8(**wide)));
    auto narrow = raw(p.storage, id, "001E");
    if (!narrow.ok()) return narrow.error();
    if (*narrow) return trimmed(lfLineEnds(toUtf8(**narrow, p.charset)));
    return std::string();
  }

  // An SMTP address where one is stored; Exchange's own addresses ("/O=EXCHANGELABS/…") are not shown.
  Result<std::string> smtpAddress(const Props& p, uint16_t smtp, uint16_t type, uint16_t address) const {
    auto s = text(p, smtp);
    if (!s.ok() || !s->empty()) return s;
    auto t = text(p, type);
    if (!t.ok()) return t.error();
    if (*t != "SMTP") return std::string();
    return text(p, address);
  }

  Result<std::string> sender(const Props& p) const {
    auto name = text(p, kSenderName);
    if (!name.ok()) return name.error();
    auto address = smtpAddress(p, kSenderSmtp, kSenderAddressType, kSenderEmail);
    if (!address.ok()) return address.error();
    if (name->empty() && address->empty()) {  // sent on behalf of
      name = text(p, kSentRepresentingName);
      if (!name.ok()) return name.error();
      address = text(p, kSentRepresentingSmtp);
      if (!address.ok()) return address.error();
      if (address->empty()) {
        address = text(p, kSentRepresentingEmail);
        if (!address.ok()) return address.error();
        if (address->find('@') == std::string::npos) address = std::string();
      }
    }
    return nameAndAddress(*name, *address);
  }

  // "To" and "Cc" from the recipient storages, or the display lists where there are none.
  Result<std::pair<std::string, std::string>> recipientLists(const Props& p) const {
    std::pair<std::string, std::string> lists;
    bool any = false;
    for (const auto& child : file_.children(p.storage)) {
      if (!child.storage || child.name.rfind("__recip_version1.0_", 0) != 0) continue;
      any = true;
      Props r{child.id, fixedValues(child.id, kChildHeader), p.charset};
      auto name = text(r, kDisplayName);
      if (!name.ok()) return name.error();
      auto address = smtpAddress(r, kSmtpAddress, kAddressType, kEmailAddress);
      if (!address.ok()) return address.error();
      const std::string who = nameAndAddress(*name, *address);
      if (who.empty()) continue;
      const auto type = fixed(r, kRecipientType).value_or(1) & 0xFF;
      if (type > kRecipientCc) continue;  // Bcc: not part of the message as its recipients see it
      std::string& list = type == kRecipientCc ? lists.second : lists.first;
      list += (list.empty() ? "" : ", ") + who;
    }
    if (any) return lists;
    auto to = text(p, kDisplayTo);
    if (!to.ok()) return to.error();
    auto cc = text(p, kDisplayCc);
    if (!cc.ok()) return cc.error();
    return std::pair{*to, *cc};
  }

  Result<std::string> bodyText(const Props& p) const {
    auto plain = text(p, kBody);
    if (!plain.ok() || !plain->empty()) return plain;
    auto html = raw(p.storage, kHtml, "0102");  // HTML is kept as bytes in the message's code page
    if (!html.ok()) return html.error();
    if (*html) return htmlToText(toUtf8(**html, p.charset)).text;
    auto html_text = text(p, kHtml);
    if (!html_text.ok()) return html_text.error();
    if (!html_text->empty()) return htmlToText(*html_text).text;
    auto rtf = raw(p.storage, kRtfCompressed, "0102");
    if (!rtf.ok()) return rtf.error();
    if (*rtf) {
      if (auto plain_rtf = decompressRtf(**rtf, max_)) return rtf::extractRtf(*plain_rtf).text;
    }
    return std::string();
  }

  Result<void> attachments(uint32_t storage, int depth, const std::string& charset) {
    for (const auto& child : file_.children(storage)) {
      if (!child.storage || child.name.rfind("__attach_version1.0_", 0) != 0) continue;
      Props a{child.id, fixedValues(child.id, kChildHeader), charset};
      auto embedded = file_.child(child.id, stream(kAttachData, "000D"));
      if (fixed(a, kAttachMethod).value_or(0) == kAttachEmbeddedMessage && embedded && embedded->storage && depth < kMaxDepth) {
        out.beginAttachedMessage();
        FOLIO_TRY(message(embedded->id, kEmbeddedHeader, depth + 1));
        continue;
      }
      std::string file_name;
      for (uint16_t id : {kAttachLongFilename, kAttachFilename, kDisplayName}) {
        auto n = text(a, id);
        if (!n.ok()) return n.error();
        if (!n->empty()) {
          file_name = *n;
          break;
        }
      }
      auto type = text(a, kAttachMimeTag);
      if (!type.ok()) return type.error();
      const std::string media = type->empty() ? "application/octet-stream" : *type;
      auto data = raw(child.id, kAttachData, "0102");
      if (!data.ok()) {  // a damaged attachment: named with why, the message kept
        out.addAttachment(file_name, media, data.error().message);
        continue;
      }
      out.addAttachment(reader_, data->value_or(std::string()), file_name, media);
    }
    return {};
  }

  const CompoundFile& file_;
  const std::string& name_;
  uint64_t max_;
  const AttachmentReader& reader_;
};

}  // namespace

Result<ExtractedText> extractMsg(const CompoundFile& file, const std::string& name, uint64_t max_stream_bytes,
                                 const AttachmentReader& attachments) {
  MsgReader reader(file, name, max_stream_bytes, attachments);
  auto read = reader.message(CompoundFile::kRoot, kTopHeader, 0);
  if (!read.ok()) return read.error();
  ExtractedText out;
  out.text = reader.out.finish();
  reader.out.moveScannedPagesTo(out);
  out.attached_page_starts = reader.out.attachedPageStarts();
  out.title = reader.top.subject;
  out.author = reader.top.from;
  return out;
}

}  // namespace folio::ingest::mail
