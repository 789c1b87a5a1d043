#include "ingest/pdf_markup.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <unordered_map>
#include <utility>

#include "ingest/civil_date.h"
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

// "52,000"
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string_view certificationText(int permission) {
  switch (permission) {
    case 1: return "certifying the document (no later changes allowed)";
    case 3: return "certifying the document (later changes allowed: form filling, signing and comments)";
    default: return "certifying the document (later changes allowed: form filling and signing)";
  }
}

// A document timestamp: by which authority, and the time its token states.
std::string timestampedBy(const PdfSignature& s) {
  std::string out = "document timestamp";
  if (const std::string tsa = clean(s.signer, kMaxName, true); !tsa.empty()) out += " by " + tsa;
  if (const std::string ts = clean(s.timestamp_time, kMaxName, true); !ts.empty()) out += ", " + ts + " (the time the token states)";
  return out;
}

// Who signed and when, as the signature states them.
std::string signerAndTime(const PdfSignature& s) {
  if (s.document_timestamp) return timestampedBy(s);
  std::string out = "signed";
  const std::string signer = clean(s.signer, kMaxName, true), stated = clean(s.stated_name, kMaxName, true);
  if (!signer.empty()) {
    out += " by " + signer;
    if (!stated.empty() && stated != signer) out += " (the signature names \"" + stated + "\")";
  } else if (!stated.empty()) {
    out += " by " + stated + " (the name the signature states; no certificate read)";
  }
  if (s.certification != 0) out += ", " + std::string(certificationText(s.certification));
  std::string clock = clean(s.signing_time, kMaxName, true);
  if (clock.empty()) clock = pdfDateUtcText(clean(s.stated_date, kMaxName, true));
  if (const std::string ts = clean(s.timestamp_time, kMaxName, true); !ts.empty()) {
    out += ", " + ts + " (the time a timestamp token states; the token not checked";
    out += clock.empty() ? ")" : "; the signer's computer stated " + clock + ")";
  } else if (!clock.empty()) {
    out += ", " + clock + " (the time the signer's computer stated)";
  }
  if (const std::string reason = clean(s.reason, kMaxName, true); !reason.empty()) out += ", reason \"" + reason + "\"";
  if (const std::string where = clean(s.location, kMaxName, true); !where.empty()) out += ", location \"" + where + "\"";
  return out;
}

// What checking a document timestamp found: what it covers, and whether those bytes still match its
// token's message imprint.
std::string timestampIntegrityText(const PdfSignature& s) {
  const bool whole = s.covered_end == s.file_size;
  std::string out;
  switch (s.integrity) {
    case PdfSignatureIntegrity::Intact: out = "the timestamped bytes match the token's message imprint"; break;
    case PdfSignatureIntegrity::DigestMismatch: out = "the timestamped bytes do not match the token's message imprint"; break;
    case PdfSignatureIntegrity::SignatureInvalid:
      out = "the bytes match its message imprint, but the token's signature does not verify with its certificate's key";
      break;
    case PdfSignatureIntegrity::Unchecked:
      return "the timestamp was not checked: " + clean(s.problem.empty() ? "it could not be read" : s.problem, kMaxName, true);
  }
  if (!s.frames_contents) out += "; its byte range no longer frames its token (the file was rewritten after it)";
  if (whole) out += "; it covers the whole document";
  else if (s.covered_end > 0)
    out += "; the document was changed after this timestamp (it covers bytes 0\xE2\x80\x93" + grouped(s.covered_end) +
           " of " + grouped(s.file_size) + ")";
  return out + "; certificate not checked";
}

// What checking the signed bytes found: never the certificate's trust.
std::string integrityText(const PdfSignature& s) {
  if (s.document_timestamp) return timestampIntegrityText(s);
  const bool whole = s.covered_end == s.file_size;
  std::string out;
  switch (s.integrity) {
    case PdfSignatureIntegrity::Intact:
      out = whole ? "the signed bytes are unchanged (the document was not changed after signing)" : "the signed bytes are unchanged";
      break;
    case PdfSignatureIntegrity::DigestMismatch: out = "the signed bytes do not match the signature"; break;
    case PdfSignatureIntegrity::SignatureInvalid:
      out = "the signature value does not verify with its certificate's key";
      break;
    case PdfSignatureIntegrity::Unchecked:
      return "the signature was not checked: " + clean(s.problem.empty() ? "it could not be read" : s.problem, kMaxName, true);
  }
  if (!s.frames_contents) out += "; its byte range no longer frames its signature (the file was rewritten after signing)";
  if (!whole && s.covered_end > 0)
    out += "; the document was changed after this signature (it covers bytes 0\xE2\x80\x93" + grouped(s.covered_end) +
           " of " + grouped(s.file_size) + ")";
  return out + "; certificate not checked";
}

