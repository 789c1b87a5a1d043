#include "app/pipeline/evidence.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

#include "app/pipeline/everyday_words.h"
#include "app/pipeline/extractive_summarizer.h"
#include "app/pipeline/passage_signals.h"
#include "ingest/library/identifier_parts.h"
#include "ingest/library/search.h"
#include "ingest/source_kind.h"

namespace folio::app {
namespace {

std::string range(int a, int b) { return a == b ? std::to_string(a) : std::to_string(a) + "–" + std::to_string(b); }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// The question's subject in a clause's title: half its weight again.
constexpr double kSubjectWeight = 0.5;

// The index among `words` of the question's grammatical subject where it opens as "Does/Can/May/Must/
// Will/Shall/Is the X …" ("Does the provider defend …": provider); -1 otherwise.
int questionSubject(std::string_view question, const std::vector<std::string>& words) {
  const std::vector<std::string> asked = wordsInOrder(question);
  static constexpr std::string_view kAuxiliaries[] = {"does", "do", "can", "may", "must", "will", "shall",
                                                      "is", "are", "should", "could", "would"};
  static constexpr std::string_view kDeterminers[] = {"the", "a", "an", "each", "either", "any"};
  for (size_t i = 0; i + 1 < asked.size(); ++i) {
    if (std::find(std::begin(kAuxiliaries), std::end(kAuxiliaries), asked[i]) == std::end(kAuxiliaries)) continue;
    size_t k = i + 1;
    if (std::find(std::begin(kDeterminers), std::end(kDeterminers), asked[k]) != std::end(kDeterminers)) ++k;
    if (k >= asked.size()) return -1;
    const auto it = std::find(words.begin(), words.end(), asked[k]);
    return it == words.end() ? -1 : static_cast<int>(it - words.begin());
  }
  return -1;
}

// What BM25 adds to the covered words' weights in the ranking (see rankChunks).
constexpr double kBm25Weight = 0.7;

// A contract word an everyday word stands for is weighed below the word itself: "walk away" is
// probably, not certainly, about termination.
constexpr double kEverydayWeight = 0.8;

struct EverydayCredit {
  int meanings = 0;   // the question's everyday words the clause answers for
  double weight = 0;
};

// What a clause is owed for the contract words the question's everyday words stand for, meaning by
// meaning (a single word only where the clause does not hold it), for its best term (a term once however
// many meanings share it): where the clause's title holds the term, the clause is about it, and the
// everyday word weighs as it would have had the clause used it (its rarity, a name's weight; "walk
// away": "3.2 Termination"); where only its text does, the term weighs by its own rarity — contracts
// speak of termination everywhere. `weights` are the question's words' weights, then every meaning's
// terms' in order.
EverydayCredit everydayCredit(const std::vector<EverydayMeaning>& meanings, const std::vector<Coverage>& covered,
                              const ingest::StoredChunk& c, const std::vector<double>& weights) {
  EverydayCredit out;
  if (meanings.empty()) return out;
  const std::vector<std::string> text_words = wordsInOrder(c.heading + " " + c.text);
  const std::vector<std::string> title_words = wordsInOrder(lastHeadingPart(c.heading));
  std::set<std::string> credited;
  size_t t = covered.size();
  for (const auto& m : meanings) {
    // The clause holding the word itself earned its weight already; its title may still say the clause
    // is about what the word stands for ("who owns …": "2.1 Ownership" that says "Customer owns …").
    const Coverage own = m.phrase ? Coverage::None : covered[m.words.front()];
    double says_weight = 0;
    for (size_t w : m.words) says_weight = std::max(says_weight, weights[w]);
    double best = 0;
    const std::string* best_term = nullptr;
    for (const auto& term : m.terms) {
      const double w = weights[t++];
      if (own == Coverage::Name || credited.count(term.search)) continue;
      double got = 0;
      if (holdsTerm(term, title_words))
        got = kEverydayWeight * std::max(w, says_weight) * kNameWeight - (own == Coverage::Text ? says_weight : 0.0);
      else if (own == Coverage::None && holdsTerm(term, text_words))
        got = kEverydayWeight * w;
      if (got > best) {
        best = got;
        best_term = &term.search;
      }
    }
    if (!best_term) continue;
    credited.insert(*best_term);
    if (own == Coverage::None) ++out.meanings;
    out.weight += best;
  }
  return out;
}

}  // namespace

std::string innerFilePath(std::string_view heading) {
  std::string out;
  for (size_t start = 0; start <= heading.size();) {
    size_t end = heading.find(" \xE2\x80\xBA ", start);
    if (end == std::string_view::npos) end = heading.size();
    std::string_view part = heading.substr(start, end - start);
    start = end + 5;
    for (std::string_view lead : {std::string_view("File: "), std::string_view("Attachment: ")}) {
      if (!part.starts_with(lead)) continue;
      part.remove_prefix(lead.size());
      // chunk_message's ", page 3", ", pages 3–4", ", slide 2" after the name.
      for (std::string_view span : {std::string_view(", page"), std::string_view(", slide")}) {
        const size_t at = part.rfind(span);
        if (at == std::string_view::npos) continue;
        size_t next = at + span.size();
        if (next < part.size() && part[next] == 's') ++next;
        if (next + 1 < part.size() && part[next] == ' ' && isDigit(part[next + 1])) part = part.substr(0, at);
      }
      out = std::string(part);
    }
  }
  return out;
}

std::string_view lastHeadingPart(std::string_view heading) {
  const size_t last_part = heading.rfind(" \xE2\x80\xBA ");
  return last_part == std::string_view::npos ? heading : heading.substr(last_part + 5);
}

bool isContractClause(const ingest::StoredChunk& c) {
  return c.kind == "clause" || c.kind == "definitions" || c.kind == "schedule";
}

Evidence chunkEvidence(const ingest::StoredChunk& c, const std::string& path) {
  Evidence e;
  e.kind = "chunk";
  e.document_id = c.document_id;
  e.chunk_id = c.id;
  e.path = path;
  e.heading = c.heading;
  e.page_first = c.page_first;
  e.page_last = c.page_last;
  e.line_first = c.line_first;
  e.line_last = c.line_last;
  e.text = c.text;
  return e;
}

Evidence summaryEvidence(const SummaryNode& n, const std::string& path) {
  Evidence e;
  e.kind = std::string(summaryLevelName(n.level)) + " summary";
  e.document_id = n.document_id.value_or(0);
  e.node_id = n.id;
  e.path = path;
  // A section's heading, or the collection's name (several may be given at once); a document node's
  // heading is its path, which the evidence already names.
  e.heading = n.level == kDocumentLevel ? std::string() : n.heading;
  e.page_first = n.page_first;
  e.page_last = n.page_last;
  e.line_first = n.line_first;
  e.line_last = n.line_last;
  e.text = n.text;
  return e;
}

std::string describeSpan(int page_first, int page_last, int line_first, int line_last) {
  std::string out;
  if (page_first > 0) out = (page_last > page_first ? "pages " : "page ") + range(page_first, std::max(page_first, page_last));
  if (line_first > 0) {
    if (!out.empty()) out += ", ";
    // Lines of a PDF are counted within a page; a span crossing pages shows both ends as they are.
    out += (line_last != line_first ? "lines " : "line ") +
           (line_last >= line_first || page_last > page_first ? range(line_first, line_last) : std::to_string(line_first));
  }
  return out;
}

std::string formatEvidenceBlock(const Evidence& e) {
  std::string head = "[" + std::to_string(e.n) + "] ";
  if (e.kind != "chunk") head += "(" + e.kind + ") ";
  head += e.path.empty() ? std::string("collection") : e.path;
  if (!e.heading.empty()) head += " › " + e.heading;
  const auto span = describeSpan(e.page_first, e.page_last, e.line_first, e.line_last);
  if (!span.empty()) head += " (" + span + ")";
  return head + "\n" + e.text + "\n\n";
}

nlohmann::json evidenceJson(const Evidence& e) {
  nlohmann::json j{{"n", e.n},
                   {"kind", e.kind},
                   {"document_id", e.document_id},
                   {"path", e.path},
                   {"heading", e.heading},
                   {"page_first", e.page_first},
                   {"page_last", e.page_last},
                   {"line_first", e.line_first},
                   {"line_last", e.line_last}};
  j["chunk_id"] = e.chunk_id ? nlohmann::json(*e.chunk_id) : nlohmann::json();
  j["node_id"] = e.node_id ? nlohmann::json(*e.node_id) : nlohmann::json();
  return j;
}

std::string truncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return std::string(text.substr(0, n));
}

