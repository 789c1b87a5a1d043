#include "app/cli/library_format.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace folio::cli {

std::string formatSpan(int first, int last) {
  if (first <= 0) return "-";
  if (last <= first) return std::to_string(first);
  return std::to_string(first) + "\xE2\x80\x93" + std::to_string(last);  // en dash
}

std::string formatBytes(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else if (bytes < (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024.0);
  else if (bytes < (1ull << 30)) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1048576.0);
  else std::snprintf(buf, sizeof buf, "%.2f GB", static_cast<double>(bytes) / 1073741824.0);
  return buf;
}

std::string formatIngestRate(size_t files, double elapsed_s) {
  // One file, or a run shorter than a second, says nothing about throughput: "(0 files/s)" for one PDF
  // that took 3 s, "(40 files/s)" for one small file.
  if (files < 2 || elapsed_s < 1.0) return "";
  const double rate = static_cast<double>(files) / elapsed_s;
  char buf[48];
  std::snprintf(buf, sizeof buf, rate < 10 ? " (%.1f files/s)" : " (%.0f files/s)", rate);
  return buf;
}

void printIngestSummary(std::ostream& out, const ingest::IngestReport& r) {
  char line[256];
  std::snprintf(line, sizeof line, "%s collection \"%s\": %zu added, %zu updated, %zu unchanged, %zu removed, %zu skipped, %zu failed",
                r.cancelled ? "Cancelled; committed so far to" : "Ingested into", r.collection.c_str(), r.added,
                r.updated, r.unchanged, r.removed, r.skipped, r.failed);
  out << line;
  // Only after an update of a chunker: says why unchanged files took time (and changed search results).
  if (r.rechunked > 0) out << ", re-chunked " << r.rechunked << " (chunker or reader updated)";
  out << "\n";
  std::snprintf(line, sizeof line, "  %zu files (%s), %lld pages, %lld chunks written in %.2f s%s\n",
                r.files_seen, formatBytes(r.bytes).c_str(), static_cast<long long>(r.pages),
                static_cast<long long>(r.chunks), r.elapsed_s, formatIngestRate(r.files_seen, r.elapsed_s).c_str());
  out << line;
  if (r.ocr_pages > 0 || r.ocr_reused > 0 || r.ocr_blank > 0) {
    // Reused: OCR's text of an earlier run, kept in the library by the file's hash; no OCR this time.
    std::string parts;
    auto part = [&](int64_t n, const char* what) {
      if (n > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
    };
    part(r.ocr_pages, "read by OCR");
    part(r.ocr_reused, "with OCR's text of an earlier read (not read again)");
    part(r.ocr_blank, "blank");
    out << "  scanned pages: " << parts << "\n";
  }
  // A big tree can skip thousands of files; the first few make the point, `folio docs` has them all.
  constexpr size_t kMaxListed = 20;
  auto list = [&](const std::vector<ingest::IngestIssue>& issues, const char* label) {
    for (size_t i = 0; i < issues.size() && i < kMaxListed; ++i) {
      // Extraction errors already start with the path (they name the file wherever they are shown).
      std::string_view reason = issues[i].reason;
      if (const std::string named = issues[i].path + ": "; reason.starts_with(named)) reason.remove_prefix(named.size());
      out << "  " << label << issues[i].path << ": " << reason << "\n";
    }
    if (issues.size() > kMaxListed) {
      out << "  ... and " << issues.size() - kMaxListed << " more (`folio docs` lists them all)\n";
    }
  };
  list(r.skipped_files, "skipped ");
  list(r.failed_files, "failed  ");
  list(r.ocr_problems, "no OCR  ");
  const bool too_large = std::any_of(r.skipped_files.begin(), r.skipped_files.end(),
                                     [](const ingest::IngestIssue& i) { return i.reason.starts_with("too large"); });
  if (too_large)
    out << "  files over the size caps were skipped; `folio ingest --max-file-mib N` reads text files up to N MiB "
           "in this collection\n";
}

void printSearchHit(std::ostream& out, size_t rank, const ingest::SearchHit& h) {
  out << rank << ". " << h.rel_path;
  if (h.page_first > 0) out << "  pages " << formatSpan(h.page_first, h.page_last);
  out << "  lines " << formatSpan(h.line_first, h.line_last) << "  " << h.kind;
  if (!h.heading.empty()) out << "  " << h.heading;
  char score[32];
  std::snprintf(score, sizeof score, "  (score %.2f)", h.score);
  out << score << "\n";
  std::string snippet = h.snippet;
  for (char& c : snippet) {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\f') c = ' ';
  }
  out << "   " << snippet << "\n";
}

nlohmann::json ingestReportJson(const ingest::IngestReport& r) {
  auto issues = [](const std::vector<ingest::IngestIssue>& list) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& i : list) a.push_back({{"path", i.path}, {"reason", i.reason}});
    return a;
  };
  return {{"collection", r.collection},     {"added", r.added},       {"updated", r.updated},
          {"rechunked", r.rechunked},       {"unchanged", r.unchanged}, {"removed", r.removed},
          {"skipped", r.skipped},           {"failed", r.failed},     {"files", r.files_seen},
          {"bytes", r.bytes},               {"pages", r.pages},       {"chunks", r.chunks},
          {"elapsed_s", r.elapsed_s},       {"cancelled", r.cancelled},       {"ocr_pages", r.ocr_pages},
          {"ocr_reused", r.ocr_reused},     {"ocr_blank", r.ocr_blank},
          {"ocr_problems", issues(r.ocr_problems)},
          {"skipped_files", issues(r.skipped_files)}, {"failed_files", issues(r.failed_files)}};
}

nlohmann::json searchHitJson(const ingest::SearchHit& h) {
  return {{"chunk_id", h.chunk_id},     {"document_id", h.document_id}, {"collection", h.collection},
          {"path", h.path},             {"rel_path", h.rel_path},       {"title", h.title},
          {"ordinal", h.ordinal},       {"kind", h.kind},               {"heading", h.heading},
          {"page_first", h.page_first}, {"page_last", h.page_last},     {"line_first", h.line_first},
          {"line_last", h.line_last},   {"score", h.score},             {"snippet", h.snippet}};
}

nlohmann::json documentJson(const ingest::DocumentRecord& d) {
  return {{"id", d.id},
          {"collection", d.collection},
          {"path", d.path},
          {"rel_path", d.rel_path},
          {"kind", d.kind},
          {"language", d.language},
          {"content_hash", d.content_hash},
          {"size", d.size},
          {"mtime_ns", d.mtime_ns},
          {"title", d.title},
          {"pages", d.page_count},
          {"ocr_pages", d.ocr_pages},
          {"lines", d.line_count},
          {"chunks", d.chunk_count},
          {"status", std::string(ingest::documentStatusName(d.status))},
          {"reason", d.error},
          {"ingested_at", d.ingested_at}};
}

std::string dumpJson(const nlohmann::json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace folio::cli
