// A chronology of the dated events in a scope's documents (`folio timeline`): each sentence that holds a
// full date (date_mentions.h) is an event on that date, and each e-mail message (its "Date:" header
// with its Subject and From) is one event at its time. The same event met in several places — a
// message quoted in every reply of its thread, a file copied into two folders — is one event with the
// places it was found, so 5,000 e-mails give the dates they speak of, not 5,000 copies of them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/pipeline/date_mentions.h"
#include "engine/common/result.h"
#include "ingest/library/library.h"

namespace folio::app {

// Where an event was found: a chunk of a document, at a page and line span.
struct TimelinePlace {
  int64_t document_id = 0;
  int64_t chunk_id = 0;
  std::string path;     // the document's relative path
  std::string heading;  // the chunk's heading path ("Message 3 of 40: Re: draft", "8. Term › 8.1")
  int page_first = 0, page_last = 0, line_first = 0, line_last = 0;
};

struct TimelineEvent {
  std::string date;  // ISO 8601: "2024-03-05", or "2024-03" for a month
  DatePrecision precision = DatePrecision::Day;
  bool year_inferred = false;  // the text gives no year: the message's (DateScanOptions::reference_year)
  // "14:30 +0000" when the text gives one (a message's Date header), else "". As written, in its own
  // zone: events of one day sort by it, so messages sent from two zones on one day may sort apart from
  // the order they were sent in.
  std::string time;
  bool message = false;  // an e-mail message: `text` is its subject
  std::string text;      // the sentence holding the date, shortened around it; a message's subject
  std::string from;      // a message's sender
  std::vector<TimelinePlace> places;  // the first kMaxTimelinePlaces places it was found, in scan order
  int64_t occurrences = 0;            // places it was found (chunks holding it), all counted
};

// An event keeps this many of its places; the others are counted only.
inline constexpr size_t kMaxTimelinePlaces = 5;
// A sentence is shown as at most this many bytes around its date.
inline constexpr size_t kTimelineSentenceBytes = 320;

struct TimelineOptions {
  std::optional<std::string> collection;  // none: every document of the library
  std::vector<int64_t> document_ids;      // when not empty: only these documents
  std::optional<std::string> from, to;    // ISO dates (YYYY-MM-DD), inclusive; a month event counts if its month meets the range
  bool day_first = false;                 // DateScanOptions::day_first
  // When not empty: only events whose text, heading or sender holds every one of these words, compared
  // as the pipeline compares a question's words (distinctRankingWords / coverageKeys, evidence.h).
  std::string words;
};

struct Timeline {
  std::vector<TimelineEvent> events;  // by date (a month before its days), time, then first place's path and chunk
  int64_t documents = 0;              // documents read
  int64_t documents_in_scope = 0;
  bool stopped = false;               // cancelled: the events found until then
  int64_t mentions = 0;               // dates found in them (before duplicates were merged and filters applied)
};

// Called after each document: (documents done, documents in scope).
using TimelineProgressFn = std::function<void(int64_t done, int64_t total)>;

// Reads the scope's documents one at a time, each chunk by chunk (the library is never in memory
// whole). BadInput for a malformed from/to date; NotFound for a collection or document that is not
// there (resolveScope). `cancel` (checked between chunks) stops it: the events found until then come
// back with `stopped` set (a 50 GB mail store is read for minutes: what was read is shown).
Result<Timeline> buildTimeline(ingest::Library& lib, const TimelineOptions& options,
                               const TimelineProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

// The events of `text` (a chunk's text) on their own, before duplicates are merged: what buildTimeline
// finds in one chunk, each with `place` as its place (its line narrowed to the date's where the chunk
// lies on one page).
std::vector<TimelineEvent> chunkEvents(std::string_view text, const TimelinePlace& place, const DateScanOptions& options);

}  // namespace folio::app
