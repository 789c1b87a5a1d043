#include "ingest/office/doc_pieces.h"

#include <algorithm>

#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {

char16_t compressedCharacter(uint8_t byte) {
  // [MS-DOC] 2.4.1: bytes 0x82..0x9F that Word maps to other code points; 0x80, 0x81, 0x8D..0x90,
  // 0x9D and 0x9E are not in its table and stand for themselves.
  static constexpr char16_t k80[32] = {
      0x0080, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x008E, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x009E, 0x0178};
  return byte >= 0x80 && byte <= 0x9F ? k80[byte - 0x80] : static_cast<char16_t>(byte);
}

Result<DocPieces> DocPieces::parse(std::string_view table, FcLcb clx, const std::string& name) {
  const DocBytes b{table};
  const std::string where = name + ": Word 97-2003 document: piece table";
  if (clx.lcb == 0 || !b.has(clx.fc, clx.lcb)) return badInput(where + " missing or outside the table stream");
  uint64_t at = clx.fc;
  const uint64_t end = uint64_t{clx.fc} + clx.lcb;
  // Prc entries (property modifiers of pieces) come first; skip them to the Pcdt.
  while (at < end && b.u8(at) == 0x01) {
    const int16_t cb = b.i16(at + 1);
    if (cb < 0) return badInput(where + ": a negative property size at offset " + std::to_string(at));
    at += 3 + static_cast<uint64_t>(cb);
  }
  if (at + 5 > end || b.u8(at) != 0x02) return badInput(where + ": no piece list (Pcdt) at offset " + std::to_string(at));
  const uint32_t lcb = b.u32(at + 1);
  at += 5;
  if (lcb < 16 || lcb > end - at || (lcb - 4) % 12 != 0) {
    return badInput(where + ": a piece list of " + std::to_string(lcb) + " bytes");
  }
  const uint64_t n = (lcb - 4) / 12;  // n+1 CPs, n 8-byte piece descriptors
  DocPieces out;
  out.pieces_.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    Piece p;
    p.cp_begin = b.u32(at + 4 * i);
    p.cp_end = b.u32(at + 4 * (i + 1));
    if (p.cp_end < p.cp_begin || (!out.pieces_.empty() && p.cp_begin < out.pieces_.back().cp_end)) {
      return badInput(where + ": piece " + std::to_string(i) + " is out of order");
    }
    const uint32_t fc = b.u32(at + 4 * (n + 1) + 8 * i + 2);
    p.compressed = (fc & 0x40000000) != 0;
    p.fc = p.compressed ? (fc & 0x3FFFFFFF) / 2 : (fc & 0x3FFFFFFF);
    if (p.cp_end > p.cp_begin) out.pieces_.push_back(p);
  }
  return out;
}

std::u16string DocPieces::text(std::string_view word_document, uint64_t count) const {
  const DocBytes b{word_document};
  // Each character takes at least one byte of the stream.
  count = std::min<uint64_t>(count, word_document.size());
  uint64_t length = 0;
  for (const Piece& p : pieces_) length = std::max<uint64_t>(length, std::min<uint64_t>(p.cp_end, count));
  std::u16string out(length, u'\0');
  for (const Piece& p : pieces_) {
    if (p.cp_begin >= length) break;
    const uint32_t stop = static_cast<uint32_t>(std::min<uint64_t>(p.cp_end, length));
    for (uint32_t cp = p.cp_begin; cp < stop; ++cp) {
      const uint64_t k = cp - p.cp_begin;
      if (p.compressed) {
        if (!b.has(p.fc + k, 1)) break;
        out[cp] = compressedCharacter(b.u8(p.fc + k));
      } else {
        if (!b.has(p.fc + 2 * k, 2)) break;
        out[cp] = static_cast<char16_t>(b.u16(p.fc + 2 * k));
      }
    }
  }
  return out;
}

std::optional<uint32_t> DocPieces::fcOf(uint32_t cp) const {
  auto it = std::upper_bound(pieces_.begin(), pieces_.end(), cp, [](uint32_t c, const Piece& p) { return c < p.cp_end; });
  if (it == pieces_.end() || cp < it->cp_begin) return std::nullopt;
  const uint64_t k = cp - it->cp_begin;
  const uint64_t fc = it->fc + (it->compressed ? k : 2 * k);
  if (fc > 0xFFFFFFFF) return std::nullopt;
  return static_cast<uint32_t>(fc);
}

}  // namespace folio::ingest::office
