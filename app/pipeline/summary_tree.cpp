#include "app/pipeline/summary_tree.h"

#include <algorithm>
#include <chrono>

#include "ingest/content_hash.h"

namespace folio::app {
namespace {

using Clock = std::chrono::steady_clock;

// The heading that names a chunk's section: its top-level heading, or, when every chunk of the
// document sits under one title (a Markdown H1), the title plus the next level.
std::string sectionHeading(const std::string& heading, size_t depth) {
  auto parts = ingest::splitHeadingPath(heading);
  if (parts.size() > depth + 1) parts.resize(depth + 1);
  return ingest::joinHeadingPath(parts);
}

size_t sectionDepth(const std::vector<ingest::StoredChunk>& chunks) {
  std::string title;
  for (const auto& c : chunks) {
    auto parts = ingest::splitHeadingPath(c.heading);
    if (parts.empty()) return 0;
    if (title.empty()) title = parts.front();
    if (parts.front() != title) return 0;
  }
  return chunks.empty() ? 0 : 1;
}

void spanOf(SummaryNode& n, int page_first, int page_last, int line_first, int line_last, bool first) {
  if (first) {
    n.page_first = page_first;
    n.line_first = line_first;
  }
  n.page_last = page_last;  // children come in document order
  n.line_last = line_last;
}

}  // namespace

std::string sourceHash(const std::vector<std::string>& texts) {
  std::string all;
  for (const auto& t : texts) {
    all += t;
    all += '\x1f';
  }
  return ingest::contentHashHex(all);
}

std::vector<SectionGroup> groupSections(const std::vector<ingest::StoredChunk>& chunks, int max_tokens) {
  std::vector<SectionGroup> groups;
  const size_t depth = sectionDepth(chunks);
  for (const auto& c : chunks) {
    const std::string top = sectionHeading(c.heading, depth);
    const bool same = !groups.empty() && groups.back().heading == top;
    if (!same || groups.back().tokens + c.token_count > max_tokens) {
      groups.push_back(SectionGroup{top, {}, 0});
    }
    groups.back().chunks.push_back(c);
    groups.back().tokens += c.token_count;
  }
  return groups;
}

std::string reuseKey(std::vector<std::string> texts, int summarizer_version) {
  if (summarizer_version > 1) texts.push_back("\x1dsummarizer version " + std::to_string(summarizer_version));
  return sourceHash(texts);
}

std::string sectionReuseKey(const SectionGroup& group, int summarizer_version) {
  std::vector<std::string> texts;
  for (const auto& c : group.chunks) texts.push_back(c.text);
  texts.push_back(group.heading);
  return reuseKey(std::move(texts), summarizer_version);
}

Result<SummaryNode> SummaryTreeBuilder::node(SummaryNode wanted, const SummaryRequest& request, StageUsage& usage,
                                             SummaryTree& tree) {
  auto found = findSummaryNode(lib_.db(), wanted.collection_id, wanted.document_id, wanted.level, wanted.model,
                               wanted.source_hash);
  if (!found) return found.error();
  if (*found) {
    SummaryNode n = std::move(**found);
    // A section's or document's parent is set when its parent node is placed; until then it keeps
    // the stored one rather than being detached and attached again.
    if (wanted.parent_id) n.parent_id = wanted.parent_id;
    n.ordinal = wanted.ordinal;
    n.children = wanted.children;
    n.heading = wanted.heading;
    n.page_first = wanted.page_first;
    n.page_last = wanted.page_last;
    n.line_first = wanted.line_first;
    n.line_last = wanted.line_last;
    FOLIO_TRY(updateSummaryNodePlacement(lib_.db(), n));
    ++tree.reused;
    ++usage.reused;
    return n;
  }
  auto text = summarizer_.summarize(request, usage, cancel_);
  if (!text) return text.error();
  wanted.text = std::move(*text);
  wanted.token_count = tokens_.count(wanted.text);
  auto id = insertSummaryNode(lib_.db(), wanted);
  if (!id) return id.error();
  wanted.id = *id;
  ++tree.built;
  return wanted;
}

Result<DocumentTree> SummaryTreeBuilder::buildDocument(const ingest::DocumentRecord& doc, SummaryTree& tree,
                                                       SummaryProgress& p, const SummaryProgressFn& progress,
                                                       const std::atomic<bool>* cancel) {
  auto chunks = lib_.chunks(doc.id);
  if (!chunks) return chunks.error();
  const auto groups = groupSections(*chunks, options_.section_input_tokens);
  DocumentTree dt;
  dt.document = doc;
  const std::string model = summarizer_.identity();
  for (size_t g = 0; g < groups.size(); ++g) {
    if (cancel && cancel->load()) return cancelled("summary tree cancelled");
    const auto& group = groups[g];
    SummaryNode want;
    want.collection_id = doc.collection_id;
    want.document_id = doc.id;
    want.level = kSectionLevel;
    want.ordinal = static_cast<int>(g);
    want.heading = group.heading;
    want.model = model;
    want.model_name = summarizer_.modelName();
    SummaryRequest req;
    req.title = doc.rel_path + (group.heading.empty() ? "" : " › " + group.heading);
    req.path = doc.rel_path;
    req.max_tokens = options_.section_summary_tokens;
    for (size_t i = 0; i < group.chunks.size(); ++i) {
      const auto& c = group.chunks[i];
      want.children.push_back(c.id);
      spanOf(want, c.page_first, c.page_last, c.line_first, c.line_last, i == 0);
      req.texts.push_back(c.text);
    }
    want.source_hash = sectionReuseKey(group, summarizer_.version());
    p.current = req.title;
    const auto t0 = Clock::now();
    auto n = node(std::move(want), req, tree.map, tree);
    tree.map.elapsed_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (!n) return n.error();
    dt.sections.push_back(std::move(*n));
    ++p.done;
    p.built = tree.built;
    p.reused = tree.reused;
    if (progress) progress(p);
  }
  if (cancel && cancel->load()) return cancelled("summary tree cancelled");
  SummaryNode want;
  want.collection_id = doc.collection_id;
  want.document_id = doc.id;
  want.level = kDocumentLevel;
  want.heading = doc.rel_path;
  want.model = model;
  want.model_name = summarizer_.modelName();
  SummaryRequest req;
  req.title = doc.rel_path + (doc.title.empty() ? "" : " (" + doc.title + ")");
  req.path = doc.rel_path;
  req.max_tokens = options_.document_summary_tokens;
  for (size_t i = 0; i < dt.sections.size(); ++i) {
    const auto& s = dt.sections[i];
    want.children.push_back(s.id);
    spanOf(want, s.page_first, s.page_last, s.line_first, s.line_last, i == 0);
    req.texts.push_back(s.text);
  }
  want.source_hash = reuseKey(req.texts, summarizer_.version());
  p.current = req.title;
  const auto t0 = Clock::now();
  auto dn = node(std::move(want), req, tree.reduce, tree);
  tree.reduce.elapsed_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (!dn) return dn.error();
  dt.summary = std::move(*dn);
  // Sections hang under the document node; nodes of this document no longer in the tree go.
  auto tx = ingest::Transaction::begin(lib_.db());
  if (!tx) return tx.error();
  std::vector<int64_t> keep{dt.summary.id};
  for (auto& s : dt.sections) {
    s.parent_id = dt.summary.id;
    FOLIO_TRY(updateSummaryNodePlacement(lib_.db(), s));
    keep.push_back(s.id);
  }
  auto gone = deleteSummaryNodesExcept(lib_.db(), doc.collection_id, doc.id, model, keep);
  if (!gone) return gone.error();
  FOLIO_TRY(tx->commit());
  ++p.done;
  p.built = tree.built;
  p.reused = tree.reused;
  if (progress) progress(p);
  return dt;
}

Result<SummaryTree> SummaryTreeBuilder::build(const std::vector<ingest::DocumentRecord>& documents,
                                              std::optional<int64_t> collection_id, const SummaryProgressFn& progress,
                                              const std::atomic<bool>* cancel) {
  cancel_ = cancel;
  SummaryTree tree;
  tree.map.stage = "map";
  tree.reduce.stage = "reduce";
  tree.map.engine = tree.reduce.engine = summarizer_.identity();
  SummaryProgress p;
  const auto started = Clock::now();
  // Every report says how long the build has run (for the time left).
  SummaryProgressFn stamped;
  if (progress)
    stamped = [&progress, started](const SummaryProgress& q) {
      SummaryProgress r = q;
      r.elapsed_s = std::chrono::duration<double>(Clock::now() - started).count();
      progress(r);
    };
  p.total = static_cast<int64_t>(documents.size()) + (collection_id ? 1 : 0);
  // Every section counted before the first is built, so the total does not grow as the build goes.
  for (const auto& doc : documents) {
    if (cancel && cancel->load()) return cancelled("summary tree cancelled");  // 20,000 files take seconds
    if (doc.status != ingest::DocumentStatus::Ok) {
      return badInput("document " + std::to_string(doc.id) + " (" + doc.rel_path + ") has status " +
                      std::string(ingest::documentStatusName(doc.status)) + ", nothing to summarize");
    }
    auto chunks = lib_.chunks(doc.id);
    if (!chunks) return chunks.error();
    p.total += static_cast<int64_t>(groupSections(*chunks, options_.section_input_tokens).size());
  }
  for (const auto& doc : documents) {
    auto dt = buildDocument(doc, tree, p, stamped, cancel);
    if (!dt) return dt.error();
    tree.documents.push_back(std::move(*dt));
  }
  if (!collection_id) return tree;
  if (cancel && cancel->load()) return cancelled("summary tree cancelled");
  const std::string model = summarizer_.identity();
  SummaryNode want;
  want.collection_id = *collection_id;
  want.level = kCollectionLevel;
  want.model = model;
  want.model_name = summarizer_.modelName();
  want.heading = documents.empty() ? std::string() : documents.front().collection;
  SummaryRequest req;
  req.title = "collection " + want.heading;
  req.max_tokens = options_.collection_summary_tokens;
  for (const auto& d : tree.documents) {
    want.children.push_back(d.summary.id);
    req.texts.push_back(d.document.rel_path + ": " + d.summary.text);
  }
  want.source_hash = reuseKey(req.texts, summarizer_.version());
  p.current = req.title;
  const auto t0 = Clock::now();
  auto cn = node(std::move(want), req, tree.reduce, tree);
  tree.reduce.elapsed_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (!cn) return cn.error();
  auto tx = ingest::Transaction::begin(lib_.db());
  if (!tx) return tx.error();
  for (auto& d : tree.documents) {
    d.summary.parent_id = cn->id;
    FOLIO_TRY(updateSummaryNodePlacement(lib_.db(), d.summary));
  }
  auto gone = deleteSummaryNodesExcept(lib_.db(), *collection_id, std::nullopt, model, {cn->id});
  if (!gone) return gone.error();
  FOLIO_TRY(tx->commit());
  tree.collection = std::move(*cn);
  ++p.done;
  p.built = tree.built;
  p.reused = tree.reused;
  if (stamped) stamped(p);
  return tree;
}

}  // namespace folio::app
