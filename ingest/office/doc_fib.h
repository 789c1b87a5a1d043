// The File Information Block of a Word 97-2003 document ([MS-DOC] 2.5): the header at the start of the
// WordDocument stream that says which table stream holds the document's structures, how many
// characters each part of the text has (main text, footnotes, headers, comments, endnotes, text
// boxes) and where each structure lies (a table of offset/length pairs).
//
// Untrusted input: every count is checked against the stream; files Folio cannot read (Word 6/95 and
// older, password-protected) fail with what they are and what to do.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest::office {

struct FcLcb {
  uint32_t fc = 0;   // offset in the table stream (or the WordDocument stream, as the structure says)
  uint32_t lcb = 0;  // size in bytes; 0: absent
};

struct DocFib {
  // Indices into the FibRgFcLcb table ([MS-DOC] 2.5.6, FibRgFcLcb97).
  enum Index : size_t {
    kStshf = 1, kPlcffndRef = 2, kPlcffndTxt = 3, kPlcfandRef = 4, kPlcfandTxt = 5, kPlcfSed = 6,
    kPlcfHdd = 11, kPlcfBteChpx = 12, kPlcfBtePapx = 13, kSttbfFfn = 15, kDop = 31, kClx = 33, kGrpXstAtnOwners = 36, kPlcSpaMom = 40, kPlcfendRef = 46,
    kPlcfendTxt = 47, kSttbfRMark = 51, kPlcftxbxTxt = 56, kPlfLst = 73, kPlfLfo = 74,
  };

  uint16_t n_fib = 0;
  bool table_1 = false;  // the table stream is "1Table" (else "0Table")
  // Characters in each part of the text, in the order the parts follow each other.
  uint32_t ccp_text = 0, ccp_ftn = 0, ccp_hdd = 0, ccp_mcr = 0, ccp_atn = 0, ccp_edn = 0, ccp_txbx = 0,
           ccp_hdr_txbx = 0;
  std::vector<FcLcb> fc_lcb;

  FcLcb at(Index i) const { return i < fc_lcb.size() ? fc_lcb[i] : FcLcb{}; }
  const char* tableStream() const { return table_1 ? "1Table" : "0Table"; }
  // The first character of each part (footnotes start after the main text, and so on).
  uint64_t footnotesStart() const { return ccp_text; }
  uint64_t headersStart() const { return uint64_t{ccp_text} + ccp_ftn; }
  uint64_t commentsStart() const { return uint64_t{ccp_text} + ccp_ftn + ccp_hdd + ccp_mcr; }
  uint64_t endnotesStart() const { return commentsStart() + ccp_atn; }
  uint64_t textBoxesStart() const { return endnotesStart() + ccp_edn; }
  uint64_t totalCharacters() const { return endnotesStart() + ccp_edn + ccp_txbx + ccp_hdr_txbx; }
};

// Reads the FIB at the start of `word_document` (the WordDocument stream). `name` is used in messages.
Result<DocFib> parseDocFib(std::string_view word_document, const std::string& name);

}  // namespace folio::ingest::office
