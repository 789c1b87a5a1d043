// Packing of declarations into chunks (chunk_code_decl.h). One chunk per declaration made a 100,215-file
// tree 598,797 chunks and a 200 KB minified bundle 7,408, most of them a getter, a constant or an import
// of a few tokens: BM25 ranks such chunks poorly and the summary tree pays for each one.
#include <algorithm>
#include <string>

#include "ingest/chunk_code_decl.h"

namespace folio::ingest {
namespace {

// Text between declarations under this many tokens is not worth a chunk of its own.
constexpr int kMinTextTokens = 8;

// A declaration, or the text before, between or after declarations; the pieces of one level tile it.
struct Piece {
  const CodeDecl* decl = nullptr;  // null for text between declarations
  int64_t begin = 0, end = 0;
  int tokens = 0;
  bool filler = false;  // text too small to stand alone: it may sit inside a chunk, never start or end one
};

// The pieces going into one chunk.
struct Group {
  int64_t begin = -1, end = -1;  // from the first piece to the end of the last one that is not filler
  int tokens = 0;  // of every piece added: the count is subadditive, so the chunk's count is at most this
  std::vector<const Piece*> decls;
  bool empty() const { return begin < 0; }
};

// "a", "a, b, c", or "a … z (12 declarations)": the heading of a chunk of several declarations.
std::string groupLabel(const std::vector<const Piece*>& decls) {
  if (decls.size() > 3) {
    return oneLine(decls.front()->decl->label + " \xE2\x80\xA6 " + decls.back()->decl->label + " (" +
                   std::to_string(decls.size()) + " declarations)", 120);
  }
  std::string label;
  for (const Piece* p : decls) label += (label.empty() ? "" : ", ") + p->decl->label;
  return oneLine(label, 120);
}

class Packer {
 public:
  Packer(const TextIndex& index, const TokenCounter& tokens, const ChunkOptions& options, std::vector<Chunk>& out)
      : index_(index), tokens_(tokens), options_(options), out_(out) {}

  // The declarations `list` of one level, inside [from, to); chunks of text alone get `text_kind`.
  void level(const std::vector<CodeDecl>& list, const std::vector<std::string>& path, ChunkKind text_kind,
             int64_t from, int64_t to) {
    const std::vector<Piece> all = pieces(list, from, to);
    Group group;
    for (const Piece& p : all) {
      if (p.tokens > options_.target_tokens) {
        flush(group, path, text_kind);
        large(p, path, text_kind);
        continue;
      }
      if (group.tokens + p.tokens > options_.target_tokens) flush(group, path, text_kind);
      if (group.empty() && p.filler) continue;
      if (group.empty()) group.begin = p.begin;
      group.tokens += p.tokens;
      if (!p.filler) group.end = p.end;
      if (p.decl) group.decls.push_back(&p);
    }
    flush(group, path, text_kind);
  }

 private:
  int count(int64_t begin, int64_t end) const {
    return tokens_.count(std::string_view(index_.doc().text).substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin)));
  }

  Piece textPiece(int64_t begin, int64_t end) const {
    const std::string_view text = std::string_view(index_.doc().text).substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
    const int n = tokens_.count(text);
    return Piece{nullptr, begin, end, n, n < kMinTextTokens || isBlank(text)};
  }

  std::vector<Piece> pieces(const std::vector<CodeDecl>& list, int64_t from, int64_t to) const {
    std::vector<Piece> out;
    int64_t cursor = from;
    for (const CodeDecl& d : list) {
      if (d.end <= cursor) continue;
      // A declaration starts where its line does (to keep its indentation and leading comment); on one
      // line of minified code that is where the previous ones started too. It starts after them instead:
      // chunks never overlap (a 200 KB one-line bundle gave 488,343 chunks).
      const int64_t begin = std::max(d.begin, cursor);
      if (begin > cursor) out.push_back(textPiece(cursor, begin));
      out.push_back(Piece{&d, begin, d.end, count(begin, d.end), false});
      cursor = d.end;
    }
    if (to > cursor) out.push_back(textPiece(cursor, to));
    return out;
  }

  // A piece over the target: its members packed under its heading, else its text cut at lines.
  void large(const Piece& p, std::vector<std::string> path, ChunkKind text_kind) {
    if (!p.decl) {
      emitUnit(index_, Unit{text_kind, std::move(path), p.begin, p.end, SplitAt::Lines}, tokens_, options_, out_);
      return;
    }
    path.push_back(p.decl->label);
    if (p.decl->children.empty()) {
      emitUnit(index_, Unit{p.decl->kind, std::move(path), p.begin, p.end, SplitAt::Lines}, tokens_, options_, out_);
      return;
    }
    level(p.decl->children, path, p.decl->kind, p.begin, p.end);
  }

  void flush(Group& group, std::vector<std::string> path, ChunkKind text_kind) {
    if (group.empty()) return;
    ChunkKind kind = text_kind;
    if (!group.decls.empty()) {
      // The kind of the declaration that makes up most of the chunk.
      kind = (*std::max_element(group.decls.begin(), group.decls.end(),
                                [](const Piece* a, const Piece* b) { return a->tokens < b->tokens; }))->decl->kind;
      path.push_back(groupLabel(group.decls));
    }
    emitUnit(index_, Unit{kind, std::move(path), group.begin, group.end, SplitAt::Lines}, tokens_, options_, out_);
    group = Group{};
  }

  const TextIndex& index_;
  const TokenCounter& tokens_;
  const ChunkOptions& options_;
  std::vector<Chunk>& out_;
};

}  // namespace

void emitCodeDecls(const TextIndex& index, const std::vector<CodeDecl>& list, const TokenCounter& tokens,
                   const ChunkOptions& options, std::vector<Chunk>& out) {
  Packer(index, tokens, options, out).level(list, {}, ChunkKind::Paragraph, 0, static_cast<int64_t>(index.doc().text.size()));
}

}  // namespace folio::ingest
