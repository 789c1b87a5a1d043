#include "ingest/pdf_markup.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <utility>

#include "ingest/utf8_text.h"

namespace folio::ingest {
namespace {

constexpr size_t kMaxText = 32 << 10;  // a comment or value; longer ones end in "…"
constexpr size_t kMaxName = 256;       // an author, a date, a field name
constexpr size_t kMaxQuote = 1000;     // the words under a highlight
constexpr size_t kMaxPageNotes = 4 << 20;
constexpr int kMaxIndent = 6;          // replies deeper than this stay at this indent

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Trimmed, CR and CRLF as LF (or every line break as a space when `one_line`), cut at `max` bytes.
std::string clean(std::string_view s, size_t max, bool one_line) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  const bool cut = s.size() > max;
  if (cut) s = s.substr(0, utf8Boundary(s, max));
  std::string out;
  out.reserve(s.size() + 3);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') continue;
      c = '\n';
    }
    if (one_line && (c == '\n' || c == '\t' || c == '\f' || c == '\v')) c = ' ';
    out.push_back(c);
  }
  if (cut) out += "\xE2\x80\xA6";
  return out;
}

std::string withoutSpace(std::string_view s) {
  std::string out;
  for (char c : s) if (!isSpace(c)) out.push_back(c);
  return out;
}

bool centreIn(const PdfBox& b, const PdfBox& w) {
  const double x = (w.x0 + w.x1) / 2, y = (w.y0 + w.y1) / 2;
  return x >= std::min(b.x0, b.x1) && x <= std::max(b.x0, b.x1) && y >= std::min(b.y0, b.y1) &&
         y <= std::max(b.y0, b.y1);
}

// The words whose centre lies in one of `boxes`, in reading order, joined by spaces.
std::string wordsIn(const std::vector<PdfWord>& words, const std::vector<PdfBox>& boxes, size_t max) {
  std::string out;
  for (const PdfWord& w : words) {
    if (!std::any_of(boxes.begin(), boxes.end(), [&](const PdfBox& b) { return centreIn(b, w.box); })) continue;
    if (!out.empty()) out.push_back(' ');
    out += w.text;
    if (out.size() > max) break;
  }
  return out;
}

// True when `value` is drawn inside `rect`: the words there hold it (spaces aside, since a comb field or
// a wrapped line splits it differently).
bool drawnIn(std::string_view value, const PdfBox& rect, const std::vector<PdfWord>& words) {
  const std::string wanted = withoutSpace(value);
  if (wanted.empty()) return false;
  const PdfBox grown{std::min(rect.x0, rect.x1) - 2, std::min(rect.y0, rect.y1) - 2, std::max(rect.x0, rect.x1) + 2,
                     std::max(rect.y0, rect.y1) + 2};
  return withoutSpace(wordsIn(words, {grown}, wanted.size() * 4 + 64)).find(wanted) != std::string::npos;
}

std::string_view quoteVerb(PdfCommentKind kind) {
  switch (kind) {
    case PdfCommentKind::Highlight: return "on highlighted";
    case PdfCommentKind::Underline: return "on underlined";
    case PdfCommentKind::StrikeOut: return "striking out";
    case PdfCommentKind::Redact: return "redacting";
    case PdfCommentKind::Note:
    case PdfCommentKind::TextBox: break;
  }
  return {};
}

class Writer {
 public:
  Writer(int page, const PdfPageMarkup& markup) : page_(std::to_string(page)), markup_(markup) {}

  void fields() {
    std::vector<int> seen;
    for (const PdfField& f : markup_.fields) {
      if (f.ref >= 0) {
        if (std::find(seen.begin(), seen.end(), f.ref) != seen.end()) continue;  // a second widget of it
        seen.push_back(f.ref);
      }
      std::string value;
      if (f.kind == PdfFieldKind::CheckBox) {
        value = f.checked ? "checked" : "unchecked";
      } else {
        value = clean(f.value, kMaxText, false);
        if (value.empty()) continue;
        // A list box draws all its items, not which are selected, so its selection is never in the text.
        if ((f.kind == PdfFieldKind::Text || f.kind == PdfFieldKind::Choice) && drawnIn(value, f.rect, markup_.words))
          continue;
      }
      const std::string name = clean(f.name, kMaxName, true);
      line(0, "[field p." + page_ + (name.empty() ? std::string() : ", " + name) + ": " + value + "]");
    }
  }

