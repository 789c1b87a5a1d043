// Declarations of keyword- and line-delimited languages, found line by line over the masked source
// (chunk_code_lines_mask.h: comments, strings and heredocs blanked). A line that starts a declaration:
//   ruby        def name / class Name / module Name / class << self, RSpec and Rake blocks
//               (describe, context, it, task, namespace ... do) ... end
//   lua         [local] function name( / name = function( ... end
//   tcl         proc name, namespace eval, oo::class create / itcl::class (method, constructor inside),
//               test {name} ... the matching }
//   perl        sub name ... }, package Name; (up to the next package) or package Name { ... }
//   shell       name() {, function name { ... }
//   powershell  function / filter / workflow Name, class Name (methods inside), enum Name ... }
//   proto       message / service / extend / enum Name, rpc Name ... }
//   css         a rule "selector {"; @media, @supports, @layer, @container hold rules ... }
//   cmake       function(name / macro(name ... endfunction() / endmacro()
//   make        a target "name: deps" at column 0 up to its last recipe (tab) line; define ... endef
//   sql         CREATE [OR REPLACE] TABLE / VIEW / FUNCTION / PROCEDURE / INDEX / TRIGGER ... name, up to
//               the ';' outside BEGIN/CASE ... END
//   dockerfile  each FROM stage, up to the next FROM
// A keyword block ends at its end word at the same indentation as its first line (a line indented less
// ends it before that line); a brace block where the braces opened on its first line close, or at a
// line that starts with '}' at its indentation. A declaration takes the comment lines right above it.
// Declarations inside a container (Ruby class/module, Tcl namespace, Perl package, PowerShell class,
// proto message/service, CSS @media) are its children; those inside a function are not recorded.
// Not understood: blocks whose end word is not at their indentation (Ruby "x = if ... end" is fine,
// a one-line "def" without "end" on that line is not), Ruby {...} blocks, shell functions with a
// subshell body "f() ( ... )", heredoc-like constructs that the mask misses (chunk_code_lines_mask.h).
#include "ingest/chunk_code_lines.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "ingest/chunk_code_lines_mask.h"
#include "ingest/chunk_util.h"

namespace folio::ingest {
namespace {

struct LanguageName {
  std::string_view name;
  LineLanguage language;
};

constexpr std::array kLanguages{
    LanguageName{"ruby", LineLanguage::Ruby},     LanguageName{"lua", LineLanguage::Lua},
    LanguageName{"tcl", LineLanguage::Tcl},       LanguageName{"perl", LineLanguage::Perl},
    LanguageName{"shell", LineLanguage::Shell},   LanguageName{"make", LineLanguage::Make},
    LanguageName{"sql", LineLanguage::Sql},       LanguageName{"powershell", LineLanguage::PowerShell},
    LanguageName{"dockerfile", LineLanguage::Dockerfile}, LanguageName{"proto", LineLanguage::Proto},
    LanguageName{"css", LineLanguage::Css},       LanguageName{"cmake", LineLanguage::CMake},
};

std::optional<LineLanguage> lineLanguage(std::string_view name) {
  for (const auto& l : kLanguages) {
    if (l.name == name) return l.language;
  }
  return std::nullopt;
}

enum class Close : uint8_t {
  EndWord,    // an end word at the opener's indentation
  Brace,      // the braces opened on the first line close
  Recipe,     // the last tab-indented line after it (make)
  NextDecl,   // the next declaration of the same sort, or the end of the text
  Semicolon,  // a ';' outside BEGIN/CASE ... END (SQL)
};

struct Opener {
  ChunkKind kind = ChunkKind::Function;
  std::string label;
  Close close = Close::Brace;
  bool container = false;
  std::string_view end_word = {};  // EndWord
  bool own_end_word = false;       // the end word closes nothing else ("endfunction"): any indentation
  bool one_line = false;           // complete on its first line
};

// One code line as the matchers see it: `code` from the masked text, `text` the same bytes of the
// source (its strings intact), both from the first non-blank character to the last one of `code`.
struct LineView {
  std::string_view code, text;
  int indent = 0;
  bool tab = false;       // the line starts with a tab (a make recipe)
  bool in_class = false;  // the innermost open declaration is a container
};

bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

void skipSpaces(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

bool sameWord(std::string_view a, std::string_view b, bool icase) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i], y = b[i];
    if (x != y && !(icase && std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)))) return false;
  }
  return true;
}