class Writer {
 public:
  Writer(int page, const PdfPageMarkup& markup) : page_(std::to_string(page)), markup_(markup) {}

  void fields() {
    std::vector<int> seen;
    for (const PdfField& f : markup_.fields) {
      if (anotherWidget(seen, f.ref)) continue;
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
      fieldLine("field", f.name, value);
    }
  }

  void signatures() {
    std::vector<int> seen;
    for (const PdfSignature& s : markup_.signatures)
      if (!anotherWidget(seen, s.ref))
        fieldLine(s.on_no_page ? "signature on no page" : "signature", s.name,
                  s.is_signed ? signerAndTime(s) + "; " + integrityText(s) : std::string("not signed"), !s.on_no_page);
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

  // True when field `ref` was listed already (a field with several widgets on the page is listed once).
  static bool anotherWidget(std::vector<int>& seen, int ref) {
    if (ref < 0) return false;
    if (std::find(seen.begin(), seen.end(), ref) != seen.end()) return true;
    seen.push_back(ref);
    return false;
  }

  // "[field p.N, name: value]", "[signature p.N, name: …]", "[signature on no page, name: …]"
  void fieldLine(std::string_view kind, const std::string& name, const std::string& value, bool on_page = true) {
    const std::string shown = clean(name, kMaxName, true);
    line(0, "[" + std::string(kind) + (on_page ? " p." + page_ : std::string()) + (shown.empty() ? std::string() : ", " + shown) +
                ": " + value + "]");
  }

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

std::string pdfDateUtcText(std::string_view pdf_date) {
  const std::string local = pdfDateText(pdf_date);  // validated "YYYY-MM-DD HH:MM", or less
  std::string_view d = pdf_date.substr(0, 2) == "D:" ? pdf_date.substr(2) : pdf_date;
  if (local.size() != 16) return local;
  size_t at = 12;  // after YYYYMMDDHHmm: optional seconds, then the offset
  if (d.size() >= at + 2 && std::isdigit(static_cast<unsigned char>(d[at]))) at += 2;
  if (at >= d.size()) return local;  // no offset: the signer's local time, zone unknown
  int offset = 0;  // minutes east of UTC
  if (d[at] == '+' || d[at] == '-') {
    auto two = [&](size_t i) {
      return i + 2 <= d.size() && std::isdigit(static_cast<unsigned char>(d[i])) && std::isdigit(static_cast<unsigned char>(d[i + 1]))
                 ? (d[i] - '0') * 10 + (d[i + 1] - '0')
                 : -1;
    };
    const int hours = two(at + 1);
    if (hours < 0 || hours > 23) return local;
    size_t m_at = at + 3;
    if (m_at < d.size() && d[m_at] == '\'') ++m_at;
    const int minutes = std::max(two(m_at), 0);
    if (minutes > 59) return local;
    offset = (d[at] == '-' ? -1 : 1) * (hours * 60 + minutes);
  } else if (d[at] != 'Z') {
    return local;
  }
  auto num = [&](size_t i, size_t n) { return std::stoi(local.substr(i, n)); };
  const int64_t minutes = daysFromCivil(num(0, 4), num(5, 2), num(8, 2)) * 1440 + num(11, 2) * 60 + num(14, 2) - offset;
  const int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  const int64_t in_day = minutes - days * 1440;
  int64_t y;
  int m, day;
  civilFromDays(days, y, m, day);
  char out[64];
  std::snprintf(out, sizeof out, "%04lld-%02d-%02d %02lld:%02lld UTC", static_cast<long long>(y), m, day,
                static_cast<long long>(in_day / 60), static_cast<long long>(in_day % 60));
  return out;
}

std::string formatPdfMarkup(int page_number, const PdfPageMarkup& markup) {
  Writer w(page_number, markup);
  w.fields();
  w.signatures();
  w.comments();
  return std::move(w).take();
}

}  // namespace folio::ingest
