#include "ingest/chunker.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/utf8_text.h"

namespace folio::ingest {
namespace {

struct ChunkerInfo {
  ChunkerId id;
  std::string_view name;  // stored in documents.chunker: never rename one
  int version;            // stored in documents.chunker_version
};

// BUMP A VERSION whenever that chunker's output changes for some input (other chunks, headings, spans
// or token counts): the next ordinary `folio ingest` then re-reads every document it made, so existing
// libraries get the new chunks without `--reread`. A change to classifyText can move Pdf/PlainText
// documents between legal, paper and generic: bump all three. A change to chunk_util.cpp (line
// splitting, token estimates) changes all four. Version 0 is what libraries stored before versions
// were recorded; never use it.
constexpr std::array<ChunkerInfo, 4> kChunkers{{
    {ChunkerId::Code, "code", 4},        // 2: a long line cut into parts that fit the target's tokens;
                                         // 3: Ruby, Lua, Tcl, Perl, shell, make, SQL, ... declarations;
                                         //    units over the target cut into even parts (chunk_util);
                                         // 4: PHP heredocs, '#' comments, inline HTML; Dart '''strings'''
    {ChunkerId::Legal, "legal", 5},      // 2: units over the target cut at sentence ends; clauses on long lines;
                                         // 3: units over the target cut into even parts; 4: "# Title"
                                         //    lines (unnumbered Word headings) open sections; 5: run-in
                                         //    titles in clause headings ("8.1 Liability Caps"), defined
                                         //    terms named, "Section 2.1 (Title);" references no heading;
                                         //    plain-English agreements classified legal (all three); US
                                         //    "Section 2.03 Title." clauses, "ARTICLE II" / "THE LOANS"
                                         //    titles; clause numbers as written ("2.03")
    {ChunkerId::Paper, "paper", 4},      // 2, 3: likewise; 4: classifyText
    {ChunkerId::Generic, "generic", 10},  // 2: likewise; 3: even parts; '#' comments in config text are
                                         //    not headings; packed chunks counted whole; 4: e-mail's
                                         //    attached files read and chunked as their own kinds;
                                         //    spreadsheet chunks name their columns; 5: spreadsheet
                                         //    rows are never cut (parts end at line ends), the header
                                         //    row found below title rows, none for values only;
                                         //    6: classifyText (plain-English agreements are legal);
                                         //    amounts as formatted ("USD 1,250", "1.3M") are no header;
                                         // 7: a mailbox's message after one ending in an attached file
                                         //    is its own, not that file's; the list of a message's files
                                         //    not read is headed by its message; 8: a file attached to
                                         //    an attached message (.eml, .msg, mailbox) is headed by
                                         //    the chain, and that message's text after it is its own;
                                         // 9: so is a file attached to a message attached inline
                                         //    (message/rfc822, Outlook's attached message), that
                                         //    message named by its subject, "Re: draft (message)"
                                         // 10: a sheet's charts ("### Chart: …" after its rows) are
                                         //    not headed by the sheet's column names
}};

constexpr bool indexedById() {
  for (size_t i = 0; i < kChunkers.size(); ++i) {
    if (static_cast<size_t>(kChunkers[i].id) != i) return false;
  }
  return true;
}
static_assert(indexedById(), "kChunkers is looked up by ChunkerId");

const ChunkerInfo& info(ChunkerId id) { return kChunkers[static_cast<size_t>(id)]; }

// The cells of a spreadsheet row as sheet_text writes it ("cell | cell | cell").
std::vector<std::string_view> rowCells(std::string_view row) {
  std::vector<std::string_view> cells;
  for (size_t pos = 0;;) {
    const size_t bar = row.find(" | ", pos);
    cells.push_back(row.substr(pos, bar == std::string_view::npos ? std::string_view::npos : bar - pos));
    if (bar == std::string_view::npos) return cells;
    pos = bar + 3;
  }
}

// A value rather than a name: a number, date, time, percentage or amount ("1,250.00", "2024-03-01",
// "12.5%", "$ 40", "(300)"), a boolean or an error value.
bool valueCell(std::string_view cell) {
  if (cell == "TRUE" || cell == "FALSE" || (!cell.empty() && cell.front() == '#')) return true;
  // An amount as its number format shows it: a currency code before or after it ("USD 1,250", "1,250
  // EUR"), a scale after it ("1.3M", "250K", "2.5bn").
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (cell.size() > 4 && upper(cell[0]) && upper(cell[1]) && upper(cell[2]) && cell[3] == ' ') cell.remove_prefix(4);
  const size_t n = cell.size();
  if (n > 4 && cell[n - 4] == ' ' && upper(cell[n - 3]) && upper(cell[n - 2]) && upper(cell[n - 1])) cell.remove_suffix(4);
  if (cell.ends_with("bn")) cell.remove_suffix(2);
  else if (!cell.empty() && std::string_view("KMB").find(cell.back()) != std::string_view::npos) cell.remove_suffix(1);
  bool digit = false;
  for (const char c : cell) {
    if (c >= '0' && c <= '9') digit = true;
    else if (std::string_view(".,-+%$:/ ()eETZ").find(c) == std::string_view::npos &&
             static_cast<unsigned char>(c) < 0x80)
      return false;
  }
  return digit;
}

struct RowShape {
  int filled = 0;     // cells not empty
  bool names = true;  // every filled cell a name (no value)
};

RowShape rowShape(std::string_view row) {
  RowShape shape;
  for (const std::string_view cell : rowCells(row)) {
    if (cell.find_first_not_of(' ') == std::string_view::npos) continue;
    ++shape.filled;
    if (valueCell(cell)) shape.names = false;
  }
  return shape;
}

// Which of a sheet's first rows names its columns: the first of the first kHeaderRows whose filled
// cells are all names and cover at least 60 % of the sheet's usual width (the most common count of
// filled cells in the rows after it) — below a title row ("Ledger FY2025") or a "Prepared by" line.
// None when no such row opens the sheet (a table of values only). `rows` are the sheet's first rows.
std::optional<size_t> headerRow(const std::vector<std::string_view>& rows) {
  constexpr size_t kHeaderRows = 10;
  std::vector<RowShape> shapes;
  for (const auto row : rows) shapes.push_back(rowShape(row));
  for (size_t i = 0; i < shapes.size() && i < kHeaderRows; ++i) {
    if (!shapes[i].names || shapes[i].filled < 2) continue;
    std::map<int, int> widths;
    for (size_t j = i + 1; j < shapes.size(); ++j) ++widths[shapes[j].filled];
    int usual = 0, seen = 0;
    for (const auto& [width, count] : widths)
      if (count >= seen) usual = width, seen = count;
    if (shapes[i].filled * 10 >= usual * 6) return i;
  }
  return std::nullopt;
}

// A spreadsheet's rows mean little without their columns' names: a chunk of rows below its sheet's
// header row (headerRow; xlsx_extract and the others write a sheet as "## Sheet: <name>" and its rows)
// gets that row as the last part of its heading path, which citations and the model's passages show.
void labelColumns(std::vector<Chunk>& chunks, const std::string& text) {
  constexpr std::string_view kSheet = "## Sheet: ";
  constexpr size_t kMaxLabel = 300;
  constexpr size_t kRowsLooked = 60;  // the header's candidates and the rows that give the usual width
  constexpr std::string_view kSubheading = "### ";  // a sheet's chart after its rows (sheet_text.h)
  struct Header {
    size_t sheet;  // where the sheet's heading line starts
    size_t end;    // where its header row ends
    std::string row;  // "" for none
    size_t charts = std::string::npos;  // where its first chart starts: what follows is no row of cells
  };
  std::vector<Header> headers;  // the sheets, in text order
  const std::string_view all(text);
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (text.compare(pos, kSheet.size(), kSheet) == 0 && nl < text.size()) {
      std::vector<std::string_view> rows;
      std::vector<size_t> ends;
      for (size_t r = nl + 1; r < text.size() && rows.size() < kRowsLooked;) {
        const size_t row_end = std::min(text.find('\n', r), text.size());
        const std::string_view row = all.substr(r, row_end - r);
        if (row.empty() || row.rfind(kSheet, 0) == 0) break;  // the sheet's end
        rows.push_back(row);
        ends.push_back(row_end);
        r = row_end + 1;
      }
      Header sheet{pos, nl, ""};  // every sheet, so that one without a header row ends the one before
      if (const auto h = headerRow(rows)) {
        sheet.row = std::string(rows[*h]);
        if (sheet.row.size() > kMaxLabel) sheet.row = sheet.row.substr(0, utf8Boundary(sheet.row, kMaxLabel)) + "…";
        sheet.end = ends[*h];
      }
      headers.push_back(std::move(sheet));
    } else if (!headers.empty() && headers.back().charts == std::string::npos &&
               text.compare(pos, kSubheading.size(), kSubheading) == 0) {
      headers.back().charts = pos;
    }
    pos = nl + 1;
  }
  for (Chunk& c : chunks) {
    // The sheet the chunk starts in, if the chunk starts after that sheet's header row.
    const auto at = static_cast<size_t>(c.byte_begin);
    const auto after = std::upper_bound(headers.begin(), headers.end(), at,
                                        [](size_t begin, const Header& h) { return begin < h.sheet; });
    if (after == headers.begin() || at < std::prev(after)->end || std::prev(after)->row.empty() ||
        at >= std::prev(after)->charts)
      continue;
    c.heading_path.push_back(std::prev(after)->row);
  }
}

}  // namespace

