#include "app/pipeline/code_comments.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace folio::app {
namespace {

enum class Syntax { Slash, Hash, Dash, Unknown };

Syntax syntaxOf(std::string_view language) {
  static constexpr std::array kSlash{"c",     "cpp",        "csharp", "objc", "java", "kotlin", "scala", "groovy",
                                     "swift", "dart",       "javascript", "typescript", "go", "rust", "php", "proto",
                                     "css"};
  static constexpr std::array kHash{"python", "shell", "ruby", "perl", "tcl",  "make",  "cmake",
                                    "yaml",   "toml",  "dockerfile", "powershell", "r", "julia", "elixir"};
  static constexpr std::array kDash{"lua", "sql", "haskell"};
  auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), language) != list.end(); };
  if (in(kSlash)) return Syntax::Slash;
  if (in(kHash)) return Syntax::Hash;
  if (in(kDash)) return Syntax::Dash;
  return Syntax::Unknown;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Strips a run of `c` and the spaces after it from the front.
std::string_view stripRun(std::string_view s, char c) {
  while (!s.empty() && s.front() == c) s.remove_prefix(1);
  return trim(s);
}

bool licenseBlock(const std::string& block) {
  std::string lower(block);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("copyright") != std::string::npos || lower.find("license") != std::string::npos ||
         lower.find("spdx-") != std::string::npos;
}

}  // namespace

std::string codeCommentText(std::string_view source, std::string_view language) {
  const Syntax syntax = syntaxOf(language);
  if (syntax == Syntax::Unknown) return {};
  const bool python = language == "python";
  std::vector<std::string> blocks;
  std::string block;
  auto close = [&] {
    if (!block.empty() && !licenseBlock(block)) blocks.push_back(block);
    block.clear();
  };
  auto add = [&](std::string_view text) {
    text = trim(text);
    if (text.empty()) return;
    // A rule of ----, ====, **** says nothing.
    if (text.find_first_not_of(text.front()) == std::string_view::npos && std::ispunct(static_cast<unsigned char>(text.front())))
      return;
    if (!block.empty()) block += ' ';
    block += text;
  };
  bool in_block = false;      // inside /* */
  std::string_view docstring;  // the closing quotes of an open Python docstring
  for (size_t at = 0; at <= source.size();) {
    size_t end = source.find('\n', at);
    if (end == std::string_view::npos) end = source.size();
    std::string_view line = trim(source.substr(at, end - at));
    at = end + 1;
    if (!docstring.empty()) {
      const size_t close_at = line.find(docstring);
      add(line.substr(0, close_at));
      if (close_at != std::string_view::npos) {
        docstring = {};
        close();
      }
      continue;
    }
    if (in_block) {
      const size_t close_at = line.find("*/");
      add(stripRun(line.substr(0, close_at), '*'));
      if (close_at != std::string_view::npos) {
        in_block = false;
        close();
      }
      continue;
    }
    bool comment = false;
    if (syntax == Syntax::Slash && line.starts_with("//")) {
      add(stripRun(stripRun(line, '/'), '!'));
      comment = true;
    } else if (syntax == Syntax::Slash && line.starts_with("/*")) {
      std::string_view body = stripRun(line.substr(1), '*');
      const size_t close_at = body.find("*/");
      add(body.substr(0, close_at));
      if (close_at == std::string_view::npos) in_block = true;
      else close();
      continue;
    } else if (syntax == Syntax::Hash && line.starts_with("#") && !line.starts_with("#!")) {
      add(stripRun(line, '#'));
      comment = true;
    } else if (syntax == Syntax::Dash && line.starts_with("--")) {
      add(stripRun(line, '-'));
      comment = true;
    } else if (python && (line.starts_with("\"\"\"") || line.starts_with("'''"))) {
      const std::string_view quotes = line.substr(0, 3);
      const std::string_view body = line.substr(3);
      const size_t close_at = body.find(quotes);
      add(body.substr(0, close_at));
      if (close_at == std::string_view::npos) docstring = quotes;
      else close();
      continue;
    }
    if (!comment) close();  // code or a blank line ends a run of line comments
  }
  close();
  std::string out;
  for (const auto& b : blocks) {
    if (!out.empty()) out += "\n\n";
    out += b;
    // A comment block rarely ends its last sentence: end it, so sentences do not run together.
    if (const char last = b.back(); last != '.' && last != '!' && last != '?' && last != ':') out += '.';
  }
  return out;
}

}  // namespace folio::app
