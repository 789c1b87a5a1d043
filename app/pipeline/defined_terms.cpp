#include "app/pipeline/defined_terms.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "app/pipeline/extractive_summarizer.h"

namespace folio::app {

std::string definedTermOf(std::string_view heading) {
  const size_t sep = heading.rfind(" \xE2\x80\xBA ");
  std::string_view last = sep == std::string_view::npos ? heading : heading.substr(sep + 5);
  const size_t space = last.find(' ');
  if (space == std::string_view::npos || !std::isdigit(static_cast<unsigned char>(last[0]))) return {};
  last.remove_prefix(space + 1);
  for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"\xE2\x80\x9C", "\xE2\x80\x9D"},
                                    std::pair<std::string_view, std::string_view>{"\"", "\""}}) {
    if (last.starts_with(open) && last.size() > open.size() + close.size() && last.ends_with(close))
      return std::string(last.substr(open.size(), last.size() - open.size() - close.size()));
  }
  return {};
}

std::vector<std::string> termsDefinedIn(std::string_view text) {
  std::vector<std::string> terms;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"\xE2\x80\x9C", "\xE2\x80\x9D"},
                                      std::pair<std::string_view, std::string_view>{"\"", "\""}}) {
      if (!line.starts_with(open)) continue;
      const size_t stop = line.find(close, open.size());
      if (stop == std::string_view::npos || stop > 80 + open.size()) break;
      const std::string_view after = line.substr(stop + close.size());
      // "means", "shall mean", "has the meaning", and the alternatives between: '“Loan” or “Loans” means'.
      const std::string_view head = after.substr(0, 80);
      const bool defines = head.find(" mean") != std::string_view::npos || head.find(" has the meaning") != std::string_view::npos;
      if (defines && stop > open.size()) terms.emplace_back(line.substr(open.size(), stop - open.size()));
      break;
    }
  }
  return terms;
}

std::string definitionOf(std::string_view text, std::string_view term) {
  constexpr size_t kMaxBytes = 1500;
  size_t begin = std::string_view::npos;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    const size_t line_start = pos;
    pos = end + 1;
    const size_t indent = line.find_first_not_of(" \t");
    line = indent == std::string_view::npos ? std::string_view() : line.substr(indent);
    const bool opens_definition = line.starts_with("\xE2\x80\x9C") || line.starts_with("\"");
    if (begin == std::string_view::npos) {
      if (opens_definition) {
        const std::vector<std::string> defined = termsDefinedIn(line);
        if (!defined.empty() && defined.front() == term) begin = line_start;
      }
      continue;
    }
    if (line.empty() || opens_definition) return std::string(text.substr(begin, std::min(line_start - begin, kMaxBytes)));
  }
  if (begin == std::string_view::npos) return {};
  return std::string(text.substr(begin, std::min(text.size() - begin, kMaxBytes)));
}

bool usesTerm(std::string_view text, std::string_view term) {
  if (term.empty()) return false;
  for (size_t at = text.find(term); at != std::string_view::npos; at = text.find(term, at + 1)) {
    const bool starts = at == 0 || !isWordByte(text[at - 1]);
    const size_t end = at + term.size();
    // "Services" uses "Service"'s definition no more than "Serviced" does; a plural "Fees" is its own term.
    const bool ends = end == text.size() || !isWordByte(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

Result<std::vector<RankedChunk>> definitionsUsed(ingest::Library& lib, const std::vector<RankedChunk>& passages,
                                                 size_t limit) {
  std::vector<RankedChunk> out;
  std::set<int64_t> taken;
  for (const auto& p : passages) taken.insert(p.chunk.id);
  struct DocumentDefinitions {
    std::vector<ingest::StoredChunk> chunks;
    std::vector<std::pair<std::string, size_t>> terms;  // term, index of its definition in chunks
    std::map<std::string, bool> everywhere;             // term -> used by most of the document
  };
  std::map<int64_t, DocumentDefinitions> documents;
  for (const auto& p : passages) {
    if (out.size() >= limit) break;
    auto [it, fresh] = documents.try_emplace(p.chunk.document_id);
    DocumentDefinitions& doc = it->second;
    if (fresh) {
      auto chunks = lib.chunks(p.chunk.document_id);
      if (!chunks) return chunks.error();
      doc.chunks = std::move(*chunks);
      for (size_t i = 0; i < doc.chunks.size(); ++i) {
        if (doc.chunks[i].kind != "definitions") continue;
        std::string term = definedTermOf(doc.chunks[i].heading);
        if (!term.empty()) {
          doc.terms.emplace_back(std::move(term), i);
          continue;
        }
        for (auto& t : termsDefinedIn(doc.chunks[i].text)) doc.terms.emplace_back(std::move(t), i);
      }
    }
    // A term a quarter of the document uses ("Agreement", "Customer") explains no clause in particular.
    const auto everywhere = [&doc](const std::string& term) {
      auto [at, fresh_term] = doc.everywhere.try_emplace(term, false);
      if (fresh_term && doc.chunks.size() >= 8) {
        size_t users = 0;
        for (const auto& c : doc.chunks) users += usesTerm(c.text, term);
        at->second = users * 4 > doc.chunks.size();
      }
      return at->second;
    };
    // In the order the passage uses them: the first term it names is the one its sentence turns on.
    struct Use {
      size_t at;
      const ingest::StoredChunk* chunk;
      const std::string* term;
    };
    std::vector<Use> used;
    for (const auto& [term, index] : doc.terms) {
      const ingest::StoredChunk& c = doc.chunks[index];
      if (taken.count(c.id) || !usesTerm(p.chunk.text, term) || everywhere(term)) continue;
      used.push_back({p.chunk.text.find(term), &c, &term});
    }
    std::sort(used.begin(), used.end(), [](const Use& a, const Use& b) { return a.at < b.at; });
    for (const Use& u : used) {
      if (out.size() >= limit) break;
      if (!taken.insert(u.chunk->id).second) continue;
      RankedChunk r;
      r.chunk = *u.chunk;
      r.path = p.path;
      r.defined_term = *u.term;
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace folio::app
