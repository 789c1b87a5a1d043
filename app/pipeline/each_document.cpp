#include "app/pipeline/each_document.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>
#include <unordered_map>

#include "app/pipeline/citations.h"
#include "app/pipeline/everyday_words.h"
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

// A clause's own title: its heading's last part, or where that is only a number ("10. Term of
// Agreement › 10.1") the part it is numbered under.
std::string clauseTitle(std::string_view heading) {
  std::string_view last = lastHeadingPart(heading);
  const bool named = std::any_of(last.begin(), last.end(), [](unsigned char c) { return std::isalpha(c) || c >= 0x80; });
  if (named || last.size() == heading.size()) return std::string(last);
  return std::string(lastHeadingPart(heading.substr(0, heading.size() - last.size() - 5)));  // less " › "
}

// Words a clause title shares with many topics that name none of them: "12.8 Logo Rights" is not
// about audit rights, "General Terms" not about payment terms.
bool namesNoTopic(std::string_view lower_word) {
  static constexpr std::string_view kWords[] = {"right",     "rights",     "terms",      "agreement", "agreements",
                                                "general",   "provisions", "obligation", "obligations", "party",
                                                "parties",   "other",      "additional", "standard",  "miscellaneous"};
  return std::find(std::begin(kWords), std::end(kWords), lower_word) != std::end(kWords);
}

}  // namespace

int minimumCoverage(const std::string& question) {
  std::set<std::string> keys;
  for (const auto& w : rankingWords(question)) keys.insert(coverageKey(w));
  const int n = static_cast<int>(keys.size());
  return n <= 2 ? n : (n + 1) / 2;
}

Result<std::vector<RankedChunk>> bestPassagePerDocument(ingest::Library& lib, const std::string& question,
                                                        const std::vector<ingest::DocumentRecord>& documents,
                                                        const std::atomic<bool>* cancel, ScreenFor screen) {
  std::vector<RankedChunk> out;
  const auto words = rankingWords(question);
  if (words.empty() || documents.empty()) return out;
  std::string query;
  for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
  // The contract words the question's everyday words stand for ("Which agreements can we walk away
  // from?": termination), searched with them and counted for them in contract clauses.
  const auto distinct = distinctRankingWords(question);
  const std::vector<EverydayMeaning> meanings = everydayMeanings(question, distinct);
  std::vector<std::string> term_searches;
  std::vector<std::vector<std::pair<const ContractTerm*, size_t>>> stands_for(distinct.size());  // (term, its index)
  for (const auto& m : meanings)
    for (const auto& t : m.terms) {
      for (size_t i : m.words) stands_for[i].push_back({&t, term_searches.size()});
      term_searches.push_back(t.search);
      query += " " + t.search;
    }
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
  // An everyday word no passage holds weighs as the rarest contract word it stands for that some do.
  auto counts = wordChunkCounts(lib.db(), distinct);
  if (!counts) return counts.error();
  auto term_counts = wordChunkCounts(lib.db(), term_searches);
  if (!term_counts) return term_counts.error();
  std::vector<double> weights;
  double total_weight = 0;
  for (size_t i = 0; i < distinct.size(); ++i) {
    double w = counts->holding[i] > 0 ? wordWeight(*counts, i) : 0.0;
    if (w == 0)
      for (const auto& [term, k] : stands_for[i])
        if (term_counts->holding[k] > 0) w = std::max(w, wordWeight(*term_counts, k));
    weights.push_back(w);
    total_weight += w;
  }
  // The question's words a passage covers, itself or (a contract clause) by a contract word they stand for.
  const auto coverage = [&](const ingest::StoredChunk& chunk, const std::string& text) {
    const std::vector<Coverage> covered = coveredWords(distinct, text, {});
    const bool clause = isContractClause(chunk);
    const std::vector<std::string> in_order = clause && !meanings.empty() ? wordsInOrder(text) : std::vector<std::string>();
    std::pair<int, double> out{0, 0.0};
    const std::vector<std::string> title =
        clause && !meanings.empty() ? wordsInOrder(lastHeadingPart(chunk.heading)) : std::vector<std::string>();
    for (size_t i = 0; i < distinct.size(); ++i) {
      bool held = covered[i] != Coverage::None, titled = false;
      for (size_t t = 0; !held && clause && t < stands_for[i].size(); ++t) {
        held = holdsTerm(*stands_for[i][t].first, in_order);
        titled = held && holdsTerm(*stands_for[i][t].first, title);
      }
      if (!held) continue;
      ++out.first;
      // A clause titled so is about it ("3.2 Termination" for "walk away"), as in rankChunks.
      out.second += weights[i] * (titled ? kNameWeight : 1.0);
    }
    return out;
  };
  // For a topic, the weight of its words the passage's own title holds (a word no passage holds
  // weighs nothing, so one counts for being there), when they are at least half the title's words:
  // "6.1 Term" and "5. Term and Termination" are about a term, the definition "“BAA Standard Terms”"
  // is not about payment terms.
  std::set<std::string> topic_keys;
  for (const auto& w : distinct) topic_keys.insert(coverageKey(w));
  const auto titled = [&](const ingest::StoredChunk& chunk) {
    if (screen != ScreenFor::Topic) return 0.0;
    const std::string title = clauseTitle(chunk.heading);
    int words = 0, held = 0, topical = 0;
    for (const auto& w : distinctRankingWords(title)) {
      if (std::any_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c); })) continue;  // "10.1"
      ++words;
      if (topic_keys.count(coverageKey(w)) == 0) continue;
      ++held;
      topical += !namesNoTopic(w);
    }
    if (topical == 0 || held * 2 < words) return 0.0;
    const std::vector<Coverage> covered = coveredWords(distinct, title, {});
    double w = 0;
    for (size_t i = 0; i < distinct.size(); ++i)
      if (covered[i] != Coverage::None) w += std::max(weights[i], 1e-9);
    return w;
  };
  for (const auto& m : *matches) {
    if (cancel && cancel->load()) return cancelled("question cancelled; no answer recorded");
    const auto doc = by_id.find(m.document_id);
    if (doc == by_id.end()) continue;
    std::optional<RankedChunk> best;
    double best_title = 0;
    for (const auto& hit : m.chunks) {
      auto chunk = lib.chunk(hit.chunk_id);
      if (!chunk) return chunk.error();
      if (!*chunk) continue;
      RankedChunk r;
      const std::string text = (*chunk)->heading + " " + (*chunk)->text;
      std::tie(r.coverage, r.weight) = coverage(**chunk, text);
      r.bm25 = hit.score;
      r.path = doc->second->rel_path;
      const double title = titled(**chunk);
      r.chunk = std::move(**chunk);
      // Hits come best BM25 first; a topic's words in the title count twice.
      if (!best || r.weight + title > best->weight + best_title) {
        best = std::move(r);
        best_title = title;
      }
    }
    if (best && (best_title > 0 || (best->coverage >= needed && best->weight * 2 >= total_weight)))
      out.push_back(std::move(*best));
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
