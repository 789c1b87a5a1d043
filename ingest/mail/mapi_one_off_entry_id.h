// A one-off EntryID ([MS-OXCDATA] 2.2.5.1): a recipient in no address book, whose display name, address
// type and address are kept in the id itself — as a personal distribution list keeps its members
// (PidLidDistributionListOneOffMembers).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace folio::ingest::mail {

struct OneOffRecipient {
  std::string name, address_type, address;
};

// The recipient in `entry_id` (8-bit strings read in `charset`); nullopt when it is not a one-off
// EntryID or is cut short.
std::optional<OneOffRecipient> parseOneOffEntryId(std::string_view entry_id, const std::string& charset);

}  // namespace folio::ingest::mail
