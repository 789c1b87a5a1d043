// Fuzzes Outlook message extraction: the compound file reader (sector chains, the directory tree), the
// property streams and tables, recipients, attachments and attached messages, code pages, the
// name-to-id map and the appointment, contact and task fields read through it, (inputs starting with
// 'L') compressed-RTF bodies and (inputs starting with 'N') a name-to-id map's GUID and entry streams
// on their own. Any bytes give an error naming the file or valid UTF-8 text whose chunks keep their
// provenance. The corpus: messages from msg_writer, and `folio_make_pst msg` (a meeting with an
// attached contact; items-zone.msg's meeting with its New York time zone definition).
// fuzz-link: folio_ingest
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/extract.h"
#include "ingest/mail/mapi_named_props.h"
#include "ingest/mail/rtf_compressed.h"
#include "fuzz_extract_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  using namespace folio::ingest;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.size() >= 2 && in[0] == 'N') {  // 'N', the GUID stream's length in 16-byte GUIDs, the streams
    const size_t guids = std::min<size_t>(static_cast<uint8_t>(in[1]) * 16u, in.size() - 2);
    auto map = mail::NamedProperties::parse(in.substr(2, guids), in.substr(2 + guids), "fuzz.msg");
    if (!map.ok() && map.error().message.find("fuzz.msg") == std::string::npos) std::abort();
    if (map.ok()) {
      for (uint32_t lid = 0x8000; lid < 0x8300; ++lid)
        if (auto id = map->id(mail::PropertySet::Appointment, lid); id && *id < 0x8000) std::abort();
    }
    return 0;
  }
  if (!in.empty() && in[0] == 'L') {
    auto rtf = mail::decompressRtf(in.substr(1), 1 << 20);
    if (rtf && rtf->size() > (1u << 20)) std::abort();
    return 0;
  }
  const SourceType email{SourceKind::Email, ""};
  auto r = extractBytes(in, email, "fuzz.msg");
  if (!r.ok()) {
    if (r.error().message.find("fuzz.msg") == std::string::npos) std::abort();
    return 0;
  }
  fuzz::checkExtracted(*r, email);
  return 0;
}