// A word that a letter after it names: "Schedule B", "Exhibit A", "Part C".
bool namesByLetter(std::string_view lower_word) {
  static constexpr std::string_view kNouns[] = {"schedule", "exhibit",  "annex", "appendix", "attachment",
                                                "part",     "article",  "section", "clause", "chapter"};
  return std::find(std::begin(kNouns), std::end(kNouns), lower_word) != std::end(kNouns);
}

std::vector<RankingWord> rankingWordsAt(std::string_view text) {
  std::vector<RankingWord> out;
  std::string w, previous;
  bool digit = false;
  size_t start = 0;
  auto done = [&] {
    if (w.empty()) return;
    // A lone letter is a word only where it names something ("Schedule C"): elsewhere it is "a" or an
    // item marker "(c)" that every clause holds.
    const bool letter = w.size() == 1 && namesByLetter(previous);
    if (digit || letter || (w.size() >= 2 && !isStopWord(w))) out.push_back({w, start});
    previous = std::move(w);
    w.clear();
    digit = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // "5.5" and "184.5.1" stay one word; a full stop after a number ("clause 7.") ends it.
    const bool clause_dot = c == '.' && !w.empty() && isDigit(text[i - 1]) && i + 1 < text.size() && isDigit(text[i + 1]);
    if (isWordByte(c) || clause_dot) {
      if (w.empty()) start = i;
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      digit = digit || isDigit(c);
    } else {
      done();
    }
  }
  done();
  return out;
}

