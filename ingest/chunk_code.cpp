// Code: top-level functions and classes (and the methods of a class over the target size), found by a
// brace-aware pass (C, C++, Java, JavaScript/TypeScript, Go, Rust) or an indentation-aware pass (Python)
// over the masked source (chunk_code_scan.h), plus a first Outline chunk listing every declaration with
// its line span. A declaration starts at the comment block or decorators right above it and ends at its
// closing brace (or its last indented line). Namespaces, extern "C" blocks and Rust modules are
// transparent. Neighbouring declarations and the text between them (includes, globals, fields) are
// packed into chunks up to the target size (chunk_code_pack.cpp). Keyword- and line-delimited languages
// (Ruby, Lua, Tcl, Perl, shell, make, SQL, ...) have a line-based finder (chunk_code_lines.h); other
// languages, and files where no declaration is found, are cut at lines.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "ingest/chunk_code_decl.h"
#include "ingest/chunk_code_lines.h"
#include "ingest/chunk_code_scan.h"
#include "ingest/chunk_util.h"
#include "ingest/chunker.h"

namespace folio::ingest {
namespace {

bool identStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '~'; }
bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// Skips a balanced group opening at h[k] (one of "([<{"); returns the index after it.
size_t skipGroup(std::string_view h, size_t k) {
  const char open = h[k];
  const char close = open == '(' ? ')' : open == '[' ? ']' : open == '<' ? '>' : '}';
  int depth = 0;
  for (; k < h.size(); ++k) {
    if (h[k] == open) ++depth;
    else if (h[k] == close && --depth == 0) return k + 1;
  }
  return h.size();
}

// Identifier tokens of `h` outside (), <>, [] groups, with their offsets.
struct Word {
  std::string_view text;
  size_t pos;
};

std::vector<Word> topWords(std::string_view h, size_t limit) {
  std::vector<Word> words;
  int depth = 0;
  for (size_t i = 0; i < h.size() && i < limit;) {
    const char c = h[i];
    if (c == '<' && depth == 0 && i > 0 && identChar(h[i - 1])) {
      const size_t after = skipGroup(h, i);
      if (after < h.size() || h.back() == '>') {  // a generic argument list: skip it
        i = after;
        continue;
      }
    }
    if (c == '(' || c == '[') ++depth;
    else if ((c == ')' || c == ']') && depth > 0) --depth;
    if (depth == 0 && identStart(c) && (i == 0 || !identChar(h[i - 1]))) {
      size_t j = i + 1;
      while (j < h.size() && identChar(h[j])) ++j;
      words.push_back(Word{h.substr(i, j - i), i});
      i = j;
      continue;
    }
    ++i;
  }
  return words;
}

// Strips access labels ("public:", "signals:") and whitespace in front of a declaration.
std::string_view stripAccessLabels(std::string_view h) {
  for (bool changed = true; changed;) {
    changed = false;
    while (!h.empty() && std::isspace(static_cast<unsigned char>(h.front()))) h.remove_prefix(1);
    for (std::string_view label : {"public", "private", "protected", "signals", "slots", "Q_SLOTS", "Q_SIGNALS"}) {
      if (h.substr(0, label.size()) != label) continue;
      size_t k = label.size();
      while (k < h.size() && h[k] == ' ') ++k;
      if (k < h.size() && h[k] == ':' && (k + 1 >= h.size() || h[k + 1] != ':')) {
        h.remove_prefix(k + 1);
        changed = true;
        break;
      }
      // "public slots:" / "private Q_SLOTS:"
    }
  }
  return h;
}

// Strips leading attributes and annotations: Rust "#[...]", C++ "[[...]]", C# "[Name(...)]",
// Java/TS "@Name(...)".
std::string_view stripAttributes(std::string_view h) {
  while (true) {
    while (!h.empty() && std::isspace(static_cast<unsigned char>(h.front()))) h.remove_prefix(1);
    if (h.substr(0, 2) == "#[" || h.substr(0, 3) == "#![") {
      h.remove_prefix(std::min(h.size(), skipGroup(h, h.find('['))));
    } else if (h.substr(0, 2) == "[[" || (h.size() > 1 && h[0] == '[' && identStart(h[1]))) {
      h.remove_prefix(std::min(h.size(), skipGroup(h, 0)));
    } else if (h.size() > 1 && h[0] == '@' && identStart(h[1])) {
      size_t k = 1;
      while (k < h.size() && (identChar(h[k]) || h[k] == '.')) ++k;
      size_t j = k;
      while (j < h.size() && h[j] == ' ') ++j;
      if (j < h.size() && h[j] == '(') k = skipGroup(h, j);
      h.remove_prefix(k);
    } else {
      return h;
    }
  }
}

// Strips a leading "template <...>" (balanced), which may hold "class T".
std::string_view stripTemplate(std::string_view h) {
  while (h.substr(0, 8) == "template") {
    size_t k = 8;
    while (k < h.size() && std::isspace(static_cast<unsigned char>(h[k]))) ++k;
    if (k >= h.size() || h[k] != '<') break;
    int depth = 0;
    for (; k < h.size(); ++k) {
      if (h[k] == '<') ++depth;
      else if (h[k] == '>' && --depth == 0) break;
    }
    h.remove_prefix(std::min(h.size(), k + 1));
    while (!h.empty() && std::isspace(static_cast<unsigned char>(h.front()))) h.remove_prefix(1);
  }
  return h;
}

constexpr std::array<std::string_view, 22> kControl{"if",    "for",   "while", "switch", "catch",  "else",
                                                    "do",    "try",   "return", "foreach", "synchronized",
                                                    "using", "lock",  "with",  "unsafe", "match", "loop",
                                                    "sizeof", "when", "finally", "case", "defer"};
constexpr std::array<std::string_view, 14> kClassWords{"class",  "struct", "union",    "enum",     "interface",
                                                       "trait",  "impl",   "record",   "object",   "protocol",
                                                       "extension", "type", "module_class", "enum_class"};

bool contains(auto& list, std::string_view w) { return std::find(list.begin(), list.end(), w) != list.end(); }

enum class ScopeType { Container, Class, Function, Other };

struct Classified {
  ScopeType type = ScopeType::Other;
  std::string label;
};

// The name right before position `paren` (a '('), skipping template arguments: "ns::Foo<T>::bar".
std::string nameBefore(std::string_view h, size_t paren) {
  size_t e = paren;
  while (e > 0 && std::isspace(static_cast<unsigned char>(h[e - 1]))) --e;
  if (e > 0 && h[e - 1] == '>') {
    int depth = 0;
    while (e > 0) {
      --e;
      if (h[e] == '>') ++depth;
      else if (h[e] == '<' && --depth == 0) break;
    }
  }
  size_t b = e;
  while (b > 0 && (identChar(h[b - 1]) || h[b - 1] == ':' || h[b - 1] == '~' || h[b - 1] == '.')) --b;
  std::string name(h.substr(b, e - b));
  while (!name.empty() && (name.front() == ':' || name.front() == '.')) name.erase(name.begin());
  return name;
}

// An Objective-C method header, "- (NSInteger)tableView:(UITableView *)t numberOfRowsInSection:(NSInteger)s":
// its selector ("tableView:numberOfRowsInSection:"), or "" when `h` is not one.
std::string objcSelector(std::string_view h) {
  for (;;) {  // past "@implementation Foo" and the like on the lines before it
    while (!h.empty() && std::isspace(static_cast<unsigned char>(h.front()))) h.remove_prefix(1);
    if (h.empty() || h.front() != '@') break;
    const size_t nl = h.find('\n');
    h.remove_prefix(nl == std::string_view::npos ? h.size() : nl + 1);
  }
  if (h.size() < 2 || (h[0] != '-' && h[0] != '+')) return {};
  size_t k = 1;
  while (k < h.size() && h[k] == ' ') ++k;
  if (k >= h.size() || h[k] != '(') return {};
  k = skipGroup(h, k);  // the return type
  std::string selector;
  while (k < h.size()) {
    while (k < h.size() && std::isspace(static_cast<unsigned char>(h[k]))) ++k;
    size_t e = k;
    while (e < h.size() && identChar(h[e])) ++e;
    if (e == k) break;
    const std::string_view part = h.substr(k, e - k);
    k = e;
    if (k < h.size() && h[k] == ':') {
      selector += std::string(part) + ":";
      ++k;
      while (k < h.size() && h[k] == ' ') ++k;
      if (k < h.size() && h[k] == '(') k = skipGroup(h, k);  // the argument's type
      while (k < h.size() && std::isspace(static_cast<unsigned char>(h[k]))) ++k;
      while (k < h.size() && identChar(h[k])) ++k;  // the argument's name
    } else {
      if (selector.empty()) selector = std::string(part);  // a method without arguments
      break;
    }
  }
  return selector;
}

Classified classify(std::string_view header, CodeFamily family) {
  if (family == CodeFamily::CLike)
    if (std::string selector = objcSelector(header); !selector.empty()) return {ScopeType::Function, selector};
  const std::string_view h = stripAttributes(stripTemplate(stripAttributes(stripAccessLabels(header))));
  if (h.empty()) return {};
  // The first '(' outside <> / [] groups.
  size_t paren = std::string_view::npos;
  size_t eq = std::string_view::npos;
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i] == '(' && paren == std::string_view::npos) paren = i;
    if (h[i] == '=' && eq == std::string_view::npos && paren == std::string_view::npos) {
      const char prev = i > 0 ? h[i - 1] : ' ';
      const char next = i + 1 < h.size() ? h[i + 1] : ' ';
      if (next != '=' && next != '>' && prev != '=' && prev != '!' && prev != '<' && prev != '>') eq = i;
    }
  }
  int balance = 0;
  for (const char c : h) balance += c == '(' ? 1 : c == ')' ? -1 : 0;
  if (balance != 0) return {};  // a '{' inside an argument list: a lambda or callback, not a declaration
  const std::vector<Word> words = topWords(h, h.size());
  if (words.empty()) return {};
  const std::string_view first = words[0].text;
  auto wordAfter = [&](std::string_view kw) -> std::string_view {
    for (size_t i = 0; i + 1 < words.size(); ++i) if (words[i].text == kw) return words[i + 1].text;
    return {};
  };
  // "namespace std _GLIBCXX_VISIBILITY(default)": a C++ namespace may carry a macro with parentheses.
  if (first == "namespace" && family == CodeFamily::CLike) return {ScopeType::Container, {}};
  if (first == "namespace" || first == "mod" || first == "module" || first == "extern" ||
      (first == "declare" && words.size() > 1 && (words[1].text == "module" || words[1].text == "namespace")) ||
      (first == "export" && words.size() > 1 && words[1].text == "namespace")) {
    if (paren == std::string_view::npos) return {ScopeType::Container, {}};
  }
  if (contains(kControl, first)) return {};
  if (eq != std::string_view::npos) {
    const std::string_view rhs = h.substr(eq + 1);
    const std::string name = nameBefore(h, eq);
    if (family == CodeFamily::JavaScript && (rhs.find("=>") != std::string_view::npos || topWords(rhs, rhs.size()).size() > 0)) {
      const auto rw = topWords(rhs, rhs.size());
      const bool is_class = !rw.empty() && rw[0].text == "class";
      const bool is_fn = rhs.find("=>") != std::string_view::npos ||
                         std::any_of(rw.begin(), rw.end(), [](const Word& w) { return w.text == "function"; });
      if (is_class) return {ScopeType::Class, "class " + name};
      if (is_fn && !name.empty()) return {ScopeType::Function, name};
    }
    return {};
  }
  // Class-like: a class keyword before any '('.
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i].text;
    if (paren != std::string_view::npos && words[i].pos > paren) break;
    if (!contains(kClassWords, w)) continue;
    if (w == "type" && family != CodeFamily::Go) continue;
    if (w == "object" && family == CodeFamily::JavaScript) continue;
    if (w == "impl") {
      std::string rest = "impl";
      for (size_t k = i + 1; k < words.size(); ++k) {
        if (words[k].text == "where") break;
        rest += " " + std::string(words[k].text);
      }
      return {ScopeType::Class, rest};
    }
    if (w == "type") return {ScopeType::Class, "type " + std::string(wordAfter("type"))};
    // The name: the last identifier before ':', '<', '(', 'extends', 'implements', 'where'.
    std::string_view name;
    for (size_t k = i + 1; k < words.size(); ++k) {
      const std::string_view t = words[k].text;
      if (t == "extends" || t == "implements" || t == "where" || t == "final" || t == "sealed" || t == "permits" ||
          t == "with" || t == "for") break;
      if (t == "class" || t == "struct") continue;  // "enum class X"
      name = t;
      const size_t after = words[k].pos + t.size();
      size_t a = after;
      while (a < h.size() && std::isspace(static_cast<unsigned char>(h[a]))) ++a;  // the base may be on the next line
      if (a < h.size() && (h[a] == ':' || h[a] == '<' || h[a] == '(' || h[a] == '{')) break;
    }
    return {ScopeType::Class, std::string(w == "enum" && wordAfter("enum") == "class" ? "enum class" : w) + " " + std::string(name)};
  }
  if (paren == std::string_view::npos) return {};
  if (family == CodeFamily::Go && first == "func") {
    size_t k = h.find("func") + 4;
    while (k < h.size() && h[k] == ' ') ++k;
    if (k < h.size() && h[k] == '(') {  // receiver
      int depth = 0;
      for (; k < h.size(); ++k) {
        if (h[k] == '(') ++depth;
        else if (h[k] == ')' && --depth == 0) break;
      }
      ++k;
    }
    const std::vector<Word> rest = topWords(h.substr(std::min(k, h.size())), h.size());
    return {ScopeType::Function, rest.empty() ? std::string("func") : std::string(rest[0].text)};
  }
  if (family == CodeFamily::Rust) {
    const std::string_view name = wordAfter("fn");
    if (!name.empty()) return {ScopeType::Function, std::string(name)};
    return {};
  }
  if (family == CodeFamily::JavaScript) {
    const std::string_view name = wordAfter("function");
    if (!name.empty() && words[0].pos <= paren) {
      for (const Word& w : words) if (w.text == "function") return {ScopeType::Function, std::string(name)};
    }
  }
  const std::string name = nameBefore(h, paren);
  if (name.empty() || contains(kControl, name)) return {};
  return {ScopeType::Function, name};
}

