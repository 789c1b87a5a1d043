#include "ingest/mail/mapi_message.h"

#include <cstdio>
#include <ctime>

#include "ingest/charset.h"
#include "ingest/html_text.h"
#include "ingest/mail/email_extract.h"
#include "ingest/mail/outlook_item_fields.h"
#include "ingest/mail/rtf_compressed.h"
#include "ingest/rtf/rtf_extract.h"
#include "ingest/source_kind.h"

namespace folio::ingest::mail {
namespace {

constexpr int kMaxDepth = 8;  // a message attached to a message attached to …
// Attached messages read for one message, at all depths: a damaged store can make each level list the
// same attached message many times over (10 at each of 8 levels: 10^8).
constexpr int kMaxAttachedMessages = 256;

constexpr uint16_t kSentRepresentingName = 0x0042, kSentRepresentingEmail = 0x0065, kTransportHeaders = 0x007D,
                   kRecipientType = 0x0C15, kSenderName = 0x0C1A, kSenderAddressType = 0x0C1E, kSenderEmail = 0x0C1F,
                   kDisplayCc = 0x0E03, kDisplayTo = 0x0E04, kBody = 0x1000, kRtfCompressed = 0x1009, kHtml = 0x1013,
                   kCreationTime = 0x3007, kAddressType = 0x3002, kEmailAddress = 0x3003, kAttachFilename = 0x3704,
                   kAttachLongFilename = 0x3707, kAttachMimeTag = 0x370E, kSmtpAddress = 0x39FE,
                   kInternetCodePage = 0x3FDE, kMessageCodePage = 0x3FFD, kSenderSmtp = 0x5D01, kSentRepresentingSmtp = 0x5D02;
constexpr uint32_t kRecipientCc = 2;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  size_t start = 0;
  while (start < s.size() && (s[start] == ' ' || s[start] == '\r' || s[start] == '\n')) ++start;
  return s.substr(start);
}

class Writer {
 public:
  Writer(MessageText& out, const AttachmentReader& reader, uint64_t max, const NamedProperties& named)
      : out_(out), reader_(reader), max_(max), named_(named) {}

  Status message(const MapiMessage& m, int depth, MessageFields* top) {
    std::string charset = "CP1252";
    if (auto cp = m.fixed(kMessageCodePage); cp && *cp > 0) charset = windowsCodePage(static_cast<int>(*cp));
    else if (auto icp = m.fixed(kInternetCodePage); icp && *icp > 0) charset = windowsCodePage(static_cast<int>(*icp));

    MessageFields f;
    auto transport = text(m, kTransportHeaders, charset);
    if (!transport.ok()) return transport.error();
    auto subject = text(m, kPropSubject, charset);
    if (!subject.ok()) return subject.error();
    f.subject = *subject;
    auto from = sender(m, charset);
    if (!from.ok()) return from.error();
    f.from = *from;
    auto recipients = recipientLists(m, charset);
    if (!recipients.ok()) return recipients.error();
    f.to = recipients->first;
    f.cc = recipients->second;
    f.date = headerField(*transport, "date");
    if (f.date.empty()) {
      auto time = m.fixed(kPropClientSubmitTime);
      if (!time) time = m.fixed(kPropDeliveryTime);
      if (!time) time = m.fixed(kCreationTime);  // a draft, never sent
      if (time) f.date = internetDate(*time);
    }
    if (f.from.empty()) f.from = headerField(*transport, "from");
    auto message_class = text(m, kPropMessageClass, charset);
    if (!message_class.ok()) return message_class.error();
    auto item = outlookItemFields(m, *message_class, named_, charset);
    if (!item.ok()) return item.error();
    f.item = std::move(*item);
    out_.addHeaders(f);
    if (top != nullptr) *top = f;

    auto body = bodyText(m, charset);
    if (!body.ok()) return body.error();
    out_.addBody(*body);
    return attachments(m, depth, charset);
  }

 private:
  static Result<std::string> text(const MapiObject& o, uint16_t id, const std::string& charset) { return mapiText(o, id, charset); }

  // An SMTP address where one is stored; Exchange's own addresses ("/O=EXCHANGELABS/…") are not shown.
  static Result<std::string> smtpAddress(const MapiObject& o, uint16_t smtp, uint16_t type, uint16_t address,
                                         const std::string& charset) {
    auto s = text(o, smtp, charset);
    if (!s.ok() || !s->empty()) return s;
    auto t = text(o, type, charset);
    if (!t.ok()) return t.error();
    if (*t != "SMTP") return std::string();
    return text(o, address, charset);
  }

  static Result<std::string> sender(const MapiObject& m, const std::string& charset) {
    auto name = text(m, kSenderName, charset);
    if (!name.ok()) return name.error();
    auto address = smtpAddress(m, kSenderSmtp, kSenderAddressType, kSenderEmail, charset);
    if (!address.ok()) return address.error();
    if (name->empty() && address->empty()) {  // sent on behalf of
      name = text(m, kSentRepresentingName, charset);
      if (!name.ok()) return name.error();
      address = text(m, kSentRepresentingSmtp, charset);
      if (!address.ok()) return address.error();
      if (address->empty()) {
        address = text(m, kSentRepresentingEmail, charset);
        if (!address.ok()) return address.error();
        if (address->find('@') == std::string::npos) address = std::string();
      }
    }
    return nameAndAddress(*name, *address);
  }

