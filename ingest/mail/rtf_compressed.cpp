#include "ingest/mail/rtf_compressed.h"

#include <algorithm>
#include <array>

namespace folio::ingest::mail {
namespace {

// The dictionary's initial contents: RTF text every message starts with, so its first bytes compress.
constexpr std::string_view kPreload =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
    "\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
    "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
static_assert(kPreload.size() == 207);

uint32_t u32(std::string_view b, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(b[at + static_cast<size_t>(i)]);
  return v;
}

}  // namespace

std::optional<std::string> decompressRtf(std::string_view bytes, uint64_t max_bytes) {
  if (bytes.size() < 16) return std::nullopt;
  const uint32_t raw_size = u32(bytes, 4);
  const uint32_t type = u32(bytes, 8);
  const uint64_t limit = std::min<uint64_t>(raw_size, max_bytes);
  const std::string_view data = bytes.substr(16);
  if (type == 0x414C454D) return std::string(data.substr(0, static_cast<size_t>(std::min<uint64_t>(limit, data.size()))));  // "MELA": stored
  if (type != 0x75465A4C) return std::nullopt;  // "LZFu"

  std::array<char, 4096> dict{};
  std::copy(kPreload.begin(), kPreload.end(), dict.begin());
  size_t write = kPreload.size();
  std::string out;
  out.reserve(static_cast<size_t>(std::min<uint64_t>(limit, 64u << 20)));
  size_t pos = 0;
  while (pos < data.size() && out.size() < limit) {
    const unsigned control = static_cast<unsigned char>(data[pos++]);
    for (int bit = 0; bit < 8 && out.size() < limit; ++bit) {
      if ((control >> bit & 1) == 0) {  // a literal byte
        if (pos >= data.size()) return out;
        const char c = data[pos++];
        out.push_back(c);
        dict[write] = c;
        write = (write + 1) % dict.size();
        continue;
      }
      // A reference: 12 bits of dictionary offset, 4 of length - 2; the write position itself ends it.
      if (pos + 1 >= data.size()) return out;
      const unsigned ref = static_cast<unsigned char>(data[pos]) << 8 | static_cast<unsigned char>(data[pos + 1]);
      pos += 2;
      const size_t offset = ref >> 4;
      const size_t length = (ref & 0xF) + 2;
      if (offset == write) return out;
      for (size_t i = 0; i < length && out.size() < limit; ++i) {
        const char c = dict[(offset + i) % dict.size()];
        out.push_back(c);
        dict[write] = c;
        write = (write + 1) % dict.size();
      }
    }
  }
  return out;
}

}  // namespace folio::ingest::mail
