#include "app/report/report_builder.h"

#include <algorithm>

#include "app/pipeline/answer_store.h"
#include "app/pipeline/ask.h"
#include "app/pipeline/extractive_summarizer.h"
#include "app/pipeline/model_description.h"
#include "app/pipeline/summary_tree.h"
#include "ingest/library/database.h"

namespace folio::app {
ReportSection answerSection(const AnswerRecord& a, const ReportOptions& options) {
  ReportSection s;
  s.heading = a.question;
  s.label = a.extractive ? std::string(kExtractiveLabel) : "Model answer (" + answerModelName(a) + ")";
  s.body = a.text;
  if (options.include_thinking) s.thinking = a.thinking;
  for (const auto& c : a.citations) {
    ReportSource src;
    src.marker = "[" + std::to_string(c.n) + "]";
    src.path = c.source.path.empty() ? "collection" : c.source.path;
    src.heading = c.source.heading;
    if (c.source.kind != "chunk" && !c.source.kind.empty()) src.heading += (src.heading.empty() ? "" : " ") + std::string("(") + c.source.kind + ")";
    src.span = describeSpan(c.source.page_first, c.source.page_last, c.source.line_first, c.source.line_last);
    src.quote = citationQuote(c, a.question, citingText(a), 600);
    src.verbatim = quotesLines(c.source);
    s.sources.push_back(std::move(src));
  }
  for (int n : a.dropped_citations) s.dropped.push_back("[" + std::to_string(n) + "]");
  const auto& p = a.plan;
  s.facts = {{"Answer id", std::to_string(a.id)},
             {"Mode", p.mode + (p.inline_summaries ? " (with section summaries)" : "")},
             {"Context window", std::to_string(p.budgets.context_window)},
             {"Thinking budget", std::to_string(p.budgets.thinking_budget)},
             {"Answer budget", std::to_string(p.budgets.answer_budget)},
             {"Prompt overhead", std::to_string(p.budgets.prompt_overhead)},
             {"Question tokens", std::to_string(p.question_tokens)},
             {"Context tokens", std::to_string(p.context_tokens) + " of " + std::to_string(p.available_tokens) + " available"},
             {"Documents", std::to_string(p.documents.size()) + " (" + std::to_string(p.document_tokens) + " tokens)"},
             {"Evidence items", std::to_string(a.evidence.size())}};
  // The exact weights and hyper-parameters, for someone reproducing the answer.
  if (!a.extractive && !a.model_name.empty()) s.facts.insert(s.facts.begin() + 1, {"Model identity", a.model});
  if (!a.finish_reason.empty()) s.facts.push_back({"Finish reason", a.finish_reason});
  for (const auto& l : p.left_out) s.facts.push_back({"Left out", l.what + ": " + l.why});
  for (const auto& st : a.usage.stages) {
    ReportBudgetRow r;
    r.stage = st.stage;
    r.engine = stageEngineName(a, st);
    r.calls = st.calls;
    r.reused = st.reused;
    r.prompt_tokens = st.prompt_tokens;
    r.reused_prefix_tokens = st.reused_prefix_tokens;
    r.thinking_tokens = st.thinking_tokens;
    r.answer_tokens = st.answer_tokens;
    r.elapsed_ms = st.elapsed_ms;
    r.tokens_per_s = st.tokensPerSecond();
    s.budgets.push_back(r);
  }
  s.routing = a.usage.routingTotal();
  return s;
}

Result<Report> answerReport(ingest::Library& lib, int64_t answer_id, const ReportOptions& options) {
  auto a = loadAnswer(lib.db(), answer_id);
  if (!a) return a.error();
  Report r;
  r.title = "Folio answer " + std::to_string(answer_id);
  r.subtitle = a->collection.empty() ? "Library: all documents" : "Collection: " + a->collection;
  r.sections.push_back(answerSection(*a, options));
  return r;
}

Result<Report> sessionReport(ingest::Library& lib, const std::string& session, const ReportOptions& options) {
  auto id = lib.findCollection(session);
  if (!id) return id.error();
  std::optional<int64_t> cid = *id;
  if (!cid && !session.empty() && std::all_of(session.begin(), session.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    auto colls = lib.db().prepare("SELECT id FROM collections WHERE id = ?");
    if (!colls) return colls.error();
    colls->bind(1, static_cast<int64_t>(std::stoll(session)));
    auto row = colls->step();
    if (!row) return row.error();
    if (*row) cid = colls->columnInt64(0);
  }
  if (!cid) return notFound("session \"" + session + "\": no collection of that name or id in the library");
  auto ids = answerIds(lib.db(), cid);
  if (!ids) return ids.error();
  if (ids->empty()) return notFound("session \"" + session + "\": no answers recorded yet (run folio ask --collection " + session + ")");
  Report r;
  r.title = "Folio session: " + session;
  r.subtitle = std::to_string(ids->size()) + " answers";
  for (int64_t aid : *ids) {
    auto a = loadAnswer(lib.db(), aid);
    if (!a) return a.error();
    r.sections.push_back(answerSection(*a, options));
  }
  return r;
}

Result<Report> documentReport(ingest::Library& lib, int64_t document_id, const std::string& summarizer_identity) {
  auto docs = lib.documents();
  if (!docs) return docs.error();
  const auto it = std::find_if(docs->begin(), docs->end(), [&](auto& d) { return d.id == document_id; });
  if (it == docs->end()) return notFound("document " + std::to_string(document_id) + ": not in the library");
  // The newest summary tree of the document, of any summarizer; an extractive one when there is none.
  auto st = lib.db().prepare("SELECT model FROM summary_nodes WHERE document_id = ? AND level = 1 ORDER BY id DESC LIMIT 1");
  if (!st) return st.error();
  st->bind(1, document_id);
  auto row = st->step();
  if (!row) return row.error();
  std::string model = *row ? st->columnText(0) : std::string(kExtractiveIdentity);
  st->reset();
  if (!summarizer_identity.empty()) model = summarizer_identity;
  if (!*row && summarizer_identity.empty()) {
    ingest::EstimatingTokenCounter counter;
    ExtractiveSummarizer summarizer(counter);
    SummaryTreeBuilder builder(lib, summarizer, counter);
    auto tree = builder.build({*it}, std::nullopt);
    if (!tree) return tree.error();
  }
  auto nodes = documentSummaryNodes(lib.db(), document_id, model);
  if (!nodes) return nodes.error();
  Report r;
  r.title = "Summary of " + it->rel_path;
  r.subtitle = (it->title.empty() ? std::string() : it->title + " — ") + std::to_string(it->page_count) + " pages, " +
               std::to_string(it->chunk_count) + " chunks";
  ReportSection s;
  s.heading = it->rel_path;
  const bool extractive = model == kExtractiveIdentity;
  std::string model_name;  // of the document node; "" when it was stored before schema v8
  std::string sections_text;
  int k = 0;
  for (const auto& n : *nodes) {
    if (n.level == kDocumentLevel) {
      s.body = n.text;
      model_name = n.model_name;
    }
    if (n.level != kSectionLevel) continue;
    ReportSource src;
    src.marker = "§" + std::to_string(++k);
    src.path = it->rel_path;
    src.heading = n.heading;
    src.span = describeSpan(n.page_first, n.page_last, n.line_first, n.line_last);
    src.quote = openingQuote(n.text, 800);
    s.sources.push_back(std::move(src));
  }
  const std::string summarizer = extractive ? model : shownModelName(model_name, model);
  s.label = extractive ? "Extractive summary (no model loaded)" : "Document summary (" + summarizer + ")";
  s.facts = {{"Document id", std::to_string(document_id)},
             {"Summarizer", summarizer},
             {"Sections", std::to_string(k)},
             {"Content hash", it->content_hash}};
  // The exact weights and hyper-parameters, for someone reproducing the summary.
  if (!extractive && !model_name.empty()) s.facts.insert(s.facts.begin() + 2, {"Model identity", model});
  r.sections.push_back(std::move(s));
  return r;
}

Result<Report> collectionSummaryReport(ingest::Library& lib, const std::string& collection) {
  auto scope = resolveScope(lib, collection, {});
  if (!scope) return scope.error();
  const int64_t id = *scope->collection_id;
  auto st = lib.db().prepare("SELECT model FROM summary_nodes WHERE collection_id = ? AND level = 2 ORDER BY id DESC LIMIT 1");
  if (!st) return st.error();
  st->bind(1, id);
  auto row = st->step();
  if (!row) return row.error();
  const std::string model = *row ? st->columnText(0) : std::string(kExtractiveIdentity);
  st->reset();
  SummaryTree tree;
  if (model == kExtractiveIdentity) {
    // Built where missing or stale, reused where stored (as `folio summarize --collection` does).
    ingest::EstimatingTokenCounter counter;
    ExtractiveSummarizer summarizer(counter);
    SummaryTreeBuilder builder(lib, summarizer, counter);
    auto built = builder.build(scope->documents, id);
    if (!built) return built.error();
    return collectionReport(*built, collection);
  }
  // A model's tree is read as stored: `folio report` runs no model.
  for (const auto& d : scope->documents) {
    auto nodes = documentSummaryNodes(lib.db(), d.id, model);
    if (!nodes) return nodes.error();
    DocumentTree dt;
    dt.document = d;
    bool summarized = false;
    for (auto& n : *nodes) {
      if (n.level == kDocumentLevel) {
        dt.summary = std::move(n);
        summarized = true;
      } else if (n.level == kSectionLevel) {
        dt.sections.push_back(std::move(n));
      }
    }
    if (!summarized)
      return notFound("document " + d.rel_path + " of collection \"" + collection +
                      "\" has no summary by the model that summarized the collection; run folio summarize --collection " +
                      collection + " --model DIR again");
    tree.documents.push_back(std::move(dt));
  }
  auto top = collectionSummaryNode(lib.db(), id, model);
  if (!top) return top.error();
  tree.collection = std::move(*top);
  return collectionReport(tree, collection);
}

Report collectionReport(const SummaryTree& tree, const std::string& collection) {
  Report r;
  r.title = "Summary of collection " + collection;
  int64_t sections = 0;
  for (const auto& d : tree.documents) sections += static_cast<int64_t>(d.sections.size());
  r.subtitle = std::to_string(tree.documents.size()) + " documents, " + std::to_string(sections) + " sections";
  ReportSection s;
  s.heading = collection;
  const SummaryNode* top = tree.collection ? &*tree.collection : nullptr;
  const bool extractive = !top || top->model == kExtractiveIdentity;
  if (top) s.body = top->text;
  const std::string summarizer = extractive ? std::string(kExtractiveIdentity) : shownModelName(top->model_name, top->model);
  s.label = extractive ? "Extractive summary (no model loaded)" : "Collection summary (" + summarizer + ")";
  int k = 0;
  for (const auto& d : tree.documents) {
    ReportSource src;
    src.marker = "§" + std::to_string(++k);
    src.path = d.document.rel_path;
    src.span = describeSpan(d.summary.page_first, d.summary.page_last, d.summary.line_first, d.summary.line_last);
    src.quote = openingQuote(d.summary.text, 800);
    s.sources.push_back(std::move(src));
  }
  s.facts = {{"Documents", std::to_string(tree.documents.size())},
             {"Summarizer", summarizer},
             {"Summaries built", std::to_string(tree.built)},
             {"Summaries reused", std::to_string(tree.reused)}};
  r.sections.push_back(std::move(s));
  return r;
}

}  // namespace folio::app
