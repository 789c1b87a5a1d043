#include "app/pipeline/timeline.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <unordered_map>

#include "app/pipeline/ask.h"
#include "app/pipeline/evidence.h"
#include "app/pipeline/extractive_sentences.h"

namespace folio::app {
namespace {

// An event as found, with the whole sentence behind its shortened text: duplicates are told apart
// and words matched on all of it.
struct Found {
  TimelineEvent event;
  std::string sentence;
};

// A message's header block: consecutive "Subject:", "From:", "To:", "Cc:", "Date:"/"Sent:" lines (as
// Folio's mail readers write a message's headers, and as a reply quotes the message before it under
// "-----Original Message-----", "> " markers allowed) holding a dated Date or Sent line and a Subject
// or From.
struct HeaderBlock {
  size_t begin = 0, end = 0;  // bytes of the block's lines in the chunk's text
  size_t date_offset = 0;     // where its Date line's date starts
  DateMention date;
  std::string subject, from;
  // The end of a block the chunker cut ("Date: …" opening a chunk that overlaps the one before, which
  // holds the whole block): read as headers, no event.
  bool cut = false;
};

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '>')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

enum class HeaderLabel { None, Subject, From, Other, Date };

// The header a line is ("Subject: …"), with its value.
HeaderLabel headerLine(std::string_view line, std::string_view& value) {
  static constexpr std::array<std::pair<std::string_view, HeaderLabel>, 8> kLabels = {{{"Subject:", HeaderLabel::Subject},
                                                                                       {"Re:", HeaderLabel::Subject},
                                                                                       {"From:", HeaderLabel::From},
                                                                                       {"To:", HeaderLabel::Other},
                                                                                       {"Cc:", HeaderLabel::Other},
                                                                                       {"Bcc:", HeaderLabel::Other},
                                                                                       {"Date:", HeaderLabel::Date},
                                                                                       {"Sent:", HeaderLabel::Date}}};
  line = trimmed(line);
  for (const auto& [label, kind] : kLabels)
    if (line.substr(0, label.size()) == label) {
      value = trimmed(line.substr(label.size()));
      return kind;
    }
  return HeaderLabel::None;
}

std::vector<HeaderBlock> headerBlocks(std::string_view text, const DateScanOptions& options) {
  std::vector<HeaderBlock> out;
  HeaderBlock block;
  bool open = false, dated = false, named = false;
  auto close = [&] {
    block.cut = open && dated && !named && block.begin == 0;
    if (open && dated && (named || block.cut)) out.push_back(std::move(block));
    block = {};
    open = dated = named = false;
  };
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view value;
    const HeaderLabel label = headerLine(text.substr(start, end - start), value);
    if (label == HeaderLabel::None) {
      close();
    } else {
      if (!open) block.begin = start;
      open = true;
      block.end = end;
      if (label == HeaderLabel::Subject && block.subject.empty()) {
        block.subject = std::string(value);
        named = true;
      } else if (label == HeaderLabel::From && block.from.empty()) {
        block.from = std::string(value);
        named = true;
      } else if (label == HeaderLabel::Date && !dated) {
        const auto dates = findDates(value, options);
        if (!dates.empty() && dates[0].precision == DatePrecision::Day) {
          block.date = dates[0];
          block.date_offset = static_cast<size_t>(value.data() - text.data()) + dates[0].begin;
          dated = true;
        }
      }
    }
    start = end + 1;
  }
  close();
  return out;
}

bool isUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// At most kTimelineSentenceBytes of `sentence` around its date [begin, end): cut at spaces, "…" where cut.
std::string around(std::string_view sentence, size_t begin, size_t end) {
  constexpr size_t kMax = kTimelineSentenceBytes;
  if (sentence.size() <= kMax) return std::string(sentence);
  const size_t room = kMax > end - begin ? kMax - (end - begin) : 0;
  size_t from = begin - std::min(begin, room / 2);
  size_t to = std::min(sentence.size(), from + kMax);
  if (to == sentence.size()) from = to > kMax ? to - kMax : 0;
  // Whole words: forward to the next space after a cut start, back to the last space before a cut end.
  if (from > 0) {
    const size_t space = sentence.find(' ', from);
    if (space != std::string_view::npos && space < begin) from = space + 1;
    while (from < sentence.size() && isUtf8Continuation(sentence[from])) ++from;
  }
  if (to < sentence.size()) {
    const size_t space = sentence.rfind(' ', to);
    if (space != std::string_view::npos && space >= end) to = space;
    while (to > from && isUtf8Continuation(sentence[to])) --to;
  }
  return std::string(from > 0 ? "… " : "") + std::string(sentence.substr(from, to - from)) +
         (to < sentence.size() ? " …" : "");
}

