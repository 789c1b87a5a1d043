#include "ingest/chunk_code_lines_mask.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace folio::ingest {
namespace {

enum class Hash : uint8_t { None, Anywhere, WordStart, CommandStart, LineStart, NotAfterDollar };
enum class Heredoc : uint8_t { None, Shell, RubyPerl };
enum class Column0 : uint8_t { None, RubyBegin, PerlPod };  // comment blocks that start at column 0

struct Syntax {
  Hash hash = Hash::None;
  std::string_view line_comment;  // a second line-comment marker: "--" or "//"
  bool line_comment_after_space = false;
  std::string_view block_open, block_close;
  bool long_brackets = false;  // [[ ]] strings, and block comments after the line-comment marker
  Column0 column0 = Column0::None;
  std::string_view quotes;
  bool multiline_strings = false;
  char escape = '\\';
  Heredoc heredoc = Heredoc::None;
  bool here_strings = false;  // PowerShell @" "@ and @' '@
  bool dollar_quotes = false;
  bool slash_regex = false;
  bool end_marker = false;  // __END__ / __DATA__
};

Syntax syntaxOf(LineLanguage language) {
  Syntax s;
  switch (language) {
    case LineLanguage::Ruby:
      s.hash = Hash::Anywhere, s.column0 = Column0::RubyBegin, s.quotes = "\"'`", s.multiline_strings = true;
      s.heredoc = Heredoc::RubyPerl, s.slash_regex = true, s.end_marker = true;
      break;
    case LineLanguage::Perl:
      s.hash = Hash::NotAfterDollar, s.column0 = Column0::PerlPod, s.quotes = "\"'`", s.multiline_strings = true;
      s.heredoc = Heredoc::RubyPerl, s.slash_regex = true, s.end_marker = true;
      break;
    case LineLanguage::Lua: s.line_comment = "--", s.long_brackets = true, s.quotes = "\"'"; break;
    case LineLanguage::Tcl: s.hash = Hash::CommandStart, s.quotes = "\""; break;
    case LineLanguage::Shell:
      s.hash = Hash::WordStart, s.quotes = "\"'`", s.multiline_strings = true, s.heredoc = Heredoc::Shell;
      break;
    case LineLanguage::Make: s.hash = Hash::Anywhere; break;
    case LineLanguage::Sql:
      s.line_comment = "--", s.block_open = "/*", s.block_close = "*/", s.quotes = "'\"`";
      s.multiline_strings = true, s.dollar_quotes = true;
      break;
    case LineLanguage::PowerShell:
      s.hash = Hash::WordStart, s.block_open = "<#", s.block_close = "#>", s.quotes = "\"'";
      s.multiline_strings = true, s.escape = '`', s.here_strings = true;
      break;
    case LineLanguage::Dockerfile: s.hash = Hash::LineStart, s.heredoc = Heredoc::Shell; break;
    case LineLanguage::Proto: s.line_comment = "//", s.block_open = "/*", s.block_close = "*/", s.quotes = "\"'"; break;
    case LineLanguage::Css:
      s.line_comment = "//", s.line_comment_after_space = true, s.block_open = "/*", s.block_close = "*/";
      s.quotes = "\"'";
      break;
    case LineLanguage::CMake: s.hash = Hash::Anywhere, s.long_brackets = true, s.quotes = "\"", s.multiline_strings = true; break;
  }
  return s;
}

bool wordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

struct PendingHeredoc {
  std::string tag;
  bool indented;  // the terminator may be indented (<<- , <<~)
};

class Masker {
 public:
  Masker(std::string_view src, const Syntax& syntax) : src_(src), syn_(syntax) {
    out_.masked = std::string(src);
    comment_chars_.assign(src.size(), false);
    string_chars_.assign(src.size(), false);
  }

  LineMask run() {
    size_t i = 0;
    while (i < src_.size()) i = step(i);
    // Per line: a comment line has comment text and neither code nor string text.
    for (size_t b = 0; b <= src_.size();) {
      size_t e = src_.find('\n', b);
      if (e == std::string_view::npos) e = src_.size();
      bool comment = false, other = false;
      for (size_t k = b; k < e; ++k) {
        if (string_chars_[k] || (out_.masked[k] != ' ' && out_.masked[k] != '\t' && out_.masked[k] != '\r')) other = true;
        else if (comment_chars_[k]) comment = true;
      }
      out_.comment_line.push_back(comment && !other);
      b = e + 1;
    }
    return std::move(out_);
  }

 private:
  char at(size_t i) const { return i < src_.size() ? src_[i] : '\0'; }
  bool lineStart(size_t i) const { return i == 0 || src_[i - 1] == '\n'; }

  void blank(size_t from, size_t to, bool comment) {
    to = std::min(to, src_.size());
    for (size_t k = from; k < to; ++k) {
      if (src_[k] == '\n') continue;
      out_.masked[k] = ' ';
      (comment ? comment_chars_ : string_chars_)[k] = true;
    }
  }

  size_t lineEnd(size_t i) const {
    const size_t e = src_.find('\n', i);
    return e == std::string_view::npos ? src_.size() : e;
  }

