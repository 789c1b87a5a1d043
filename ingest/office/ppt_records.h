// The record structure of a PowerPoint 97-2003 (.ppt) "PowerPoint Document" stream ([MS-PPT] 2.3.1):
// every structure is a record — an 8-byte header (recVer 4 bits, recInstance 12 bits, recType 16
// bits, recLen 32 bits) and recLen bytes; a record of recVer 0xF is a container whose body is more
// records, any other is an atom. The drawings inside slides (OfficeArt, [MS-ODRAW]) share the header.
//
// Untrusted input: a record is only read when its body lies inside its container (and the stream);
// callers bound their descent with kMaxPptDepth.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest::office {

// Record types Folio reads ([MS-PPT] 2.13.24 RecordType, [MS-ODRAW] 2.1.1).
enum PptType : uint16_t {
  kPptDocument = 0x03E8, kPptSlide = 0x03EE, kPptSlideAtom = 0x03EF, kPptNotes = 0x03F0, kPptNotesAtom = 0x03F1,
  kPptSlidePersistAtom = 0x03F3, kPptSlideShowSlideInfoAtom = 0x03F9, kPptDrawing = 0x040C,
  kPptPlaceholderAtom = 0x0BC3, kPptOutlineTextRefAtom = 0x0F9E, kPptTextHeaderAtom = 0x0F9F,
  kPptTextCharsAtom = 0x0FA0, kPptTextBytesAtom = 0x0FA8, kPptSlideListWithText = 0x0FF0, kPptUserEditAtom = 0x0FF5,
  kPptCurrentUserAtom = 0x0FF6, kPptPersistDirectoryAtom = 0x1772, kPptCryptSession10 = 0x2F14,
  kArtGroup = 0xF003, kArtShape = 0xF004, kArtShapeAtom = 0xF00A, kArtProperties = 0xF00B,
  kArtClientTextbox = 0xF00D, kArtChildAnchor = 0xF00F, kArtClientAnchor = 0xF010, kArtClientData = 0xF011,
  kArtTertiaryProperties = 0xF122,
};

// Deeper nesting than this is not followed (real files nest about 8 deep: group shapes add two a level).
constexpr int kMaxPptDepth = 32;

struct PptRecord {
  uint16_t version = 0, instance = 0, type = 0;
  uint32_t length = 0;
  uint64_t offset = 0;  // of the header in the stream

  bool container() const { return version == 0xF; }
  uint64_t body() const { return offset + 8; }
  uint64_t end() const { return body() + length; }
};

// The record whose header is at `at`, when header and body end by `limit` (and the stream's end).
std::optional<PptRecord> readPptRecord(std::string_view stream, uint64_t at, uint64_t limit);

// The records inside container `parent`, in order. A record that runs past its container fails,
// naming `name`, the offset and the record type.
Result<std::vector<PptRecord>> pptChildren(std::string_view stream, const PptRecord& parent, const std::string& name);

// The first record of `type` inside `parent` (not descending), if any.
std::optional<PptRecord> pptChild(std::string_view stream, const PptRecord& parent, uint16_t type);

// "<name>: PowerPoint 97-2003 presentation: " — the prefix of the reader's messages.
std::string pptWhere(const std::string& name);

}  // namespace folio::ingest::office
