// An Outlook message as MAPI properties, whatever stores it: an .msg file (streams of a compound file,
// msg_extract.cpp) or a PST/OST mail store (property contexts and tables of its node database,
// pst_message.cpp). writeMapiMessage turns one into the text of message_text.h: Subject, From, To, Cc,
// Date, the body (plain text where Outlook kept one, else the HTML body as text, else the compressed
// RTF body), attached messages read the same way, the text of attached files of the kinds Folio reads
// and the names of the other attachments.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "ingest/mail/mapi_named_props.h"
#include "ingest/mail/message_text.h"

namespace folio::ingest::mail {

// A string property as stored: UTF-16LE (PT_UNICODE) or 8-bit in the message's code page (PT_STRING8).
struct MapiString {
  std::string bytes;
  bool unicode = true;
};

// A message, a recipient or an attachment.
class MapiObject {
 public:
  virtual ~MapiObject() = default;
  // A fixed-size property (integers, flags, times); nullopt when absent.
  virtual std::optional<uint64_t> fixed(uint16_t id) const = 0;
  virtual Result<std::optional<MapiString>> string(uint16_t id) const = 0;
  // A PT_BINARY property's bytes.
  virtual Result<std::optional<std::string>> binary(uint16_t id) const = 0;
  // A PT_MV_BINARY property's values (a distribution list's members).
  virtual Result<std::optional<std::vector<std::string>>> binaries(uint16_t id) const = 0;
};

class MapiMessage;

class MapiAttachment : public MapiObject {
 public:
  // The message it holds (an attached e-mail, PR_ATTACH_METHOD 5); null when it holds none.
  virtual Result<std::unique_ptr<MapiMessage>> embeddedMessage() const = 0;
};

class MapiMessage : public MapiObject {
 public:
  // Its recipients; nullopt when none are stored (the display lists PR_DISPLAY_TO/CC are used then).
  virtual Result<std::optional<std::vector<std::unique_ptr<MapiObject>>>> recipients() const = 0;
  virtual Result<std::vector<std::unique_ptr<MapiAttachment>>> attachments() const = 0;
};

// Adds `message` (with its attached messages, nesting bounded) to `out`; `top` gets its own fields.
// Decompressed RTF bodies are bounded by `max_bytes`. `named` is the store's (or the .msg's) name-to-id
// map: appointments, contacts and tasks get their fields from it (outlook_item_fields.h).
Status writeMapiMessage(const MapiMessage& message, MessageText& out, MessageFields& top, const AttachmentReader& attachments,
                        uint64_t max_bytes, const NamedProperties& named = {});

// A string property as UTF-8 (8-bit ones in `charset`), line ends as "\n", trimmed; "" when absent.
Result<std::string> mapiText(const MapiObject& o, uint16_t id, const std::string& charset);

// "Name <address>", or whichever of the two there is (one, when they are the same).
std::string nameAndAddress(const std::string& name, const std::string& address);

// MAPI property ids ([MS-OXPROPS]) that the readers of both stores name.
constexpr uint16_t kPropMessageClass = 0x001A, kPropSubject = 0x0037, kPropDeliveryTime = 0x0E06, kPropDisplayName = 0x3001,
                   kPropAttachData = 0x3701, kPropAttachMethod = 0x3705, kPropClientSubmitTime = 0x0039;
constexpr uint32_t kAttachEmbeddedMessage = 5;

// A FILETIME (100 ns since 1601) as an Internet date in UTC ("Tue, 03 Mar 2026 09:12:00 +0000"); "" when
// it is no date.
std::string internetDate(uint64_t filetime);
// A FILETIME as a UTC calendar time; nullopt when it is no date (0, or past the year 9999).
std::optional<std::tm> filetimeUtc(uint64_t filetime);

}  // namespace folio::ingest::mail