class Structure {
 public:
  // optional_semicolons: a Java-family language whose statements end at line ends (Kotlin, Scala,
  // Groovy, Swift), so that "package app" or "val x = 1" is not read as the start of the next header.
  Structure(std::string_view src, std::string_view masked, const TextIndex& index, CodeFamily family,
            bool optional_semicolons = false)
      : src_(src), m_(masked), index_(index), family_(family), optional_semicolons_(optional_semicolons) {}

  // Extends `begin` upward over the comment lines directly above it (blank when masked, not in source).
  int64_t withLeadingComments(int64_t begin) const {
    size_t line = index_.lineIndex(begin);
    while (line > 0) {
      const int64_t b = index_.lineBegin(line - 1), e = index_.lineEnd(line - 1);
      const std::string_view orig = src_.substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
      const std::string_view mask = m_.substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
      if (isBlank(orig) || !isBlank(mask)) break;
      const size_t first = orig.find_first_not_of(" \t");
      if (family_ == CodeFamily::CLike && orig[first] == '#') break;  // a preprocessor line, not a comment
      --line;
    }
    return std::min(begin, index_.lineBegin(line));
  }

  // One line of the header, from the masked text (comments blanked; string contents blank too).
  std::string signatureAt(int64_t begin, int64_t end) const {
    return oneLine(m_.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin)), 120);
  }

  // Where a header really starts in languages without mandatory semicolons (Go, JavaScript, and the
  // optional_semicolons ones): after the last newline, outside brackets, that follows a line ending like
  // a complete statement. In the optional_semicolons languages an annotation line ("@Test") and a line
  // that the next one continues (": Base", "extends Base", "-> Int") do not end a statement.
  size_t asiHeaderStart(size_t hb, size_t end) const {
    if (family_ == CodeFamily::CLike) {
      // Objective-C: "@implementation Foo" ends with no ';' but is no part of the method after it.
      size_t start = hb;
      for (size_t k = hb; k < end;) {
        size_t nl = m_.find('\n', k);
        if (nl == std::string_view::npos || nl >= end) break;
        const size_t first = m_.find_first_not_of(" \t", k);
        if (first < nl && m_[first] == '@') start = nl + 1;
        k = nl + 1;
      }
      if (start == hb) return hb;
      while (start < end && std::isspace(static_cast<unsigned char>(m_[start]))) ++start;
      return start;
    }
    if (family_ != CodeFamily::Go && family_ != CodeFamily::JavaScript && !optional_semicolons_) return hb;
    int depth = 0;
    size_t start = hb;
    size_t line_start = hb;
    char last = 0;
    for (size_t k = hb; k < end; ++k) {
      const char c = m_[k];
      if (c == '(' || c == '[') ++depth;
      else if ((c == ')' || c == ']') && depth > 0) --depth;
      if (c == '\n') {
        if (depth == 0 && (identChar(last) || last == ')' || last == ']' || last == '"' || last == '\'' || last == '`')) {
          size_t n = k + 1;
          while (n < end && std::isspace(static_cast<unsigned char>(m_[n]))) ++n;
          if (n < end && !(optional_semicolons_ && (annotationLine(line_start, k) || continuesHeader(m_.substr(n, end - n))))) {
            start = n;
          }
        }
        line_start = k + 1;
        continue;
      }
      if (c != ' ' && c != '\t' && c != '\r') last = c;
    }
    return start;
  }

  bool annotationLine(size_t begin, size_t end) const {
    const std::string_view line = m_.substr(begin, end - begin);
    const size_t first = line.find_first_not_of(" \t");
    return first != std::string_view::npos && line[first] == '@';
  }

  static bool continuesHeader(std::string_view next) {
    for (std::string_view w : {":", "->", ".", "?", "=", "&", "|", ","}) {
      if (next.substr(0, w.size()) == w) return true;
    }
    for (std::string_view w : {"extends", "with", "implements", "where", "throws"}) {
      if (next.substr(0, w.size()) == w && (next.size() == w.size() || !identChar(next[w.size()]))) return true;
    }
    return false;
  }

  std::vector<CodeDecl> braces() const {
    const CodeFamily family = family_;
    struct Scope {
      ScopeType type;
      std::string label;
      int64_t header_begin;
      int64_t body_open;
      std::vector<CodeDecl> children;
    };
    std::vector<Scope> stack;
    stack.push_back(Scope{ScopeType::Container, {}, 0, 0, {}});
    size_t stmt = 0;
    constexpr size_t kMaxDepth = 256;
    for (size_t i = 0; i < m_.size(); ++i) {
      const char c = m_[i];
      const ScopeType top = stack.back().type;
      const bool decl_context = top == ScopeType::Container || top == ScopeType::Class;
      if (c == '{') {
        Scope s{ScopeType::Other, {}, static_cast<int64_t>(i), static_cast<int64_t>(i), {}};
        if (decl_context) {
          const std::string_view raw_header = m_.substr(stmt, i - stmt);
          size_t hb = asiHeaderStart(i - stripAccessLabels(raw_header).size(), i);
          Classified k = classify(m_.substr(hb, i - hb), family);
          s.type = k.type;
          s.label = std::move(k.label);
          s.header_begin = static_cast<int64_t>(hb);
        }
        if (stack.size() < kMaxDepth) stack.push_back(std::move(s));
        else stack.push_back(Scope{ScopeType::Other, {}, 0, 0, {}});
        stmt = i + 1;
      } else if (c == '}') {
        if (stack.size() == 1) {
          stmt = i + 1;
          continue;
        }
        Scope s = std::move(stack.back());
        stack.pop_back();
        size_t end = i + 1;
        size_t k = end;
        while (k < m_.size() && (m_[k] == ' ' || m_[k] == '\t')) ++k;
        if (k < m_.size() && m_[k] == ';') end = k + 1;
        if (s.type == ScopeType::Container) {
          for (CodeDecl& d : s.children) stack.back().children.push_back(std::move(d));
        } else if (s.type == ScopeType::Function || s.type == ScopeType::Class) {
          CodeDecl d;
          d.kind = s.type == ScopeType::Class ? ChunkKind::Class : ChunkKind::Function;
          d.label = s.label;
          d.signature = signatureAt(s.header_begin, s.body_open);
          d.begin = withLeadingComments(s.header_begin);
          d.end = static_cast<int64_t>(end);
          d.children = std::move(s.children);
          stack.back().children.push_back(std::move(d));
        }
        stmt = end;
        i = end - 1;
      } else if (c == ';' && decl_context) {
        stmt = i + 1;
      }
    }
    // Unclosed scopes (truncated files): close them at the end of the text.
    while (stack.size() > 1) {
      Scope s = std::move(stack.back());
      stack.pop_back();
      if (s.type == ScopeType::Function || s.type == ScopeType::Class) {
        CodeDecl d{s.type == ScopeType::Class ? ChunkKind::Class : ChunkKind::Function, s.label,
               signatureAt(s.header_begin, s.body_open), withLeadingComments(s.header_begin),
               static_cast<int64_t>(m_.size()), std::move(s.children)};
        stack.back().children.push_back(std::move(d));
      } else {
        for (CodeDecl& d : s.children) stack.back().children.push_back(std::move(d));
      }
    }
    return std::move(stack.back().children);
  }

  std::vector<CodeDecl> python() const {
    struct Scope {
      int indent;
      bool recorded;  // a def/class whose chunk we keep (top level or in a class)
      bool is_class;
      CodeDecl decl;
      int64_t last_code_end;
    };
    std::vector<Scope> stack;
    std::vector<CodeDecl> top;
    int depth = 0;                // bracket depth carried across lines
    bool continued = false;       // previous line ended with a backslash
    int64_t decorators = -1;      // start of pending decorator lines
    bool in_triple = false;       // inside a triple-quoted string that spans lines
    auto closeTo = [&](int indent) {
      while (!stack.empty() && stack.back().indent >= indent) {
        Scope s = std::move(stack.back());
        stack.pop_back();
        s.decl.end = s.last_code_end;
        if (!stack.empty()) stack.back().last_code_end = std::max(stack.back().last_code_end, s.last_code_end);
        if (!s.recorded) continue;
        if (stack.empty()) top.push_back(std::move(s.decl));
        else stack.back().decl.children.push_back(std::move(s.decl));
      }
    };
    for (size_t li = 0; li < index_.lineCount(); ++li) {
      const int64_t b = index_.lineBegin(li), e = index_.lineEnd(li);
      const std::string_view line = m_.substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
      if (isBlank(line)) continue;
      // Only the delimiters of strings survive masking: an odd number of triple quotes on a line
      // opens or closes a multi-line string.
      size_t triples = 0;
      for (size_t q = 0; q + 2 < line.size(); ++q) {
        if ((line[q] == '"' || line[q] == '\'') && line[q + 1] == line[q] && line[q + 2] == line[q]) {
          ++triples;
          q += 2;
        }
      }
      const bool statement_start = depth == 0 && !continued && !in_triple;
      if (triples % 2 == 1) in_triple = !in_triple;
      for (const char c : line) {
        if (c == '(' || c == '[' || c == '{') ++depth;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
      }
      size_t last = line.size();
      while (last > 0 && (line[last - 1] == ' ' || line[last - 1] == '\t' || line[last - 1] == '\r')) --last;
      continued = last > 0 && line[last - 1] == '\\';
      if (!statement_start) {
        if (!stack.empty()) stack.back().last_code_end = e;
        continue;
      }
      int indent = 0;
      size_t k = 0;
      for (; k < line.size() && (line[k] == ' ' || line[k] == '\t'); ++k) indent += line[k] == '\t' ? 8 - indent % 8 : 1;
      closeTo(indent);
      const std::string_view stmt = line.substr(k);
      if (!stack.empty()) stack.back().last_code_end = e;
      if (stmt.front() == '@') {
        if (decorators < 0) decorators = b;
        continue;
      }
      std::string_view rest = stmt;
      if (rest.substr(0, 6) == "async ") rest.remove_prefix(6);
      const bool is_def = rest.substr(0, 4) == "def ";
      const bool is_class = rest.substr(0, 6) == "class ";
      if (is_def || is_class) {
        rest.remove_prefix(is_def ? 4 : 6);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        size_t n = 0;
        while (n < rest.size() && (identChar(rest[n]) || static_cast<unsigned char>(rest[n]) >= 0x80)) ++n;
        const bool recorded = stack.empty() || (stack.back().is_class && stack.back().recorded);
        CodeDecl d;
        d.kind = is_class ? ChunkKind::Class : ChunkKind::Function;
        d.label = (is_class ? "class " : "") + std::string(rest.substr(0, n));
        const int64_t header = decorators >= 0 ? decorators : b;
        d.begin = withLeadingComments(header);
        const int64_t orig_begin = b + static_cast<int64_t>(k);
        d.signature = signatureAt(orig_begin, e);
        stack.push_back(Scope{indent, recorded, is_class, std::move(d), e});
      }
      decorators = -1;
    }
    closeTo(-1);
    return top;
  }

 private:
  std::string_view src_;
  std::string_view m_;
  const TextIndex& index_;
  CodeFamily family_;
  bool optional_semicolons_;
};