// Consumes `word` at the start of s when a non-identifier character follows it, and the spaces after.
bool eatWord(std::string_view& s, std::string_view word, bool icase = false) {
  if (s.size() < word.size() || !sameWord(s.substr(0, word.size()), word, icase)) return false;
  if (s.size() > word.size() && identChar(s[word.size()])) return false;
  s.remove_prefix(word.size());
  skipSpaces(s);
  return true;
}

// Consumes an identifier, also made of the characters in `extra` ("::", "-", "."), and the spaces after.
std::string eatName(std::string_view& s, std::string_view extra) {
  size_t n = 0;
  while (n < s.size() && (identChar(s[n]) || extra.find(s[n]) != std::string_view::npos)) ++n;
  std::string name(s.substr(0, n));
  s.remove_prefix(n);
  skipSpaces(s);
  return name;
}

std::string_view lastWord(std::string_view s) {
  size_t e = s.size();
  while (e > 0 && !identChar(s[e - 1])) --e;
  size_t b = e;
  while (b > 0 && identChar(s[b - 1])) --b;
  return s.substr(b, e - b);
}

int countWord(std::string_view s, std::string_view word) {
  int n = 0;
  for (size_t p = s.find(word); p != std::string_view::npos; p = s.find(word, p + 1)) {
    if ((p == 0 || !identChar(s[p - 1])) && (p + word.size() >= s.size() || !identChar(s[p + word.size()]))) ++n;
  }
  return n;
}

// The source text of `code`'s suffix `rest` (same offsets).
std::string_view textOf(const LineView& l, std::string_view rest) {
  return l.text.substr(static_cast<size_t>(rest.data() - l.code.data()), rest.size());
}

// A Tcl word: {braced}, "quoted" or bare.
std::string tclWord(std::string_view t) {
  if (t.empty()) return {};
  size_t n = 0;
  if (t[0] == '{') {
    for (int depth = 0; n < t.size(); ++n) {
      if (t[n] == '{') ++depth;
      else if (t[n] == '}' && --depth == 0) break;
    }
    ++n;
  } else if (t[0] == '"') {
    for (n = 1; n < t.size() && t[n] != '"'; ++n) n += t[n] == '\\';
    ++n;
  } else {
    while (n < t.size() && t[n] != ' ' && t[n] != '\t') ++n;
  }
  return oneLine(t.substr(0, std::min(n, t.size())), 100);
}

