#include "app/pipeline/review_table.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "app/pipeline/ask.h"
#include "app/pipeline/citations.h"
#include "app/pipeline/each_document.h"
#include "app/pipeline/passage_answers.h"

namespace folio::app {
namespace {

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// A cell's text on one line: the passage's lines that only repeat its heading ("4. Termination") left
// out, runs of white space as one space.
std::string cellText(std::string_view quote, std::string_view heading) {
  std::vector<std::string_view> parts;
  for (size_t pos = 0; pos <= heading.size();) {
    const size_t end = std::min(heading.find(" \xE2\x80\xBA ", pos), heading.size());
    parts.push_back(heading.substr(pos, end - pos));
    pos = end + 5;
  }
  size_t start = 0;
  while (start < quote.size()) {
    const size_t end = std::min(quote.find('\n', start), quote.size());
    const std::string line = trimmed(quote.substr(start, end - start));
    if (!line.empty() && std::find(parts.begin(), parts.end(), line) == parts.end()) break;
    start = end + 1;
  }
  if (start >= quote.size()) start = 0;  // nothing but its heading: the heading then
  std::string out;
  for (size_t i = start; i < quote.size(); ++i) {
    const char c = quote[i];
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The wording of a review's model calls (modelQuestion, kEachDocumentSystemPrompt): part of what a kept
// answer is found by, so a change of wording asks again.
constexpr int kReviewPromptVersion = 1;

// A column naming a topic ("Governing law") is asked of the model as a question about it; a column
// that is a question is asked as written.
std::string modelQuestion(const std::string& column) {
  const std::string q = trimmed(column);
  if (!q.empty() && q.back() == '?') return q;
  return "What does this document say about " + q +
         "? Give the specifics it states (names, dates, amounts, periods), or say it does not address it.";
}

}  // namespace

const std::vector<std::string>& contractChecklist() {
  // Not "Parties": they are named in a preamble, which no clause title or word of the question finds.
  static const std::vector<std::string> kQuestions = {
      "Effective date",
      "Term and renewal",
      "Termination for convenience",
      "Termination for breach",
      "Governing law",
      "Assignment and change of control",
      "Limitation of liability",
      "Indemnification",
      "Confidentiality",
      "Payment terms",
      "Warranties",
  };
  return kQuestions;
}

std::string reviewQuestionProblem(std::string_view question) {
  if (trimmed(question).empty()) return "is empty";
  if (question.size() > kMaxReviewQuestionBytes)
    return "is longer than " + std::to_string(kMaxReviewQuestionBytes) + " bytes: a column asks one short question";
  if (rankingWords(question).empty()) return "has no word to look for: name the topic (\"Governing law\")";
  return {};
}

Result<std::vector<std::string>> parseReviewQuestions(std::string_view text) {
  std::vector<std::string> out;
  size_t line_no = 0;
  for (size_t pos = 0; pos <= text.size();) {
    const size_t end = std::min(text.find('\n', pos), text.size());
    ++line_no;
    const std::string line = trimmed(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    if (const auto problem = reviewQuestionProblem(line); !problem.empty())
      return badInput("the question on line " + std::to_string(line_no) + " " + problem);
    out.push_back(line);
    if (out.size() > kMaxReviewQuestions)
      return badInput("more than " + std::to_string(kMaxReviewQuestions) + " questions: split the review");
  }
  if (out.empty()) return badInput("no questions (one a line; lines starting with # are comments)");
  return out;
}

int ReviewRow::found() const {
  return static_cast<int>(std::count_if(cells.begin(), cells.end(), [](const ReviewCell& c) { return c.passage.has_value(); }));
}

std::string reviewCellWhere(const Evidence& e) {
  const std::string span = describeSpan(e.page_first, e.page_last, e.line_first, e.line_last);
  if (e.heading.empty()) return span;
  return span.empty() ? e.heading : e.heading + " (" + span + ")";
}

Result<ReviewTable> reviewTable(ingest::Library& lib, const ModelRuntime* rt, const ReviewOptions& opt,
                                const SummaryProgressFn& progress, const std::atomic<bool>* cancel) {
  if (opt.questions.empty()) return badInput("a review needs at least one question");
  if (opt.questions.size() > kMaxReviewQuestions)
    return badInput("more than " + std::to_string(kMaxReviewQuestions) + " questions: split the review");
  for (const auto& q : opt.questions)
    if (const auto problem = reviewQuestionProblem(q); !problem.empty())
      return badInput("the question \"" + truncateUtf8(q, 60) + (q.size() > 60 ? "…" : "") + "\" " + problem);
  auto scope = resolveScope(lib, opt.collection, opt.document_ids);
  if (!scope) return scope.error();
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };

  ReviewTable table;
  table.questions = opt.questions;
  table.documents_in_scope = static_cast<int64_t>(scope->documents.size());
  table.collection = scope->collection;
  table.engine = rt ? rt->name : "extractive";
  table.usage.stage = "review";
  table.usage.engine = rt ? rt->identity : "extractive";
  table.found.assign(opt.questions.size(), 0);

  std::vector<ingest::DocumentRecord> documents = std::move(scope->documents);
  std::sort(documents.begin(), documents.end(),
            [](const auto& a, const auto& b) { return a.rel_path != b.rel_path ? a.rel_path < b.rel_path : a.id < b.id; });
  std::unordered_map<int64_t, size_t> row_of;
  for (const auto& d : documents) {
    row_of[d.id] = table.rows.size();
    ReviewRow row;
    row.document = {d.id, d.collection, d.path, d.rel_path, d.kind, d.title};
    row.cells.assign(opt.questions.size(), ReviewCell{std::nullopt, {}, false});
    table.rows.push_back(std::move(row));
  }

  const int64_t cells_total = static_cast<int64_t>(documents.size() * opt.questions.size());
  int64_t cells_done = 0;
  const auto report = [&](const std::string& current) {
    if (!progress) return;
    SummaryProgress p;
    p.total = cells_total;
    p.done = p.built = cells_done;
    p.current = current;
    p.elapsed_s = elapsed();
    p.work = SummaryProgress::Work::ReviewCells;
    progress(p);
  };
  const auto stop = [&]() -> Result<ReviewTable> {
    table.stopped = true;
    table.elapsed_s = elapsed();
    return std::move(table);
  };

  for (size_t q = 0; q < opt.questions.size(); ++q) {
    const std::string& question = opt.questions[q];
    report(question);
    auto passages = bestPassagePerDocument(lib, question, documents, cancel, ScreenFor::Topic);
    if (!passages && passages.error().kind == ErrorKind::Cancelled) return stop();
    if (!passages) return passages.error();
    table.found[q] = static_cast<int64_t>(passages->size());
    std::vector<Evidence> evidence;
    std::vector<size_t> rows;
    for (auto& p : *passages) {
      Evidence e = chunkEvidence(p.chunk, p.path);
      std::string().swap(p.chunk.text);  // done with it: 100,000 documents' passages are not held twice
      // Each call reads its one passage as [1] (the cell names its source), so a kept answer is found
      // again whatever other documents match.
      e.n = rt ? 1 : static_cast<int>(evidence.size()) + 1;
      // The cell's passage is its clause's sentences that match, the model reads as much as a
      // question about each document does.
      e.text = citationQuote({e.n, e}, question, {}, rt ? kEachDocumentPassageBytes : kReviewQuoteBytes);
      rows.push_back(row_of.at(p.chunk.document_id));
      evidence.push_back(std::move(e));
    }
    // Documents without a matching passage are answered by the screen.
    std::vector<bool> matched(table.rows.size(), false);
    for (size_t r : rows) matched[r] = true;
    for (size_t r = 0; r < table.rows.size(); ++r)
      if (!matched[r]) {
        table.rows[r].cells[q].asked = true;
        ++cells_done;
      }
    if (!rt) {
      for (size_t i = 0; i < evidence.size(); ++i) {
        ReviewCell& cell = table.rows[rows[i]].cells[q];
        cell.text = cellText(evidence[i].text, evidence[i].heading);
        cell.passage = std::move(evidence[i]);
        cell.asked = true;
        ++cells_done;
      }
      continue;
    }
    if (evidence.empty()) continue;
    // The answers kept from an earlier run fill their cells; the model is asked the rest, each answer
    // kept as it comes (a crash or a stop loses none of them).
    const std::string asked_as = modelQuestion(question);
    std::vector<std::string> keys;
    std::vector<size_t> ask;  // indexes into evidence
    for (size_t i = 0; i < evidence.size(); ++i) {
      keys.push_back(passageAnswerKey({asked_as, formatEvidenceBlock(evidence[i]), rt->identity, opt.thinking_budget,
                                       opt.answer_budget, opt.expert_threshold, kReviewPromptVersion}));
      auto kept = findPassageAnswer(lib.db(), keys.back());
      if (!kept) return kept.error();
      if (!*kept) {
        ask.push_back(i);
        continue;
      }
      ReviewCell& cell = table.rows[rows[i]].cells[q];
      cell.text = std::move(**kept);
      cell.passage = evidence[i];
      cell.asked = true;
      ++cells_done;
      ++table.usage.reused;
    }
    if (ask.empty()) continue;
    std::vector<Evidence> asked;
    for (size_t i : ask) asked.push_back(evidence[i]);
    EachDocumentCalls calls;
    calls.context_window = opt.context_window > 0 ? opt.context_window : defaultContextWindow(rt);
    calls.thinking_budget = opt.thinking_budget;
    calls.answer_budget = opt.answer_budget;
    calls.expert_threshold = opt.expert_threshold;
    calls.concurrent = opt.concurrent;
    calls.on_answer = [&](size_t k, const std::string& answer) {
      const size_t i = ask[k];
      ReviewCell& cell = table.rows[rows[i]].cells[q];
      cell.text = answer;
      cell.passage = evidence[i];
      cell.asked = true;
      ++cells_done;
      // A failure to keep it leaves the table right; a later run asks that cell again.
      (void)putPassageAnswer(lib.db(), keys[i], evidence[i].document_id, answer);
      report(question + " — " + evidence[i].path);
    };
    auto answers = answerEachDocument(*rt, asked, asked_as, calls, table.usage, cancel);
    if (!answers && answers.error().kind == ErrorKind::Cancelled) return stop();
    if (!answers) return answers.error();
  }
  report("");
  if (opt.matching_only)
    std::erase_if(table.rows, [](const ReviewRow& r) { return r.found() == 0; });
  table.elapsed_s = elapsed();
  table.usage.elapsed_ms = table.elapsed_s * 1000;
  return table;
}

}  // namespace folio::app
