// The fields of Outlook items that are not mail, read by their message class (PR_MESSAGE_CLASS) so that
// "when was the meeting with Acme" and "what is Jane's e-mail address" find them. They follow the
// header lines in the same "Label: value" shape:
//
//   IPM.Appointment, IPM.Schedule.Meeting.*, and a recurring series' changed occurrences:
//     When: 2024-03-05 09:00 – 10:00 (UTC−05:00, Eastern Standard Time; 14:00 – 15:00 UTC)
//           (in the organizer's zone where the item keeps one, appointment_when.h; else
//           "2024-03-05 14:00 – 15:00 (UTC)"; all-day: "2024-03-05 (all day)")
//     Where: Room 4.01
//     Recurs: every Tuesday from 10:00 AM to 11:00 AM   (the text Outlook stores)
//     Time zone: (UTC-08:00) Pacific Time (US & Canada)  (the organizer's)
//   IPM.Contact: Name, Company, Department, Job title, E-mail (to E-mail 3), phone numbers, addresses,
//     Web page, IM address, Birthday.
//   IPM.DistList: Name, Members ("Jane Roe <jane@acme.example>, Legal <legal@example.com>").
//   IPM.Task: Start, Due, Status ("In progress, 50% complete"), Completed, Owner.
//
// The organizer and attendees are the From, To and Cc lines already; a sticky note's text is its body.
// Most of these are named properties (mapi_named_props.h): without the store's map, or with a damaged
// one, they are left out and the item reads as a message would.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/common/result.h"
#include "ingest/mail/mapi_message.h"
#include "ingest/mail/mapi_named_props.h"

namespace folio::ingest::mail {

using ItemFields = std::vector<std::pair<std::string, std::string>>;

// The item's fields by its class; none for mail and other classes. Strings in 8 bits are read in
// `charset`.
Result<ItemFields> outlookItemFields(const MapiObject& item, const std::string& message_class, const NamedProperties& named,
                                     const std::string& charset);

}  // namespace folio::ingest::mail