// An outline holds at most this many times a chunk's target tokens (2,048 by default: ~60-100 lines).
constexpr int kOutlineTargets = 4;

// The outline's lines, depth first, while they fit `budget` tokens; the declarations past it are only
// counted. Unbounded, a minified bundle's outline listed 73,000 declarations in one 2.2 MB chunk, and FTS5's
// snippet, quadratic in a chunk's matches, took 98 s to quote it for the query "function".
struct OutlineWriter {
  const TextIndex& index;
  const TokenCounter& tokens;
  int budget;
  std::string text;
  int used = 0, listed = 0, left_out = 0;

  void add(const std::vector<CodeDecl>& list, int depth) {
    for (const CodeDecl& d : list) {
      if (left_out == 0) {
        std::string line(static_cast<size_t>(depth) * 2, ' ');
        line += d.signature.empty() ? d.label : d.signature;
        line += "  [lines " + std::to_string(index.lineNumber(d.begin)) + "-" +
                std::to_string(index.lineNumber(std::max(d.begin, d.end - 1))) + "]\n";
        const int n = tokens.count(line);
        if (used + n <= budget) {
          text += line;
          used += n;
          ++listed;
        } else {
          left_out = 1;
        }
      } else {
        ++left_out;
      }
      add(d.children, depth + 1);
    }
  }
};

}  // namespace