std::vector<std::string> rankingWords(std::string_view text) {
  std::vector<std::string> out;
  for (auto& w : rankingWordsAt(text)) out.push_back(std::move(w.word));
  return out;
}

std::vector<std::string> distinctRankingWords(std::string_view text) {
  std::vector<std::string> out;
  std::set<std::string> keys;
  for (auto& w : rankingWordsAt(text))
    if (keys.insert(coverageKey(w.word)).second) out.push_back(std::move(w.word));
  return out;
}

std::string coverageKey(const std::string& word) {
  const bool number = std::any_of(word.begin(), word.end(), isDigit);
  return number || word.size() <= 5 ? word : word.substr(0, 5);
}

std::unordered_set<std::string> coverageKeys(std::string_view text) {
  std::unordered_set<std::string> keys;
  for (const auto& w : rankingWordsAt(text)) {
    for (size_t dot = w.word.find('.'); dot != std::string::npos; dot = w.word.find('.', dot + 1))
      keys.insert(w.word.substr(0, dot));
    keys.insert(coverageKey(w.word));
    // The words inside an identifier, read from the text as written (the case is gone from w.word).
    for (const auto& part : ingest::identifierParts(text.substr(w.offset, w.word.size()))) {
      std::string p(w.word.substr(part.offset, part.size));
      if (p.size() >= 2 && !isStopWord(p)) keys.insert(coverageKey(p));
    }
  }
  return keys;
}

int questionCoverage(const std::vector<std::string>& question_words, const std::string& text) {
  const auto have = coverageKeys(text);
  std::set<std::string> covered;
  for (const auto& q : question_words)
    if (have.count(coverageKey(q))) covered.insert(coverageKey(q));
  return static_cast<int>(covered.size());
}

Result<std::vector<int64_t>> searchFilter(ingest::Library& lib, const std::vector<ingest::DocumentRecord>& documents) {
  auto searchable = lib.db().queryInt("SELECT count(*) FROM documents WHERE chunk_count > 0");
  if (!searchable) return searchable.error();
  std::vector<int64_t> ids;
  if (static_cast<int64_t>(documents.size()) < *searchable)
    for (const auto& d : documents) ids.push_back(d.id);
  return ids;
}

