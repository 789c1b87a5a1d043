#include "ingest/chunk_code_scan.h"

#include <cctype>
#include <vector>

namespace folio::ingest {

CodeFamily codeFamily(std::string_view language) {
  // PHP: C's comments and strings, and (maskCode) its heredocs, '#' comments and multi-line strings.
  if (language == "c" || language == "cpp" || language == "csharp" || language == "objc" || language == "php") {
    return CodeFamily::CLike;
  }
  // Java's comments and strings, with its """text blocks""" (Kotlin, Scala, Groovy, Swift, Dart; and
  // Dart's '''strings''', maskCode).
  if (language == "java" || language == "kotlin" || language == "scala" || language == "groovy" || language == "swift" ||
      language == "dart") {
    return CodeFamily::Java;
  }
  if (language == "javascript" || language == "typescript") return CodeFamily::JavaScript;
  if (language == "go") return CodeFamily::Go;
  if (language == "rust") return CodeFamily::Rust;
  if (language == "python") return CodeFamily::Python;
  return CodeFamily::Other;
}

namespace {

bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

class Masker {
 public:
  Masker(std::string_view src, CodeFamily family, std::string_view language)
      : src_(src), out_(src), family_(family), php_(language == "php"), dart_(language == "dart") {}

  std::string run() {
    size_t i = 0;
    while (i < src_.size()) i = step(i);
    return std::move(out_);
  }

 private:
  char at(size_t i) const { return i < src_.size() ? src_[i] : '\0'; }

  void blank(size_t from, size_t to) {
    for (size_t k = from; k < to && k < out_.size(); ++k) {
      if (out_[k] != '\n') out_[k] = ' ';
    }
  }

  // Masks a quoted literal starting at the quote `i`; returns the index after it.
  size_t quoted(size_t i, char quote, bool multiline_ok) {
    size_t k = i + 1;
    while (k < src_.size()) {
      const char c = src_[k];
      if (c == '\\') {
        k += 2;
        continue;
      }
      if (c == quote) break;
      if (c == '\n' && !multiline_ok) break;  // unterminated on this line: stop here
      ++k;
    }
    const size_t end = std::min(k, src_.size());
    blank(i + 1, end);
    return end < src_.size() && src_[end] == quote ? end + 1 : end;
  }

  // Masks from `body` to the first occurrence of `terminator`; returns the index after it.
  size_t until(size_t body, std::string_view terminator) {
    const size_t end = src_.find(terminator, body);
    if (end == std::string_view::npos) {
      blank(body, src_.size());
      return src_.size();
    }
    blank(body, end);
    return end + terminator.size();
  }

  size_t lineComment(size_t i) {
    size_t e = src_.find('\n', i);
    if (e == std::string_view::npos) e = src_.size();
    blank(i, e);
    return e;
  }

  size_t blockComment(size_t i) {
    if (family_ != CodeFamily::Rust) {
      const size_t e = src_.find("*/", i + 2);
      const size_t end = e == std::string_view::npos ? src_.size() : e + 2;
      blank(i, end);
      return end;
    }
    int depth = 0;
    size_t k = i;
    while (k < src_.size()) {
      if (src_.compare(k, 2, "/*") == 0) {
        ++depth;
        k += 2;
      } else if (src_.compare(k, 2, "*/") == 0) {
        k += 2;
        if (--depth == 0) break;
      } else {
        ++k;
      }
    }
    blank(i, k);
    return k;
  }

  size_t preprocessor(size_t i) {
    size_t k = i;
    while (k < src_.size()) {
      const size_t e = src_.find('\n', k);
      if (e == std::string_view::npos) {
        k = src_.size();
        break;
      }
      // A '\' before the newline continues the directive; a block comment may also span lines.
      size_t last = e;
      while (last > k && (src_[last - 1] == ' ' || src_[last - 1] == '\t' || src_[last - 1] == '\r')) --last;
      k = e;
      if (last > i && src_[last - 1] == '\\') {
        ++k;
        continue;
      }
      break;
    }
    blank(i, k);
    return k;
  }

  bool atLineStart(size_t i) const {
    size_t k = i;
    while (k > 0 && (src_[k - 1] == ' ' || src_[k - 1] == '\t')) --k;
    return k == 0 || src_[k - 1] == '\n';
  }

  // The previous significant character in the masked output (for the regex-literal test).
  char prevSignificant(size_t i, size_t* where = nullptr) const {
    size_t k = i;
    while (k > 0) {
      --k;
      const char c = out_[k];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        if (where) *where = k;
        return c;
      }
    }
    return '\0';
  }

