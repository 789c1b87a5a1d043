#include "ingest/rtf/rtf_extract.h"

#include <cctype>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ingest/charset.h"
#include "ingest/office/text_blocks.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::rtf {
namespace {

constexpr size_t kMaxDepth = 512;  // deeper groups are read as text of the deepest one

// What the characters of a group become.
enum class Destination { Body, Skip, Title, Author, Footnote, StyleSheet, StyleName, ListLabel };

// Character and paragraph properties are scoped by groups: "{\\listtext\\pard 1.\\tab}" resets the
// paragraph's properties only inside its group.
struct GroupState {
  Destination destination = Destination::Body;
  int unicode_skip = 1;   // \ucN: fallback characters after each \uN
  bool hidden = false;    // \v
  int outline = -1;       // \outlinelevelN
  bool in_table = false;  // \intbl
};

// Groups whose text is no part of the document's text.
bool skippedDestination(std::string_view word) {
  static constexpr std::string_view kSkipped[] = {
      "fonttbl",   "colortbl", "pict",      "object",    "themedata", "colorschememapping",
      "latentstyles", "datastore", "xmlnstbl", "listtable", "listoverridetable", "rsidtbl", "generator",
      "header",    "footer",   "headerl",    "headerr",   "headerf",   "footerl",   "footerr",
      "footerf",   "fldinst",  "annotation", "atnid",     "atnauthor", "atndate",   "atnref",
      "bkmkstart", "bkmkend",  "info",       "filetbl",   "revtbl",    "pgdsctbl",  "nonshppict",
      "shpinst",   "template", "operator",   "company",   "subject",   "keywords",  "comment",
      "doccomm",   "creatim",  "revtim",     "printim",   "buptim",    "userprops", "wgrffmtfilter",
      "mmathPr",   "docvar",   "ftnsep",     "ftnsepc",   "aftnsep",   "aftnsepc",  "panose",
      "falt",      "fontemb",  "fontfile",   "xe",        "tc",        "sp",        "sn",
      "sv"};
  for (std::string_view s : kSkipped)
    if (word == s) return true;
  return false;
}

std::string codePoint(uint32_t cp) {
  std::string out;
  appendCodePoint(out, cp);
  return out;
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  ExtractedText run() {
    groups_.push_back(GroupState{});
    while (pos_ < in_.size()) step();
    flushBytes();
    endParagraph();
    if (row_open_) {
      if (cell_open_) blocks_.endCell();
      blocks_.endRow();
    }
    for (auto& note : notes_) note = trimmed(std::move(note));
    blocks_.addNotes(notes_);
    ExtractedText out = blocks_.render();
    out.title = trimmed(title_);
    out.author = trimmed(author_);
    return out;
  }

 private:
  void step() {
    const char c = in_[pos_];
    if (c == '{') {
      ++pos_;
      flushBytes();
      groups_.push_back(groups_.back());
      if (groups_.size() > kMaxDepth) groups_.pop_back();  // bounded: text of the deepest group
      if (groups_.back().destination == Destination::StyleSheet) {  // a style's definition
        groups_.back().destination = Destination::StyleName;
        style_number_ = 0;
        style_name_.clear();
        style_outline_ = -1;
      }
      return;
    }
    if (c == '}') {
      ++pos_;
      flushBytes();
      if (groups_.size() > 1) {
        const Destination leaving = groups_.back().destination;
        groups_.pop_back();
        if (leaving == Destination::StyleName && groups_.back().destination == Destination::StyleSheet) endStyle();
        if (leaving == Destination::Footnote && groups_.back().destination != Destination::Footnote) note_ = -1;
      }
      return;
    }
    if (c == '\\') return control();
    if (c == '\r' || c == '\n') {
      ++pos_;
      return;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {  // a byte of the code page, written raw
      ++pos_;
      return codePageByte(c);
    }
    if (skip_fallback_ > 0) {  // the ASCII stand-in after a \uN
      ++pos_;
      --skip_fallback_;
      return;
    }
    // A run of plain characters at once.
    size_t end = pos_;
    while (end < in_.size() && in_[end] != '{' && in_[end] != '}' && in_[end] != '\\' && in_[end] != '\r' &&
           in_[end] != '\n' && static_cast<unsigned char>(in_[end]) < 0x80) {
      ++end;
    }
    const std::string_view run = in_.substr(pos_, end - pos_);
    pos_ = end;
    text(run);
  }

  void codePageByte(char byte) {
    if (skip_fallback_ > 0) {
      --skip_fallback_;
      return;
    }
    if (!skipping()) pending_bytes_ += byte;
  }

  void control() {
    ++pos_;  // the backslash
    if (pos_ >= in_.size()) return;
    const char c = in_[pos_];
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      ++pos_;
      switch (c) {
        case '\\': case '{': case '}': return text(std::string_view(&in_[pos_ - 1], 1));
        case '~': return text(" ");
        case '_': return text("-");
        case '-': return;
        case '*': star_ = true; return;
        case '\'': {
          if (pos_ + 2 <= in_.size() && std::isxdigit(static_cast<unsigned char>(in_[pos_])) &&
              std::isxdigit(static_cast<unsigned char>(in_[pos_ + 1]))) {
            const char byte = static_cast<char>(std::stoi(std::string(in_.substr(pos_, 2)), nullptr, 16));
            pos_ += 2;
            codePageByte(byte);
          }
          return;
        }
        case '\n': case '\r': return paragraph();  // "\<newline>" is \par
        default: return;
      }
    }
    size_t end = pos_;
    while (end < in_.size() && end - pos_ < 32 && std::isalpha(static_cast<unsigned char>(in_[end]))) ++end;
    const std::string_view word = in_.substr(pos_, end - pos_);
    pos_ = end;
    bool has_param = false;
    long param = 0;
    bool negative = false;
    if (pos_ < in_.size() && in_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    size_t digits = 0;
    while (pos_ < in_.size() && std::isdigit(static_cast<unsigned char>(in_[pos_])) && digits < 10) {
      param = param * 10 + (in_[pos_] - '0');
      ++pos_;
      ++digits;
      has_param = true;
    }
    if (negative) param = -param;
    if (pos_ < in_.size() && in_[pos_] == ' ') ++pos_;  // the delimiter space is no text
    word_(word, has_param, param);
  }

  void word_(std::string_view w, bool has_param, long param) {
    GroupState& g = groups_.back();
    const bool star = star_;
    star_ = false;
    flushBytes();
    if (skip_fallback_ > 0) skip_fallback_ = 0;  // a control word ends the stand-in
    // Destinations
    if (w == "title" && inInfo()) return setDestination(Destination::Title);
    if (w == "author" && inInfo()) return setDestination(Destination::Author);
    if (w == "info") {
      info_depth_ = groups_.size();
      g.destination = Destination::Skip;
      return;
    }
    if (w == "stylesheet") {
      g.destination = Destination::StyleSheet;
      return;
    }
    if (g.destination == Destination::StyleName) {  // inside a style's definition
      if (w == "s" && has_param) style_number_ = param;
      else if (w == "outlinelevel" && has_param) style_outline_ = static_cast<int>(param);
      else if (skippedDestination(w) || star) g.destination = Destination::Skip;
      return;
    }
    if (w == "s" && has_param) {  // a paragraph style: its outline level, until \outlinelevel says otherwise
      const auto it = style_outlines_.find(param);
      if (it != style_outlines_.end()) g.outline = it->second;
      return;
    }
    if (w == "footnote") {
      notes_.emplace_back();
      note_ = static_cast<int>(notes_.size()) - 1;
      if (!skipping()) paragraph_ += "[" + std::to_string(notes_.size()) + "]";
      g.destination = Destination::Footnote;
      return;
    }
    if (skippedDestination(w)) {
      g.destination = Destination::Skip;
      return;
    }
    if (w == "listtext" || w == "pntext") {  // the list number Word shows before the paragraph
      if (g.destination == Destination::Body) g.destination = Destination::ListLabel;
      return;
    }
    if (star) {
      g.destination = Destination::Skip;  // an unknown destination \*\word: its reader may skip it
      return;
    }
    if (w == "ansicpg" && has_param) code_page_ = windowsCodePage(static_cast<int>(param));
    else if (w == "uc" && has_param) g.unicode_skip = static_cast<int>(std::max(0L, std::min(param, 8L)));
    else if (w == "u" && has_param) {
      uint32_t cp = static_cast<uint32_t>(param < 0 ? param + 65536 : param);
      if (cp >= 0xF000 && cp <= 0xF0FF) cp = 0x2022;  // Symbol and Wingdings glyphs: list bullets mostly
      if (!skipping()) text(codePoint(cp));
      skip_fallback_ = g.unicode_skip;
    } else if (w == "v") g.hidden = !has_param || param != 0;
    else if (w == "par" || w == "sect") paragraph();
    else if (w == "pard") {
      g.outline = -1;
      g.in_table = false;
    } else if (w == "intbl") g.in_table = true;
    else if (w == "outlinelevel" && has_param) g.outline = param >= 0 && param < 9 ? static_cast<int>(param) : -1;
    else if (w == "line") text("\n");
    else if (w == "tab") text("\t");
    else if (w == "cell") cell();
    else if (w == "row") row();
    else if (w == "page") {
      if (!skipping() && note_ < 0) page_breaks_.push_back(paragraph_.size());
    } else if (w == "emdash") text("\xE2\x80\x94");
    else if (w == "endash") text("\xE2\x80\x93");
    else if (w == "bullet") text("\xE2\x80\xA2");
    else if (w == "lquote") text("\xE2\x80\x98");
    else if (w == "rquote") text("\xE2\x80\x99");
    else if (w == "ldblquote") text("\xE2\x80\x9C");
    else if (w == "rdblquote") text("\xE2\x80\x9D");
    else if (w == "emspace" || w == "enspace" || w == "qmspace") text(" ");
  }

  bool inInfo() const { return info_depth_ > 0 && groups_.size() > info_depth_; }
  void setDestination(Destination d) { groups_.back().destination = d; }

  bool skipping() const {
    const GroupState& g = groups_.back();
    return g.hidden || g.destination == Destination::Skip;
  }

  // Bytes of \'hh escapes wait here so that a multi-byte character of the code page converts whole.
  void flushBytes() {
    if (pending_bytes_.empty()) return;
    const std::string bytes = std::move(pending_bytes_);
    pending_bytes_.clear();
    append(toUtf8(bytes, code_page_));
  }

  void text(std::string_view s) {
    flushBytes();
    if (skipping()) return;
    std::string valid;
    appendValidUtf8(valid, s);
    append(valid);
  }

  void append(const std::string& s) {
    const GroupState& g = groups_.back();
    if (g.hidden) return;
    switch (g.destination) {
      case Destination::Body: paragraph_ += s; break;
      case Destination::Title: title_ += s; break;
      case Destination::Author: author_ += s; break;
      case Destination::Footnote:
        if (note_ >= 0) notes_[static_cast<size_t>(note_)] += s;
        break;
      case Destination::StyleName: style_name_ += s; break;
      case Destination::ListLabel: label_ += s; break;
      case Destination::Skip:
      case Destination::StyleSheet: break;
    }
  }

  // A style's definition ends: a heading style ("heading 2", or one with \outlinelevel) gives its
  // paragraphs that outline level.
  void endStyle() {
    std::string name = style_name_.substr(0, style_name_.find(';'));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    name = trimmed(name);
    int level = style_outline_;
    if (level < 0 && name.size() == 9 && name.rfind("heading ", 0) == 0 && name[8] >= '1' && name[8] <= '9') level = name[8] - '1';
    if (level >= 0 && level < 9) style_outlines_[style_number_] = level;
  }

  void paragraph() {
    flushBytes();
    const GroupState& g = groups_.back();
    if (g.destination == Destination::Footnote) {
      if (note_ >= 0 && !notes_[static_cast<size_t>(note_)].empty()) notes_[static_cast<size_t>(note_)] += ' ';
      return;
    }
    if (g.destination != Destination::Body) return;
    endParagraph(g.outline, g.in_table);
  }

  void endParagraph(int outline = -1, bool in_table = false) {
    if (in_table && !(paragraph_.empty() && label_.empty())) openCell();
    office::ParagraphText p;
    p.label = trimmed(label_);  // "1.1\t" -> "1.1", written with a space as in Word files
    while (!p.label.empty() && p.label.back() == '\t') p.label.pop_back();
    label_.clear();
    p.text = std::move(paragraph_);
    p.page_breaks = std::move(page_breaks_);
    p.heading = outline;
    paragraph_.clear();
    page_breaks_.clear();
    if (p.text.empty() && p.label.empty() && p.page_breaks.empty()) return;
    blocks_.addParagraph(p);
  }

  void openCell() {
    if (!row_open_) {
      blocks_.beginRow();
      row_open_ = true;
    }
    if (!cell_open_) {
      blocks_.beginCell();
      cell_open_ = true;
    }
  }

  void cell() {
    flushBytes();
    openCell();
    endParagraph(groups_.back().outline, true);
    blocks_.endCell();
    cell_open_ = false;
  }

  void row() {
    flushBytes();
    if (!paragraph_.empty()) cell();
    if (row_open_) {
      if (cell_open_) blocks_.endCell();
      blocks_.endRow();
    }
    row_open_ = cell_open_ = false;
  }

  static std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.pop_back();
    size_t lead = 0;
    while (lead < s.size() && (s[lead] == ' ' || s[lead] == '\t')) ++lead;
    return s.substr(lead);
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::vector<GroupState> groups_;
  bool star_ = false;
  int skip_fallback_ = 0;
  size_t info_depth_ = 0;
  std::string code_page_ = "CP1252";
  std::string pending_bytes_;
  std::string paragraph_;
  std::string label_;  // the paragraph's list number (\listtext)
  std::vector<size_t> page_breaks_;
  bool row_open_ = false, cell_open_ = false;
  std::map<long, int> style_outlines_;  // paragraph style number -> outline level
  long style_number_ = 0;
  std::string style_name_;
  int style_outline_ = -1;
  std::string title_, author_;
  std::vector<std::string> notes_;
  int note_ = -1;  // the footnote being read
  office::TextBlocks blocks_;
};

}  // namespace

ExtractedText extractRtf(std::string_view bytes) { return Reader(bytes).run(); }

}  // namespace folio::ingest::rtf