std::optional<Opener> ruby(const LineView& l) {
  std::string_view s = l.code;
  const bool ends = lastWord(s) == "end";
  for (std::string_view prefix : {"private_class_method", "module_function", "private", "protected", "public"}) {
    if (eatWord(s, prefix)) break;
  }
  if (eatWord(s, "def")) {
    size_t n = 0;
    while (n < s.size() && s[n] != ' ' && s[n] != '\t' && s[n] != '(' && s[n] != ';') ++n;
    if (n == 0) return std::nullopt;
    Opener o{ChunkKind::Function, std::string(s.substr(0, n)), Close::EndWord, false, "end", false, ends};
    std::string_view rest = s.substr(n);
    skipSpaces(rest);
    if (!rest.empty() && rest[0] == '(') {
      int depth = 0;
      size_t k = 0;
      for (; k < rest.size(); ++k) {
        if (rest[k] == '(') ++depth;
        else if (rest[k] == ')' && --depth == 0) break;
      }
      rest.remove_prefix(std::min(rest.size(), k + 1));
      skipSpaces(rest);
    }
    // An endless method: "def name(args) = expression".
    if (rest.size() >= 2 && rest[0] == '=' && rest[1] != '=' && rest[1] != '~' && rest[1] != '>') o.one_line = true;
    return o;
  }
  if (eatWord(s, "class")) {
    if (s.substr(0, 2) == "<<") return Opener{ChunkKind::Class, "class << " + oneLine(s.substr(2), 60), Close::EndWord, true, "end", false, ends};
    const std::string name = eatName(s, ":");
    if (name.empty()) return std::nullopt;
    return Opener{ChunkKind::Class, "class " + name, Close::EndWord, true, "end", false, ends};
  }
  if (eatWord(s, "module")) {
    const std::string name = eatName(s, ":");
    if (name.empty()) return std::nullopt;
    return Opener{ChunkKind::Class, "module " + name, Close::EndWord, true, "end", false, ends};
  }
  // RSpec and Rake: "describe Foo do", "it 'works' do |x|", "namespace :db do".
  if (s.substr(0, 6) == "RSpec.") s.remove_prefix(6);
  const std::string_view word = s.substr(0, std::min(s.size(), static_cast<size_t>(std::find_if_not(s.begin(), s.end(), identChar) - s.begin())));
  static constexpr std::array<std::string_view, 7> kGroups{"describe", "context", "feature", "shared_examples",
                                                           "shared_examples_for", "shared_context", "namespace"};
  static constexpr std::array<std::string_view, 4> kCases{"it", "specify", "scenario", "task"};
  const bool group = std::find(kGroups.begin(), kGroups.end(), word) != kGroups.end();
  if (!group && std::find(kCases.begin(), kCases.end(), word) == kCases.end()) return std::nullopt;
  std::string_view body = s.substr(word.size());
  if (!body.empty() && body.back() == '|') body = body.substr(0, body.rfind('|', body.size() - 2));
  while (!body.empty() && (body.back() == ' ' || body.back() == '\t' || body.back() == '|')) body.remove_suffix(1);
  if (lastWord(body) != "do" || body.size() < 2 || body.substr(body.size() - 2) != "do") return std::nullopt;
  body.remove_suffix(2);
  const std::string args = oneLine(textOf(l, body), 100);
  return Opener{group ? ChunkKind::Class : ChunkKind::Function, std::string(word) + (args.empty() ? "" : " " + args),
                Close::EndWord, group, "end", false, false};
}

std::optional<Opener> lua(const LineView& l) {
  std::string_view s = l.code;
  eatWord(s, "local");
  std::string name;
  if (eatWord(s, "function")) {
    name = eatName(s, ".:");
  } else {
    name = eatName(s, ".:");
    if (s.size() < 2 || s[0] != '=' || s[1] == '=') return std::nullopt;
    s.remove_prefix(1);
    skipSpaces(s);
    if (!eatWord(s, "function")) return std::nullopt;
  }
  if (name.empty()) return std::nullopt;
  // One line when the line closes every block it opens: "local function f() return 1 end".
  const int opens = countWord(l.code, "function") + countWord(l.code, "if") + countWord(l.code, "do");
  return Opener{ChunkKind::Function, name, Close::EndWord, false, "end", false, countWord(l.code, "end") >= opens};
}

std::optional<Opener> tcl(const LineView& l) {
  std::string_view s = l.code;
  if (eatWord(s, "proc") || (l.in_class && eatWord(s, "method"))) {
    const std::string name = tclWord(textOf(l, s));
    if (name.empty()) return std::nullopt;
    return Opener{ChunkKind::Function, name};
  }
  if (l.in_class && (s.substr(0, 11) == "constructor" || s.substr(0, 10) == "destructor")) {
    return Opener{ChunkKind::Function, eatName(s, "")};
  }
  if (eatWord(s, "namespace") && eatWord(s, "eval")) {
    return Opener{ChunkKind::Class, "namespace " + tclWord(textOf(l, s)), Close::Brace, true};
  }
  s = l.code;
  if (((eatWord(s, "oo::class") || eatWord(s, "::oo::class")) && eatWord(s, "create")) || eatWord(s, "itcl::class") ||
      eatWord(s, "::itcl::class")) {
    return Opener{ChunkKind::Class, "class " + tclWord(textOf(l, s)), Close::Brace, true};
  }
  s = l.code;
  if (eatWord(s, "test") && !s.empty()) return Opener{ChunkKind::Function, "test " + tclWord(textOf(l, s))};
  return std::nullopt;
}

