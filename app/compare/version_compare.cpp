#include "app/compare/version_compare.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <span>
#include <unordered_set>

#include "app/compare/section_headings.h"
#include "app/compare/text_sketch.h"
#include "app/compare/token_alignment.h"

namespace folio::app {
namespace {

struct Edit {
  size_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;  // old tokens [a0, a1) became new tokens [b0, b1)
  size_t origin = 0;                       // the alignment's edit it is part of (splitAtUnits)
  bool deletes() const { return a1 > a0; }
  bool inserts() const { return b1 > b0; }
};

// Equal stretches and edits, alternating, as the alignment leaves them.
struct Segment {
  bool equal = false;
  Edit span;  // for an equal segment a1 - a0 == b1 - b0
};

std::vector<Segment> segmentsOf(const std::vector<MatchedRun>& runs, size_t a0, size_t a1, size_t b0, size_t b1) {
  std::vector<Segment> out;
  size_t i = a0, j = b0;
  for (const MatchedRun& r : runs) {
    if (r.a > i || r.b > j) out.push_back({false, {i, r.a, j, r.b}});
    out.push_back({true, {r.a, r.a + r.length, r.b, r.b + r.length}});
    i = r.a + r.length;
    j = r.b + r.length;
  }
  if (i < a1 || j < b1) out.push_back({false, {i, a1, j, b1}});
  return out;
}

size_t sizeOf(const Edit& e) { return std::max(e.a1 - e.a0, e.b1 - e.b0); }

// A word or two left equal between two edits ("twelve ( 12" → "six ( 6": the "(") reads as part of one
// change, as diff tools' semantic clean-up has it.
// `ends_unit(e)`: the equal stretch ends a clause, so the edits on its two sides stay apart.
using EndsUnit = std::function<bool(const Edit&)>;

std::vector<Segment> mergeShortEqualities(std::vector<Segment> segs, const EndsUnit& ends_unit) {
  std::vector<Segment> out;
  for (size_t k = 0; k < segs.size(); ++k) {
    const Segment& s = segs[k];
    if (s.equal && !out.empty() && !out.back().equal && k + 1 < segs.size() && !segs[k + 1].equal &&
        !ends_unit(s.span)) {
      const size_t len = s.span.a1 - s.span.a0;
      if (len <= 2 && len <= sizeOf(out.back().span) && len <= sizeOf(segs[k + 1].span)) {
        out.back().span.a1 = segs[k + 1].span.a1;
        out.back().span.b1 = segs[k + 1].span.b1;
        ++k;
        continue;
      }
    }
    if (!s.equal && !out.empty() && !out.back().equal) {
      out.back().span.a1 = s.span.a1;
      out.back().span.b1 = s.span.b1;
      continue;
    }
    out.push_back(s);
  }
  return out;
}

int bracketBalance(const VersionText& v, size_t first, size_t last) {
  int open = 0;
  for (size_t i = first; i < last; ++i) {
    const std::string_view t = tokenText(v, i);
    if (t == "(" || t == "[") ++open;
    if (t == ")" || t == "]") --open;
  }
  return open;
}

// An edit that opens a bracket the equal text after it closes takes that text in ("(12" → "(12)"), at
// most a few words; likewise one that closes a bracket opened before it.
void balanceBrackets(std::vector<Segment>& segs, const VersionText& va, const VersionText& vb) {
  constexpr size_t kMaxTaken = 4;
  for (size_t k = 0; k < segs.size(); ++k) {
    if (segs[k].equal) continue;
    Edit& e = segs[k].span;
    if (k + 1 < segs.size() && segs[k + 1].equal) {
      Edit& next = segs[k + 1].span;
      for (size_t taken = 0; taken < kMaxTaken && next.a0 < next.a1; ++taken) {
        if (bracketBalance(va, e.a0, e.a1) <= 0 && bracketBalance(vb, e.b0, e.b1) <= 0) break;
        ++e.a1, ++e.b1, ++next.a0, ++next.b0;
      }
    }
    if (k > 0 && segs[k - 1].equal) {
      Edit& prev = segs[k - 1].span;
      for (size_t taken = 0; taken < kMaxTaken && prev.a0 < prev.a1; ++taken) {
        if (bracketBalance(va, e.a0, e.a1) >= 0 && bracketBalance(vb, e.b0, e.b1) >= 0) break;
        --e.a0, --e.b0, --prev.a1, --prev.b1;
      }
    }
  }
}

bool endsSentence(const VersionText& v, size_t i) {
  const std::string_view t = tokenText(v, i);
  return t == "." || t == ";" || t == "?" || t == "!" || t == ":";
}

// An insertion or deletion between equal text can often stand a few words earlier or later ("… 60
// days{+. Any notice …courier+}." or "… 60 days.{+ Any notice … courier.+}"): it is slid to where it
// reads as whole sentences — starting after a sentence's end, ending with one — as diff tools' lossless
// clean-up slides to word boundaries.
void slideToSentences(std::vector<Segment>& segs, const VersionText& va, const VersionText& vb) {
  for (size_t k = 1; k + 1 < segs.size(); ++k) {
    Segment& s = segs[k];
    if (s.equal || !segs[k - 1].equal || !segs[k + 1].equal) continue;
    const bool inserts = s.span.inserts() && !s.span.deletes();
    const bool deletes = s.span.deletes() && !s.span.inserts();
    if (!inserts && !deletes) continue;
    const VersionText& v = inserts ? vb : va;
    size_t lo = inserts ? s.span.b0 : s.span.a0, hi = inserts ? s.span.b1 : s.span.a1;
    const size_t prev_len = segs[k - 1].span.a1 - segs[k - 1].span.a0, next_len = segs[k + 1].span.a1 - segs[k + 1].span.a0;
    // how far it can slide: left while the token before equals the edit's last, right while the token
    // after equals its first
    size_t left = 0, right = 0;
    while (left < prev_len && v.tokens[lo - left - 1].key == v.tokens[hi - left - 1].key) ++left;
    while (right < next_len && v.tokens[lo + right].key == v.tokens[hi + right].key) ++right;
    if (left == 0 && right == 0) continue;
    auto score = [&](size_t first, size_t last) {
      return (first > 0 && endsSentence(v, first - 1) ? 2 : 0) + (endsSentence(v, last - 1) ? 1 : 0);
    };
    long best_shift = 0;
    int best = score(lo, hi);
    for (long shift = -static_cast<long>(left); shift <= static_cast<long>(right); ++shift) {
      const int sc = score(lo + shift, hi + shift);
      if (sc > best) best = sc, best_shift = shift;
    }
    if (best_shift == 0) continue;
    auto move = [&](size_t& x) { x = static_cast<size_t>(static_cast<long>(x) + best_shift); };
    move(s.span.a0), move(s.span.a1), move(s.span.b0), move(s.span.b1);
    move(segs[k - 1].span.a1), move(segs[k - 1].span.b1);
    move(segs[k + 1].span.a0), move(segs[k + 1].span.b0);
  }
}

std::vector<Edit> editsBetween(const VersionText& va, const VersionText& vb, const std::vector<MatchedRun>& runs,
                               size_t a0, size_t a1, size_t b0, size_t b1, const EndsUnit& ends_unit) {
  std::vector<Segment> segs = mergeShortEqualities(segmentsOf(runs, a0, a1, b0, b1), ends_unit);
  slideToSentences(segs, va, vb);
  balanceBrackets(segs, va, vb);
  std::vector<Edit> edits;
  for (const Segment& s : segs) {
    if (!s.equal && (s.span.deletes() || s.span.inserts())) edits.push_back(s.span);
  }
  return edits;
}

std::vector<uint64_t> keysOf(const VersionText& v) {
  std::vector<uint64_t> keys(v.tokens.size());
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = v.tokens[i].key;
  return keys;
}

int lineOf(const VersionText& v, size_t i) {
  const VersionToken& t = v.tokens[i];
  const ingest::StoredChunk& c = v.chunks[t.chunk];
  if (c.page_first != c.page_last || c.line_first <= 0) return 0;
  return c.line_first + static_cast<int>(std::count(c.text.begin(), c.text.begin() + t.begin, '\n'));
}

bool sameLine(const VersionText& v, size_t i);

// In a chunk without a heading, the line opening the clause token `at` is in ("2.1 Cover. The Supplier
// shall …", cut to a few words); "" when no clause number opens a line before it in that chunk.
std::string clauseLine(const VersionText& v, size_t at) {
  const uint32_t chunk = v.tokens[at].chunk;
  size_t i = at + 1;
  while (i-- > 0 && v.tokens[i].chunk == chunk) {
    if (!v.tokens[i].clause_start) continue;
    size_t last = i + 1;
    while (last < v.tokens.size() && last - i < 8 && sameLine(v, last - 1)) ++last;
    return tokenRangeText(v, i, last) + (last < v.tokens.size() && sameLine(v, last - 1) ? " …" : "");
  }
  return "";
}

// Where token range [first, last) stands; an empty range by the token at `first` (else the one before).
VersionPlace placeOf(const VersionText& v, size_t first, size_t last) {
  VersionPlace p;
  if (v.tokens.empty()) return p;
  size_t at = first < v.tokens.size() ? first : v.tokens.size() - 1;
  if (first == last && first > 0 && first < v.tokens.size() && v.tokens[first].chunk != v.tokens[first - 1].chunk) {
    at = first - 1;  // an insertion point at a chunk's start belongs to the text before it
  }
  const ingest::StoredChunk& c = v.chunks[v.tokens[at].chunk];
  p.chunk_id = c.id;
  p.heading = c.heading.empty() ? clauseLine(v, at) : c.heading;
  p.page_first = c.page_first;
  p.page_last = c.page_last;
  p.line = lineOf(v, at);
  return p;
}

// Whether tokens i and i + 1 stand on one line of one chunk, and with space between them.
bool sameLine(const VersionText& v, size_t i) {
  const VersionToken& x = v.tokens[i];
  const VersionToken& y = v.tokens[i + 1];
  if (x.chunk != y.chunk) return false;
  const std::string_view text = v.chunks[x.chunk].text;
  return text.substr(x.end, y.begin - x.end).find('\n') == std::string_view::npos;
}
bool spaced(const VersionText& v, size_t i) {
  const VersionToken& x = v.tokens[i];
  const VersionToken& y = v.tokens[i + 1];
  return x.chunk != y.chunk || x.end != y.begin;
}

// Up to `n` tokens before token `at` on the line of token at - 1.
std::string contextBefore(const VersionText& v, size_t at, size_t n) {
  if (at == 0 || at > v.tokens.size()) return "";
  size_t first = at - 1;
  while (first > 0 && at - first < n && sameLine(v, first - 1)) --first;
  // not from the sentence before (". Notices must …")
  for (size_t k = at - 1; k > first; --k) {
    const std::string_view t = tokenText(v, k - 1);
    if (t == "." || t == ";" || t == "?" || t == "!") {
      first = k;
      break;
    }
  }
  return tokenRangeText(v, first, at);
}
// Up to `n` tokens from token `at` on, on its line.
std::string contextAfter(const VersionText& v, size_t at, size_t n) {
  if (at >= v.tokens.size()) return "";
  size_t last = at + 1;
  while (last < v.tokens.size() && last - at < n && sameLine(v, last - 1)) {
    const std::string_view t = tokenText(v, last - 1);
    if (t == "." || t == ";" || t == "?" || t == "!") break;  // to the end of the sentence
    ++last;
  }
  return tokenRangeText(v, at, last);
}

// Units: runs of chunks under the same heading path (a clause the chunker split keeps its heading);
// in chunks without headings, the clauses their numbers open.
struct Units {
  std::vector<size_t> of_token;       // unit index of each token
  std::vector<size_t> first, last;    // token range of each unit
  std::vector<size_t> kept;           // tokens of each unit found in the other version (or moved)
};

Units unitsOf(const VersionText& v) {
  Units u;
  u.of_token.resize(v.tokens.size());
  size_t unit = SIZE_MAX;
  for (size_t i = 0; i < v.tokens.size(); ++i) {
    const uint32_t chunk = v.tokens[i].chunk;
    // a new heading, or a clause number opening a line where the chunker gave none (a short agreement
    // chunked as plain paragraphs)
    const bool same = unit != SIZE_MAX && !(v.tokens[i].clause_start && v.chunks[chunk].heading.empty()) &&
                      (v.tokens[i - 1].chunk == chunk ||
                       v.chunks[v.tokens[i - 1].chunk].heading == v.chunks[chunk].heading);
    if (!same) {
      unit = u.first.size();
      u.first.push_back(i);
      u.last.push_back(i);
    }
    u.of_token[i] = unit;
    u.last[unit] = i + 1;
  }
  u.kept.assign(u.first.size(), 0);
  return u;
}

void countKept(Units& u, size_t first, size_t last) {
  for (size_t i = first; i < last; ++i) ++u.kept[u.of_token[i]];
}
void uncountKept(Units& u, size_t first, size_t last) {
  for (size_t i = first; i < last; ++i) --u.kept[u.of_token[i]];
}

// A range's word-triple sketch (text_sketch.h): two ranges sharing most of it are worth aligning.
std::vector<uint64_t> sketchOf(const std::vector<uint64_t>& keys, size_t first, size_t last) {
  constexpr size_t kSketch = 64;
  return wordTripleSketch(std::span(keys).subspan(first, last - first), kSketch);
}

double sketchOverlap(const std::vector<uint64_t>& x, const std::vector<uint64_t>& y) {
  if (x.empty() || y.empty()) return 0;
  size_t i = 0, j = 0, shared = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] == y[j]) {
      ++shared, ++i, ++j;
    } else if (x[i] < y[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(shared) / static_cast<double>(std::min(x.size(), y.size()));
}

size_t matchedLength(const std::vector<MatchedRun>& runs) {
  size_t n = 0;
  for (const MatchedRun& r : runs) n += r.length;
  return n;
}

// "5. Limitation of Liability › 5.1 …" and "5. Limitation of Liability › 5.3 …" → "5. Limitation of Liability".
std::string commonHeading(const std::string& x, const std::string& y) {
  const auto xs = ingest::splitHeadingPath(x);
  const auto ys = ingest::splitHeadingPath(y);
  std::vector<std::string> common;
  for (size_t k = 0; k < xs.size() && k < ys.size() && xs[k] == ys[k]; ++k) common.push_back(xs[k]);
  return ingest::joinHeadingPath(common);
}

// Edit distance of two short texts, spaces and case aside, at most `limit` + 1.
size_t smallDistance(std::string_view x, std::string_view y, size_t limit) {
  auto fold = [](std::string_view t) {
    std::string out;
    for (const char c : t) {
      if (c != ' ') out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return out;
  };
  const std::string a = fold(x), b = fold(y);
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit + 1);
}

bool looksMisread(const VersionChange& c) {
  constexpr size_t kShort = 24;
  if (c.kind != ChangeKind::Replaced || c.deleted.size() > kShort || c.inserted.size() > kShort) return false;
  // A changed number or amount is never waved through as a misreading: it is what a reader must see.
  const auto has_digit = [](const std::string& t) { return t.find_first_of("0123456789") != std::string::npos; };
  if (has_digit(c.deleted) || has_digit(c.inserted)) return false;
  return smallDistance(c.deleted, c.inserted, 2) <= 2;
}

struct Placed {
  size_t at = 0;      // the new version's token it stands at
  size_t origin = 0;  // Edit::origin
  VersionChange change;
};

class Comparer {
 public:
  Comparer(const VersionText& va, const VersionText& vb, const CompareLimits& limits,
           const std::atomic<bool>* cancel = nullptr, const CompareProgressFn* progress = nullptr)
      : va_(va), vb_(vb), limits_(limits), ka_(keysOf(va)), kb_(keysOf(vb)), ua_(unitsOf(va)), ub_(unitsOf(vb)),
        cancel_(cancel), progress_(progress) {}

  // Nothing when cancelled.
  std::optional<VersionComparison> run() {
    VersionComparison out;
    out.old_tokens = ka_.size();
    out.new_tokens = kb_.size();
    const std::vector<MatchedRun> headings = sectionHeadingsInBoth(va_, vb_);
    const std::vector<MatchedRun> aligned =
        alignTokensAround(ka_, kb_, headings, {}, cancel_, progress_ ? *progress_ : AlignmentProgressFn{});
    if (stopped()) return std::nullopt;
    const std::vector<MatchedRun> runs = preferSmallerMoves(closeUnitsApart(aligned), headings);
    if (stopped()) return std::nullopt;
    out.unchanged_tokens = matchedLength(runs);
    takeRenumberings(runs, out.renumbered);
    std::vector<Edit> edits = splitAtUnits(editsBetween(va_, vb_, runs, 0, ka_.size(), 0, kb_.size(), endsUnit()));
    if (stopped()) return std::nullopt;
    // What a clause keeps is what no edit took: a word or two two unrelated clauses share ("the", "of")
    // is merged into the edit (mergeShortEqualities) and does not make a replaced clause a changed one.
    countKept(ua_, 0, ka_.size());
    countKept(ub_, 0, kb_.size());
    for (const Edit& e : edits) {
      uncountKept(ua_, e.a0, e.a1);
      uncountKept(ub_, e.b0, e.b1);
    }
    std::vector<Placed> placed;
    takeMoves(edits, placed);
    if (stopped()) return std::nullopt;
    for (Edit& e : edits) takeWholeUnits(e, placed);
    for (const Edit& e : edits) {
      if (e.deletes() || e.inserts()) placed.push_back({e.b0, e.origin, changeOf(e)});
    }
    std::stable_sort(placed.begin(), placed.end(), [](const Placed& x, const Placed& y) { return x.at < y.at; });
    out.changes = joinWholeUnits(std::move(placed));
    if (stopped()) return std::nullopt;
    return out;
  }

 private:
  bool stopped() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }

  EndsUnit endsUnit() const {
    return [this](const Edit& equal) {
      return ua_.last[ua_.of_token[equal.a1 - 1]] == equal.a1 || ub_.last[ub_.of_token[equal.b1 - 1]] == equal.b1;
    };
  }

  VersionChange changeOf(const Edit& e) const {
    VersionChange c;
    c.kind = e.deletes() && e.inserts() ? ChangeKind::Replaced : e.deletes() ? ChangeKind::Deleted : ChangeKind::Inserted;
    c.deleted = tokenRangeText(va_, e.a0, e.a1);
    c.inserted = tokenRangeText(vb_, e.b0, e.b1);
    // Context from the new version, on the change's own lines, glued as the side that holds the change
    // was written ("at [-1-]{+2+}% a month", not "… % …").
    const VersionText& side = e.inserts() ? vb_ : va_;
    const size_t first = e.inserts() ? e.b0 : e.a0, last = e.inserts() ? e.b1 : e.a1;
    if (e.b0 > 0 && first > 0 && sameLine(side, first - 1)) {
      c.before = contextBefore(vb_, e.b0, limits_.context_tokens) + (spaced(side, first - 1) ? " " : "");
    }
    if (e.b1 < kb_.size() && last < side.tokens.size() && sameLine(side, last - 1)) {
      c.after = (spaced(side, last - 1) ? " " : "") + contextAfter(vb_, e.b1, limits_.context_tokens);
    }
    c.old_place = placeOf(va_, e.a0, e.a1);
    c.new_place = placeOf(vb_, e.b0, e.b1);
    c.maybe_misread = (va_.ocr_pages > 0 || vb_.ocr_pages > 0) && looksMisread(c);
    return c;
  }

  // An insertion that adds to one clause and adds the next ("… in writing{+ and by email. 4.2 Audit. …
  // notice+}.") is aligned with the old clause's closing "." matched to the new clause's: equally
  // long, but the new clause then looks changed, not added. Where the inserted text holds that token at
  // the end of the clause the insertion began in, the match moves there, so the insertion splits at
  // the clause boundary ("and by email" in 4.1, all of 4.2 added). The same for deletions.
  std::vector<MatchedRun> closeUnitsApart(std::vector<MatchedRun> runs) const {
    std::vector<MatchedRun> out;
    size_t i = 0, j = 0;  // where the previous run ended
    for (MatchedRun r : runs) {
      const bool inserts_only = r.a == i && r.b > j && j > 0;
      const bool deletes_only = r.b == j && r.a > i && i > 0;
      if (inserts_only || deletes_only) {
        const std::vector<uint64_t>& keys = inserts_only ? kb_ : ka_;
        const Units& u = inserts_only ? ub_ : ua_;
        const size_t gap0 = inserts_only ? j : i, gap1 = inserts_only ? r.b : r.a;
        const size_t closing = gap1;  // the first token of r, on the gap's side
        const size_t began = u.of_token[gap0 - 1];
        if (u.last[u.of_token[closing]] == closing + 1 && u.of_token[closing] != began) {
          for (size_t q = gap1; q-- > gap0;) {
            if (keys[q] != keys[closing] || u.of_token[q] != began || u.last[began] != q + 1) continue;
            out.push_back(inserts_only ? MatchedRun{r.a, q, 1} : MatchedRun{q, r.b, 1});
            ++r.a, ++r.b, --r.length;
            break;
          }
        }
      }
      if (r.length > 0) out.push_back(r);
      i = r.a + r.length;
      j = r.b + r.length;
    }
    return out;
  }

  // Clause numbers opening a line match by the word after them (version_tokens.h): where the two
  // numbers differ the clause was renumbered.
  void takeRenumberings(const std::vector<MatchedRun>& runs, std::vector<Renumbering>& out) const {
    for (const MatchedRun& r : runs) {
      for (size_t k = 0; k < r.length; ++k) {
        const size_t i = r.a + k, j = r.b + k;
        if (tokenText(va_, i) == tokenText(vb_, j)) continue;
        if (va_.tokens[i].list_item) {
          // appended, not "(" + …: GCC 12 warns of a false overlap (-Wrestrict)
          auto label = [](std::string_view t) { return (std::string("(") += t) += ')'; };
          out.push_back({label(tokenText(va_, i)), label(tokenText(vb_, j)), vb_.chunks[vb_.tokens[j].chunk].heading});
          continue;
        }
        if (!isClauseNumberToken(va_, i) || !startsLine(va_, i)) continue;
        out.push_back({std::string(tokenText(va_, i)), std::string(tokenText(vb_, j)),
                       vb_.chunks[vb_.tokens[j].chunk].heading});
      }
    }
  }

  struct Move {
    size_t del = 0, ins = 0;       // the edits that delete the passage and insert it
    std::vector<MatchedRun> runs;  // how it aligns with itself, in the versions' token positions
  };

  // Deleted passages whose words, mostly in order, were inserted elsewhere, each with the insertion most
  // like it. Partial when cancelled.
  std::vector<Move> findMoves(const std::vector<Edit>& edits) const {
    constexpr size_t kMaxCandidates = 2000;
    // A passage shorter than move_min_tokens is no move ("the", "of the Fees") unless it is a whole
    // clause, number to end ("2.1 Partner will pay the Fees, if any."): that one moved however short.
    constexpr size_t kMinClause = 4;
    auto movable = [this](const VersionText& v, const Units& u, size_t first, size_t last) {
      if (last - first >= limits_.move_min_tokens) return true;
      if (last - first < kMinClause || !v.tokens[first].clause_start || !startsLine(v, first)) return false;
      // to its unit's end or the next numbered line (its closing mark may have stayed matched)
      const size_t end = u.last[u.of_token[first]];
      const auto opensClause = [&v](size_t i) { return i == v.tokens.size() || (v.tokens[i].clause_start && startsLine(v, i)); };
      return end == last || opensClause(last) || ((end == last + 1 || opensClause(last + 1)) && endsSentence(v, last));
    };
    std::vector<size_t> dels, inss;
    for (size_t k = 0; k < edits.size(); ++k) {
      const Edit& e = edits[k];
      if (e.deletes() && movable(va_, ua_, e.a0, e.a1) && dels.size() < kMaxCandidates) dels.push_back(k);
      if (e.inserts() && movable(vb_, ub_, e.b0, e.b1) && inss.size() < kMaxCandidates) inss.push_back(k);
    }
    std::vector<Move> out;
    if (dels.empty() || inss.empty()) return out;
    std::vector<std::vector<uint64_t>> ins_sketch;
    for (size_t k : inss) ins_sketch.push_back(sketchOf(kb_, edits[k].b0, edits[k].b1));
    std::unordered_set<size_t> ins_used;
    for (size_t d : dels) {
      if (stopped()) return out;
      const Edit& de = edits[d];
      const auto del_sketch = sketchOf(ka_, de.a0, de.a1);
      Move best{d, SIZE_MAX, {}};
      double best_similarity = 0;
      for (size_t n = 0; n < inss.size(); ++n) {
        const size_t i = inss[n];
        if (i == d || ins_used.count(i) || sketchOverlap(del_sketch, ins_sketch[n]) < 0.4) continue;
        const Edit& ie = edits[i];
        auto runs = alignTokens(std::span(ka_).subspan(de.a0, de.a1 - de.a0), std::span(kb_).subspan(ie.b0, ie.b1 - ie.b0),
                                {}, cancel_);
        const double similarity = 2.0 * static_cast<double>(matchedLength(runs)) /
                                  static_cast<double>((de.a1 - de.a0) + (ie.b1 - ie.b0));
        if (similarity >= limits_.move_similarity && similarity > best_similarity) {
          best.ins = i;
          best_similarity = similarity;
          best.runs = std::move(runs);
        }
      }
      if (best.ins == SIZE_MAX) continue;
      ins_used.insert(best.ins);
      for (MatchedRun& r : best.runs) r.a += de.a0, r.b += edits[best.ins].b0;
      out.push_back(std::move(best));
    }
    return out;
  }

  // A passage X moved past a stretch J that stayed (old: X J, new: J X') can be told the other way
  // round, J moved past X: the one reported moved is the smaller in words, and of two as long the one
  // with edits of its own or a changed number. Where J is the one, X is matched in place and J left to
  // be found as moved. X is one move or several moved together (adjacent on both sides); J holding a
  // section's heading stays (a clause changing sections is what moved), and J must be whole clauses, so
  // that it is found as moved.
  std::vector<MatchedRun> preferSmallerMoves(std::vector<MatchedRun> runs, const std::vector<MatchedRun>& headings) const {
    const std::vector<Edit> edits = splitAtUnits(editsBetween(va_, vb_, runs, 0, ka_.size(), 0, kb_.size(), endsUnit()));
    std::vector<std::pair<size_t, size_t>> rewritten;  // old ranges already swapped
    for (const MovedBlock& x : movedBlocks(edits, findMoves(edits))) {
      // J: old [ja0, ja1), new [jb0, jb1); the swap rewrites old [ra0, ra1), new [rb0, rb1).
      size_t ja0, ja1, jb0, jb1, ra0, ra1, rb0, rb1;
      if (x.a1 <= x.ins_at && x.del_at <= x.b0) {  // moved down
        ja0 = x.a1, ja1 = x.ins_at, jb0 = x.del_at, jb1 = x.b0, ra0 = x.a0, ra1 = x.ins_at, rb0 = x.del_at, rb1 = x.b1;
      } else if (x.ins_at <= x.a0 && x.b1 <= x.del_at) {  // moved up
        ja0 = x.ins_at, ja1 = x.a0, jb0 = x.b1, jb1 = x.del_at, ra0 = x.ins_at, ra1 = x.a1, rb0 = x.b0, rb1 = x.del_at;
      } else {
        continue;
      }
      const size_t x_words = std::max(x.a1 - x.a0, x.b1 - x.b0), j_words = std::max(ja1 - ja0, jb1 - jb0);
      if (j_words == 0 || j_words > x_words || !wholeClauses(va_, ua_, ja0, ja1) || !wholeClauses(vb_, ub_, jb0, jb1)) continue;
      const auto inside = [](size_t at, size_t lo, size_t hi) { return at >= lo && at < hi; };
      if (std::any_of(headings.begin(), headings.end(), [&](const MatchedRun& h) { return inside(h.a, ja0, ja1); })) continue;
      if (std::any_of(rewritten.begin(), rewritten.end(), [&](const auto& r) { return r.first < ra1 && ra0 < r.second; })) continue;
      std::vector<MatchedRun> kept, in_j;
      for (const MatchedRun& r : runs) {
        const bool in_region = (r.a + r.length > ra0 && r.a < ra1) || (r.b + r.length > rb0 && r.b < rb1);
        (in_region ? in_j : kept).push_back(r);
      }
      if (j_words == x_words && changeRank(in_j, ja1 - ja0) <= changeRank(x.runs, x.a1 - x.a0)) continue;
      kept.insert(kept.end(), x.runs.begin(), x.runs.end());
      std::sort(kept.begin(), kept.end(), [](const MatchedRun& p, const MatchedRun& q) { return p.a < q.a; });
      bool in_order = true;
      for (size_t k = 1; k < kept.size() && in_order; ++k)
        in_order = kept[k].a >= kept[k - 1].a + kept[k - 1].length && kept[k].b >= kept[k - 1].b + kept[k - 1].length;
      if (!in_order) continue;
      runs = std::move(kept);
      rewritten.emplace_back(ra0, ra1);
    }
    return runs;
  }

  // Clean moves (a deletion and an insertion only) adjacent on both sides, joined: passages moved together.
  struct MovedBlock {
    size_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;  // old [a0, a1) moved to new [b0, b1)
    size_t del_at = 0, ins_at = 0;          // where the deletion stands in the new version, the insertion in the old
    std::vector<MatchedRun> runs;
  };
  static std::vector<MovedBlock> movedBlocks(const std::vector<Edit>& edits, std::vector<Move> moves) {
    std::sort(moves.begin(), moves.end(), [&](const Move& p, const Move& q) { return edits[p.del].a0 < edits[q.del].a0; });
    std::vector<MovedBlock> out;
    for (const Move& m : moves) {
      const Edit& de = edits[m.del];
      const Edit& ie = edits[m.ins];
      if (de.inserts() || ie.deletes()) continue;
      if (!out.empty() && out.back().a1 == de.a0 && out.back().del_at == de.b0 && out.back().b1 == ie.b0 && out.back().ins_at == ie.a0) {
        out.back().a1 = de.a1;
        out.back().b1 = ie.b1;
      } else {
        out.push_back({de.a0, de.a1, ie.b0, ie.b1, de.b0, ie.a0, {}});
      }
      out.back().runs.insert(out.back().runs.end(), m.runs.begin(), m.runs.end());
    }
    return out;
  }

  // How much a passage of `tokens` old tokens, aligned by `own`, changed besides moving: 2 for edits of
  // its own, 1 for a changed number only (both clauses that trade places have one), else 0.
  int changeRank(const std::vector<MatchedRun>& own, size_t tokens) const {
    if (matchedLength(own) < tokens) return 2;
    for (const MatchedRun& r : own)
      for (size_t k = 0; k < r.length; ++k)
        if (isClauseNumberToken(va_, r.a + k) && tokenText(va_, r.a + k) != tokenText(vb_, r.b + k)) return 1;
    return 0;
  }

  // Whether tokens [first, last) are whole clauses: from a clause number opening a line (or a unit's
  // start) to where the next one opens (or a unit's end).
  static bool wholeClauses(const VersionText& v, const Units& u, size_t first, size_t last) {
    if (first >= last) return true;
    const auto opens = [&](size_t i) {
      return i == v.tokens.size() || u.first[u.of_token[i]] == i || (v.tokens[i].clause_start && startsLine(v, i));
    };
    return opens(first) && opens(last);
  }

  // Each move found: a change of its own, with its own edits; the edits keep only what was not the move.
  void takeMoves(std::vector<Edit>& edits, std::vector<Placed>& placed) {
    for (const Move& m : findMoves(edits)) {
      Edit& de = edits[m.del];
      Edit& ie = edits[m.ins];
      for (const MatchedRun& r : m.runs) {
        countKept(ua_, r.a, r.a + r.length);
        countKept(ub_, r.b, r.b + r.length);
      }
      VersionChange move;
      move.kind = ChangeKind::Moved;
      move.deleted = tokenRangeText(va_, de.a0, de.a1);
      move.inserted = tokenRangeText(vb_, ie.b0, ie.b1);
      move.old_place = placeOf(va_, de.a0, de.a1);
      move.new_place = placeOf(vb_, ie.b0, ie.b1);
      for (const Edit& inner : editsBetween(va_, vb_, m.runs, de.a0, de.a1, ie.b0, ie.b1, endsUnit())) {
        move.inner.push_back(changeOf(inner));
      }
      placed.push_back({ie.b0, SIZE_MAX, std::move(move)});
      de.a1 = de.a0;
      ie.b0 = ie.b1;
    }
  }

  // An insertion or deletion of several clauses becomes one edit per clause (each keeping its origin),
  // so a moved clause deleted beside a removed one is found as moved, the other as removed.
  std::vector<Edit> splitAtUnits(std::vector<Edit> edits) const {
    std::vector<Edit> out;
    for (size_t n = 0; n < edits.size(); ++n) {
      Edit e = edits[n];
      e.origin = n;
      const bool inserts_only = e.inserts() && !e.deletes(), deletes_only = e.deletes() && !e.inserts();
      if (!inserts_only && !deletes_only) {
        out.push_back(e);
        continue;
      }
      const Units& u = inserts_only ? ub_ : ua_;
      size_t& lo = inserts_only ? e.b0 : e.a0;
      const size_t hi = inserts_only ? e.b1 : e.a1;
      while (lo < hi) {
        Edit piece = e;
        size_t& piece_hi = inserts_only ? piece.b1 : piece.a1;
        piece_hi = std::min(hi, u.last[u.of_token[lo]]);
        out.push_back(piece);
        lo = piece_hi;
      }
    }
    return out;
  }

  // Clauses none of whose words are in the other version, at either end of an edit: added or removed
  // as clauses, the rest of the edit staying an edit. A clause whose section heading stays (its chunk
  // opens with it) counts from its number on.
  void takeWholeUnits(Edit& e, std::vector<Placed>& placed) {
    // A clause's closing "." may have been matched with the other clause's: it still counts as whole.
    auto unitEnd = [](const VersionText& v, const Units& u, size_t last, size_t at) {
      const size_t end = u.last[u.of_token[at]];
      if (end == last + 1 && endsSentence(v, last)) return last;
      return end;
    };
    auto whole = [&unitEnd](const VersionText& v, const Units& u, size_t first, size_t last, size_t at) {
      const size_t unit = u.of_token[at];
      if (unitEnd(v, u, last, at) > last) return false;
      if (u.kept[unit] == 0 && u.first[unit] >= first) return true;
      return at == first && isClauseNumberToken(v, at) && startsLine(v, at);
    };
    auto take = [&](const VersionText& v, const Units& u, size_t& first, size_t& last, bool added) {
      size_t lo = first;
      std::vector<std::pair<size_t, size_t>> pieces;
      while (lo < last && whole(v, u, lo, last, lo)) {
        pieces.emplace_back(lo, unitEnd(v, u, last, lo));
        lo = pieces.back().second;
      }
      size_t from_end = last;
      while (from_end > lo && whole(v, u, lo, last, u.first[u.of_token[from_end - 1]])) {
        pieces.emplace_back(u.first[u.of_token[from_end - 1]], from_end);
        from_end = pieces.back().first;
      }
      for (const auto& [s, t] : pieces) {
        VersionChange c;
        c.kind = added ? ChangeKind::ClauseAdded : ChangeKind::ClauseRemoved;
        // with its closing mark, when that was left matched
        (added ? c.inserted : c.deleted) = tokenRangeText(v, s, std::min(u.last[u.of_token[s]], t + 1));
        if (added) {
          c.new_place = placeOf(v, s, t);
          c.old_place = placeOf(va_, e.a0, e.a0);
          placed.push_back({s, e.origin, std::move(c)});
        } else {
          c.old_place = placeOf(v, s, t);
          // The new version's place of a removed clause: the clause it followed (none: it opened the text).
          if (e.b0 > 0) c.new_place = placeOf(vb_, e.b0 - 1, e.b0);
          placed.push_back({e.b0, e.origin, std::move(c)});
        }
      }
      first = lo;
      last = std::max(lo, from_end);
    };
    if (e.inserts()) take(vb_, ub_, e.b0, e.b1, true);
    if (e.deletes()) take(va_, ua_, e.a0, e.a1, false);
  }

  // Clauses added or removed together (one edit of the alignment) are one change: "4. Definitions"
  // when they were all of it, else "4.2 … 4.3 Excluded Minutes".
  std::vector<VersionChange> joinWholeUnits(std::vector<Placed> placed) const {
    std::vector<VersionChange> out;
    std::vector<std::string> last_heading;  // of each change in out: the last clause joined into it
    size_t last_origin = SIZE_MAX;
    for (Placed& p : placed) {
      VersionChange& c = p.change;
      const bool whole = c.kind == ChangeKind::ClauseAdded || c.kind == ChangeKind::ClauseRemoved;
      if (whole && !out.empty() && out.back().kind == c.kind && last_origin == p.origin) {
        VersionChange& prev = out.back();
        const bool added = c.kind == ChangeKind::ClauseAdded;
        VersionPlace& where = added ? prev.new_place : prev.old_place;
        const VersionPlace& next = added ? c.new_place : c.old_place;
        (added ? prev.inserted : prev.deleted) += " " + (added ? c.inserted : c.deleted);
        last_heading.back() = next.heading;
        where.page_last = std::max(where.page_last, next.page_last);
        continue;
      }
      out.push_back(std::move(c));
      last_heading.push_back((out.back().kind == ChangeKind::ClauseAdded ? out.back().new_place : out.back().old_place).heading);
      last_origin = whole ? p.origin : SIZE_MAX;
    }
    for (size_t k = 0; k < out.size(); ++k) {
      VersionPlace& where = out[k].kind == ChangeKind::ClauseAdded ? out[k].new_place : out[k].old_place;
      const auto last_parts = ingest::splitHeadingPath(last_heading[k]);
      if (last_heading[k] == where.heading || last_parts.empty()) continue;  // a chunk without a heading adds none
      const std::string common = commonHeading(where.heading, last_heading[k]);
      const bool whole_parent = !common.empty() && ingest::splitHeadingPath(common).size() > 1;
      where.heading = whole_parent ? common : where.heading + " … " + last_parts.back();
    }
    return out;
  }

  const VersionText& va_;
  const VersionText& vb_;
  CompareLimits limits_;
  std::vector<uint64_t> ka_, kb_;
  Units ua_, ub_;
  const std::atomic<bool>* cancel_;
  const CompareProgressFn* progress_;
};

}  // namespace

std::string_view changeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::Replaced: return "replaced";
    case ChangeKind::Inserted: return "inserted";
    case ChangeKind::Deleted: return "deleted";
    case ChangeKind::ClauseAdded: return "clause added";
    case ChangeKind::ClauseRemoved: return "clause removed";
    case ChangeKind::Moved: return "moved";
  }
  return "changed";
}

VersionComparison compareVersions(const VersionText& old_version, const VersionText& new_version,
                                  const CompareLimits& limits) {
  return *Comparer(old_version, new_version, limits).run();
}

Result<VersionComparison> compareVersions(const VersionText& old_version, const VersionText& new_version,
                                          const std::atomic<bool>* cancel, const CompareProgressFn& progress,
                                          const CompareLimits& limits) {
  auto out = Comparer(old_version, new_version, limits, cancel, progress ? &progress : nullptr).run();
  if (!out) return cancelled("comparison cancelled");
  return std::move(*out);
}

}  // namespace folio::app