std::vector<Coverage> coveredWords(const std::vector<std::string>& question_words, const std::string& text,
                                   const PathKeys& path) {
  const auto have = coverageKeys(text);
  const auto mark = [&](const std::string& key, Coverage& c) {
    if (path.name.count(key)) c = Coverage::Name;
    else if (c == Coverage::None && (have.count(key) || path.folders.count(key))) c = Coverage::Text;
  };
  std::vector<Coverage> covered(question_words.size(), Coverage::None);
  for (size_t i = 0; i < question_words.size(); ++i) {
    mark(coverageKey(question_words[i]), covered[i]);
    // Two words written as one name ("slow log": slowlog.c, slowlogPushEntry). A first word of five
    // letters or more is all the joined word's key holds: that is no match of the second.
    if (i + 1 < question_words.size() && question_words[i].size() < 5) {
      const std::string joined = coverageKey(question_words[i] + question_words[i + 1]);
      mark(joined, covered[i]);
      mark(joined, covered[i + 1]);
    }
  }
  return covered;
}

Result<std::vector<RankedChunk>> rankChunks(ingest::Library& lib, const std::string& question,
                                            const std::vector<ingest::DocumentRecord>& documents, int limit) {
  const auto words = distinctRankingWords(question);
  std::string query;
  for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
  if (query.empty()) query = question;
  std::map<int64_t, const ingest::DocumentRecord*> scope;
  for (const auto& d : documents) scope[d.id] = &d;
  ingest::SearchOptions so;
  // Chunks holding any of the question's words: few passages use every word of a question ("notice
  // period for termination" against a clause on terminating with 120 days' notice); the coverage sort
  // below puts those holding more of them first.
  so.match_any = true;
  so.limit = std::max(limit * 4, 200);
  // A scope narrower than the library (a collection, some documents) ranks only its own chunks: its
  // best hits may all rank below the library's first few hundred.
  auto filter = searchFilter(lib, documents);
  if (!filter) return filter.error();
  so.documents = std::move(*filter);
  auto found = ingest::search(lib.db(), query, so);
  if (!found) return found.error();
  std::vector<ingest::SearchHit> hits;
  for (auto& h : found->hits)
    if (scope.count(h.document_id)) hits.push_back(std::move(h));
  // The contract words the question's everyday words stand for ("walk away": termination), searched
  // apart so that the question's own words keep their BM25: a clause found by them alone scores by them,
  // a little below (kEverydayWeight).
  const std::vector<EverydayMeaning> meanings = everydayMeanings(question, words);
  std::vector<std::string> weighed = words;  // the question's words, then each meaning's terms
  std::string everyday_query;
  for (const auto& m : meanings)
    for (const auto& t : m.terms) {
      weighed.push_back(t.search);
      everyday_query += (everyday_query.empty() ? "" : " ") + t.search;
    }
  std::map<int64_t, double> everyday_bm25;  // chunk id → BM25 of the contract words
  if (!everyday_query.empty()) {
    auto more = ingest::search(lib.db(), everyday_query, so);
    if (!more) return more.error();
    std::set<int64_t> seen;
    for (const auto& h : hits) seen.insert(h.chunk_id);
    for (auto& h : more->hits) {
      if (!scope.count(h.document_id)) continue;
      everyday_bm25[h.chunk_id] = h.score;
      if (seen.insert(h.chunk_id).second) {
        h.score = 0;  // not found by the question's own words
        hits.push_back(std::move(h));
      }
    }
  }
  auto weights = wordWeights(lib.db(), weighed);
  if (!weights) return weights.error();
  const int subject = questionSubject(question, words);
  const bool tests_asked = asksAboutTests(words);
  const bool data_asked = asksAboutData(words);
  std::map<int64_t, std::vector<ingest::StoredChunk>> chunks_of;
  std::map<int64_t, PathKeys> path_keys;
  std::vector<RankedChunk> out;
  for (const auto& h : hits) {
    auto& cs = chunks_of[h.document_id];
    if (cs.empty()) {
      auto loaded = lib.chunks(h.document_id);
      if (!loaded) return loaded.error();
      cs = std::move(*loaded);
      const ingest::DocumentRecord& d = *scope[h.document_id];
      PathKeys keys = pathCoverageKeys(d.rel_path);
      addTitleKeys(keys, documentTitle(d.title, d.kind, cs.empty() ? std::string_view() : std::string_view(cs.front().text)));
      path_keys[h.document_id] = std::move(keys);
    }
    auto it = std::find_if(cs.begin(), cs.end(), [&](const ingest::StoredChunk& c) { return c.id == h.chunk_id; });
    if (it == cs.end()) continue;
    RankedChunk r;
    r.chunk = *it;
    r.path = scope[h.document_id]->rel_path;
    r.bm25 = h.score;
    // A clause is named for the words of its own title as a file is for its name's: "2.1 Deliverables"
    // answers "who owns the deliverables?" before a warranty that mentions them. Clauses only: a
    // function's name holds the words of the calls it makes (slowlogPushCurrentCommand in server.c), a
    // config file's banner those of every setting under it ("SLOW LOG" in redis.conf), and their
    // file's name says more.
    PathKeys keys = path_keys[h.document_id];
    // A file in an archive or attached to a message is named by its own path there as a file on disk
    // is ("File: src/expire.c"), a test or data file judged by it.
    const std::string inner = innerFilePath(it->heading);
    if (!inner.empty()) {
      PathKeys own = pathCoverageKeys(inner);
      keys.name.insert(own.name.begin(), own.name.end());
      keys.folders.insert(own.folders.begin(), own.folders.end());
    }
    if (isContractClause(*it)) addTitleKeys(keys, lastHeadingPart(it->heading));
    const std::vector<Coverage> covered = coveredWords(words, it->heading + " " + it->text, keys);
    for (size_t i = 0; i < words.size(); ++i) {
      if (covered[i] == Coverage::None) continue;
      ++r.coverage;
      r.weight += (*weights)[i] * (covered[i] == Coverage::Name ? kNameWeight : 1.0);
    }
    if (isContractClause(*it)) {
      // The party the question asks about ("Does the provider defend …?") in the clause's title ("9.1
      // Protection by Provider"), not the other one ("9.2 Protection by Customer").
      if (subject >= 0 && coverageKeys(lastHeadingPart(it->heading)).count(coverageKey(words[static_cast<size_t>(subject)])))
        r.weight += kSubjectWeight * (*weights)[static_cast<size_t>(subject)];
      const EverydayCredit credit = everydayCredit(meanings, covered, *it, *weights);
      r.coverage += credit.meanings;
      r.weight += credit.weight;
      if (const auto found = everyday_bm25.find(it->id); credit.meanings > 0 && found != everyday_bm25.end())
        r.bm25 = std::max(r.bm25, kEverydayWeight * found->second);
    }
    // Found by the contract words alone: only a clause that answers for them.
    if (h.score == 0 && (!isContractClause(*it) || r.coverage == 0)) continue;
    // A test scores below the code it tests, a data file below the code it describes, unless the
    // question is about them.
    if (!tests_asked && isTestPath(inner.empty() ? r.path : inner)) r.weight *= kTestWeight;
    const ingest::DocumentRecord& doc = *scope[h.document_id];
    const ingest::SourceType inner_type = ingest::classifySource(inner);
    const bool data = inner.empty() ? isDataDocument(doc.kind, doc.language)
                                    : isDataDocument(ingest::sourceKindName(inner_type.kind), inner_type.language);
    if (!data_asked && data) r.weight *= kTestWeight;
    out.push_back(std::move(r));
  }
  // The covered words' weights (a passage holding the question's rarer words, or named for them) plus
  // BM25 (how often and how prominently it holds them): both sum the words' rarity, on one scale, BM25
  // at kBm25Weight: words that name the document ("business associate" in a BAA) are in every clause of
  // it, and BM25 would still put first the clauses repeating them over the one that answers (BAA 5.3,
  // which says "BAA" and "Provider"). 0.7 over 1.0 and 0.5: legal sets' answering clause among the first 3
  // 28 -> 30 of 32, plain-words 18 -> 19 of 20; Redis held-out first 8 -> 9 of 15, nothing lost.
  std::stable_sort(out.begin(), out.end(), [](const RankedChunk& a, const RankedChunk& b) {
    const double sa = a.weight + kBm25Weight * a.bm25, sb = b.weight + kBm25Weight * b.bm25;
    if (sa != sb) return sa > sb;
    return a.bm25 > b.bm25;
  });
  if (static_cast<int>(out.size()) > limit) out.resize(static_cast<size_t>(limit));
  return out;
}

}  // namespace folio::app
