#include "app/compare/folder_compare.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <system_error>

#include "app/compare/compared_document.h"
#include "app/compare/comparison_format.h"
#include "app/compare/text_sketch.h"
#include "app/compare/version_compare.h"
#include "ingest/source_kind.h"

namespace folio::app {
namespace {

constexpr size_t kSketch = 128;          // word-sequence hashes kept per document to pair renamed ones
constexpr double kSameDocument = 0.5;    // estimated share of word sequences two versions must have
constexpr size_t kMaxUnpaired = 2000;    // per side: beyond it, pairing by text is left out (said so)

std::string folderOf(const std::string& folder) {
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(folder, ec), ec);
  std::string s = ec ? folder : p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string below(const std::string& folder, const std::string& path) {
  return path.size() > folder.size() + 1 ? path.substr(folder.size() + 1) : path;
}

// Two versions of one contract share most of their word triples whatever their names and formats.
std::vector<uint64_t> sketchOf(const VersionText& v) {
  std::vector<uint64_t> keys(v.tokens.size());
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = v.tokens[i].key;
  return wordTripleSketch(keys, kSketch);
}

// Estimated Jaccard similarity: of the k smallest hashes of the union, the share both hold.
double similarity(const std::vector<uint64_t>& x, const std::vector<uint64_t>& y) {
  if (x.empty() || y.empty()) return 0;
  size_t i = 0, j = 0, taken = 0, shared = 0;
  while (taken < kSketch && (i < x.size() || j < y.size())) {
    if (j == y.size() || (i < x.size() && x[i] < y[j])) {
      ++i;
    } else if (i == x.size() || y[j] < x[i]) {
      ++j;
    } else {
      ++shared, ++i, ++j;
    }
    ++taken;
  }
  return static_cast<double>(shared) / static_cast<double>(taken);
}

bool comparable(const ingest::DocumentRecord& d) { return d.status == ingest::DocumentStatus::Ok && d.chunk_count > 0; }

int rank(DocumentChange c) {
  switch (c) {
    case DocumentChange::Changed: return 0;
    case DocumentChange::Added: return 1;
    case DocumentChange::Removed: return 2;
    case DocumentChange::NotCompared: return 3;
    case DocumentChange::Unchanged: return 4;
  }
  return 5;
}

}  // namespace

std::string_view documentChangeName(DocumentChange change) {
  switch (change) {
    case DocumentChange::Unchanged: return "unchanged";
    case DocumentChange::Changed: return "changed";
    case DocumentChange::Added: return "added";
    case DocumentChange::Removed: return "removed";
    case DocumentChange::NotCompared: return "not compared";
  }
  return "unchanged";
}

size_t FolderComparison::count(DocumentChange change) const {
  return static_cast<size_t>(std::count_if(documents.begin(), documents.end(),
                                           [&](const DocumentPairing& p) { return p.change == change; }));
}

bool comparesAsFolder(ingest::Library* library, const std::string& ref) {
  std::error_code ec;
  if (std::filesystem::is_directory(ref, ec)) return true;
  if (library == nullptr || !std::filesystem::is_regular_file(ref, ec) ||
      ingest::classifySource(std::filesystem::path(ref).filename()).kind != ingest::SourceKind::Archive)
    return false;
  auto inside = library->documentsUnder(folderOf(ref));
  return inside && !inside->empty();
}

Result<FolderComparison> compareFolders(ingest::Library& library, const std::string& old_folder,
                                        const std::string& new_folder, const FolderProgressFn& progress,
                                        const std::atomic<bool>* cancel) {
  FolderComparison out;
  out.old_folder = folderOf(old_folder);
  out.new_folder = folderOf(new_folder);
  if (out.old_folder == out.new_folder) return badInput("the two folders are the same: " + out.old_folder);
  auto old_docs = library.documentsUnder(out.old_folder);
  if (!old_docs) return old_docs.error();
  auto new_docs = library.documentsUnder(out.new_folder);
  if (!new_docs) return new_docs.error();
  // One folder inside the other: its documents are not also the outer folder's.
  auto inside = [](const std::string& path, const std::string& folder) { return path.rfind(folder + "/", 0) == 0; };
  std::erase_if(*old_docs, [&](const ingest::DocumentRecord& d) { return inside(d.path, out.new_folder) && out.new_folder.size() > out.old_folder.size(); });
  std::erase_if(*new_docs, [&](const ingest::DocumentRecord& d) { return inside(d.path, out.old_folder) && out.old_folder.size() > out.new_folder.size(); });
  for (const auto& [docs, folder] : {std::pair{&*old_docs, &out.old_folder}, std::pair{&*new_docs, &out.new_folder}}) {
    if (docs->empty()) {
      return notFound(*folder + ": no documents of this folder are in the library; ingest it first (folio ingest " + *folder + ")");
    }
  }
  out.old_documents = old_docs->size();
  out.new_documents = new_docs->size();

  // By path below the folder; a file ingested into two collections counts once.
  std::map<std::string, const ingest::DocumentRecord*> old_by_name, new_by_name;
  for (const auto& d : *old_docs) old_by_name.emplace(below(out.old_folder, d.path), &d);
  for (const auto& d : *new_docs) new_by_name.emplace(below(out.new_folder, d.path), &d);
  std::vector<std::pair<const ingest::DocumentRecord*, const ingest::DocumentRecord*>> pairs;
  std::vector<bool> by_text;
  std::vector<const ingest::DocumentRecord*> old_left, new_left;
  for (const auto& [name, d] : old_by_name) {
    auto it = new_by_name.find(name);
    if (it != new_by_name.end()) {
      pairs.emplace_back(d, it->second);
      by_text.push_back(false);
    } else {
      old_left.push_back(d);
    }
  }
  for (const auto& [name, d] : new_by_name) {
    if (!old_by_name.count(name)) new_left.push_back(d);
  }

  // The rest by their words: each new document with the old one it shares the most with, best pairs first.
  out.paired_by_path_only = old_left.size() > kMaxUnpaired || new_left.size() > kMaxUnpaired;
  if (!old_left.empty() && !new_left.empty() && !out.paired_by_path_only) {
    auto sketches = [&](const std::vector<const ingest::DocumentRecord*>& docs) -> Result<std::vector<std::vector<uint64_t>>> {
      std::vector<std::vector<uint64_t>> out_sketches;
      for (const auto* d : docs) {
        if (cancel && cancel->load()) return cancelled("comparison cancelled");
        if (!comparable(*d)) {
          out_sketches.emplace_back();
          continue;
        }
        auto v = findLibraryDocument(library, d->id);
        if (!v) return v.error();
        out_sketches.push_back(sketchOf(v->text));
      }
      return out_sketches;
    };
    auto old_sketch = sketches(old_left);
    if (!old_sketch) return old_sketch.error();
    auto new_sketch = sketches(new_left);
    if (!new_sketch) return new_sketch.error();
    std::vector<std::tuple<double, size_t, size_t>> candidates;
    for (size_t i = 0; i < old_left.size(); ++i) {
      for (size_t j = 0; j < new_left.size(); ++j) {
        const double s = similarity((*old_sketch)[i], (*new_sketch)[j]);
        if (s >= kSameDocument) candidates.emplace_back(s, i, j);
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) { return std::get<0>(x) > std::get<0>(y); });
    std::vector<bool> old_used(old_left.size()), new_used(new_left.size());
    for (const auto& [s, i, j] : candidates) {
      if (old_used[i] || new_used[j]) continue;
      old_used[i] = new_used[j] = true;
      pairs.emplace_back(old_left[i], new_left[j]);
      by_text.push_back(true);
    }
    std::vector<const ingest::DocumentRecord*> old_rest, new_rest;
    for (size_t i = 0; i < old_left.size(); ++i)
      if (!old_used[i]) old_rest.push_back(old_left[i]);
    for (size_t j = 0; j < new_left.size(); ++j)
      if (!new_used[j]) new_rest.push_back(new_left[j]);
    old_left = std::move(old_rest);
    new_left = std::move(new_rest);
  }

  for (size_t k = 0; k < pairs.size(); ++k) {
    if (cancel && cancel->load()) return cancelled("comparison cancelled");
    const auto* o = pairs[k].first;
    const auto* n = pairs[k].second;
    DocumentPairing p;
    p.old_doc = *o;
    p.new_doc = *n;
    p.old_name = below(out.old_folder, o->path);
    p.new_name = below(out.new_folder, n->path);
    p.paired_by_text = by_text[k];
    p.same_bytes = !o->content_hash.empty() && o->content_hash == n->content_hash;
    if (p.same_bytes) {
      p.change = DocumentChange::Unchanged;
    } else if (!comparable(*o) || !comparable(*n)) {
      p.change = DocumentChange::NotCompared;
      const auto& bad = comparable(*o) ? *n : *o;
      p.summary = below(comparable(*o) ? out.new_folder : out.old_folder, bad.path) + " has no text" +
                  (bad.error.empty() ? std::string() : ": " + bad.error);
    } else {
      auto a = findLibraryDocument(library, o->id);
      if (!a) return a.error();
      auto b = findLibraryDocument(library, n->id);
      if (!b) return b.error();
      auto compared = compareVersions(a->text, b->text, cancel);  // a long pair stops inside too
      if (!compared) return compared.error();
      const VersionComparison& c = *compared;
      p.differences = c.changes.size();
      p.change = c.changes.empty() && c.renumbered.empty() ? DocumentChange::Unchanged : DocumentChange::Changed;
      if (p.change == DocumentChange::Changed) p.summary = comparisonSummary(c);
    }
    out.documents.push_back(std::move(p));
    if (progress) progress(k + 1, pairs.size());
  }
  for (const bool removed : {true, false}) {
    for (const auto* d : removed ? old_left : new_left) {
      DocumentPairing p;
      p.change = removed ? DocumentChange::Removed : DocumentChange::Added;
      (removed ? p.old_doc : p.new_doc) = *d;
      (removed ? p.old_name : p.new_name) = below(removed ? out.old_folder : out.new_folder, d->path);
      out.documents.push_back(std::move(p));
    }
  }
  std::stable_sort(out.documents.begin(), out.documents.end(), [](const DocumentPairing& x, const DocumentPairing& y) {
    const auto name = [](const DocumentPairing& p) { return p.new_name.empty() ? p.old_name : p.new_name; };
    return std::make_pair(rank(x.change), name(x)) < std::make_pair(rank(y.change), name(y));
  });
  return out;
}

std::string folderComparisonText(const FolderComparison& c) {
  std::string out = "Comparing folders\n  old: " + c.old_folder + " (" + std::to_string(c.old_documents) +
                    " documents)\n  new: " + c.new_folder + " (" + std::to_string(c.new_documents) + " documents)\n";
  std::string counts;
  for (const auto change : {DocumentChange::Changed, DocumentChange::Added, DocumentChange::Removed,
                            DocumentChange::NotCompared, DocumentChange::Unchanged}) {
    if (const size_t n = c.count(change)) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(documentChangeName(change));
  }
  out += counts + "\n";
  if (c.paired_by_path_only) {
    out += "(more than " + std::to_string(kMaxUnpaired) + " documents had no namesake: they were paired by path only, not by their text)\n";
  }
  out += "\n";
  size_t same_text = 0, renamed_unchanged = 0;
  for (const auto& p : c.documents) {
    if (p.change == DocumentChange::Unchanged) {
      same_text += !p.same_bytes;
      renamed_unchanged += p.paired_by_text;
      continue;
    }
    std::string name = p.new_name.empty() ? p.old_name : p.new_name;
    if (!p.old_name.empty() && !p.new_name.empty() && p.old_name != p.new_name) {
      name = p.old_name + " → " + p.new_name + (p.paired_by_text ? " (matched by its text)" : "");
    }
    char label[16];
    std::snprintf(label, sizeof label, "%-13s", std::string(documentChangeName(p.change)).c_str());
    out += std::string(label) + name + (p.summary.empty() ? "" : ": " + p.summary) + "\n";
  }
  if (const size_t n = c.count(DocumentChange::Unchanged)) {
    out += "\n" + std::to_string(n) + " unchanged";
    if (same_text || renamed_unchanged) {
      out += " (" + std::to_string(same_text) + " the same text in other bytes, " + std::to_string(renamed_unchanged) +
             " under another name)";
    }
    out += "\n";
  }
  return out;
}

nlohmann::json folderComparisonJson(const FolderComparison& c) {
  nlohmann::json docs = nlohmann::json::array();
  for (const auto& p : c.documents) {
    nlohmann::json j = {{"change", std::string(documentChangeName(p.change))},
                        {"old", p.old_doc ? nlohmann::json{{"document_id", p.old_doc->id}, {"name", p.old_name}} : nlohmann::json(nullptr)},
                        {"new", p.new_doc ? nlohmann::json{{"document_id", p.new_doc->id}, {"name", p.new_name}} : nlohmann::json(nullptr)},
                        {"paired_by_text", p.paired_by_text},
                        {"same_bytes", p.same_bytes},
                        {"differences", p.differences},
                        {"summary", p.summary}};
    docs.push_back(std::move(j));
  }
  nlohmann::json counts;
  for (const auto change : {DocumentChange::Changed, DocumentChange::Added, DocumentChange::Removed,
                            DocumentChange::NotCompared, DocumentChange::Unchanged}) {
    counts[std::string(documentChangeName(change))] = c.count(change);
  }
  return {{"old_folder", c.old_folder}, {"new_folder", c.new_folder}, {"old_documents", c.old_documents},
          {"paired_by_path_only", c.paired_by_path_only},
          {"new_documents", c.new_documents}, {"counts", counts}, {"documents", docs}};
}

}  // namespace folio::app