  size_t lineComment(size_t i) {
    const size_t e = lineEnd(i);
    blank(i, e, true);
    return e;
  }

  // Blanks from `from` to the end of `terminator` (searched from `body`); returns the index after it.
  size_t until(size_t from, size_t body, std::string_view terminator, bool comment) {
    const size_t e = src_.find(terminator, body);
    const size_t end = e == std::string_view::npos ? src_.size() : e + terminator.size();
    blank(from, end, comment);
    return end;
  }

  // The level of a long bracket "[==[" at i (0 for "[["), or -1 when there is none.
  int longBracket(size_t i) const {
    if (at(i) != '[') return -1;
    size_t k = i + 1;
    while (at(k) == '=') ++k;
    return at(k) == '[' ? static_cast<int>(k - i - 1) : -1;
  }

  size_t longBracketBody(size_t from, size_t open, int level, bool comment) {
    std::string terminator(static_cast<size_t>(level) + 2, '=');
    terminator.front() = terminator.back() = ']';
    return until(from, open + static_cast<size_t>(level) + 2, terminator, comment);
  }

  size_t quoted(size_t i, char quote) {
    size_t k = i + 1;
    while (k < src_.size()) {
      const char c = src_[k];
      if (c == syn_.escape) {
        k += 2;
        continue;
      }
      if (c == quote) break;
      if (c == '\n' && !syn_.multiline_strings) break;
      ++k;
    }
    k = std::min(k, src_.size());
    blank(i + 1, k, false);
    return k < src_.size() && src_[k] == quote ? k + 1 : k;
  }

  // "<<EOF", "<<-EOF", "<<'EOF'", "<<~EOF" at i; registers the heredoc and returns the index after its
  // tag, or 0 when this is not one (a shift, "class << self", a here-string "<<<").
  size_t heredocTag(size_t i) {
    size_t k = i + 2;
    if (at(k) == '<' || (i > 0 && src_[i - 1] == '<')) return 0;
    bool indented = false;
    if (at(k) == '-' || (at(k) == '~' && syn_.heredoc == Heredoc::RubyPerl)) {
      indented = true;
      ++k;
    }
    if (syn_.heredoc == Heredoc::Shell) {
      while (at(k) == ' ' || at(k) == '\t') ++k;
      if (at(k) == '\\') ++k;
    } else if (i > 0 && (wordChar(src_[i - 1]) || src_[i - 1] == ')' || src_[i - 1] == ']')) {
      return 0;  // "a<<B": a shift or an append
    }
    const char quote = at(k) == '\'' || at(k) == '"' || at(k) == '`' ? at(k) : '\0';
    if (quote) ++k;
    const size_t tag_begin = k;
    if (!std::isalpha(static_cast<unsigned char>(at(k))) && at(k) != '_') return 0;
    while (wordChar(at(k))) ++k;
    // Ruby and Perl: a bare tag is upper case ("<<EOS"), so that "x <<y" stays a shift.
    if (syn_.heredoc == Heredoc::RubyPerl && !quote && !indented && !std::isupper(static_cast<unsigned char>(src_[tag_begin]))) {
      return 0;
    }
    const std::string tag(src_.substr(tag_begin, k - tag_begin));
    if (quote) {
      if (at(k) != quote) return 0;
      ++k;
    }
    heredocs_.push_back(PendingHeredoc{tag, indented});
    return k;
  }