  bool regexAllowed(size_t i) const {
    size_t where = 0;
    const char p = prevSignificant(i, &where);
    if (p == '\0') return true;
    if (std::string_view("(,=:[!&|?{};+-*%<>~^").find(p) != std::string_view::npos) return true;
    if (identChar(p)) {
      size_t s = where + 1;
      while (s > 0 && identChar(out_[s - 1])) --s;
      const std::string_view word(out_.data() + s, where + 1 - s);
      return word == "return" || word == "typeof" || word == "case" || word == "in" || word == "of" ||
             word == "delete" || word == "void" || word == "throw" || word == "new" || word == "yield" || word == "await";
    }
    return false;
  }

  size_t regexLiteral(size_t i) {
    size_t k = i + 1;
    bool in_class = false;
    while (k < src_.size() && src_[k] != '\n') {
      const char c = src_[k];
      if (c == '\\') {
        k += 2;
        continue;
      }
      if (c == '[') in_class = true;
      else if (c == ']') in_class = false;
      else if (c == '/' && !in_class) break;
      ++k;
    }
    if (k >= src_.size() || src_[k] != '/') return i + 1;  // not a regex after all: a division
    blank(i + 1, k);
    return k + 1;
  }

  // JavaScript template literal from the backquote at i; ${...} parts are scanned as code.
  size_t templateLiteral(size_t i) {
    if (template_depth_ >= 32) {  // absurd nesting: treat the rest as one literal
      blank(i + 1, src_.size());
      return src_.size();
    }
    ++template_depth_;
    const size_t end = templateBody(i);
    --template_depth_;
    return end;
  }

  size_t templateBody(size_t i) {
    size_t k = i + 1;
    size_t run = k;
    while (k < src_.size()) {
      const char c = src_[k];
      if (c == '\\') {
        k += 2;
        continue;
      }
      if (c == '`') {
        blank(run, k);
        return k + 1;
      }
      if (c == '$' && at(k + 1) == '{') {
        blank(run, k);
        k += 2;
        int depth = 1;
        while (k < src_.size() && depth > 0) {
          const char d = src_[k];
          if (d == '{') {
            ++depth;
            ++k;
          } else if (d == '}') {
            if (--depth == 0) break;
            ++k;
          } else {
            k = step(k);
          }
        }
        ++k;  // past the closing '}'
        run = k;
        continue;
      }
      ++k;
    }
    blank(run, src_.size());
    return src_.size();
  }

  size_t cppRawString(size_t quote) {
    const size_t open = src_.find('(', quote + 1);
    if (open == std::string_view::npos || open - quote - 1 > 16) return quoted(quote, '"', false);
    const std::string terminator = ")" + std::string(src_.substr(quote + 1, open - quote - 1)) + "\"";
    const size_t end = until(open, terminator);
    // Keep the closing quote visible.
    if (end <= src_.size() && end > 0 && src_[end - 1] == '"') out_[end - 1] = '"';
    return end;
  }

  size_t rustRawString(size_t r) {
    size_t k = r + 1;
    size_t hashes = 0;
    while (at(k) == '#') {
      ++hashes;
      ++k;
    }
    if (at(k) != '"') return r + 1;
    const std::string terminator = "\"" + std::string(hashes, '#');
    return until(k + 1, terminator);
  }

  size_t pythonString(size_t i, char quote) {
    if (at(i + 1) == quote && at(i + 2) == quote) {
      const std::string terminator(3, quote);
      size_t k = i + 3;
      while (k < src_.size()) {
        if (src_[k] == '\\') {
          k += 2;
          continue;
        }
        if (src_.compare(k, 3, terminator) == 0) {
          blank(i + 3, k);
          return k + 3;
        }
        ++k;
      }
      blank(i + 3, src_.size());
      return src_.size();
    }
    return quoted(i, quote, false);
  }

  // A PHP heredoc or nowdoc at `i` ("<<<EOT", "<<<\"EOT\"", "<<<'EOT'"): masks its body up to the line
  // whose first word is the tag (PHP 7.3 lets it be indented); returns the index after the tag there,
  // or 0 when `i` opens none.
  size_t phpHeredoc(size_t i) {
    size_t k = i + 3;
    while (at(k) == ' ' || at(k) == '\t') ++k;
    const char quote = at(k) == '"' || at(k) == '\'' ? at(k) : '\0';
    if (quote) ++k;
    const size_t tag_begin = k;
    while (k < src_.size() && identChar(src_[k]) && src_[k] != '$') ++k;
    if (k == tag_begin || std::isdigit(static_cast<unsigned char>(src_[tag_begin]))) return 0;
    const std::string_view tag = src_.substr(tag_begin, k - tag_begin);
    if (quote && at(k) != quote) return 0;
    const size_t body = src_.find('\n', k);
    if (body == std::string_view::npos) return 0;
    for (size_t line = body + 1; line < src_.size();) {
      size_t first = line;
      while (first < src_.size() && (src_[first] == ' ' || src_[first] == '\t')) ++first;
      if (src_.compare(first, tag.size(), tag) == 0 && !identChar(at(first + tag.size()))) {
        blank(body + 1, first);
        return first + tag.size();
      }
      const size_t nl = src_.find('\n', line);
      if (nl == std::string_view::npos) break;
      line = nl + 1;
    }
    blank(body + 1, src_.size());  // unterminated
    return src_.size();
  }

