#include "ingest/ignore_rules.h"

#include <algorithm>
#include <cstring>

namespace folio::ingest {
namespace {

// wildmatch (after git's wildmatch.c) with WM_PATHNAME semantics, over explicit lengths.
enum WildResult { kMatch = 0, kNoMatch = 1, kAbortAll = -1, kAbortToStarStar = -2 };

struct Wild {
  std::string_view p;  // pattern
  std::string_view t;  // text

  unsigned char pc(size_t i) const { return i < p.size() ? static_cast<unsigned char>(p[i]) : 0; }
  unsigned char tc(size_t i) const { return i < t.size() ? static_cast<unsigned char>(t[i]) : 0; }

  static bool classMatches(std::string_view name, unsigned char c) {
    if (name == "alnum") return std::isalnum(c);
    if (name == "alpha") return std::isalpha(c);
    if (name == "blank") return c == ' ' || c == '\t';
    if (name == "cntrl") return std::iscntrl(c);
    if (name == "digit") return std::isdigit(c);
    if (name == "graph") return std::isgraph(c);
    if (name == "lower") return std::islower(c);
    if (name == "print") return std::isprint(c);
    if (name == "punct") return std::ispunct(c);
    if (name == "space") return std::isspace(c);
    if (name == "upper") return std::isupper(c);
    if (name == "xdigit") return std::isxdigit(c);
    return false;
  }
  static bool knownClass(std::string_view name) {
    static constexpr std::string_view kNames[] = {"alnum", "alpha", "blank", "cntrl", "digit",  "graph",
                                                  "lower", "print", "punct", "space", "upper", "xdigit"};
    return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
  }

