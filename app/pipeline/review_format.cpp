#include "app/pipeline/review_format.h"

#include "app/pipeline/progress_text.h"

namespace folio::app {
namespace {

std::string scopeWords(const ReviewTable& t) {
  std::string s = groupedCount(t.documents_in_scope) + (t.documents_in_scope == 1 ? " document" : " documents");
  if (!t.collection.empty()) s += " of collection \"" + t.collection + "\"";
  return s;
}

std::string title(const ReviewTable& t) {
  return "Review of " + scopeWords(t) + ", " + std::to_string(t.questions.size()) +
         (t.questions.size() == 1 ? " question" : " questions");
}

// Rows left out by --matching-only, and a stop, said once under the title.
std::string notes(const ReviewTable& t) {
  std::string s;
  const int64_t shown = static_cast<int64_t>(t.rows.size());
  if (shown < t.documents_in_scope)
    s += groupedCount(t.documents_in_scope - shown) + " documents with no matching passage for any question are left out.\n";
  if (t.stopped) s += "Stopped before the end: the cells not asked yet say so.\n";
  return s;
}

}  // namespace

std::string reviewCellText(const ReviewCell& c) {
  if (!c.asked) return "not asked (stopped)";
  return c.passage ? c.text : "not found";
}

std::string reviewFoundLine(const ReviewTable& t) {
  std::string s;
  for (size_t q = 0; q < t.questions.size(); ++q) {
    s += (q ? " · " : "") + t.questions[q];
    // A stopped table's question never asked says so rather than "0/300"; one stopped half way how
    // many documents it asked.
    int64_t asked = 0;
    for (const auto& row : t.rows) asked += row.cells[q].asked ? 1 : 0;
    if (t.stopped && asked == 0) {
      s += " not asked";
      continue;
    }
    s += " " + groupedCount(t.found[q]) + "/" + groupedCount(t.documents_in_scope);
    if (t.stopped && asked < static_cast<int64_t>(t.rows.size())) s += " (" + groupedCount(asked) + " asked)";
  }
  return s;
}

std::string reviewEngineLabel(const ReviewTable& t) {
  if (t.usage.calls == 0 && t.engine == "extractive")
    return "Extractive (no model loaded): each cell quotes the passage of the document that best matches the question";
  return "Answers of " + t.engine + ", each read from the passage of the document that best matches the question";
}

std::string reviewText(const ReviewTable& t) {
  std::string out = title(t) + "\n" + reviewEngineLabel(t) + "\n" + notes(t);
  for (const auto& row : t.rows) {
    out += "\n" + row.document.rel_path + "\n";
    for (size_t q = 0; q < t.questions.size(); ++q) {
      const ReviewCell& c = row.cells[q];
      std::string text = reviewCellText(c);
      for (char& ch : text)
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
      out += "  " + t.questions[q] + ": " + text;
      if (c.passage) out += " — " + reviewCellWhere(*c.passage);
      out += "\n";
    }
  }
  return out + "\nFound: " + reviewFoundLine(t) + "\n";
}

namespace {

nlohmann::json rowJson(const ReviewRow& row) {
  nlohmann::json cells = nlohmann::json::array();
  for (const auto& c : row.cells) {
    nlohmann::json j{{"found", c.passage.has_value()}, {"asked", c.asked}};
    j["text"] = c.passage ? nlohmann::json(c.text) : nlohmann::json();
    j["source"] = c.passage ? evidenceJson(*c.passage) : nlohmann::json();
    cells.push_back(std::move(j));
  }
  return {{"document", {{"id", row.document.id}, {"path", row.document.rel_path}, {"kind", row.document.kind}}},
          {"cells", std::move(cells)}};
}

// The table's fields but its rows.
nlohmann::json headJson(const ReviewTable& t) {
  return {{"questions", t.questions},
          {"engine", t.engine},
          {"collection", t.collection.empty() ? nlohmann::json() : nlohmann::json(t.collection)},
          {"documents_in_scope", t.documents_in_scope},
          {"found", t.found},
          {"stopped", t.stopped},
          {"usage",
           {{"calls", t.usage.calls},
            {"prompt_tokens", t.usage.prompt_tokens},
            {"thinking_tokens", t.usage.thinking_tokens},
            {"answer_tokens", t.usage.answer_tokens},
            {"elapsed_ms", t.elapsed_s * 1000}}}};
}

}  // namespace

nlohmann::json reviewJson(const ReviewTable& t) {
  nlohmann::json j = headJson(t);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : t.rows) rows.push_back(rowJson(row));
  j["rows"] = std::move(rows);
  return j;
}

void writeReviewJson(std::ostream& out, const ReviewTable& t) {
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  std::string head = headJson(t).dump(2, ' ', false, kReplace);
  head.resize(head.rfind('}'));  // reopened for the rows
  while (!head.empty() && (head.back() == '\n' || head.back() == ' ')) head.pop_back();
  out << head << ",\n  \"rows\": [";
  for (size_t i = 0; i < t.rows.size(); ++i) out << (i ? ",\n    " : "\n    ") << rowJson(t.rows[i]).dump(-1, ' ', false, kReplace);
  out << (t.rows.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

ReviewLayout reviewLayoutFor(ReportFormat format, size_t questions) {
  return format == ReportFormat::Csv || questions <= 4 ? ReviewLayout::Grid : ReviewLayout::ByDocument;
}

Report reviewReport(const ReviewTable& t, ReviewLayout layout) {
  Report r;
  r.title = title(t);
  r.subtitle = reviewEngineLabel(t);
  r.wide = layout == ReviewLayout::Grid && t.questions.size() >= 3;
  ReportSection s;
  s.heading = layout == ReviewLayout::Grid ? "Documents and questions" : "Questions";
  s.label = "Found: " + reviewFoundLine(t);
  s.body = notes(t);
  const auto cell = [](const ReviewCell& c) {
    return ReportTableCell{reviewCellText(c), c.passage ? reviewCellWhere(*c.passage) : std::string()};
  };
  if (layout == ReviewLayout::Grid) {
    ReportTable table;
    table.header.push_back("Document");
    for (const auto& q : t.questions) table.header.push_back(q);
    for (const auto& row : t.rows) {
      std::vector<ReportTableCell> cells{{row.document.rel_path, {}}};
      for (const auto& c : row.cells) cells.push_back(cell(c));
      table.rows.push_back(std::move(cells));
    }
    s.tables.push_back(std::move(table));
  }
  if (t.usage.calls > 0) {
    ReportBudgetRow b;
    b.stage = t.usage.stage;
    b.engine = t.engine;
    b.calls = t.usage.calls;
    b.prompt_tokens = t.usage.prompt_tokens;
    b.thinking_tokens = t.usage.thinking_tokens;
    b.answer_tokens = t.usage.answer_tokens;
    b.elapsed_ms = t.elapsed_s * 1000;
    b.tokens_per_s = t.usage.tokensPerSecond();
    s.budgets.push_back(b);
    s.routing = t.usage.routing;
  }
  r.sections.push_back(std::move(s));
  if (layout == ReviewLayout::ByDocument)
    for (const auto& row : t.rows) {
      ReportSection d;
      d.heading = row.document.rel_path;
      d.label = std::to_string(row.found()) + " of " + std::to_string(t.questions.size()) + " questions found";
      ReportTable table;
      table.header = {"Question", "Answer"};
      for (size_t q = 0; q < t.questions.size(); ++q) table.rows.push_back({{t.questions[q], {}}, cell(row.cells[q])});
      d.tables.push_back(std::move(table));
      r.sections.push_back(std::move(d));
    }
  return r;
}

}  // namespace folio::app
