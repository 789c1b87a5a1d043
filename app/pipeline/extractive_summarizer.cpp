#include "app/pipeline/extractive_summarizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "app/pipeline/code_comments.h"
#include "ingest/source_kind.h"

namespace folio::app {
namespace {

constexpr std::array<std::string_view, 107> kStopWords = {
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
    "down", "during", "each", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
    "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "more", "most", "my", "no",
    "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "to", "us", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whose",
    "why", "will", "with", "would", "you", "your"};

}  // namespace

bool isWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80 || c == '_';
}

bool isStopWord(std::string_view w) { return std::find(kStopWords.begin(), kStopWords.end(), w) != kStopWords.end(); }

std::vector<std::string> contentWords(std::string_view text) {
  std::vector<std::string> words;
  std::string w;
  auto done = [&] {
    if (w.size() >= 2 && !isStopWord(w)) words.push_back(w);
    w.clear();
  };
  for (unsigned char c : text) {
    if (isWordByte(static_cast<char>(c))) {
      w += static_cast<char>(std::tolower(c));
    } else {
      done();
    }
  }
  done();
  return words;
}

std::vector<double> textRank(const std::vector<std::string>& sentences) {
  const size_t n = sentences.size();
  if (n == 0) return {};
  // TF-IDF vectors.
  std::vector<std::unordered_map<std::string, double>> tf(n);
  std::unordered_map<std::string, int> df;
  for (size_t i = 0; i < n; ++i) {
    for (auto& w : contentWords(sentences[i])) tf[i][w] += 1;
    for (auto& [w, _] : tf[i]) ++df[w];
  }
  std::vector<double> norm(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (auto& [w, v] : tf[i]) {
      v *= std::log(1.0 + static_cast<double>(n) / df[w]);
      norm[i] += v * v;
    }
    norm[i] = std::sqrt(norm[i]);
  }
  constexpr double d = 0.85;
  if (n > kTextRankDenseLimit) {
    // Degree centrality from the sum of the unit vectors: sim(i, j) summed over j != i is
    // u_i · (Σ u_j) - u_i · u_i, linear in the words rather than quadratic in the sentences.
    std::unordered_map<std::string, double> total;
    for (size_t i = 0; i < n; ++i)
      if (norm[i] > 0)
        for (const auto& [w, v] : tf[i]) total[w] += v / norm[i];
    std::vector<double> degree(n, 0.0);
    double degree_sum = 0;
    for (size_t i = 0; i < n; ++i) {
      if (norm[i] == 0) continue;
      double dot = 0;
      for (const auto& [w, v] : tf[i]) dot += v / norm[i] * total[w];
      degree[i] = std::max(0.0, dot - 1.0);  // minus u_i · u_i
      degree_sum += degree[i];
    }
    std::vector<double> score(n);
    for (size_t i = 0; i < n; ++i)
      score[i] = degree_sum > 0 ? (1 - d) / static_cast<double>(n) + d * degree[i] / degree_sum
                                : 1.0 / static_cast<double>(n);
    return score;
  }
  std::vector<double> sim(n * n, 0.0), out_sum(n, 0.0);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      if (norm[i] == 0 || norm[j] == 0) continue;
      const auto& small = tf[i].size() < tf[j].size() ? tf[i] : tf[j];
      const auto& large = tf[i].size() < tf[j].size() ? tf[j] : tf[i];
      double dot = 0;
      for (const auto& [w, v] : small)
        if (auto it = large.find(w); it != large.end()) dot += v * it->second;
      const double s = dot / (norm[i] * norm[j]);
      sim[i * n + j] = sim[j * n + i] = s;
      out_sum[i] += s;
      out_sum[j] += s;
    }
  std::vector<double> score(n, 1.0 / static_cast<double>(n)), next(n);
  for (int iter = 0; iter < 50; ++iter) {
    double dangling = 0;
    for (size_t j = 0; j < n; ++j)
      if (out_sum[j] == 0) dangling += score[j];
    double delta = 0;
    for (size_t i = 0; i < n; ++i) {
      double in = 0;
      for (size_t j = 0; j < n; ++j)
        if (out_sum[j] > 0) in += sim[j * n + i] / out_sum[j] * score[j];
      next[i] = (1 - d) / static_cast<double>(n) + d * (in + dangling / static_cast<double>(n));
      delta += std::abs(next[i] - score[i]);
    }
    score.swap(next);
    if (delta < 1e-6) break;
  }
  return score;
}

namespace {

// The sentences of the best tier in `texts`, each text once: chunks overlap by a few lines, so the
// same sentence can come twice.
std::vector<std::string> candidateSentences(const std::vector<std::string>& texts) {
  std::vector<Sentence> all;
  for (const auto& t : texts)
    for (auto& s : summarySentences(t)) all.push_back(std::move(s));
  SentenceTier best = SentenceTier::Code;
  for (const auto& s : all) best = std::min(best, s.tier);
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (auto& s : all)
    if (s.tier == best && seen.insert(s.text).second) out.push_back(std::move(s.text));
  return out;
}

}  // namespace

std::string extractiveSummary(const std::vector<std::string>& texts, int max_tokens, const ingest::TokenCounter& tokens) {
  const std::vector<std::string> sentences = candidateSentences(texts);
  if (sentences.empty() || max_tokens <= 0) return {};
  const auto score = textRank(sentences);
  std::vector<size_t> order(sentences.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Ties keep document order (earlier sentences first).
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  std::vector<size_t> chosen;
  int used = 0;
  for (size_t i : order) {
    const int t = tokens.count(sentences[i]) + (chosen.empty() ? 0 : 1);  // + the joining space
    if (used + t > max_tokens) continue;
    chosen.push_back(i);
    used += t;
  }
  std::sort(chosen.begin(), chosen.end());
  std::string out;
  for (size_t i : chosen) {
    if (!out.empty()) out += ' ';
    out += sentences[i];
  }
  // The joining spaces were counted one token each; a tokenizer may merge them, never exceed.
  while (!out.empty() && tokens.count(out) > max_tokens && !chosen.empty()) {
    chosen.pop_back();
    out.clear();
    for (size_t i : chosen) out += (out.empty() ? "" : " ") + sentences[i];
  }
  return out;
}

Result<std::string> ExtractiveSummarizer::summarize(const SummaryRequest& request, StageUsage& usage,
                                                    const std::atomic<bool>* cancel) {
  if (cancel && cancel->load()) return cancelled("summary cancelled");
  ++usage.calls;
  if (const auto type = ingest::classifySource(request.path); type.kind == ingest::SourceKind::Code) {
    std::vector<std::string> comments;
    for (const auto& t : request.texts)
      if (auto c = codeCommentText(t, type.language); !c.empty()) comments.push_back(std::move(c));
    if (!comments.empty()) return extractiveSummary(comments, request.max_tokens, tokens_);
  }
  return extractiveSummary(request.texts, request.max_tokens, tokens_);
}

}  // namespace folio::app
