// Fuzzes Outlook mail store extraction: the header, the node and block B-trees (512-byte and 4 KiB
// pages), deflated blocks, data and subnode trees, heaps, BTHs, property and table contexts, folders,
// messages, recipients and attached messages, the name-to-id map (node 0x61) and the appointment,
// contact and task fields read through it. Any bytes give an error naming the file or valid UTF-8 text
// whose chunks keep their provenance.
// The corpus: stores from `folio_make_pst small` (plain, --permute and --ansi; items.* hold a meeting,
// a contact and a task with their named properties; the meeting with its time zone definitions), and
// Outlook 2013+ offline stores with 4 KiB pages and deflated blocks (*-4k.ost: --4k, --4k --permute, and
// deep-4k.ost: --4k --block-data=1024 --page-entries=16 --deflate-internal, data trees and B-trees of two
// levels, XBLOCKs and subnode blocks deflated).
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/extract.h"
#include "ingest/mail/pst_extract.h"
#include "fuzz_extract_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 262144) return 0;
  using namespace folio::ingest;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto r = mail::extractPst(mail::MemoryPstSource(in), "fuzz.pst");
  if (!r.ok()) {
    if (r.error().message.find("fuzz.pst") == std::string::npos) std::abort();
    return 0;
  }
  fuzz::checkExtracted(*r, SourceType{SourceKind::Email, "pst"});
  return 0;
}