  // "To" and "Cc" from the recipients, or the display lists where none are stored.
  static Result<std::pair<std::string, std::string>> recipientLists(const MapiMessage& m, const std::string& charset) {
    auto recipients = m.recipients();
    if (!recipients.ok()) return recipients.error();
    if (!*recipients) {
      auto to = text(m, kDisplayTo, charset);
      if (!to.ok()) return to.error();
      auto cc = text(m, kDisplayCc, charset);
      if (!cc.ok()) return cc.error();
      return std::pair{*to, *cc};
    }
    std::pair<std::string, std::string> lists;
    for (const auto& r : **recipients) {
      auto name = text(*r, kPropDisplayName, charset);
      if (!name.ok()) return name.error();
      auto address = smtpAddress(*r, kSmtpAddress, kAddressType, kEmailAddress, charset);
      if (!address.ok()) return address.error();
      const std::string who = nameAndAddress(*name, *address);
      if (who.empty()) continue;
      const auto type = r->fixed(kRecipientType).value_or(1) & 0xFF;
      if (type > kRecipientCc) continue;  // Bcc: not part of the message as its recipients see it
      std::string& list = type == kRecipientCc ? lists.second : lists.first;
      list += (list.empty() ? "" : ", ") + who;
    }
    return lists;
  }

  Result<std::string> bodyText(const MapiMessage& m, const std::string& charset) const {
    auto plain = text(m, kBody, charset);
    if (!plain.ok() || !plain->empty()) return plain;
    auto html = m.binary(kHtml);  // HTML is kept as bytes in the message's code page
    if (!html.ok()) return html.error();
    if (*html) return htmlToText(toUtf8(**html, charset)).text;
    auto html_text = text(m, kHtml, charset);
    if (!html_text.ok()) return html_text.error();
    if (!html_text->empty()) return htmlToText(*html_text).text;
    auto rtf = m.binary(kRtfCompressed);
    if (!rtf.ok()) return rtf.error();
    if (*rtf) {
      if (auto plain_rtf = decompressRtf(**rtf, max_)) return rtf::extractRtf(*plain_rtf).text;
    }
    return std::string();
  }

  Status attachments(const MapiMessage& m, int depth, const std::string& charset) {
    auto list = m.attachments();
    if (!list.ok()) return list.error();
    for (const auto& a : *list) {
      if (a->fixed(kPropAttachMethod).value_or(0) == kAttachEmbeddedMessage && depth < kMaxDepth &&
          attached_messages_ < kMaxAttachedMessages) {
        auto embedded = a->embeddedMessage();
        if (!embedded.ok()) return embedded.error();
        if (*embedded) {
          ++attached_messages_;
          out_.beginAttachedMessage();
          MessageFields fields;
          FOLIO_TRY(message(**embedded, depth + 1, &fields));
          out_.endAttachedMessage(fields.subject);
          continue;
        }
      }
      std::string file_name;
      for (uint16_t id : {kAttachLongFilename, kAttachFilename, kPropDisplayName}) {
        auto n = text(*a, id, charset);
        if (!n.ok()) return n.error();
        if (!n->empty()) {
          file_name = *n;
          break;
        }
      }
      auto type = text(*a, kAttachMimeTag, charset);
      if (!type.ok()) return type.error();
      const std::string media = type->empty() ? "application/octet-stream" : *type;
      // A file of a kind Folio does not read is only named: its bytes (a store's many zips and images)
      // are not fetched.
      if (!reader_ || file_name.empty() || classifySource(file_name).kind == SourceKind::Unknown) {
        out_.addAttachment(file_name, media);
        continue;
      }
      auto data = a->binary(kPropAttachData);
      if (!data.ok()) {  // a damaged attachment: named with why, the message kept
        out_.addAttachment(file_name, media, data.error().message);
        continue;
      }
      out_.addAttachment(reader_, data->value_or(std::string()), file_name, media);
    }
    return {};
  }

  MessageText& out_;
  const AttachmentReader& reader_;
  uint64_t max_;
  const NamedProperties& named_;
  int attached_messages_ = 0;
};

}  // namespace

Result<std::string> mapiText(const MapiObject& o, uint16_t id, const std::string& charset) {
  auto s = o.string(id);
  if (!s.ok()) return s.error();
  if (!*s) return std::string();
  return trimmed(lfLineEnds((*s)->unicode ? utf16leToUtf8((*s)->bytes) : toUtf8((*s)->bytes, charset)));
}

std::string nameAndAddress(const std::string& name, const std::string& address) {
  if (address.empty() || name == address) return name;
  if (name.empty()) return address;
  return name + " <" + address + ">";
}

std::optional<std::tm> filetimeUtc(uint64_t filetime) {
  constexpr int64_t kUnixEpoch = 11644473600;  // seconds from 1601 to 1970
  const int64_t seconds = static_cast<int64_t>(filetime / 10000000) - kUnixEpoch;
  if (filetime == 0 || seconds < 0 || seconds > 253402300799) return std::nullopt;  // after 9999: not a date
  const time_t t = static_cast<time_t>(seconds);
  std::tm u{};
  gmtime_r(&t, &u);
  return u;
}

std::string internetDate(uint64_t filetime) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto utc = filetimeUtc(filetime);
  if (!utc) return {};
  const std::tm& u = *utc;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[u.tm_wday], u.tm_mday, kMonths[u.tm_mon],
                u.tm_year + 1900, u.tm_hour, u.tm_min, u.tm_sec);
  return buf;
}

Status writeMapiMessage(const MapiMessage& message, MessageText& out, MessageFields& top, const AttachmentReader& attachments,
                        uint64_t max_bytes, const NamedProperties& named) {
  Writer w(out, attachments, max_bytes, named);
  return w.message(message, 0, &top);
}

}  // namespace folio::ingest::mail