std::string_view chunkerName(ChunkerId id) { return info(id).name; }

int chunkerVersion(ChunkerId id) { return info(id).version; }

std::optional<ChunkerId> parseChunkerName(std::string_view name) {
  for (const ChunkerInfo& c : kChunkers) {
    if (c.name == name) return c.id;
  }
  return std::nullopt;
}

bool chunksOutdated(std::string_view name, int version) {
  const auto id = parseChunkerName(name);
  return !id || chunkerVersion(*id) != version;
}

ChunkerId chunkerFor(const ExtractedText& doc, const SourceType& type) {
  switch (type.kind) {
    case SourceKind::Code: return ChunkerId::Code;
    case SourceKind::Markdown:
    case SourceKind::Html:
    case SourceKind::Spreadsheet:
    case SourceKind::Presentation:
    case SourceKind::Email:
    case SourceKind::Archive: return ChunkerId::Generic;
    case SourceKind::Pdf:
    case SourceKind::Image:
    case SourceKind::Word:
    case SourceKind::PlainText:
    case SourceKind::Unknown:
      switch (classifyText(doc.text)) {
        case TextGenre::Legal: return ChunkerId::Legal;
        case TextGenre::Paper: return ChunkerId::Paper;
        case TextGenre::Generic: return ChunkerId::Generic;
      }
  }
  return ChunkerId::Generic;
}

std::vector<Chunk> chunkWith(ChunkerId chunker, const ExtractedText& doc, const SourceType& type,
                             const TokenCounter& tokens, const ChunkOptions& options) {
  switch (chunker) {
    case ChunkerId::Code: return chunkCode(doc, type.language, tokens, options);
    case ChunkerId::Legal: return chunkLegal(doc, tokens, options);
    case ChunkerId::Paper: return chunkPaper(doc, tokens, options);
    case ChunkerId::Generic: {
      if (type.kind == SourceKind::Email || type.kind == SourceKind::Archive) return chunkMessage(doc, tokens, options, type.kind);
      std::vector<Chunk> chunks = chunkGeneric(doc, tokens, options, type.kind);
      if (type.kind == SourceKind::Spreadsheet) labelColumns(chunks, doc.text);
      return chunks;
    }
  }
  return chunkGeneric(doc, tokens, options, type.kind);
}

std::vector<Chunk> chunkDocument(const ExtractedText& doc, const SourceType& type, const TokenCounter& tokens,
                                 const ChunkOptions& options) {
  return chunkWith(chunkerFor(doc, type), doc, type, tokens, options);
}

}  // namespace folio::ingest