// What tells two events apart: their date and time and their words (letters and digits, lower case),
// so "> On March 5, 2024 …" quoted in a reply is the same as the line it quotes. A message by its
// subject and its time of day without the zone: a reply quoting it under "-----Original Message-----"
// names its sender otherwise ("Jane Roe" for "Jane Roe <jane@acme.example>") and its time without a zone.
std::string eventKey(const TimelineEvent& e, std::string_view sentence) {
  const std::string_view said = e.message ? std::string_view(e.text) : sentence;
  const std::string time = e.message ? e.time.substr(0, 5) : e.time;
  std::string words;
  words.reserve(said.size());
  for (char c : said) {
    if (c >= 'A' && c <= 'Z') words += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) words += c;
  }
  char hash[24];
  std::snprintf(hash, sizeof hash, "%016zx", std::hash<std::string>{}(words));
  return e.date + "|" + time + (e.message ? "|m|" : "|s|") + hash;
}

// The place narrowed to the line of `offset` in the chunk's text, where the chunk lies on one page
// (a PDF's lines count within their page).
TimelinePlace placeAt(const TimelinePlace& chunk, std::string_view text, size_t offset) {
  TimelinePlace p = chunk;
  if (chunk.page_first != chunk.page_last || chunk.line_first <= 0) return p;
  const int line = chunk.line_first + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
  if (line <= chunk.line_last) p.line_first = p.line_last = line;
  return p;
}

bool endsWith(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

// A reply's quoted text read as the text it quotes: its "> " markers blanked (a quoted blank line
// ends a paragraph, so the quoted sentences split as they did in the message quoted), and the
// attribution line "On Tue, Mar 5, 2024 at 2:30 PM, Jane Roe wrote:" (also wrapped over two lines)
// blanked — it dates the quoted message, an event of its own, not something that happened. Lengths
// and line breaks stay, so offsets and lines hold.
void unquote(std::string& text) {
  std::vector<std::pair<size_t, size_t>> lines;  // [begin, end) of each line
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back({start, end});
    size_t k = start;
    while (k < end && (text[k] == ' ' || text[k] == '\t' || text[k] == '>')) {
      if (text[k] == '>') text[k] = ' ';
      ++k;
    }
    start = end + 1;
  }
  auto blank = [&](size_t i) {
    for (size_t k = lines[i].first; k < lines[i].second; ++k) text[k] = ' ';
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = trimmed(std::string_view(text).substr(lines[i].first, lines[i].second - lines[i].first));
    if (line.substr(0, 3) != "On ") continue;
    if (endsWith(line, "wrote:")) {
      blank(i);
    } else if (i + 1 < lines.size()) {
      const std::string_view next =
          trimmed(std::string_view(text).substr(lines[i + 1].first, lines[i + 1].second - lines[i + 1].first));
      if (endsWith(next, "wrote:")) {
        blank(i);
        blank(i + 1);
      }
    }
  }
}

