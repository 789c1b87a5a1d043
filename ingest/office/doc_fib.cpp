#include "ingest/office/doc_fib.h"

#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {
namespace {

constexpr uint16_t kWordSignature = 0xA5EC;  // Word 97 and later
constexpr uint16_t kWord97Beta = 0x00C0;     // Word 97 writes 0x00C1; older: Word 6/95 (101..105) and before

}  // namespace

Result<DocFib> parseDocFib(std::string_view word_document, const std::string& name) {
  const DocBytes b{word_document};
  const std::string where = name + ": Word 97-2003 document";
  if (!b.has(0, 34)) return badInput(where + ": its WordDocument stream is too short (" + std::to_string(b.data.size()) + " bytes)");
  const uint16_t ident = b.u16(0);
  DocFib fib;
  fib.n_fib = b.u16(2);
  if (ident == 0xA5DB || ident == 0xA59B) {
    return badInput(name + ": a Word 2.0 (or older) file, not read: open it in Word and save it as .docx");
  }
  // Word 6 and 95 sign 0xA5DC (0xA699 in Asian versions) and number their format 101..105.
  if (ident == 0xA5DC || ident == 0xA699 || (fib.n_fib >= 101 && fib.n_fib <= 105) ||
      (ident == kWordSignature && fib.n_fib < kWord97Beta)) {
    return badInput(name + ": a Word 6/95 file (version " + std::to_string(fib.n_fib) +
                    "), not read: open it in Word and save it as .docx");
  }
  if (ident != kWordSignature) return badInput(where + ": unknown signature in its WordDocument stream");
  const uint16_t flags = b.u16(10);
  if (flags & 0x0100) {  // fEncrypted (also set for XOR obfuscation, fObfuscated)
    return badInput(name + ": a password-protected Word document: remove the password (or save it unprotected) to read it");
  }
  fib.table_1 = (flags & 0x0200) != 0;

  // FibRgW97 (csw 16-bit values), FibRgLw97 (cslw 32-bit values), FibRgFcLcb (cbRgFcLcb pairs).
  uint64_t at = 32;
  const uint16_t csw = b.u16(at);
  at += 2 + uint64_t{csw} * 2;
  if (!b.has(at, 2)) return badInput(where + ": its header is cut short (FibRgW)");
  const uint16_t cslw = b.u16(at);
  const uint64_t lw = at + 2;
  at = lw + uint64_t{cslw} * 4;
  if (cslw < 11 || !b.has(lw, uint64_t{cslw} * 4) || !b.has(at, 2)) {
    return badInput(where + ": its header is cut short (FibRgLw, " + std::to_string(cslw) + " values)");
  }
  auto count = [&](int i) { return b.u32(lw + 4 * static_cast<uint64_t>(i)); };
  fib.ccp_text = count(3);
  fib.ccp_ftn = count(4);
  fib.ccp_hdd = count(5);
  fib.ccp_mcr = count(6);
  fib.ccp_atn = count(7);
  fib.ccp_edn = count(8);
  fib.ccp_txbx = count(9);
  fib.ccp_hdr_txbx = count(10);
  for (uint32_t c : {fib.ccp_text, fib.ccp_ftn, fib.ccp_hdd, fib.ccp_mcr, fib.ccp_atn, fib.ccp_edn, fib.ccp_txbx, fib.ccp_hdr_txbx}) {
    if (c > 0x7FFFFFFF) return badInput(where + ": a negative character count in its header");
  }
  const uint16_t pairs = b.u16(at);
  at += 2;
  if (!b.has(at, uint64_t{pairs} * 8)) {
    return badInput(where + ": its header is cut short (" + std::to_string(pairs) + " offsets announced)");
  }
  fib.fc_lcb.resize(pairs);
  for (uint16_t i = 0; i < pairs; ++i) fib.fc_lcb[i] = FcLcb{b.u32(at + 8 * uint64_t{i}), b.u32(at + 8 * uint64_t{i} + 4)};
  return fib;
}

}  // namespace folio::ingest::office
