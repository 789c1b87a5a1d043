// PowerPoint 97-2003 (.ppt, .pps, .pot) -> ExtractedText, in the same shape as the .pptx reader
// (slide_text.h): each slide a page opening "Slide N: <title>" in show order ("Slide N (hidden): …"
// for one left out of the show), its text shapes' paragraphs and its tables in drawing order, then its
// speaker notes. The title is the text of the title placeholder; slide numbers, dates, headers and
// footers are left out, as are the master slides (their prompt text included). The newest save wins
// where the file was saved incrementally. Title and author come from the SummaryInformation stream.
//
// Password-protected files fail with what to do. Untrusted input: every record is read within its
// container and the stream (ppt_records.h); a broken structure fails naming the file and offset.
#pragma once

#include <cstdint>
#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/ole/compound_file.h"

namespace folio::ingest::office {

// `max_stream_bytes` bounds each stream read from the file.
Result<ExtractedText> extractPpt(const ole::CompoundFile& file, const std::string& name,
                                 uint64_t max_stream_bytes = uint64_t{512} << 20);

}  // namespace folio::ingest::office