// Table rows as Folio writes them ("cell | cell": spreadsheets, Word tables) marked as table rows, so
// that each row is a unit of its own (summarySentences) rather than run together with the next rows.
std::string rowsMarked(const std::string& text) {
  if (text.find(" | ") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 64);
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(start, end - start);
    const size_t first = line.find_first_not_of(" \t");
    if (line.find(" | ") != std::string_view::npos && first != std::string_view::npos && line[first] != '|') out += "| ";
    out.append(line);
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

std::vector<Found> findEvents(std::string_view text, const TimelinePlace& place, const DateScanOptions& scan) {
  std::vector<Found> out;
  std::vector<DateMention> raw = findDates(text, scan);
  if (raw.empty()) return out;
  const std::vector<HeaderBlock> blocks = headerBlocks(text, scan);
  // In a message, a day written without a year ("we sign on March 8") is read in the year of the
  // message's date, the first header block's (a quoted message is days older, rarely a year).
  DateScanOptions options = scan;
  for (const auto& b : blocks)
    if (!b.cut) {
      options.reference_year = b.date.year;
      options.reference_month = b.date.month;
      options.reference_day = b.date.day;
      raw = findDates(text, options);
      break;
    }
  for (const auto& b : blocks) {
    if (b.cut) continue;
    Found f;
    f.event.date = b.date.iso();
    f.event.precision = b.date.precision;
    f.event.time = b.date.time();
    f.event.message = true;
    f.event.text = b.subject.empty() ? "(no subject)" : b.subject;
    f.event.from = b.from;
    f.event.places.push_back(placeAt(place, text, b.date_offset));
    f.sentence = b.subject + " " + b.from;
    out.push_back(std::move(f));
  }
  // The dates outside the header blocks, read in the text's sentences with the headers blanked out.
  std::erase_if(raw, [&](const DateMention& m) {
    return std::any_of(blocks.begin(), blocks.end(), [&](const HeaderBlock& b) { return m.begin >= b.begin && m.begin < b.end; });
  });
  if (raw.empty()) return out;
  std::string body(text);
  for (const auto& b : blocks)
    for (size_t k = b.begin; k < b.end; ++k)
      if (body[k] != '\n') body[k] = ' ';
  unquote(body);
  size_t cursor = 0;  // the next raw mention a sentence's date may be
  for (const Sentence& s : summarySentences(rowsMarked(body))) {
    for (const DateMention& m : findDates(s.text, options)) {
      Found f;
      f.event.date = m.iso();
      f.event.precision = m.precision;
      f.event.year_inferred = m.year_inferred;
      f.event.time = m.time();
      f.event.text = around(s.text, m.begin, m.end);
      f.sentence = s.text;
      // Its line: the same date among the next raw mentions (the sentence's whitespace is collapsed
      // and its markup gone, so offsets differ but the order holds).
      TimelinePlace at = place;
      for (size_t k = cursor; k < raw.size() && k < cursor + 64; ++k)
        if (raw[k].year == m.year && raw[k].month == m.month && raw[k].day == m.day) {
          at = placeAt(place, text, raw[k].begin);
          cursor = k + 1;
          break;
        }
      f.event.places.push_back(std::move(at));
      out.push_back(std::move(f));
    }
  }
  return out;
}

// The first and last day an event's date covers, as yyyymmdd.
std::pair<int, int> dayRange(const TimelineEvent& e) {
  int y = 0, m = 0, d = 0;
  if (!parseIsoDate(e.date, y, m, d, true)) return {0, 0};
  const int base = y * 10000 + m * 100;
  return d ? std::pair{base + d, base + d} : std::pair{base + 1, base + daysInMonth(y, m)};
}

Result<int> optionDay(const std::optional<std::string>& iso, const char* name) {
  if (!iso) return 0;
  int y = 0, m = 0, d = 0;
  if (!parseIsoDate(*iso, y, m, d)) return badInput(std::string(name) + ": \"" + *iso + "\" is not a date (YYYY-MM-DD)");
  return y * 10000 + m * 100 + d;
}

}  // namespace

std::vector<TimelineEvent> chunkEvents(std::string_view text, const TimelinePlace& place, const DateScanOptions& options) {
  std::vector<TimelineEvent> out;
  for (auto& f : findEvents(text, place, options)) out.push_back(std::move(f.event));
  return out;
}