  // A PHP file's HTML outside <?php … ?>: blanked (its apostrophes and braces are no PHP); returns the
  // index after the next opening tag.
  size_t inlineHtml(size_t i) {
    const size_t open = src_.find("<?", i);
    if (open == std::string_view::npos) {
      blank(i, src_.size());
      return src_.size();
    }
    const size_t tag = src_.compare(open, 5, "<?php") == 0 ? 5 : at(open + 2) == '=' ? 3 : 2;
    blank(i, open + tag);  // the tag too: no part of the declaration after it
    php_html_ = false;
    return open + tag;
  }

  // Scans one token at i; returns the index after it.
  size_t step(size_t i) {
    const char c = src_[i];
    const char n = at(i + 1);
    if (family_ == CodeFamily::Python) {
      if (c == '#') return lineComment(i);
      if (c == '"' || c == '\'') return pythonString(i, c);
      return i + 1;
    }
    if (c == '/' && n == '/') return lineComment(i);
    if (c == '/' && n == '*') return blockComment(i);
    if (php_) {
      if (php_html_) return inlineHtml(i);
      if (c == '?' && n == '>') {  // back to the page's HTML
        php_html_ = true;
        return i + 2;
      }
      if (c == '#' && n != '[') return lineComment(i);
      if (c == '<' && n == '<' && at(i + 2) == '<') {
        if (const size_t after = phpHeredoc(i)) return after;
      }
      if (c == '"' || c == '\'') return quoted(i, c, true);  // PHP strings run across lines
    }
    if (dart_ && (c == '\'' || c == '"') && n == c && at(i + 2) == c) return until(i + 3, src_.substr(i, 3));
    if (family_ == CodeFamily::CLike && c == '#' && atLineStart(i)) return preprocessor(i);
    if (c == '"') {
      if (family_ == CodeFamily::CLike && i > 0 && src_[i - 1] == 'R' && (i < 2 || !identChar(src_[i - 2]) ||
                                                                          src_[i - 2] == 'u' || src_[i - 2] == 'U' ||
                                                                          src_[i - 2] == 'L' || src_[i - 2] == '8')) {
        return cppRawString(i);
      }
      if (family_ == CodeFamily::Java && n == '"' && at(i + 2) == '"') return until(i + 3, "\"\"\"");
      return quoted(i, '"', family_ == CodeFamily::Rust);
    }
    if (c == 'r' && family_ == CodeFamily::Rust && (n == '#' || n == '"') && (i == 0 || !identChar(src_[i - 1]) || src_[i - 1] == 'b')) {
      return rustRawString(i);
    }
    if (c == '`' && family_ == CodeFamily::Go) return until(i + 1, "`");
    if (c == '`' && family_ == CodeFamily::JavaScript) return templateLiteral(i);
    if (c == '\'') {
      if (family_ == CodeFamily::JavaScript) return quoted(i, '\'', false);
      if (family_ == CodeFamily::CLike && i > 0 && std::isxdigit(static_cast<unsigned char>(src_[i - 1]))) {
        // 1'000'000: a digit separator when the token started with a digit.
        size_t s = i;
        while (s > 0 && (std::isalnum(static_cast<unsigned char>(src_[s - 1])) || src_[s - 1] == '\'')) --s;
        if (std::isdigit(static_cast<unsigned char>(src_[s]))) return i + 1;
      }
      if (family_ == CodeFamily::Rust) {
        // 'a' or '\n' is a char literal; 'a (no closing quote right after one character) a lifetime.
        if (n == '\\') return quoted(i, '\'', false);
        size_t len = 1;
        const unsigned char u = static_cast<unsigned char>(n);
        if (u >= 0xF0) len = 4;
        else if (u >= 0xE0) len = 3;
        else if (u >= 0xC0) len = 2;
        if (at(i + 1 + len) == '\'') return quoted(i, '\'', false);
        return i + 1;
      }
      return quoted(i, '\'', false);
    }
    if (c == '/' && family_ == CodeFamily::JavaScript && regexAllowed(i)) return regexLiteral(i);
    return i + 1;
  }

  std::string_view src_;
  std::string out_;
  CodeFamily family_;
  bool php_ = false, dart_ = false;
  bool php_html_ = true;  // a PHP file starts as HTML until "<?php"
  int template_depth_ = 0;
};

}  // namespace

std::string maskCode(std::string_view source, CodeFamily family, std::string_view language) {
  if (family == CodeFamily::Other) return std::string(source);
  return Masker(source, family, language).run();
}

}  // namespace folio::ingest