  // The heredoc bodies that start on the line after the newline at `nl`, terminators included.
  size_t heredocBodies(size_t nl) {
    size_t k = nl + 1;
    for (const PendingHeredoc& h : heredocs_) {
      const size_t body = k;
      while (k < src_.size()) {
        const size_t e = lineEnd(k);
        std::string_view line = src_.substr(k, e - k);
        if (h.indented) line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));
        k = std::min(src_.size(), e + 1);
        if (line == h.tag) break;
      }
      blank(body, k, false);
    }
    heredocs_.clear();
    return k;
  }

  // Ruby =begin ... =end, Perl POD (=head1 ... =cut) at column 0.
  size_t column0Block(size_t i) {
    const std::string_view terminator = syn_.column0 == Column0::RubyBegin ? "\n=end" : "\n=cut";
    const size_t e = src_.find(terminator, i);
    const size_t end = e == std::string_view::npos ? src_.size() : lineEnd(e + 1);
    blank(i, end, true);
    return end;
  }

  bool hashComment(size_t i) const {
    switch (syn_.hash) {
      case Hash::None: return false;
      case Hash::Anywhere: return true;
      case Hash::NotAfterDollar: return i == 0 || src_[i - 1] != '$';
      case Hash::LineStart:
      case Hash::CommandStart:
      case Hash::WordStart: {
        size_t k = i;
        while (k > 0 && (src_[k - 1] == ' ' || src_[k - 1] == '\t')) --k;
        if (k == 0 || src_[k - 1] == '\n') return true;
        if (syn_.hash == Hash::LineStart) return false;
        if (src_[k - 1] == ';') return true;
        return syn_.hash == Hash::WordStart && k < i;
      }
    }
    return false;
  }

  bool regexAllowed(size_t i) const {
    size_t k = i;
    while (k > 0 && (out_.masked[k - 1] == ' ' || out_.masked[k - 1] == '\t')) --k;
    if (k == 0 || out_.masked[k - 1] == '\n') return true;
    const char p = out_.masked[k - 1];
    if (std::string_view("(,=~!&|;{[").find(p) != std::string_view::npos) return true;
    if (!wordChar(p)) return false;
    size_t s = k - 1;
    while (s > 0 && wordChar(out_.masked[s - 1])) --s;
    const std::string_view word(out_.masked.data() + s, k - s);
    return word == "if" || word == "unless" || word == "when" || word == "split" || word == "grep" ||
           word == "and" || word == "or" || word == "not" || word == "return";
  }

  size_t regexLiteral(size_t i) {
    size_t k = i + 1;
    while (k < src_.size() && src_[k] != '\n' && src_[k] != '/') k += src_[k] == '\\' ? 2 : 1;
    if (k >= src_.size() || src_[k] != '/') return i + 1;  // a division after all
    blank(i + 1, k, false);
    return k + 1;
  }

  size_t step(size_t i) {
    const char c = src_[i];
    if (c == '\n') return heredocs_.empty() ? i + 1 : heredocBodies(i);
    if (lineStart(i)) {
      if ((syn_.column0 == Column0::RubyBegin && src_.compare(i, 6, "=begin") == 0) ||
          (syn_.column0 == Column0::PerlPod && c == '=' && std::isalpha(static_cast<unsigned char>(at(i + 1))))) {
        return column0Block(i);
      }
      if (syn_.end_marker && (src_.compare(i, 7, "__END__") == 0 || src_.compare(i, 8, "__DATA__") == 0)) {
        blank(i, src_.size(), false);
        return src_.size();
      }
    }
    if (c == '#' && hashComment(i)) {
      if (syn_.long_brackets) {
        const int level = longBracket(i + 1);
        if (level >= 0) return longBracketBody(i, i + 1, level, true);
      }
      return lineComment(i);
    }
    if (!syn_.line_comment.empty() && src_.compare(i, syn_.line_comment.size(), syn_.line_comment) == 0) {
      const bool spaced = i == 0 || src_[i - 1] == ' ' || src_[i - 1] == '\t' || src_[i - 1] == '\n';
      if (!syn_.line_comment_after_space || spaced) {
        if (syn_.long_brackets) {
          const int level = longBracket(i + 2);
          if (level >= 0) return longBracketBody(i, i + 2, level, true);
        }
        return lineComment(i);
      }
    }
    if (!syn_.block_open.empty() && src_.compare(i, syn_.block_open.size(), syn_.block_open) == 0) {
      return until(i, i + syn_.block_open.size(), syn_.block_close, true);
    }
    if (syn_.long_brackets && c == '[') {
      const int level = longBracket(i);
      if (level >= 0) return longBracketBody(i + static_cast<size_t>(level) + 2, i, level, false);
    }
    if (syn_.here_strings && c == '@' && (at(i + 1) == '"' || at(i + 1) == '\'')) {
      const size_t e = lineEnd(i);
      if (isspace(static_cast<unsigned char>(at(i + 2))) || i + 2 == e) {
        const char terminator[] = {'\n', at(i + 1), '@', '\0'};
        return until(i + 2, i + 2, terminator, false);
      }
    }
    if (syn_.dollar_quotes && c == '$' && !std::isdigit(static_cast<unsigned char>(at(i + 1)))) {
      size_t k = i + 1;
      while (wordChar(at(k))) ++k;
      if (at(k) == '$') return until(k + 1, k + 1, src_.substr(i, k + 1 - i), false);  // $$ ... $$, $fn$ ... $fn$
    }
    if (syn_.heredoc != Heredoc::None && c == '<' && at(i + 1) == '<') {
      if (const size_t after = heredocTag(i)) return after;
      return i + 2;
    }
    if (syn_.quotes.find(c) != std::string_view::npos) {
      if (syn_.hash == Hash::CommandStart && i > 0 && !std::isspace(static_cast<unsigned char>(src_[i - 1])) &&
          std::string_view("[{;").find(src_[i - 1]) == std::string_view::npos) {
        return i + 1;  // Tcl: a quote inside a word is a character
      }
      return quoted(i, c);
    }
    if (syn_.slash_regex && c == '/' && regexAllowed(i)) return regexLiteral(i);
    if (c == syn_.escape && at(i + 1) != '\n' && i + 1 < src_.size()) {
      blank(i + 1, i + 2, false);
      return i + 2;
    }
    return i + 1;
  }

  std::string_view src_;
  const Syntax syn_;
  LineMask out_;
  std::vector<bool> comment_chars_, string_chars_;
  std::vector<PendingHeredoc> heredocs_;
};

}  // namespace

LineMask maskLines(std::string_view source, LineLanguage language) {
  return Masker(source, syntaxOf(language)).run();
}

}  // namespace folio::ingest