Result<Timeline> buildTimeline(ingest::Library& lib, const TimelineOptions& options, const TimelineProgressFn& progress,
                               const std::atomic<bool>* cancel) {
  auto from = optionDay(options.from, "from");
  if (!from) return from.error();
  auto to = optionDay(options.to, "to");
  if (!to) return to.error();
  if (*from && *to && *from > *to) return badInput("from " + *options.from + " is after to " + *options.to);
  auto scope = resolveScope(lib, options.collection, options.document_ids);
  if (!scope) return scope.error();
  std::vector<std::string> word_keys;
  for (const auto& w : distinctRankingWords(options.words)) word_keys.push_back(coverageKey(w));
  const DateScanOptions scan{options.day_first};
  // One chunk row at a time: a mail store of 20,000 messages is one document.
  auto select = lib.db().prepare(
      "SELECT id, heading, page_first, page_last, line_first, line_last, text FROM chunks "
      "WHERE document_id = ?1 AND ordinal >= 0 ORDER BY ordinal");
  if (!select) return select.error();
  Timeline out;
  std::unordered_map<std::string, size_t> by_key;  // eventKey -> index in out.events
  // Per event, where it was last counted: chunks overlap by a few lines, and a sentence in the overlap
  // is one place, not two.
  struct Counted {
    int64_t chunk_id = 0, document_id = 0;
    int page = 0, line_first = 0, line_last = 0;
    bool same(const TimelinePlace& p) const {
      return chunk_id == p.chunk_id || (document_id == p.document_id && page == p.page_first &&
                                        line_first == p.line_first && line_last == p.line_last);
    }
  };
  std::vector<Counted> last_counted;
  const auto total = static_cast<int64_t>(scope->documents.size());
  out.documents_in_scope = total;
  auto keep = [&](const Found& f) {
    if (*from || *to) {
      const auto [first, last] = dayRange(f.event);
      if ((*from && last < *from) || (*to && first > *to)) return false;
    }
    if (word_keys.empty()) return true;
    const auto keys = coverageKeys(f.sentence + " " + f.event.text + " " + f.event.places[0].heading + " " + f.event.from);
    return std::all_of(word_keys.begin(), word_keys.end(), [&](const std::string& k) { return keys.count(k) > 0; });
  };
  for (const auto& doc : scope->documents) {
    select->reset();
    select->bind(1, doc.id);
    for (;;) {
      if (cancel && cancel->load()) {
        out.stopped = true;
        break;
      }
      auto row = select->step();
      if (!row) return row.error();
      if (!*row) break;
      TimelinePlace place;
      place.document_id = doc.id;
      place.chunk_id = select->columnInt64(0);
      place.path = doc.rel_path;
      place.heading = select->columnText(1);
      place.page_first = select->columnInt(2);
      place.page_last = select->columnInt(3);
      place.line_first = select->columnInt(4);
      place.line_last = select->columnInt(5);
      for (auto& f : findEvents(select->columnTextView(6), place, scan)) {
        ++out.mentions;
        if (!keep(f)) continue;
        const std::string key = eventKey(f.event, f.sentence);
        auto [it, added] = by_key.try_emplace(key, out.events.size());
        const TimelinePlace& at = f.event.places[0];
        const Counted counted{at.chunk_id, at.document_id, at.page_first, at.line_first, at.line_last};
        if (added) {
          f.event.occurrences = 1;
          out.events.push_back(std::move(f.event));
          last_counted.push_back(counted);
          continue;
        }
        TimelineEvent& e = out.events[it->second];
        if (last_counted[it->second].same(at)) continue;  // twice in one chunk, or in an overlap: one place
        last_counted[it->second] = counted;
        ++e.occurrences;
        if (e.places.size() < kMaxTimelinePlaces) e.places.push_back(std::move(f.event.places[0]));
      }
    }
    if (out.stopped) break;  // the document cut short is not counted as read (its events found are kept)
    ++out.documents;
    if (progress) progress(out.documents, total);
  }
  std::stable_sort(out.events.begin(), out.events.end(), [](const TimelineEvent& a, const TimelineEvent& b) {
    if (a.date != b.date) return a.date < b.date;  // "2024-03" before "2024-03-01"
    if (a.time != b.time) return a.time < b.time;
    if (a.places[0].path != b.places[0].path) return a.places[0].path < b.places[0].path;
    return a.places[0].chunk_id < b.places[0].chunk_id;
  });
  return out;
}

}  // namespace folio::app
