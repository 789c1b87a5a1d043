// Text and JSON renderings of library results shared by `folio ingest`, `folio search`, `folio docs`
// and the headless demo.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"

namespace folio::cli {

// "4", "4–5", or "-" when the span is empty (0).
std::string formatSpan(int first, int last);
// "1.2 MB"
std::string formatBytes(uint64_t bytes);

// " (12.5 files/s)", " (2400 files/s)"; "" for fewer than 2 files or under a second (no real rate).
std::string formatIngestRate(size_t files, double elapsed_s);
void printIngestSummary(std::ostream& out, const ingest::IngestReport& report);
// "1. contracts/services-agreement.pdf  pages 4–5  lines 1–9  clause  10. Term › 10.2" + snippet line.
void printSearchHit(std::ostream& out, size_t rank, const ingest::SearchHit& hit);

nlohmann::json ingestReportJson(const ingest::IngestReport& report);
nlohmann::json searchHitJson(const ingest::SearchHit& hit);
nlohmann::json documentJson(const ingest::DocumentRecord& doc);

// JSON text for output: invalid UTF-8 in paths or text is replaced rather than thrown on.
std::string dumpJson(const nlohmann::json& j);

}  // namespace folio::cli
