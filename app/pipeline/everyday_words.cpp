#include "app/pipeline/everyday_words.h"

#include <algorithm>
#include <cctype>

#include "app/pipeline/extractive_summarizer.h"

namespace folio::app {
namespace {

// What people say → the contract words it stands for, in plain English legal drafting. Phrases are words
// separated by spaces; in a contract word, '*' ends a stem and what follows it completes the word a
// search asks for ("terminat*ion": terminate, terminated, termination). A word of the left side that is
// one of the contract words itself is found as it is and needs no entry.
struct Entry {
  std::string_view says;
  std::string_view means;
};
constexpr Entry kEntries[] = {
    {"end, ends, ended, ending, is over, are over, be over, quit, quits, cancel, cancels, cancelled, canceled, "
     "cancelling, get out, walk away, pull out, back out, call off, kick out",
     "terminat*ion, expir*ation"},
    {"stop, stops, stopped, stopping, halt, cut off, shut off, block, blocked", "suspen*sion, terminat*ion, injunct*ion, equitable relief"},
    {"last, lasts, lasting, how long, in force, in effect", "term, expir*ation, renew*al, durat*ion"},
    {"owns, owned, owner, owners, belong, belongs, belonged", "owner*ship, retain*s, proprietary"},
    {"keep, keeps, kept, keeping, hold on to", "retain*s, retent*ion, owner*ship"},
    {"promise, promises, promised, guarantee, guarantees, guaranteed, assure, assures, assured, stand behind",
     "warrant*y, represent*s"},
    {"properly, proper, correctly, well done, good quality", "competent, professional*, workmanlike"},
    {"money back, pay back, repay, repaid, compensate, compensated, compensation", "refund*, credit*s, reimburs*ement, remed*y"},
    // "t work" is what "doesn't work", "won't work" leave once the apostrophe splits them.
    {"not work, t work, stops working, broken, faulty, buggy, bugs, glitches, malfunction, malfunctions",
     "defect*ive, warrant*y, nonconform*ity, remed*y, error*s"},
    {"sue, sues, sued, suing, lawsuit, lawsuits, litigate, litigation, take to court",
     "court*s, jurisdict*ion, venue, proceeding*s"},
    {"court, courts, judge, judges", "jurisdict*ion, venue"},
    {"secret, secrets, private", "confidential*"},
    {"leak, leaks, leaked, leaking, reveal, reveals, revealed, revealing, share, shares, shared, sharing, hand over, "
     "pass on, hand, pass, give away",
     "disclos*ure"},
    {"tell, tells, told, inform, informs, informed, warn, warns, let know, let us know", "notif*y, notice*, disclos*ure"},
    {"patient, patients, medical, health", "phi, protected health information"},
    {"staff, employees, employee, people, workers, worker, hire, hired, hires",
     "independent contractor*s, personnel, employ*ee"},
    {"ship, ships, shipped, shipping, abroad, overseas, other countries, another country, foreign, move, moves, moved, "
     "moving, relocate",
     "export*s, offshor*ing, international, transfer*s"},
    {"advertising, advertise, advertisement, advertisements, ads, publicity, promote, promotes, promotion, "
     "promotional, press release",
     "marketing, logo*s, publicity"},
    {"bankrupt, bankruptcy, insolvent, out of business, goes under, go under, shut down, shuts down, goes bust, "
     "go bust, wound up, winds up",
     "insolven*cy, bankrupt*cy, dissol*ves, receiver*ship, liquidat*ion"},
    {"break, breaks, broke, violate, violates, violated, violation, disobey", "breach*es, violat*ion"},
    {"rules, rule", "restrict*ions, polic*y"},
    {"on the hook, responsible, responsibility, blame, answerable, accountable, pay for", "liab*ility, indemnif*y"},
    {"another company, other company, other companies, outside company, vendor, vendors, supplier, suppliers, "
     "outsource, outsourced, outsourcing",
     "subcontract*or, third part*y"},
    {"show, shows, check, checks, checked, review, reviews, reviewed, vet, sign off, ok, okay, permission",
     "approv*al, inspect*ion, consent*"},
    {"price, prices, pricing, cost, costs, charge, charges, charged, pay, pays, paying, bill, bills, billed, billing, "
     "free, free of charge",
     "fee*s, invoic*e, payment*s"},
    {"lie, lies, lied, lying, mislead, misled, misleading, misrepresent", "represent*ation, warrant*y, fraud*"},
    {"hack, hacked, hacker, hackers, hacking, cyberattack, attack, stolen, theft, data leak",
     "security incident*s, security breach*es, unauthori*zed access, breach*es"},
    {"fix, fixes, fixing, repair, repairs, repaired, patch, patches", "remed*y, correct*ion, repair*, support"},
    {"erase, erased, wipe, wiped, shred, get rid of, throw away", "delet*ion, destr*uction"},
    {"sell, sells, sold, selling, buyer, buyers, acquire, acquires, acquired, merge, merges, merged, taken over, "
     "takeover",
     "assign*ment, change of control, merger, acquisition, successor*s"},
    {"late, behind on", "overdue, past due"},
    {"extend, extends, extended, extension, roll over, rolls over", "renew*al"},
    {"accurate, accuracy, correct, errors, mistakes, wrong, reliable", "accura*cy, error*s, warrant*y, disclaim*er, as is"},
    {"train on, learn from, teach", "train*ing, machine learning"},
};

std::vector<std::string_view> splitList(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::vector<std::string> splitWords(std::string_view phrase) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < phrase.size()) {
    size_t space = phrase.find(' ', start);
    if (space == std::string_view::npos) space = phrase.size();
    if (space > start) out.emplace_back(phrase.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

ContractTerm parseTerm(std::string_view text) {
  ContractTerm t;
  for (auto& part : splitWords(text)) {
    const size_t star = part.find('*');
    if (!t.search.empty()) t.search += ' ';
    if (star == std::string::npos) {
      t.search += part;
      t.parts.push_back(std::move(part));
    } else {
      t.search += part.substr(0, star) + part.substr(star + 1);
      t.parts.push_back(part.substr(0, star + 1));
    }
  }
  if (t.parts.size() > 1) t.search = "\"" + t.search + "\"";
  return t;
}

bool partMatches(const std::string& part, const std::string& word) {
  if (part.back() == '*') return word.compare(0, part.size() - 1, part, 0, part.size() - 1) == 0;
  return word == part;
}

// Where `phrase` starts in `words`, or npos.
size_t findPhrase(const std::vector<std::string>& phrase, const std::vector<std::string>& words) {
  if (phrase.empty() || words.size() < phrase.size()) return std::string::npos;
  for (size_t i = 0; i + phrase.size() <= words.size(); ++i) {
    size_t k = 0;
    while (k < phrase.size() && partMatches(phrase[k], words[i + k])) ++k;
    if (k == phrase.size()) return i;
  }
  return std::string::npos;
}

}  // namespace

std::vector<std::string> wordsInOrder(std::string_view text) {
  std::vector<std::string> out;
  std::string w;
  for (size_t i = 0; i <= text.size(); ++i) {
    // A right single quote (U+2019) splits a word as an apostrophe does: "doesn’t" → "doesn", "t".
    const bool quote = i + 2 < text.size() && text.compare(i, 3, "\xE2\x80\x99") == 0;
    if (i < text.size() && !quote && isWordByte(text[i])) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
      continue;
    }
    if (!w.empty()) out.push_back(std::move(w));
    w.clear();
    if (quote) i += 2;
  }
  return out;
}

bool holdsTerm(const ContractTerm& term, const std::vector<std::string>& words) {
  return findPhrase(term.parts, words) != std::string::npos;
}

std::vector<EverydayMeaning> everydayMeanings(std::string_view question, const std::vector<std::string>& ranking_words) {
  const std::vector<std::string> asked = wordsInOrder(question);
  std::vector<EverydayMeaning> out;
  for (const Entry& e : kEntries) {
    EverydayMeaning m;
    for (std::string_view says : splitList(e.says)) {
      const std::vector<std::string> phrase = splitWords(says);
      if (findPhrase(phrase, asked) == std::string::npos) continue;
      std::vector<size_t> indexes;
      for (const auto& w : phrase) {
        const auto it = std::find(ranking_words.begin(), ranking_words.end(), w);
        if (it != ranking_words.end()) indexes.push_back(static_cast<size_t>(it - ranking_words.begin()));
      }
      if (phrase.size() == 1 && indexes.empty()) continue;  // a stop word
      // A phrase stands for the terms whatever a passage holds of its words; a word only where the
      // passage does not hold it, so the first phrase found wins over words.
      if (!m.says.empty() && (m.phrase || phrase.size() == 1)) continue;
      m.says = std::string(says);
      m.phrase = phrase.size() > 1;
      m.words = std::move(indexes);
    }
    if (m.says.empty()) continue;
    for (std::string_view term : splitList(e.means)) m.terms.push_back(parseTerm(term));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace folio::app
