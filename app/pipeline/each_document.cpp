#include "app/pipeline/each_document.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "app/pipeline/citations.h"
#include "app/pipeline/passage_signals.h"
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
  // The covered words must also hold half the question's weight (wordWeight: rarity in the library):
  // "Which agreements require insurance?" is not matched by a clause holding "agreement" and
  // "required", which every contract has, without "insurance". A word no passage holds ("Which
  // contracts allow …" over files that say "Agreement") is the question's phrasing: it weighs nothing.
  const auto distinct = distinctRankingWords(question);
  auto counts = wordChunkCounts(lib.db(), distinct);
  if (!counts) return counts.error();
  std::vector<double> weights;
  double total_weight = 0;
  for (size_t i = 0; i < distinct.size(); ++i) {
    weights.push_back(counts->holding[i] > 0 ? wordWeight(*counts, i) : 0.0);
    total_weight += weights.back();
  }
  const auto covered_weight = [&](const std::string& text) {
    const std::vector<Coverage> covered = coveredWords(distinct, text, {});
    double sum = 0;
    for (size_t i = 0; i < distinct.size(); ++i)
      if (covered[i] != Coverage::None) sum += weights[i];
    return sum;
  };
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
      const std::string text = (*chunk)->heading + " " + (*chunk)->text;
      r.coverage = questionCoverage(words, text);
      r.weight = covered_weight(text);
      r.bm25 = hit.score;
      r.path = doc->second->rel_path;
      r.chunk = std::move(**chunk);
      if (!best || r.weight > best->weight) best = std::move(r);  // hits come best BM25 first
    }
    if (best && best->coverage >= needed && best->weight * 2 >= total_weight) out.push_back(std::move(*best));
  }
  std::stable_sort(out.begin(), out.end(), [](const RankedChunk& a, const RankedChunk& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
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
                                std::to_string(std::max(1, minimumCoverage(question))) +
                                ", and half of their weight by rarity)"});
  if (unfit > 0)
    out.left_out.push_back({std::to_string(unfit) + " more matching documents (the weakest matches)",
                            "their passages do not fit the context window after the " +
                                std::to_string(out.evidence.size()) + " stronger ones"});
  return out;
}

}  // namespace folio::app