std::optional<Opener> perl(const LineView& l) {
  std::string_view s = l.code;
  if (eatWord(s, "sub")) {
    const std::string name = eatName(s, ":");
    if (name.empty()) return std::nullopt;  // an anonymous sub
    return Opener{ChunkKind::Function, name};
  }
  if (eatWord(s, "package")) {
    const std::string name = eatName(s, ":");
    if (name.empty()) return std::nullopt;
    const bool block = s.find('{') != std::string_view::npos;
    return Opener{ChunkKind::Class, "package " + name, block ? Close::Brace : Close::NextDecl, true};
  }
  return std::nullopt;
}

std::optional<Opener> shell(const LineView& l) {
  std::string_view s = l.code;
  const bool keyword = eatWord(s, "function");
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return std::nullopt;
  const std::string name = eatName(s, "-.:");
  bool parens = false;
  if (!s.empty() && s[0] == '(') {
    s.remove_prefix(1);
    skipSpaces(s);
    if (s.empty() || s[0] != ')') return std::nullopt;
    s.remove_prefix(1);
    skipSpaces(s);
    parens = true;
  }
  if (name.empty() || (!keyword && !parens) || (!s.empty() && s[0] != '{')) return std::nullopt;
  return Opener{ChunkKind::Function, name};
}

std::optional<Opener> powershell(const LineView& l) {
  std::string_view s = l.code;
  if (eatWord(s, "function", true) || eatWord(s, "filter", true) || eatWord(s, "workflow", true)) {
    const std::string name = eatName(s, "-:.");
    if (name.empty()) return std::nullopt;
    return Opener{ChunkKind::Function, name};
  }
  const bool is_class = eatWord(s, "class", true);
  if (is_class || eatWord(s, "enum", true)) {
    const std::string name = eatName(s, ".");
    if (name.empty()) return std::nullopt;
    return Opener{ChunkKind::Class, (is_class ? "class " : "enum ") + name, Close::Brace, is_class};
  }
  if (!l.in_class) return std::nullopt;
  while (eatWord(s, "static", true) || eatWord(s, "hidden", true)) {
  }
  if (!s.empty() && s[0] == '[') {
    const size_t close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    s.remove_prefix(close + 1);
    skipSpaces(s);
  }
  const std::string name = eatName(s, "");
  if (name.empty() || s.empty() || s[0] != '(') return std::nullopt;
  return Opener{ChunkKind::Function, name};
}

std::optional<Opener> proto(const LineView& l) {
  std::string_view s = l.code;
  for (std::string_view kw : {"message", "service", "extend", "enum"}) {
    if (!eatWord(s, kw)) continue;
    const std::string name = eatName(s, ".");
    if (name.empty()) return std::nullopt;
    return Opener{ChunkKind::Class, std::string(kw) + " " + name, Close::Brace, kw != "enum"};
  }
  if (eatWord(s, "rpc")) {
    const std::string name = eatName(s, "");
    if (name.empty()) return std::nullopt;
    return Opener{ChunkKind::Function, name};
  }
  return std::nullopt;
}

std::optional<Opener> css(const LineView& l) {
  const size_t brace = l.code.find('{');
  if (brace == std::string_view::npos || brace == 0) return std::nullopt;
  const std::string label = oneLine(l.text.substr(0, brace), 100);
  if (l.code[0] != '@') return Opener{ChunkKind::Function, label};
  std::string_view s = l.code.substr(1);
  for (std::string_view group : {"media", "supports", "layer", "container", "document"}) {
    if (eatWord(s, group)) return Opener{ChunkKind::Class, label, Close::Brace, true};
  }
  return Opener{ChunkKind::Function, label};
}

std::optional<Opener> cmake(const LineView& l) {
  std::string_view s = l.code;
  const bool is_function = eatWord(s, "function", true);
  if (!is_function && !eatWord(s, "macro", true)) return std::nullopt;
  if (s.empty() || s[0] != '(') return std::nullopt;
  s.remove_prefix(1);
  skipSpaces(s);
  const std::string name = eatName(s, "-.");
  if (name.empty()) return std::nullopt;
  return Opener{ChunkKind::Function, name, Close::EndWord, false, is_function ? "endfunction" : "endmacro", true};
}