std::vector<Chunk> chunkCode(const ExtractedText& doc, std::string_view language, const TokenCounter& tokens,
                             const ChunkOptions& options) {
  const TextIndex index(doc);
  std::vector<Chunk> out;
  const CodeFamily family = codeFamily(language);
  std::vector<CodeDecl> decls;
  if (family != CodeFamily::Other) {
    const std::string masked = maskCode(doc.text, family, language);
    const bool optional_semicolons =
        language == "kotlin" || language == "scala" || language == "groovy" || language == "swift";
    const Structure structure(doc.text, masked, index, family, optional_semicolons);
    decls = family == CodeFamily::Python ? structure.python() : structure.braces();
  } else {
    decls = findLineDecls(index, language);
    if (decls.empty()) {
      emitUnit(index, Unit{ChunkKind::Paragraph, {}, 0, static_cast<int64_t>(doc.text.size()), SplitAt::Lines}, tokens,
               options, out);
      return out;
    }
  }
  if (!decls.empty()) {
    Chunk outline;
    OutlineWriter writer{index, tokens, kOutlineTargets * options.target_tokens, {}};
    writer.add(decls, 0);
    outline.kind = ChunkKind::Outline;
    outline.heading_path = {doc.title.empty() ? std::string("Outline") : "Outline of " + doc.title};
    outline.text = "Declarations (" + std::to_string(writer.listed + writer.left_out) + "):\n" + writer.text;
    if (writer.left_out > 0) outline.text += "… and " + std::to_string(writer.left_out) + " more\n";
    outline.byte_begin = 0;
    outline.byte_end = static_cast<int64_t>(doc.text.size());
    outline.line_first = 1;
    outline.line_last = doc.text.empty() ? 1 : index.lineNumber(static_cast<int64_t>(doc.text.size()) - 1);
    outline.token_count = tokens.count(outline.text);
    out.push_back(std::move(outline));
  }
  emitCodeDecls(index, decls, tokens, options, out);
  return out;
}

}  // namespace folio::ingest
