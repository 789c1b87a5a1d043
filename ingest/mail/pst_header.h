// The header of a PST or OST mail store ([MS-PST] 2.2.2.6): which format (Unicode, the Outlook 2003+
// default, or the older ANSI one with 32-bit ids), how data blocks are scrambled, and where the two
// B-trees of the node database start. A header that cannot be read fails the store with the reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/mail/pst_crypt.h"
#include "ingest/mail/pst_source.h"

namespace folio::ingest::mail {

struct PstHeader {
  bool unicode = true;  // wVer 23 (Unicode) or 14/15 (ANSI)
  bool ost = false;     // an Exchange offline store (same layout)
  PstCrypt crypt = PstCrypt::None;
  uint64_t nbt_page = 0;  // file offset of the root page of the node B-tree
  uint64_t bbt_page = 0;  // and of the block B-tree

  // Sizes that follow from the format.
  size_t idSize() const { return unicode ? 8 : 4; }        // a block or node id in the file
  size_t pageTrailer() const { return unicode ? 16 : 12; }
  size_t blockTrailer() const { return unicode ? 16 : 12; }
  size_t maxBlockData() const { return 8192 - blockTrailer(); }
};

constexpr size_t kPstPageSize = 512;

// Whether `bytes` start like a PST/OST ("!BDN").
bool isPstStore(std::string_view bytes);

// Reads and checks the header. `name` is the file, named in every error.
Result<PstHeader> readPstHeader(const PstSource& source, const std::string& name);

// [MS-PST] 5.3 CRC: the reflected CRC-32 (0xEDB88320) without the initial and final inversion.
uint32_t pstCrc(std::string_view bytes, uint32_t crc = 0);

}  // namespace folio::ingest::mail
