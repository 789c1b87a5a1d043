#include "ingest/mail/mapi_one_off_entry_id.h"

#include "ingest/charset.h"
#include "ingest/mail/pst_le.h"

namespace folio::ingest::mail {
namespace {

// Flags (4), the one-off provider's UID (16), version (2), flags (2), then the three strings.
constexpr size_t kUidAt = 4, kFlagsAt = 22, kStringsAt = 24;
constexpr std::string_view kOneOffProvider("\x81\x2B\x1F\xA4\xBE\xA3\x10\x19\x9D\x6E\x00\xDD\x01\x0F\x54\x02", 16);
constexpr uint16_t kUnicode = 0x8000;  // MAPI_ONE_OFF_UNICODE

// The NUL-terminated string at `at` (advanced past it); nullopt when it has no end.
std::optional<std::string> nextString(std::string_view b, size_t& at, bool unicode, const std::string& charset) {
  const size_t unit = unicode ? 2 : 1;
  for (size_t end = at; end + unit <= b.size(); end += unit) {
    if (b[end] != '\0' || (unicode && b[end + 1] != '\0')) continue;
    const std::string_view s = b.substr(at, end - at);
    at = end + unit;
    return unicode ? utf16leToUtf8(s) : toUtf8(s, charset);
  }
  return std::nullopt;
}

}  // namespace

std::optional<OneOffRecipient> parseOneOffEntryId(std::string_view b, const std::string& charset) {
  if (b.size() < kStringsAt || b.substr(kUidAt, kOneOffProvider.size()) != kOneOffProvider) return std::nullopt;
  const bool unicode = (le16(b, kFlagsAt) & kUnicode) != 0;
  size_t at = kStringsAt;
  auto name = nextString(b, at, unicode, charset);
  auto type = name ? nextString(b, at, unicode, charset) : std::nullopt;
  auto address = type ? nextString(b, at, unicode, charset) : std::nullopt;
  if (!address) return std::nullopt;
  return OneOffRecipient{std::move(*name), std::move(*type), std::move(*address)};
}

}  // namespace folio::ingest::mail
