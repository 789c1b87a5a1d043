// A timeline as people read it: a listing for the terminal, JSON for programs (the command line and the
// HTTP API), and a Report whose table (Date | Event | Document | Where) the exports write — one set of
// words for the command line, the server and the desktop.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/pipeline/timeline.h"
#include "app/report/report.h"

namespace folio::app {

// "2024-03-05 14:30 +0000", "2024-03".
std::string timelineEventDate(const TimelineEvent& e);
// The sentence, or for a message "E-mail: <subject> — from <sender>".
std::string timelineEventText(const TimelineEvent& e);
// "mail/2024.mbox › Message 3 of 40: Re: draft (page 3, lines 1–4)".
std::string timelinePlaceText(const TimelinePlace& p);
// "and 4 other places", "" for an event found once.
std::string timelineOtherPlaces(const TimelineEvent& e);
// "41,865 events from 1 document (124,847 dates found); from 2024-01-01; holding "breach"".
std::string timelineSummary(const TimelineOptions& options, const Timeline& t, size_t shown);

nlohmann::json timelineEventJson(const TimelineEvent& e);
// The first `shown` events as one JSON object, written an event at a time (86,000 events as one JSON
// value took 750 MB), invalid UTF-8 replaced.
void writeTimelineJson(std::ostream& out, const Timeline& t, size_t shown);
// The first `shown` events as a table.
Report timelineReport(const TimelineOptions& options, const Timeline& t, size_t shown);
// The first `shown` events, each with its first place, then timelineSummary.
std::string timelineText(const TimelineOptions& options, const Timeline& t, size_t shown);

}  // namespace folio::app