  void comments() {
    const auto& list = markup_.comments;
    const size_t n = list.size();
    std::unordered_map<int, size_t> by_ref;
    for (size_t i = 0; i < n; ++i)
      if (list[i].ref >= 0) by_ref.emplace(list[i].ref, i);
    parent_.assign(n, kNone);
    children_.assign(n, {});
    for (size_t i = 0; i < n; ++i) {
      if (list[i].in_reply_to < 0) continue;
      const auto at = by_ref.find(list[i].in_reply_to);
      if (at != by_ref.end() && at->second != i) {
        parent_[i] = at->second;
        children_[at->second].push_back(i);
      }
    }
    visited_.assign(n, false);
    for (size_t i = 0; i < n; ++i)
      if (parent_[i] == kNone) thread(i);
    for (size_t i = 0; i < n; ++i)  // what is left hangs on an /IRT loop
      if (!visited_[i]) thread(i);
  }

  std::string take() && { return std::move(out_); }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // `root` and its replies, depth first without recursion (a thread may be thousands deep).
  void thread(size_t root) {
    std::vector<std::pair<size_t, int>> stack{{root, 0}};
    visited_[root] = true;
    while (!stack.empty()) {
      const auto [i, depth] = stack.back();
      stack.pop_back();
      const bool shown = comment(i, depth);
      const auto& kids = children_[i];
      for (auto k = kids.rbegin(); k != kids.rend(); ++k) {
        if (visited_[*k]) continue;
        visited_[*k] = true;
        stack.emplace_back(*k, shown ? depth + 1 : depth);
      }
    }
  }

  // Writes comment i at `depth`; false when it is left out (its replies then take its place).
  bool comment(size_t i, int depth) {
    const PdfComment& c = markup_.comments[i];
    std::string text = clean(c.text, kMaxText, false);
    if (c.kind == PdfCommentKind::TextBox && drawnIn(text, c.rect, markup_.words)) return false;
    std::string quote;
    if (!c.quads.empty()) quote = clean(wordsIn(markup_.words, c.quads, kMaxQuote), kMaxQuote, true);
    if (text.empty() && children_[i].empty()) return false;  // a bare highlight says nothing to cite
    std::string s = c.in_reply_to >= 0 ? "[reply p." : "[comment p.";
    s += page_;
    if (const std::string author = clean(c.author, kMaxName, true); !author.empty()) s += ", " + author;
    if (const std::string date = pdfDateText(clean(c.date, kMaxName, true)); !date.empty()) s += ", " + date;
    if (!quote.empty() && !quoteVerb(c.kind).empty()) s += ", " + std::string(quoteVerb(c.kind)) + " \"" + quote + "\"";
    if (!text.empty()) s += ": " + text;
    s += "]";
    line(std::min(depth, kMaxIndent), s);
    return true;
  }

  void line(int indent, const std::string& s) {
    if (out_.size() > kMaxPageNotes) {
      if (!capped_) out_ += "[more comments and fields on p." + page_ + " left out: over 4 MiB]\n";
      capped_ = true;
      return;
    }
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    out_ += s;
    out_ += '\n';
  }

  std::string page_;
  const PdfPageMarkup& markup_;
  std::vector<size_t> parent_;
  std::vector<std::vector<size_t>> children_;
  std::vector<bool> visited_;
  std::string out_;
  bool capped_ = false;
};

}  // namespace

std::string pdfDateText(std::string_view d) {
  if (d.substr(0, 2) == "D:") d.remove_prefix(2);
  auto digits = [&](size_t at, size_t n) {
    if (at + n > d.size()) return false;
    for (size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
    return true;
  };
  auto number = [&](size_t at, size_t n) { return std::stoi(std::string(d.substr(at, n))); };
  if (!digits(0, 4)) return {};
  std::string out(d.substr(0, 4));
  if (!digits(4, 2) || number(4, 2) < 1 || number(4, 2) > 12) return out;
  out.append(1, '-').append(d.substr(4, 2));
  if (!digits(6, 2) || number(6, 2) < 1 || number(6, 2) > 31) return out;
  out.append(1, '-').append(d.substr(6, 2));
  if (!digits(8, 2) || !digits(10, 2) || number(8, 2) > 23 || number(10, 2) > 59) return out;
  out.append(1, ' ').append(d.substr(8, 2)).append(1, ':').append(d.substr(10, 2));
  return out;
}

std::string formatPdfMarkup(int page_number, const PdfPageMarkup& markup) {
  Writer w(page_number, markup);
  w.fields();
  w.comments();
  return std::move(w).take();
}

}  // namespace folio::ingest
