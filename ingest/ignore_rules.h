// gitignore-syntax rule files (.gitignore, .ignore, .git/info/exclude) and their matcher.
//
// Semantics follow gitignore(5): blank lines and lines starting with '#' are ignored; trailing
// unescaped spaces are trimmed; '\' escapes the next character ('\#', '\!', '\ '); a leading '!'
// negates (re-includes); a trailing '/' matches directories only; a pattern with a '/' at the start or
// in the middle is anchored to the directory of the file that holds it, otherwise it matches the name
// at any depth below that directory; '*' and '?' do not cross '/', '[...]' is a character class
// ('!' or '^' negates, ranges, [:alpha:]-style classes), a leading "**/" matches in all directories, a
// trailing "/**" matches everything inside, "/**/" matches zero or more directories.
// Within one file the last matching rule wins. A file cannot be re-included when a parent directory
// is excluded: IgnoreStack::isIgnored checks every parent directory of the path first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace folio::ingest {

struct IgnoreRule {
  std::string pattern;     // unescaped glob, without the leading '!', the trailing '/' and a leading '/'
  bool negated = false;    // "!pattern": re-include
  bool dir_only = false;   // "pattern/": directories only
  bool anchored = false;   // contains a '/' (other than a trailing one): matched against the full path
  int line = 0;            // 1-based line in the source file
};

// The rules of one file. `base` is the directory holding the file, relative to the walk root,
// '/'-separated, without leading or trailing '/' ("" for the root).
struct IgnoreFile {
  std::string base;
  std::vector<IgnoreRule> rules;
};

// Parses gitignore text. Never fails: malformed lines (an unterminated class, a lone '\') are kept
// or dropped exactly as git would (a pattern that cannot match anything never matches).
IgnoreFile parseIgnoreFile(std::string_view text, std::string base = {});

enum class IgnoreMatch { None, Ignored, Included };

// The verdict of one file for `rel_path` (relative to the walk root, '/'-separated): the last
// matching rule decides; None when no rule matches or the path is not below `base`.
IgnoreMatch matchIgnoreFile(const IgnoreFile& file, std::string_view rel_path, bool is_dir);

// Glob match of one gitignore pattern against a path (wildmatch with WM_PATHNAME semantics:
// '*' and '?' do not match '/', "**" between slashes matches any number of directories).
bool globMatch(std::string_view pattern, std::string_view path);

// The rule files that apply while walking: precedence from highest to lowest is
// .ignore files (deepest directory first), .gitignore files (deepest first), then .git/info/exclude.
class IgnoreStack {
 public:
  enum class Source { Exclude, GitIgnore, Ignore };

  void push(Source source, IgnoreFile file);
  // Removes every file whose base is `base` (called when the walker leaves that directory).
  void popBase(std::string_view base);

  // Verdict for one path, ignoring its parents.
  IgnoreMatch match(std::string_view rel_path, bool is_dir) const;
  // True when the path or any of its parent directories is ignored (a file cannot be re-included
  // under an excluded directory).
  bool isIgnored(std::string_view rel_path, bool is_dir) const;

 private:
  struct Entry {
    Source source;
    IgnoreFile file;
  };
  std::vector<Entry> entries_;
};

}  // namespace folio::ingest
