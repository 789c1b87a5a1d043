// The header of a PST or OST mail store ([MS-PST] 2.2.2.6): which format (Unicode, the Outlook 2003+
// default; the older ANSI one with 32-bit ids; or the 4 KiB-page Unicode one of Outlook 2013 and later
// offline stores), how data blocks are scrambled, and where the two B-trees of the node database start.
// A header that cannot be read fails the store with the reason.
//
// The 4 KiB-page format (wVer 36; not in [MS-PST]: libpff's "Personal Folder File (PFF) format", the
// "64-bit 4k page" sections) has the Unicode header and ids, and differs below it: B-tree pages of 4096
// bytes whose entry count and maximum are 2 bytes each and whose trailer is 24 bytes; blocks of up to
// 64 KiB in steps of 512 bytes with a 24-byte trailer, which may be deflated (a zlib stream: the block
// B-tree entry gives the stored and the inflated size, equal when it is not); and HIDs with a 14-bit
// index and a 13-bit block index.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/mail/pst_crypt.h"
#include "ingest/mail/pst_source.h"

namespace folio::ingest::mail {

struct PstHeader {
  bool unicode = true;  // wVer 23 or 36 (Unicode), or 14/15 (ANSI)
  bool page4k = false;  // wVer 36: 4 KiB pages, blocks up to 64 KiB, deflated blocks
  bool ost = false;     // an Exchange offline store (same layout)
  PstCrypt crypt = PstCrypt::None;
  uint64_t nbt_page = 0;  // file offset of the root page of the node B-tree
  uint64_t bbt_page = 0;  // and of the block B-tree

  // Sizes that follow from the format.
  size_t idSize() const { return unicode ? 8 : 4; }  // a block or node id in the file
  size_t pageSize() const { return page4k ? 4096 : 512; }
  size_t pageTrailer() const { return page4k ? 24 : unicode ? 16 : 12; }
  // The bytes a B-tree page's entries may fill; cEnt, cEntMax, cbEnt and cLevel follow them.
  size_t pageEntries() const { return page4k ? 4056 : unicode ? 488 : 496; }
  size_t blockTrailer() const { return page4k ? 24 : unicode ? 16 : 12; }
  size_t blockAlign() const { return page4k ? 512 : 64; }  // a block's data, padding and trailer
  size_t maxBlockData() const { return (page4k ? 65536 : 8192) - blockTrailer(); }
};

// Whether `bytes` start like a PST/OST ("!BDN").
bool isPstStore(std::string_view bytes);

// Reads and checks the header. `name` is the file, named in every error.
Result<PstHeader> readPstHeader(const PstSource& source, const std::string& name);

// [MS-PST] 5.3 CRC: the reflected CRC-32 (0xEDB88320) without the initial and final inversion.
uint32_t pstCrc(std::string_view bytes, uint32_t crc = 0);

}  // namespace folio::ingest::mail
