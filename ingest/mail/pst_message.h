// A message of a PST/OST as MAPI properties (mapi_message.h): its property context, its recipient
// table (subnode 0x692) and attachment table (subnode 0x671), each attachment a property context of its
// own whose attached message, if any, is a subnode of it.
#pragma once

#include <memory>
#include <vector>

#include "engine/common/result.h"
#include "ingest/mail/mapi_message.h"
#include "ingest/mail/pst_ltp.h"

namespace folio::ingest::mail {

// Opens the message stored in `node` (a node of the store, or an attachment's subnode).
Result<std::unique_ptr<MapiMessage>> openPstMessage(PstLtpNode node);

// A MAPI object over one PC or table row: the type-checked reads the message writer asks for.
class PstObjectProps {
 public:
  explicit PstObjectProps(PstProps props) : props_(std::move(props)) {}
  std::optional<uint64_t> fixedValue(uint16_t id) const { return props_.fixed(id); }
  Result<std::optional<MapiString>> stringValue(uint16_t id) const;
  Result<std::optional<std::string>> binaryValue(uint16_t id) const;
  Result<std::optional<std::vector<std::string>>> binariesValue(uint16_t id) const;
  const PstProps& props() const { return props_; }

 private:
  PstProps props_;
};

}  // namespace folio::ingest::mail
