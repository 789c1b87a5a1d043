#include "ingest/mail/pst_header.h"

#include <algorithm>
#include <array>

#include "ingest/mail/pst_le.h"

namespace folio::ingest::mail {
namespace {

constexpr uint16_t kVerAnsi14 = 14, kVerAnsi15 = 15, kVerUnicode = 23, kVerUnicode4k = 36;

constexpr std::array<uint32_t, 256> crcTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = crcTable();

}  // namespace

bool isPstStore(std::string_view bytes) { return bytes.substr(0, 4) == "!BDN"; }

uint32_t pstCrc(std::string_view bytes, uint32_t crc) {
  for (const char c : bytes) crc = kCrcTable[(crc ^ static_cast<uint8_t>(c)) & 0xFF] ^ (crc >> 8);
  return crc;
}

Result<PstHeader> readPstHeader(const PstSource& source, const std::string& name) {
  std::string h;
  // 564 bytes in a Unicode store (4 KiB pages or not), 512 in an ANSI one.
  if (source.size() < 512 || !source.read(0, static_cast<size_t>(std::min<uint64_t>(source.size(), 564)), h)) {
    return badInput(name + ": not an Outlook data file: shorter than its header (" + std::to_string(source.size()) + " bytes)");
  }
  if (!isPstStore(h)) return badInput(name + ": not an Outlook data file (no !BDN signature)");
  PstHeader out;
  const uint16_t client = le16(h, 8);
  if (client != 0x4D53 && client != 0x4F53) return badInput(name + ": not an Outlook data file (client signature is not SM or SO)");
  out.ost = client == 0x4F53;
  const uint16_t version = le16(h, 10);
  if (version == kVerAnsi14 || version == kVerAnsi15) out.unicode = false;
  else if (version == kVerUnicode4k) out.page4k = true;
  else if (version < kVerUnicode) return badInput(name + ": unknown Outlook data file version " + std::to_string(version));
  else if (version > kVerUnicode) {
    return Error{ErrorKind::Unsupported, name + ": Outlook data file version " + std::to_string(version) + " is not read"};
  }
  const size_t crypt_at = out.unicode ? 513 : 461;
  if (h.size() < (out.unicode ? 564u : 512u)) return badInput(name + ": truncated header");
  const uint8_t crypt = static_cast<uint8_t>(h[crypt_at]);
  if (crypt > 2) {
    return Error{ErrorKind::Unsupported,
                 name + ": data scrambled with encryption method " + std::to_string(crypt) + " (not permute or cyclic) is not read"};
  }
  out.crypt = static_cast<PstCrypt>(crypt);
  // ROOT: the B-tree roots' BREFs (bid, ib).
  out.nbt_page = out.unicode ? le64(h, 224) : le32(h, 188);
  out.bbt_page = out.unicode ? le64(h, 240) : le32(h, 196);
  for (const uint64_t page : {out.nbt_page, out.bbt_page}) {
    if (page < 512 || page > source.size() || source.size() - page < out.pageSize()) {
      return badInput(name + ": damaged header: a B-tree root at offset " + std::to_string(page) + " outside the file (" +
                      std::to_string(source.size()) + " bytes)");
    }
  }
  return out;
}

}  // namespace folio::ingest::mail
