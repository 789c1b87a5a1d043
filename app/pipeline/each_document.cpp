#include "app/pipeline/each_document.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "app/pipeline/citations.h"
#include "ingest/library/search.h"

namespace folio::app {
namespace {

// Chunks of each document compared on coverage: BM25 favours short chunks that repeat one word, the
// passage that answers may rank second or third in its document.
constexpr int kChunksPerDocument = 4;
// Bounds the ranking's work on a question whose words are in most chunks of a large library.
constexpr int kMaxChunksPerDocumentScreened = 40;
constexpr int kMaxChunksScreened = 400000;

}  // namespace

int minimumCoverage(const std::string& question) {
  std::set<std::string> keys;
  for (const auto& w : rankingWords(question)) keys.insert(coverageKey(w));
  const int n = static_cast<int>(keys.size());
  return n <= 2 ? n : (n + 1) / 2;
}

Result<std::vector<RankedChunk>> bestPassagePerDocument(ingest::Library& lib, const std::string& question,
                                                        const std::vector<ingest::DocumentRecord>& documents,
                                                        const std::atomic<bool>* cancel) {
  std::vector<RankedChunk> out;
  const auto words = rankingWords(question);
  if (words.empty() || documents.empty()) return out;
  std::string query;
  for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
  std::unordered_map<int64_t, const ingest::DocumentRecord*> by_id;
  for (const auto& d : documents) by_id[d.id] = &d;
  auto ids = searchFilter(lib, documents);
  if (!ids) return ids.error();
  const int screened = static_cast<int>(std::min<int64_t>(
      kMaxChunksScreened, static_cast<int64_t>(documents.size()) * kMaxChunksPerDocumentScreened));
  auto matches = ingest::bestChunksByDocument(lib.db(), query, *ids, kChunksPerDocument, screened);
  if (!matches) return matches.error();
  const int needed = std::max(1, minimumCoverage(question));
  for (const auto& m : *matches) {
    if (cancel && cancel->load()) return cancelled("question cancelled; no answer recorded");
    const auto doc = by_id.find(m.document_id);
    if (doc == by_id.end()) continue;
    std::optional<RankedChunk> best;
    for (const auto& hit : m.chunks) {
      auto chunk = lib.chunk(hit.chunk_id);
      if (!chunk) return chunk.error();
      if (!*chunk) continue;
      RankedChunk r;
      r.coverage = questionCoverage(words, (*chunk)->heading + " " + (*chunk)->text);
      r.bm25 = hit.score;
      r.path = doc->second->rel_path;
      r.chunk = std::move(**chunk);
      if (!best || r.coverage > best->coverage) best = std::move(r);  // hits come best BM25 first
    }
    if (best && best->coverage >= needed) out.push_back(std::move(*best));
  }
  std::stable_sort(out.begin(), out.end(), [](const RankedChunk& a, const RankedChunk& b) {
    if (a.coverage != b.coverage) return a.coverage > b.coverage;
    return a.bm25 > b.bm25;
  });
  return out;
}

Result<EachDocumentEvidence> eachDocumentEvidence(ingest::Library& lib, const std::string& question,
                                                  const std::vector<ingest::DocumentRecord>& documents,
                                                  const std::function<int64_t(const std::string&)>& count,
                                                  int64_t available_tokens, const std::atomic<bool>* cancel) {
  auto passages = bestPassagePerDocument(lib, question, documents, cancel);
  if (!passages) return passages.error();
  EachDocumentEvidence out;
  out.matched = static_cast<int64_t>(passages->size());
  int64_t used = 0, unfit = 0;
  for (const auto& p : *passages) {
    Evidence e = chunkEvidence(p.chunk, p.path);
    e.n = static_cast<int>(out.evidence.size()) + 1;
    e.text = citationQuote({e.n, e}, question, {}, kEachDocumentPassageBytes);
    const int64_t t = count(formatEvidenceBlock(e));
    // Best first: once one does not fit, the weaker ones after it are left out too, so the list
    // stays a prefix of the ranking.
    if (unfit > 0 || used + t > available_tokens) {
      ++unfit;
      continue;
    }
    used += t;
    out.evidence.push_back(std::move(e));
  }
  const int64_t total = static_cast<int64_t>(documents.size());
  if (total > out.matched)
    out.left_out.push_back({std::to_string(total - out.matched) + " of the " + std::to_string(total) +
                                " documents in scope",
                            "no passage of them holds enough of the question's words (" +
                                std::to_string(std::max(1, minimumCoverage(question))) + ")"});
  if (unfit > 0)
    out.left_out.push_back({std::to_string(unfit) + " more matching documents (the weakest matches)",
                            "their passages do not fit the context window after the " +
                                std::to_string(out.evidence.size()) + " stronger ones"});
  return out;
}

}  // namespace folio::app
