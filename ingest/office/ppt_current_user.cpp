#include "ingest/office/ppt_current_user.h"

#include "ingest/office/doc_bytes.h"
#include "ingest/office/ppt_records.h"

namespace folio::ingest::office {
namespace {

constexpr uint32_t kTokenPlain = 0xE391C05F, kTokenEncrypted = 0xF3D1C4DF;

}  // namespace

Result<PptCurrentUser> readPptCurrentUser(std::string_view stream, const std::string& name) {
  const DocBytes b{stream};
  const auto atom = readPptRecord(stream, 0, stream.size());
  // size (4), headerToken (4), offsetToCurrentEdit (4) at least.
  if (!atom || atom->type != kPptCurrentUserAtom || atom->length < 12) {
    return badInput(pptWhere(name) + "its \"Current User\" stream holds no CurrentUserAtom");
  }
  const uint32_t token = b.u32(atom->body() + 4);
  if (token != kTokenPlain && token != kTokenEncrypted) {
    return badInput(pptWhere(name) + "unknown header token in its \"Current User\" stream (not PowerPoint 97 or later?)");
  }
  return PptCurrentUser{b.u32(atom->body() + 8), token == kTokenEncrypted};
}

}  // namespace folio::ingest::office