  int run(size_t pi, size_t ti) const {
    for (; pi < p.size(); ++ti, ++pi) {
      unsigned char p_ch = pc(pi);
      unsigned char t_ch = tc(ti);
      if (ti >= t.size() && p_ch != '*') return kAbortAll;
      switch (p_ch) {
        case '\\':
          ++pi;
          if (pi >= p.size()) return kNoMatch;  // a trailing backslash matches nothing
          p_ch = pc(pi);
          if (t_ch != p_ch) return kNoMatch;
          continue;
        default:
          if (t_ch != p_ch) return kNoMatch;
          continue;
        case '?':
          if (t_ch == '/') return kNoMatch;
          continue;
        case '*': {
          bool match_slash;
          if (pc(pi + 1) == '*') {
            const size_t first = pi;  // index of the first '*'
            ++pi;
            while (pc(pi + 1) == '*') ++pi;
            ++pi;  // first character after the run of '*'
            const bool at_start = first == 0 || p[first - 1] == '/';
            const bool at_end = pi >= p.size() || pc(pi) == '/' || (pc(pi) == '\\' && pc(pi + 1) == '/');
            if (at_start && at_end) {
              if (pc(pi) == '/' && run(pi + 1, ti) == kMatch) return kMatch;
              match_slash = true;
            } else {
              match_slash = false;
            }
          } else {
            ++pi;
            match_slash = false;
          }
          if (pi >= p.size()) {
            // A trailing "**" matches everything; a trailing '*' only when no '/' is left.
            if (!match_slash && t.find('/', ti) != std::string_view::npos) return kNoMatch;
            return kMatch;
          }
          if (!match_slash && pc(pi) == '/') {
            // One '*' followed by '/' matches the rest of this path component.
            const size_t slash = t.find('/', ti);
            if (slash == std::string_view::npos) return kNoMatch;
            ti = slash;
            // The '/' is consumed by the loop step (pattern '/' vs text '/').
            if (tc(ti) != '/') return kNoMatch;
            continue;
          }
          while (true) {
            if (ti >= t.size()) break;
            const int matched = run(pi, ti);
            if (matched != kNoMatch) {
              if (!match_slash || matched != kAbortToStarStar) return matched;
            } else if (!match_slash && t_ch == '/') {
              return kAbortToStarStar;
            }
            ++ti;
            t_ch = tc(ti);
          }
          return kAbortAll;
        }
        case '[': {
          ++pi;
          p_ch = pc(pi);
          if (p_ch == '^') p_ch = '!';
          const bool negated = p_ch == '!';
          if (negated) p_ch = pc(++pi);
          unsigned char prev_ch = 0;
          bool matched = false;
          do {
            if (pi >= p.size()) return kAbortAll;
            if (p_ch == '\\') {
              ++pi;
              if (pi >= p.size()) return kAbortAll;
              p_ch = pc(pi);
              if (t_ch == p_ch) matched = true;
            } else if (p_ch == '-' && prev_ch && pi + 1 < p.size() && pc(pi + 1) != ']') {
              ++pi;
              p_ch = pc(pi);
              if (p_ch == '\\') {
                ++pi;
                if (pi >= p.size()) return kAbortAll;
                p_ch = pc(pi);
              }
              if (t_ch <= p_ch && t_ch >= prev_ch) matched = true;
              p_ch = 0;  // makes prev_ch 0: no range may start at a range's end
            } else if (p_ch == '[' && pc(pi + 1) == ':') {
              const size_t s = pi + 2;
              size_t e = s;
              while (e < p.size() && pc(e) != ']') ++e;
              if (e >= p.size()) return kAbortAll;
              if (e == s || pc(e - 1) != ':') {
                // Not "[:name:]": a literal '['.
                if (t_ch == '[') matched = true;
              } else {
                const std::string_view name = p.substr(s, e - 1 - s);
                if (!knownClass(name)) return kAbortAll;  // malformed class: the pattern matches nothing
                if (classMatches(name, t_ch)) matched = true;
                pi = e;
                p_ch = 0;
              }
            } else if (t_ch == p_ch) {
              matched = true;
            }
            prev_ch = p_ch;
            ++pi;
            p_ch = pc(pi);
          } while (pi < p.size() && p_ch != ']');
          if (pi >= p.size()) return kAbortAll;  // unterminated class
          if (matched == negated || t_ch == '/') return kNoMatch;
          continue;
        }
      }
    }
    return ti < t.size() ? kNoMatch : kMatch;
  }
};

// Trailing spaces are removed unless escaped with a backslash.
std::string_view trimTrailingSpaces(std::string_view s) {
  size_t end = s.size();
  while (end > 0 && s[end - 1] == ' ') {
    // Count the backslashes before this space: an odd number escapes it.
    size_t bs = 0;
    while (bs + 1 < end && s[end - 2 - bs] == '\\') ++bs;
    if (bs % 2 == 1) break;
    --end;
  }
  return s.substr(0, end);
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view path) {
  return Wild{pattern, path}.run(0, 0) == kMatch;
}

IgnoreFile parseIgnoreFile(std::string_view text, std::string base) {
  IgnoreFile file;
  while (!base.empty() && base.back() == '/') base.pop_back();
  while (!base.empty() && base.front() == '/') base.erase(base.begin());
  file.base = std::move(base);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    line = trimTrailingSpaces(line);
    IgnoreRule rule;
    rule.line = line_no;
    if (!line.empty() && line.front() == '!') {
      rule.negated = true;
      line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
      // A trailing "\/" cannot happen after trimming; a trailing '/' marks directories only.
      rule.dir_only = true;
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    // Anchored when a '/' remains (leading or in the middle).
    rule.anchored = line.find('/') != std::string_view::npos;
    if (line.front() == '/') line.remove_prefix(1);
    if (line.empty()) continue;
    rule.pattern.assign(line);
    file.rules.push_back(std::move(rule));
    if (nl == text.size()) break;
  }
  return file;
}

IgnoreMatch matchIgnoreFile(const IgnoreFile& file, std::string_view rel_path, bool is_dir) {
  // The path relative to the directory holding the rules.
  std::string_view local = rel_path;
  if (!file.base.empty()) {
    if (local.size() <= file.base.size() || local.substr(0, file.base.size()) != file.base ||
        local[file.base.size()] != '/') {
      return IgnoreMatch::None;
    }
    local.remove_prefix(file.base.size() + 1);
  }
  if (local.empty()) return IgnoreMatch::None;
  const size_t slash = local.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? local : local.substr(slash + 1);
  for (auto it = file.rules.rbegin(); it != file.rules.rend(); ++it) {
    const IgnoreRule& rule = *it;
    if (rule.dir_only && !is_dir) continue;
    const bool hit = rule.anchored ? globMatch(rule.pattern, local) : globMatch(rule.pattern, name);
    if (hit) return rule.negated ? IgnoreMatch::Included : IgnoreMatch::Ignored;
  }
  return IgnoreMatch::None;
}

void IgnoreStack::push(Source source, IgnoreFile file) {
  if (file.rules.empty()) return;
  entries_.push_back(Entry{source, std::move(file)});
}

void IgnoreStack::popBase(std::string_view base) {
  std::erase_if(entries_, [&](const Entry& e) { return e.file.base == base && e.source != Source::Exclude; });
}

IgnoreMatch IgnoreStack::match(std::string_view rel_path, bool is_dir) const {
  for (Source source : {Source::Ignore, Source::GitIgnore, Source::Exclude}) {
    // Entries are pushed while descending, so later entries are deeper: search them first.
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
      if (it->source != source) continue;
      const IgnoreMatch m = matchIgnoreFile(it->file, rel_path, is_dir);
      if (m != IgnoreMatch::None) return m;
    }
  }
  return IgnoreMatch::None;
}

bool IgnoreStack::isIgnored(std::string_view rel_path, bool is_dir) const {
  for (size_t slash = rel_path.find('/'); slash != std::string_view::npos; slash = rel_path.find('/', slash + 1)) {
    if (match(rel_path.substr(0, slash), true) == IgnoreMatch::Ignored) return true;
  }
  return match(rel_path, is_dir) == IgnoreMatch::Ignored;
}

}  // namespace folio::ingest