std::optional<Opener> make(const LineView& l) {
  if (l.indent != 0 || l.tab) return std::nullopt;
  std::string_view s = l.code;
  if (eatWord(s, "define")) {
    const std::string name = eatName(s, "-.");
    if (name.empty()) return std::nullopt;
    return Opener{ChunkKind::Function, "define " + name, Close::EndWord, false, "endef", true};
  }
  static constexpr std::array<std::string_view, 14> kDirectives{
      "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "-include", "sinclude", "export",
      "unexport", "override", "vpath", "undefine"};
  for (std::string_view d : kDirectives) {
    std::string_view t = s;
    if (eatWord(t, d)) return std::nullopt;
  }
  int depth = 0;
  size_t colon = std::string_view::npos;
  for (size_t i = 0; i < s.size() && colon == std::string_view::npos; ++i) {
    const char c = s[i];
    if (c == '(' || c == '{') ++depth;
    else if ((c == ')' || c == '}') && depth > 0) --depth;
    else if (depth == 0 && c == '=') return std::nullopt;  // an assignment
    else if (depth == 0 && c == ':') colon = i;
  }
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view after = s.substr(colon + 1);
  if (after.substr(0, 1) == "=" || after.substr(0, 2) == ":=") return std::nullopt;  // ":=", "::="
  const std::string target = oneLine(l.text.substr(0, colon), 80);
  // Special targets (.PHONY, .SUFFIXES, .DEFAULT_GOAL) are settings, not rules.
  if (target.size() > 1 && target[0] == '.' &&
      std::all_of(target.begin() + 1, target.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) || c == '_'; })) {
    return std::nullopt;
  }
  return Opener{ChunkKind::Function, target, Close::Recipe};
}

std::optional<Opener> sql(const LineView& l) {
  std::string_view s = l.code;
  if (!eatWord(s, "create", true)) return std::nullopt;
  if (eatWord(s, "or", true) && !eatWord(s, "replace", true) && !eatWord(s, "alter", true)) return std::nullopt;
  static constexpr std::array<std::string_view, 12> kModifiers{
      "unique", "temp", "temporary", "materialized", "virtual", "recursive", "global", "local", "unlogged",
      "external", "clustered", "nonclustered"};
  for (bool more = true; more;) {
    more = false;
    for (std::string_view m : kModifiers) more = more || eatWord(s, m, true);
  }
  static constexpr std::array<std::string_view, 11> kKinds{"table", "view", "function", "procedure", "index",
                                                           "trigger", "type", "sequence", "schema", "domain", "extension"};
  std::string kind;
  for (std::string_view k : kKinds) {
    if (eatWord(s, k, true)) kind = k;
  }
  if (kind.empty()) return std::nullopt;
  if (eatWord(s, "if", true)) {
    eatWord(s, "not", true);
    eatWord(s, "exists", true);
  }
  const std::string_view t = textOf(l, s);
  const std::string name(t.substr(0, std::min(t.size(), t.find_first_of(" \t(;"))));
  const bool code = kind == "function" || kind == "procedure" || kind == "trigger";
  return Opener{code ? ChunkKind::Function : ChunkKind::Class, kind + (name.empty() ? "" : " " + name), Close::Semicolon};
}

std::optional<Opener> dockerfile(const LineView& l) {
  std::string_view s = l.code;
  if (!eatWord(s, "FROM", true)) return std::nullopt;
  return Opener{ChunkKind::Class, oneLine(l.text, 100), Close::NextDecl};
}

std::optional<Opener> match(LineLanguage language, const LineView& l) {
  switch (language) {
    case LineLanguage::Ruby: return ruby(l);
    case LineLanguage::Lua: return lua(l);
    case LineLanguage::Tcl: return tcl(l);
    case LineLanguage::Perl: return perl(l);
    case LineLanguage::Shell: return shell(l);
    case LineLanguage::PowerShell: return powershell(l);
    case LineLanguage::Proto: return proto(l);
    case LineLanguage::Css: return css(l);
    case LineLanguage::CMake: return cmake(l);
    case LineLanguage::Make: return make(l);
    case LineLanguage::Sql: return sql(l);
    case LineLanguage::Dockerfile: return dockerfile(l);
  }
  return std::nullopt;
}

// Containers nested deeper than this hold no recorded declarations (the outline and the packer recurse).
constexpr size_t kMaxNesting = 32;

