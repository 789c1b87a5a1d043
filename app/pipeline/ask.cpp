#include "app/pipeline/ask.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "app/pipeline/answer_store.h"
#include "app/pipeline/chat_prompt.h"
#include "app/pipeline/citations.h"
#include "app/pipeline/defined_terms.h"
#include "app/pipeline/each_document.h"
#include "app/pipeline/each_document_review.h"
#include "app/pipeline/version_question.h"
#include "app/pipeline/extractive_summarizer.h"
#include "app/pipeline/model_description.h"
#include "app/pipeline/model_summarizer.h"
#include "app/pipeline/token_counter.h"

namespace folio::app {
namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string questionPart(const std::string& q) {
  return "Question: " + q + "\nAnswer from the passages above and cite them as [n].";
}

// The inline context's blocks are anchored by \x1e<id>\x1f: the texts between anchors lose those two
// control characters, which a document or a model's summary can contain and which would otherwise cut
// the text at a false anchor.
std::string withoutAnchorMarks(std::string text) {
  std::erase_if(text, [](char ch) { return ch == '\x1e' || ch == '\x1f'; });
  return text;
}

// The inline context: every document in order, each chunk a numbered block, the stored summary of a
// section (when `with_summaries` and one exists) placed before the section's first chunk.
struct InlineContext {
  std::vector<Evidence> evidence;
  std::vector<std::string> doc_text, doc_summary_text;  // per document: blocks; summaries only
};

Result<InlineContext> inlineContext(ingest::Library& lib, const std::vector<ingest::DocumentRecord>& docs,
                                    const Summarizer& summarizer, const SummaryTreeOptions& tree) {
  InlineContext ctx;
  int n = 0;
  for (const auto& d : docs) {
    auto chunks = lib.chunks(d.id);
    if (!chunks) return chunks.error();
    auto nodes = documentSummaryNodes(lib.db(), d.id, summarizer.identity());
    if (!nodes) return nodes.error();
    std::string text = "Document: " + d.rel_path + (d.title.empty() ? "" : " (" + d.title + ")") + "\n\n";
    std::string summaries;
    for (const auto& group : groupSections(*chunks, tree.section_input_tokens)) {
      std::vector<int64_t> ids;
      for (const auto& c : group.chunks) ids.push_back(c.id);
      // Only a summary the tree would reuse: not one an older summarizer version wrote.
      const std::string key = sectionReuseKey(group, summarizer.version());
      for (const auto& node : *nodes)
        if (node.level == kSectionLevel && node.children == ids && node.source_hash == key)
          summaries += "\x1e" + std::to_string(ids.front()) + "\x1f" +
                       withoutAnchorMarks("Summary of " +
                                          (group.heading.empty() ? std::string("this section") : group.heading) +
                                          ": " + node.text + "\n\n");
      for (const auto& c : group.chunks) {
        auto e = chunkEvidence(c, d.rel_path);
        e.n = ++n;
        text += "\x1e" + std::to_string(c.id) + "\x1f" + withoutAnchorMarks(formatEvidenceBlock(e));
        ctx.evidence.push_back(std::move(e));
      }
    }
    ctx.doc_text.push_back(std::move(text));
    ctx.doc_summary_text.push_back(std::move(summaries));
  }
  return ctx;
}

// Removes the \x1e<chunk id>\x1f anchors; with summaries, puts each summary before its first chunk.
std::string assembleInline(const std::string& blocks, const std::string& summaries, bool with_summaries) {
  std::map<std::string, std::string> summary_at;
  if (with_summaries) {
    size_t i = 0;
    while ((i = summaries.find('\x1e', i)) != std::string::npos) {
      const size_t sep = summaries.find('\x1f', i);
      if (sep == std::string::npos) break;
      const size_t next = summaries.find('\x1e', sep);
      summary_at[summaries.substr(i + 1, sep - i - 1)] = summaries.substr(sep + 1, next == std::string::npos ? std::string::npos : next - sep - 1);
      i = sep;
    }
  }
  std::string out;
  size_t i = 0;
  for (;;) {
    const size_t a = blocks.find('\x1e', i);
    out.append(blocks, i, a == std::string::npos ? std::string::npos : a - i);
    if (a == std::string::npos) break;
    const size_t sep = blocks.find('\x1f', a);
    if (sep == std::string::npos) break;  // cannot happen with withoutAnchorMarks; never loop on it
    const auto key = blocks.substr(a + 1, sep - a - 1);
    if (auto it = summary_at.find(key); it != summary_at.end()) out += it->second;
    i = sep + 1;
  }
  return out;
}

// The summaries' text without their anchors.
std::string stripSummaries(const std::string& summaries) {
  std::string out;
  size_t i = 0;
  while (i < summaries.size()) {
    const size_t a = summaries.find('\x1e', i);
    out.append(summaries, i, a == std::string::npos ? std::string::npos : a - i);
    if (a == std::string::npos) break;
    const size_t sep = summaries.find('\x1f', a);
    if (sep == std::string::npos) break;  // as in assembleInline
    i = sep + 1;
  }
  return out;
}

std::string joinBlocks(const std::vector<Evidence>& ev) {
  std::string s;
  for (const auto& e : ev) s += formatEvidenceBlock(e);
  return s;
}

// Definitions read beside the best passages: enough for the terms a clause turns on, few enough to
// leave the evidence budget to passages.
constexpr size_t kDefinitionsBesidePassages = 4;

// Evidence for summarize-then-reason, in priority order, numbered later; `collections` (the built or
// stored collection summaries) first.
Result<std::vector<Evidence>> candidates(ingest::Library& lib, const SummaryTree& tree,
                                         const std::vector<SummaryNode>& collections,
                                         const std::vector<RankedChunk>& ranked, const std::string& question) {
  std::vector<Evidence> out;
  std::set<int64_t> chunk_seen;
  const auto words = rankingWords(question);
  for (const auto& c : collections) out.push_back(summaryEvidence(c, ""));
  // The strongest retrieval hits first, then document summaries, then descent through matching sections.
  const size_t head = std::min<size_t>(ranked.size(), 6);
  for (size_t i = 0; i < head; ++i) {
    out.push_back(chunkEvidence(ranked[i].chunk, ranked[i].path));
    chunk_seen.insert(ranked[i].chunk.id);
  }
  // The definitions those clauses rely on, read beside them ("the General Cap Amount").
  auto defined = definitionsUsed(lib, {ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(head)},
                                 kDefinitionsBesidePassages);
  if (!defined) return defined.error();
  for (const auto& d : *defined) {
    out.push_back(chunkEvidence(d.chunk, d.path));
    chunk_seen.insert(d.chunk.id);
  }
  std::vector<std::pair<int, const DocumentTree*>> docs;
  for (const auto& d : tree.documents) docs.push_back({questionCoverage(words, d.summary.text + " " + d.document.rel_path), &d});
  std::stable_sort(docs.begin(), docs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [cov, d] : docs) out.push_back(summaryEvidence(d->summary, d->document.rel_path));
  std::vector<std::tuple<int, const SummaryNode*, const DocumentTree*>> sections;
  for (const auto& d : tree.documents)
    for (const auto& s : d.sections) {
      const int cov = questionCoverage(words, s.heading + " " + s.text);
      if (cov > 0) sections.emplace_back(cov, &s, &d);
    }
  std::stable_sort(sections.begin(), sections.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  // Each document's chunks read once, not once per matching section: a 2,000-page contract has
  // hundreds of sections matching a question and thousands of chunks.
  struct DocumentChunks {
    std::vector<ingest::StoredChunk> chunks;
    std::unordered_map<int64_t, size_t> at;  // chunk id -> index
  };
  std::unordered_map<int64_t, DocumentChunks> read;
  for (const auto& [cov, s, d] : sections) {
    auto [it, fresh] = read.try_emplace(d->document.id);
    DocumentChunks& dc = it->second;
    if (fresh) {
      auto chunks = lib.chunks(d->document.id);
      if (!chunks) return chunks.error();
      dc.chunks = std::move(*chunks);
      for (size_t i = 0; i < dc.chunks.size(); ++i) dc.at[dc.chunks[i].id] = i;
    }
    std::vector<std::pair<int, const ingest::StoredChunk*>> inside;
    for (int64_t id : s->children) {  // in document order, as the section was built
      const auto at = dc.at.find(id);
      if (at == dc.at.end() || chunk_seen.count(id)) continue;
      const auto& c = dc.chunks[at->second];
      inside.push_back({questionCoverage(words, c.heading + " " + c.text), &c});
    }
    std::stable_sort(inside.begin(), inside.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (inside.empty() || inside.front().first == 0) {
      out.push_back(summaryEvidence(*s, d->document.rel_path));
      continue;
    }
    for (const auto& [c_cov, c] : inside) {
      if (c_cov == 0) break;
      out.push_back(chunkEvidence(*c, d->document.rel_path));
      chunk_seen.insert(c->id);
    }
  }
  for (size_t i = head; i < ranked.size(); ++i)
    if (!chunk_seen.count(ranked[i].chunk.id)) out.push_back(chunkEvidence(ranked[i].chunk, ranked[i].path));
  return out;
}

// Whether the documents' chunks, as numbered blocks, hold more than `limit` tokens. Counting stops as
// soon as they do, so a 100,000-document scope costs about `limit` tokens of reading, not the library.
// The blocks alone undercount the inline context (no document headers), so "no" is checked again there.
Result<bool> moreTokensThan(ingest::Library& lib, const std::vector<ingest::DocumentRecord>& docs,
                            const ingest::TokenCounter& counter, int64_t limit) {
  int64_t total = 0;
  for (const auto& d : docs) {
    auto chunks = lib.chunks(d.id);
    if (!chunks) return chunks.error();
    for (const auto& c : *chunks) {
      total += counter.count(formatEvidenceBlock(chunkEvidence(c, d.rel_path)));
      if (total > limit) return true;
    }
  }
  return false;
}

// The documents of the best-ranked passages, best first, at most `max` of them.
std::vector<ingest::DocumentRecord> bestMatchingDocuments(const std::vector<RankedChunk>& ranked,
                                                          const std::vector<ingest::DocumentRecord>& scope, int max) {
  std::unordered_map<int64_t, const ingest::DocumentRecord*> by_id;
  for (const auto& d : scope) by_id[d.id] = &d;
  std::vector<ingest::DocumentRecord> out;
  std::set<int64_t> seen;
  for (const auto& r : ranked) {
    if (static_cast<int>(out.size()) >= max) break;
    if (!seen.insert(r.chunk.document_id).second) continue;
    if (auto it = by_id.find(r.chunk.document_id); it != by_id.end()) out.push_back(*it->second);
  }
  return out;
}

// The documents a question reads inline or summarizes: the scope, or for a scope that is larger than
// the window and was not chosen document by document, the ones whose passages best match the question.
struct ReadSet {
  std::vector<ingest::DocumentRecord> documents;
  std::optional<LeftOut> left_out;        // set when the scope was narrowed
  // A narrowed scope builds no collection node (it would summarize a few documents as the whole
  // collection and replace the real one); those `folio summarize` stored still serve: the named
  // collection's, or over the whole library each collection's, in collection order.
  std::vector<SummaryNode> collections;
};

// The question's passages over the whole scope, ranked (rankChunks): one search serves the narrowing,
// the evidence and the extractive answer.
using RankedFn = std::function<Result<const std::vector<RankedChunk>*>()>;

Result<ReadSet> documentsToRead(ingest::Library& lib, const Scope& scope, const AskOptions& opt,
                                const ingest::TokenCounter& counter, int64_t available, const std::string& summarizer_id,
                                const RankedFn& ranked_passages) {
  ReadSet out;
  out.documents = scope.documents;
  if (!opt.document_ids.empty() || opt.max_documents <= 0 ||
      static_cast<int64_t>(scope.documents.size()) <= opt.max_documents)
    return out;
  auto large = moreTokensThan(lib, scope.documents, counter, available);
  if (!large) return large.error();
  if (!*large) return out;
  auto ranked = ranked_passages();
  if (!ranked) return ranked.error();
  out.documents = bestMatchingDocuments(**ranked, scope.documents, opt.max_documents);
  std::set<int64_t> collection_ids;
  if (scope.collection_id) collection_ids.insert(*scope.collection_id);
  else
    for (const auto& d : scope.documents) collection_ids.insert(d.collection_id);
  for (int64_t id : collection_ids) {
    auto stored = collectionSummaryNode(lib.db(), id, summarizer_id);
    if (!stored) return stored.error();
    if (*stored) out.collections.push_back(std::move(**stored));
  }
  // With nothing matching, stored collection summaries can still answer ("what is this about?").
  const size_t n = scope.documents.size();
  if (out.documents.empty() && out.collections.empty())
    return notFound("no passage of the " + std::to_string(n) +
                    " documents in scope matches the question, and they are too many to read or summarize for it; "
                    "ask with other words, or name documents or a collection");
  const std::string read =
      out.documents.empty()
          ? std::string("no passage of them matches the question, so only the stored collection summaries were read")
          : "the scope is larger than the context window, so only the " + std::to_string(out.documents.size()) +
                " documents whose passages best match the question were read (at most " +
                std::to_string(opt.max_documents) + "); for a question about each of them, ask it of each document, or summarize the collection first";
  out.left_out = LeftOut{std::to_string(n - out.documents.size()) + " other documents of the " + std::to_string(n) +
                             " in scope",
                         read};
  return out;
}

// A long passage is quoted at its sentences that match the question (citationQuote): a 512-token
// chunk printed whole buries the clause that answers. The citation still opens the whole passage.
constexpr size_t kExtractiveQuoteBytes = 800;

// The chosen passages, each "[n] path › heading (span):" and its quote.
std::string quotedPassages(const std::vector<Evidence>& chosen, const std::string& question) {
  std::string text;
  for (const auto& e : chosen) {
    text += "\n[" + std::to_string(e.n) + "] " + (e.path.empty() ? e.kind : e.path);
    if (!e.heading.empty()) text += " › " + e.heading;
    const auto span = describeSpan(e.page_first, e.page_last, e.line_first, e.line_last);
    if (!span.empty()) text += " (" + span + ")";
    text += ":\n" + citationQuote({e.n, e}, question, {}, kExtractiveQuoteBytes) + "\n";
  }
  return text;
}

std::string extractiveAnswer(const std::vector<Evidence>& chosen, const std::vector<Evidence>& definitions,
                             const std::string& question) {
  const bool passages = chosen.empty() || chosen.front().kind == "chunk";
  std::string text = std::string(kExtractiveLabel) +
                     (passages ? "\n\nThe passages of the documents that best match the question:\n"
                               : "\n\nNo passage of the documents matches the question. The collection's summary:\n") +
                     quotedPassages(chosen, question);
  if (!definitions.empty()) text += "\nThe definitions of the terms they use:\n" + quotedPassages(definitions, question);
  return text;
}

std::string eachDocumentAnswer(const std::vector<Evidence>& passages, const std::string& question, size_t scope) {
  return std::string(kExtractiveLabel) + "\n\nThe passage of each document that best matches the question, for " +
         std::to_string(passages.size()) + " of the " + std::to_string(scope) +
         " documents in scope, strongest match first:\n" + quotedPassages(passages, question);
}

}  // namespace

std::filesystem::path defaultStateDir(const std::filesystem::path& library_path) {
  return library_path.string() + ".states";
}

Result<Scope> resolveScope(ingest::Library& lib, const std::optional<std::string>& collection,
                           const std::vector<int64_t>& document_ids) {
  Scope scope;
  if (collection) {
    auto id = lib.findCollection(*collection);
    if (!id) return id.error();
    if (!*id) return notFound("collection \"" + *collection + "\": not in the library (see folio docs)");
    scope.collection_id = **id;
    scope.collection = *collection;
  }
  auto docs = lib.documents(scope.collection_id);
  if (!docs) return docs.error();
  // Sets, not scans: 1,000 named documents of a 100,000-document library.
  const std::unordered_set<int64_t> named(document_ids.begin(), document_ids.end());
  std::unordered_set<int64_t> found;
  for (auto& d : *docs) {
    if (d.status != ingest::DocumentStatus::Ok || d.chunk_count == 0) continue;
    if (!named.empty() && !named.count(d.id)) continue;
    found.insert(d.id);
    scope.documents.push_back(std::move(d));
  }
  for (int64_t id : document_ids)
    if (!found.count(id))
      return notFound("document " + std::to_string(id) + ": not in the library (or not ingested successfully)");
  if (scope.documents.empty())
    return notFound(collection ? "collection \"" + *collection + "\" has no ingested documents"
                               : std::string("the library has no ingested documents; run folio ingest first"));
  return scope;
}

Result<AnswerRecord> ask(ingest::Library& lib, const ModelRuntime* rt, const AskOptions& opt,
                         const SummaryProgressFn& progress, const std::atomic<bool>* cancel) {
  if (opt.question.empty()) return badInput("question: empty");
  if (opt.thinking_budget < 0) return badInput("thinking budget: must be >= 0");
  if (opt.answer_budget < 1) return badInput("answer budget (--max-tokens): must be >= 1");
  auto scope = resolveScope(lib, opt.collection, opt.document_ids);
  if (!scope) return scope.error();
  const auto counter = makeTokenCounter(rt ? rt->tokenizer.get() : nullptr);
  const auto count = [&](const std::string& s) -> int64_t { return counter->count(s); };
  const int64_t window = opt.context_window > 0 ? opt.context_window : defaultContextWindow(rt);
  const std::string summarizer_id = rt ? rt->identity : kExtractiveIdentity;
  const std::string qpart = questionPart(opt.question);
  PlanInput pin;
  pin.question_tokens = count(qpart);
  pin.budgets.context_window = window;
  pin.budgets.thinking_budget = rt ? opt.thinking_budget : 0;
  pin.budgets.answer_budget = opt.answer_budget;
  pin.budgets.prompt_overhead = rt ? tokenizeChatPrompt(*rt->tokenizer, {kAnswerSystemPrompt, "", ""}).size()
                                   : count(renderChatPrompt({kAnswerSystemPrompt, "", ""}));
  const int64_t available = makePlan(pin).available_tokens;
  const auto no_room = [&] {
    return badInput("the context window (" + std::to_string(window) + " tokens) leaves no room for evidence after the " +
                    "thinking budget, the answer budget and the prompt");
  };
  // Said before any document is read or summarized: with a model that can take hours, and nothing could use it.
  if (available <= 0) return no_room();

  std::optional<std::vector<RankedChunk>> ranked_once;
  const RankedFn ranked_passages = [&]() -> Result<const std::vector<RankedChunk>*> {
    if (!ranked_once) {
      auto r = rankChunks(lib, opt.question, scope->documents, opt.retrieval_limit);
      if (!r) return r.error();
      ranked_once = std::move(*r);
    }
    return &*ranked_once;
  };
  std::unique_ptr<Summarizer> summarizer;
  if (rt)
    summarizer = std::make_unique<ModelSummarizer>(*rt, window, opt.expert_threshold);
  else
    summarizer = std::make_unique<ExtractiveSummarizer>(*counter);
  AnswerRecord a;
  a.question = opt.question;
  a.collection_id = scope->collection_id.value_or(0);
  a.collection = scope->collection;
  a.model = summarizer_id;
  if (rt) a.model_name = summarizer->modelName();  // describeModel walks every tensor: once
  a.extractive = rt == nullptr;
  std::string context;
  Plan plan;
  // Inline, or summarize-then-reason over evidence chosen from the summary tree and retrieval: sets
  // the plan, the context, the evidence and the map/reduce usage.
  const auto read_scope = [&]() -> Status {
    auto reading = documentsToRead(lib, *scope, opt, *counter, available, summarizer_id, ranked_passages);
    if (!reading) return reading.error();
    const std::vector<ingest::DocumentRecord>& docs = reading->documents;
    const std::optional<LeftOut>& narrowed = reading->left_out;
    const std::vector<SummaryNode>& stored_collections = reading->collections;
    auto inl = inlineContext(lib, docs, *summarizer, opt.tree);
    if (!inl) return inl.error();
    for (size_t i = 0; i < docs.size(); ++i) {
      const auto& d = docs[i];
      PlanDocumentInput pd;
      pd.id = d.id;
      pd.path = d.rel_path;
      pd.tokens = count(assembleInline(inl->doc_text[i], "", false));
      pd.summary_tokens = count(stripSummaries(inl->doc_summary_text[i]));
      pd.chunks = d.chunk_count;
      pin.documents.push_back(pd);
    }
    plan = makePlan(pin);
    if (narrowed) plan.left_out.insert(plan.left_out.begin(), *narrowed);

    if (plan.isInline()) {
      for (size_t i = 0; i < docs.size(); ++i)
        context += assembleInline(inl->doc_text[i], inl->doc_summary_text[i], plan.inline_summaries);
      // Token counts of the parts may differ from the count of the whole at the joins; the whole decides.
      if (count(context) > plan.available_tokens && plan.inline_summaries) {
        context.clear();
        for (size_t i = 0; i < docs.size(); ++i) context += assembleInline(inl->doc_text[i], "", false);
        plan.inline_summaries = false;
        plan.left_out.push_back({"section summaries", "the documents fit the context window only without them"});
      }
      if (count(context) > plan.available_tokens) {
        plan.mode = kModeSummarize;
        plan.left_out.push_back({"the full text", "it does not fit the context window once joined"});
      } else {
        a.evidence = std::move(inl->evidence);
      }
    }
    if (plan.isInline()) {
      // Last, numbered after the chunks, each when it fits beside them.
      int64_t unfit = 0;
      for (const auto& node : stored_collections) {
        auto e = summaryEvidence(node, "");
        e.n = static_cast<int>(a.evidence.size()) + 1;
        const std::string block = formatEvidenceBlock(e);
        if (count(context + block) > plan.available_tokens) {
          ++unfit;
          continue;
        }
        context += block;
        a.evidence.push_back(std::move(e));
      }
      if (unfit > 0)
        plan.left_out.push_back({std::to_string(unfit) + " collection summar" + (unfit == 1 ? "y" : "ies"),
                                 "they do not fit the context window beside the documents"});
    }
    if (!plan.isInline()) {
      SummaryTreeBuilder builder(lib, *summarizer, *counter, opt.tree);
      auto tree = builder.build(docs, narrowed ? std::nullopt : scope->collection_id, progress, cancel);
      if (!tree) return tree.error();
      std::vector<SummaryNode> collections = stored_collections;
      if (tree->collection) collections.insert(collections.begin(), *tree->collection);
      a.usage.stages.push_back(tree->map);
      a.usage.stages.push_back(tree->reduce);
      auto ranked = ranked_passages();
      if (!ranked) return ranked.error();
      auto cand = candidates(lib, *tree, collections, **ranked, opt.question);
      if (!cand) return cand.error();
      int64_t used = 0, skipped = 0, skipped_tokens = 0;
      for (auto& e : *cand) {
        e.n = static_cast<int>(a.evidence.size()) + 1;
        const int64_t t = count(formatEvidenceBlock(e));
        if (used + t > plan.available_tokens) {
          ++skipped;
          skipped_tokens += t;
          continue;
        }
        used += t;
        a.evidence.push_back(std::move(e));
      }
      while (!a.evidence.empty() && count(joinBlocks(a.evidence)) > plan.available_tokens) {
        ++skipped;
        a.evidence.pop_back();
      }
      context = joinBlocks(a.evidence);
      if (skipped > 0)
        plan.left_out.push_back({std::to_string(skipped) + " more passages or summaries (" + std::to_string(skipped_tokens) +
                                     " tokens)",
                                 "beyond the evidence budget of " + std::to_string(plan.available_tokens) + " tokens"});
      auto& reduce = plan.stages[1];
      reduce.inputs = static_cast<int64_t>(tree->documents.size());
      reduce.input_tokens = 0;
      for (const auto& d : tree->documents)
        for (const auto& s : d.sections) reduce.input_tokens += s.token_count;
      if (a.evidence.empty()) return no_room();
    }
    return {};
  };
  // With a model each matching document is asked on its own (each_document_review.h): none is left
  // out for want of room in one window.
  const EachDocumentCalls each_calls{window, std::min(opt.thinking_budget, kEachDocumentThinkingTokens),
                                     std::min(opt.answer_budget, kEachDocumentAnswerTokens), opt.expert_threshold,
                                     opt.on_stream, progress};
  // Two documents and a question about what changed: the comparison of the two versions is the evidence.
  std::optional<VersionEvidence> versions;
  const bool compare_versions = !opt.each_document && opt.document_ids.size() == 2 &&
                                opt.document_ids[0] != opt.document_ids[1] && asksWhatChanged(opt.question);
  if (compare_versions) {
    auto v = versionEvidence(lib, opt.document_ids[0], opt.document_ids[1], opt.question, count, available);
    if (!v) return v.error();
    versions = std::move(*v);
    plan = makePlan(pin);
    plan.mode = kModeCompareVersions;
    plan.left_out = versions->left_out;
    a.evidence = versions->evidence;
    context = joinBlocks(a.evidence);
    plan.stages = {{"reason", 0, 0, plan.budgets.thinking_budget + plan.budgets.answer_budget}};
  } else if (opt.each_document) {
    const int64_t room = rt ? std::numeric_limits<int64_t>::max() : available;
    auto each = eachDocumentEvidence(lib, opt.question, scope->documents, count, room, cancel);
    if (!each) return each.error();
    if (each->evidence.empty())
      return notFound("no passage of the " + std::to_string(scope->documents.size()) +
                      " documents in scope holds enough of the question's words; ask with other words");
    plan = makePlan(pin);
    plan.mode = kModeEachDocument;
    plan.left_out = std::move(each->left_out);
    a.evidence = std::move(each->evidence);
    context = joinBlocks(a.evidence);
    plan.stages = {{"reason", 0, 0, plan.budgets.thinking_budget + plan.budgets.answer_budget}};
    if (rt) {
      plan.budgets.thinking_budget = each_calls.thinking_budget;
      plan.budgets.answer_budget = each_calls.answer_budget;
      plan.stages.back().output_budget = static_cast<int64_t>(a.evidence.size()) *
                                         (each_calls.thinking_budget + each_calls.answer_budget);
    }
  } else {
    FOLIO_TRY(read_scope());
  }
  plan.context_tokens = count(context);
  plan.prompt_tokens = plan.budgets.prompt_overhead + plan.question_tokens + plan.context_tokens;
  auto& reason_plan = plan.stages.back();
  reason_plan.inputs = static_cast<int64_t>(a.evidence.size());
  reason_plan.input_tokens = plan.context_tokens;

  StageUsage& reason = a.usage.stage("reason");
  reason.engine = summarizer_id;
  const auto t0 = Clock::now();
  if (rt && opt.each_document) {
    auto answers = answerEachDocument(*rt, a.evidence, opt.question, each_calls, reason, cancel);
    if (!answers) return answers.error();
    a.text = std::move(answers->text);
    a.thinking = std::move(answers->thinking);
    a.finish_reason = std::move(answers->finish_reason);
    a.answer_tokens = std::move(answers->answer_tokens);
    // The plan speaks of one call's window: the largest prompt and passage of the calls.
    plan.prompt_tokens = answers->largest_prompt_tokens;
    plan.context_tokens = 0;
    for (const auto& e : a.evidence) plan.context_tokens = std::max(plan.context_tokens, count(formatEvidenceBlock(e)));
  } else if (versions && (!rt || a.evidence.empty())) {
    // Nothing differs: no model call is needed to say so.
    a.text = rt ? "The two versions (" + versions->old_name + " and " + versions->new_name + ") have " + versions->summary + ".\n"
                : versionAnswer(*versions);
    for (const auto& e : a.evidence) a.citations.push_back({e.n, e});
    a.finish_reason = "extractive";
    reason.calls = rt ? 0 : 1;
  } else if (rt) {
    const auto prompt = tokenizeChatPrompt(*rt->tokenizer, {kAnswerSystemPrompt, context, qpart});
    FOLIO_CHECK(prompt.size() == plan.prompt_tokens);
    ChatGeneration gen;
    gen.context_window = window;
    gen.max_output_tokens = opt.thinking_budget + opt.answer_budget;
    gen.thinking_budget = opt.thinking_budget;
    gen.answer_budget = opt.answer_budget;  // thinking + answer caps the whole; this the answer alone
    gen.expert_threshold = opt.expert_threshold;
    gen.cancel = cancel;
    if (plan.isInline()) gen.state_dir = opt.state_dir;
    ThinkingStreamSplitter splitter;
    if (opt.on_stream)
      gen.on_text = [&](std::string_view piece) {
        if (auto d = splitter.add(piece); !d.empty()) opt.on_stream(d);
      };
    if (opt.on_progress)
      gen.on_progress = [&](const GenerationProgress& p) {
        opt.on_progress({p, plan.budgets.context_window, plan.budgets.thinking_budget, plan.budgets.answer_budget});
      };
    auto out = runChat(*rt, prompt, gen, reason);
    if (opt.on_stream)
      if (auto d = splitter.finish(); !d.empty()) opt.on_stream(d);
    if (!out) return out.error();
    a.text = out->answer;
    a.thinking = out->thinking;
    a.finish_reason = out->finish_reason;
    a.answer_tokens = std::move(out->answer_tokens);
  } else if (opt.each_document) {
    a.text = eachDocumentAnswer(a.evidence, opt.question, scope->documents.size());
    for (const auto& e : a.evidence) a.citations.push_back({e.n, e});
    a.finish_reason = "extractive";
    reason.calls = 1;
  } else {
    auto ranked = ranked_passages();
    if (!ranked) return ranked.error();
    std::vector<Evidence> chosen;
    for (const auto& r : **ranked) {
      if (static_cast<int>(chosen.size()) >= opt.extractive_passages) break;
      for (const auto& e : a.evidence)
        if (e.chunk_id && *e.chunk_id == r.chunk.id) chosen.push_back(e);
    }
    if (chosen.empty())  // nothing matches: the stored collection summary, when there is one
      for (const auto& e : a.evidence)
        if (e.kind == "collection summary") chosen.push_back(e);
    // The definitions the chosen clauses use, where the evidence holds them (inline: every chunk).
    std::vector<RankedChunk> chosen_ranked;
    for (const auto& r : **ranked)
      for (const auto& e : chosen)
        if (e.chunk_id && *e.chunk_id == r.chunk.id) chosen_ranked.push_back(r);
    auto defined = definitionsUsed(lib, chosen_ranked, kDefinitionsBesidePassages);
    if (!defined) return defined.error();
    std::vector<Evidence> definitions;
    for (const auto& d : *defined)
      for (const auto& e : a.evidence)
        if (e.chunk_id && *e.chunk_id == d.chunk.id) {
          definitions.push_back(e);
          // Of a section defining many terms, the lines that define this one are quoted.
          if (std::string lines = definitionOf(e.text, d.defined_term); !lines.empty()) definitions.back().text = std::move(lines);
        }
    a.text = extractiveAnswer(chosen, definitions, opt.question);
    // The passages are quoted text that may hold brackets of their own: cite what was chosen, not what parses.
    for (const auto& e : chosen) a.citations.push_back({e.n, e});
    for (const auto& e : definitions) a.citations.push_back({e.n, e});
    if (chosen.empty()) a.text += "\nNo passage of the documents matches the question.\n";
    a.finish_reason = "extractive";
    reason.calls = 1;
  }
  reason.elapsed_ms = msSince(t0);
  if (rt) {
    auto cites = mapCitations(a.text, a.evidence);
    a.citations = std::move(cites.citations);
    a.dropped_citations = std::move(cites.dropped);
  }
  a.plan = std::move(plan);
  // A stop asked for during a step that does not poll (an extractive answer) still records nothing.
  if (cancel && cancel->load()) return cancelled("question cancelled; no answer recorded");
  if (opt.store) FOLIO_TRY(storeAnswer(lib.db(), a));
  return a;
}

}  // namespace folio::app