class Finder {
 public:
  Finder(const TextIndex& index, LineLanguage language)
      : index_(index), src_(index.doc().text), language_(language), mask_(maskLines(src_, language)) {}

  std::vector<CodeDecl> run() {
    for (size_t li = 0; li < index_.lineCount(); ++li) line(li);
    while (!stack_.empty()) close(prev_code_end_);
    return std::move(top_);
  }

 private:
  struct Open {
    Opener op;
    CodeDecl decl;
    int indent = 0;
    int depth_before = 0;  // Brace: the depth before its first line
    bool opened = false;   // Brace: a brace opened after its first line began
    int block_depth = 0;   // Semicolon: BEGIN/CASE ... END nesting
    int64_t first_line_end = 0;
  };

  void close(int64_t end) {
    Open o = std::move(stack_.back());
    stack_.pop_back();
    if (o.op.close == Close::Brace) depth_ = std::min(depth_, o.depth_before);
    o.decl.end = std::max(end, o.first_line_end);
    (stack_.empty() ? top_ : stack_.back().decl.children).push_back(std::move(o.decl));
  }

  bool isEnd(const Open& o, std::string_view code) const {
    std::string_view s = code;
    return o.op.close == Close::EndWord && eatWord(s, o.op.end_word, true);
  }

  bool nextCodeLineStartsWithBrace(size_t li) const {
    for (size_t n = li + 1; n < index_.lineCount(); ++n) {
      const std::string_view m = maskedLine(n);
      if (isBlank(m)) continue;
      return trimSpaces(m).substr(0, 1) == "{";
    }
    return false;
  }

  std::string_view maskedLine(size_t li) const {
    const int64_t b = index_.lineBegin(li), e = index_.lineEnd(li);
    return std::string_view(mask_.masked).substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
  }

  int64_t withLeadingComments(size_t li) const {
    while (li > 0 && li - 1 < mask_.comment_line.size() && mask_.comment_line[li - 1]) --li;
    return index_.lineBegin(li);
  }

  // Open declarations that this line (at `indent`) lies outside of end before it.
  void closeOutside(const LineView& l) {
    while (!stack_.empty()) {
      const Open& t = stack_.back();
      const bool outside = (t.op.close == Close::Recipe && !l.tab) ||
                           (t.op.close == Close::EndWord && l.indent < t.indent && !(t.op.own_end_word && isEnd(t, l.code)));
      if (!outside) return;
      close(prev_code_end_);
    }
  }

  // Records the declaration that `op` starts on line li; true when it stays open past this line.
  bool open(Opener op, const LineView& l, size_t li) {
    if (op.close == Close::NextDecl &&
        std::any_of(stack_.begin(), stack_.end(), [](const Open& o) { return o.op.close == Close::NextDecl; })) {
      while (stack_.back().op.close != Close::NextDecl) close(prev_code_end_);
      close(prev_code_end_);
    }
    // A declaration that starts at or left of an open function ends that one (its end was missed).
    while (!stack_.empty() && !stack_.back().op.container && stack_.back().op.close != Close::NextDecl &&
           !stack_.back().op.own_end_word && l.indent <= stack_.back().indent) {
      close(prev_code_end_);
    }
    if (!stack_.empty() && !stack_.back().op.container) return false;  // inside a function: not recorded
    if (stack_.size() >= kMaxNesting) return false;
    Open o;
    o.decl.kind = op.kind;
    o.decl.label = op.label;
    std::string_view sig = trimSpaces(l.text);
    while (!sig.empty() && (sig.back() == '{' || sig.back() == '(' || sig.back() == ' ' || sig.back() == '\t')) sig.remove_suffix(1);
    o.decl.signature = oneLine(sig.empty() ? std::string_view(op.label) : sig, 120);
    o.decl.begin = withLeadingComments(li);
    o.indent = l.indent;
    o.depth_before = depth_;
    o.first_line_end = index_.lineEnd(li);
    o.op = std::move(op);
    stack_.push_back(std::move(o));
    if (!stack_.back().op.one_line) return true;
    close(index_.lineEnd(li));
    return false;
  }

  // Brace declarations end where the braces opened since their first line close (or at a '}' that
  // starts a line at their indentation). `first`: the innermost one starts on this line.
  void braces(const LineView& l, size_t li, bool first) {
    int peak = depth_;
    for (const char c : l.code) {
      if (c == '{') peak = std::max(peak, ++depth_);
      else if (c == '}' && depth_ > 0) --depth_;
    }
    while (!stack_.empty() && stack_.back().op.close == Close::Brace) {
      Open& t = stack_.back();
      if (peak > t.depth_before) t.opened = true;
      const bool closing_line = !first && l.code[0] == '}' && l.indent == t.indent && l.code.find('{') == std::string_view::npos;
      if (t.opened && (depth_ <= t.depth_before || closing_line)) {
        close(index_.lineEnd(li));
        first = false;
        continue;
      }
      if (!t.opened && first && !nextCodeLineStartsWithBrace(li)) close(index_.lineEnd(li));  // "sub f;", "rpc X(A) returns (B);"
      return;
    }
  }

  // SQL: a ';' outside BEGIN/CASE ... END ends the statement.
  void semicolons(const LineView& l, size_t li) {
    if (stack_.empty() || stack_.back().op.close != Close::Semicolon) return;
    Open& t = stack_.back();
    std::string_view s = l.code;
    while (!s.empty()) {
      if (s[0] == ';') {
        if (t.block_depth <= 0) {
          close(index_.lineEnd(li));
          return;
        }
        s.remove_prefix(1);
        continue;
      }
      if (!identChar(s[0])) {
        s.remove_prefix(1);
        continue;
      }
      std::string_view rest = s;
      if (eatWord(rest, "begin", true)) {
        std::string_view after = rest;
        if (!(eatWord(after, "transaction", true) || eatWord(after, "work", true) || eatWord(after, "tran", true) ||
              (!after.empty() && after[0] == ';'))) {
          ++t.block_depth;
        }
      } else if (eatWord(rest, "case", true)) {
        ++t.block_depth;
      } else if (eatWord(rest, "end", true)) {
        // "END IF", "END LOOP" close blocks that were not counted; "END", "END CASE" close BEGIN or CASE.
        if (!(eatWord(rest, "if", true) || eatWord(rest, "loop", true) || eatWord(rest, "while", true) ||
              eatWord(rest, "repeat", true) || eatWord(rest, "for", true))) {
          eatWord(rest, "case", true);
          --t.block_depth;
        }
      } else {
        rest = s;
        eatName(rest, "");
      }
      s = rest;
    }
  }

  void line(size_t li) {
    const std::string_view m = maskedLine(li);
    if (isBlank(m)) return;
    const int64_t b = index_.lineBegin(li);
    LineView l;
    size_t k = 0;
    for (; k < m.size() && (m[k] == ' ' || m[k] == '\t'); ++k) l.indent += m[k] == '\t' ? 8 - l.indent % 8 : 1;
    l.code = trimSpaces(m.substr(k));
    l.text = std::string_view(src_).substr(static_cast<size_t>(b) + k, l.code.size());
    l.tab = !m.empty() && src_[static_cast<size_t>(b)] == '\t';
    const bool continued = continued_;
    continued_ = l.code.back() == '\\';
    bool opened_here = false;
    if (!continued) {
      closeOutside(l);
      if (!stack_.empty() && isEnd(stack_.back(), l.code) &&
          (stack_.back().op.own_end_word || l.indent == stack_.back().indent)) {
        close(index_.lineEnd(li));
      } else {
        l.in_class = !stack_.empty() && stack_.back().op.container;
        if (auto op = match(language_, l)) opened_here = open(std::move(*op), l, li);
      }
    }
    if (language_ != LineLanguage::Make) braces(l, li, opened_here);
    semicolons(l, li);
    prev_code_end_ = index_.lineEnd(li);
  }

  const TextIndex& index_;
  std::string_view src_;
  LineLanguage language_;
  LineMask mask_;
  std::vector<Open> stack_;
  std::vector<CodeDecl> top_;
  int depth_ = 0;
  bool continued_ = false;
  int64_t prev_code_end_ = 0;
};

}  // namespace

std::vector<CodeDecl> findLineDecls(const TextIndex& index, std::string_view language) {
  const auto l = lineLanguage(language);
  if (!l) return {};
  return Finder(index, *l).run();
}

}  // namespace folio::ingest
