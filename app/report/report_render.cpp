#include "app/report/report_render.h"

#include <QBuffer>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "app/report/heatmap.h"
#include "engine/common/file_io.h"

namespace folio::app {
namespace {

std::string num(double v, const char* f = "%.1f") {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\t': case '\n': case '\r': out += c; break;
      default:
        // C0 controls and DEL are not allowed in HTML (a model can emit any byte token): U+FFFD instead.
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += "\xEF\xBF\xBD";
        else out += c;
    }
  }
  return out;
}

// Text as HTML paragraphs: blank lines separate paragraphs, single newlines become <br>.
std::string paragraphs(std::string_view text) {
  std::string out = "<p>";
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
      out += "</p>\n<p>";
      while (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "<br>";
    } else {
      out += esc(text.substr(i, 1));
    }
  }
  return out + "</p>\n";
}

// Markdown block quote of text (every line prefixed).
std::string quoteMd(std::string_view text) {
  std::string out = "> ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "> ";
  }
  return out + "\n";
}

// A Markdown fenced code block of text: the fence is longer than any run of backticks inside it.
std::string fenceMd(std::string_view text) {
  size_t longest = 0;
  for (size_t i = 0, run = 0; i < text.size(); ++i) {
    run = text[i] == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + "\n" + std::string(text) + "\n" + fence + "\n";
}

std::string quoteMd(const ReportSource& src) { return src.verbatim ? fenceMd(src.quote) : quoteMd(src.quote); }

std::string mdCell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

const char* kBudgetHeader[] = {"stage", "engine", "calls", "reused", "prompt", "reused prefix", "thinking", "answer",
                               "time (ms)", "tokens/s"};

std::vector<std::string> budgetCells(const ReportBudgetRow& b) {
  return {b.stage, b.engine, std::to_string(b.calls), std::to_string(b.reused), std::to_string(b.prompt_tokens),
          std::to_string(b.reused_prefix_tokens), std::to_string(b.thinking_tokens), std::to_string(b.answer_tokens),
          num(b.elapsed_ms), num(b.tokens_per_s)};
}

std::string sourceLine(const ReportSource& s) {
  std::string out = s.marker + " " + s.path;
  if (!s.heading.empty()) out += " › " + s.heading;
  if (!s.span.empty()) out += " (" + s.span + ")";
  return out;
}

// Markdown has no markup for an insertion: **bold** stands for it beside ~~struck~~ deletions.
std::string changeMd(const ReportChange& c) {
  auto mdText = [](std::string_view t) {
    std::string out;
    for (const char ch : t) {
      if (ch == '*' || ch == '~' || ch == '_' || ch == '[' || ch == ']' || ch == '`' || ch == '\\') out += '\\';
      out += ch;
    }
    return out;
  };
  std::string md = "- **" + mdText(c.where) + "** — " + mdText(c.what) + "\n\n  ";
  if (!c.before.empty()) md += "… " + mdText(c.before);
  if (!c.deleted.empty()) md += "~~" + mdText(c.deleted) + "~~";
  if (!c.deleted.empty() && !c.inserted.empty()) md += " ";
  if (!c.inserted.empty()) md += "**" + mdText(c.inserted) + "**";
  if (!c.after.empty()) md += mdText(c.after) + " …";
  return md + "\n\n";
}

// Inline styles, not classes: the PDF is laid out by QTextDocument, which reads those.
std::string changeHtml(const ReportChange& c) {
  std::string h = "<p><b>" + esc(c.where) + "</b> — " + esc(c.what) + "<br>";
  if (!c.before.empty()) h += "… " + esc(c.before);
  if (!c.deleted.empty()) h += "<span style=\"color:#b00020;text-decoration:line-through\">" + esc(c.deleted) + "</span>";
  if (!c.deleted.empty() && !c.inserted.empty()) h += " ";
  if (!c.inserted.empty()) h += "<span style=\"color:#0b57d0;text-decoration:underline\">" + esc(c.inserted) + "</span>";
  if (!c.after.empty()) h += esc(c.after) + " …";
  return h + "</p>\n";
}

std::string tableMd(const ReportTable& t) {
  std::string md = "|";
  for (const auto& h : t.header) md += " " + mdCell(h) + " |";
  md += "\n|";
  for (size_t k = 0; k < t.header.size(); ++k) md += "---|";
  md += "\n";
  for (const auto& row : t.rows) {
    md += "|";
    for (const auto& c : row) md += " " + mdCell(c.text) + (c.note.empty() ? "" : "<br>*" + mdCell(c.note) + "*") + " |";
    md += "\n";
  }
  return md + "\n";
}

std::string tableHtml(const ReportTable& t) {
  std::string h = "<table>\n<tr>";
  for (const auto& c : t.header) h += "<th>" + esc(c) + "</th>";
  h += "</tr>\n";
  for (const auto& row : t.rows) {
    h += "<tr>";
    for (const auto& c : row) {
      h += "<td style=\"vertical-align:top\">" + esc(c.text);
      if (!c.note.empty()) h += "<br><span style=\"color:#666;font-size:small\">" + esc(c.note) + "</span>";
      h += "</td>";
    }
    h += "</tr>\n";
  }
  return h + "</table>\n";
}

// "-12.5", "+3", "1e6": a number a spreadsheet reads as one, not a formula.
bool looksNumeric(std::string_view v) {
  if (v.empty()) return false;
  char* end = nullptr;
  const std::string s(v);
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// RFC 4180. A cell beginning with =, +, -, @ (or a tab or carriage return) is text of an untrusted
// document that Excel or LibreOffice would run as a formula ("=HYPERLINK(…)"): it gets a leading
// apostrophe, as OWASP advises; numbers keep their sign.
std::string csvField(std::string_view v) {
  std::string out(v);
  if (!out.empty() && std::string_view("=+-@\t\r").find(out[0]) != std::string_view::npos && !looksNumeric(out))
    out.insert(0, "'");
  if (out.find_first_of(",\"\r\n") == std::string::npos && (out.empty() || (out.front() != ' ' && out.back() != ' ')))
    return out;
  std::string q = "\"";
  for (char c : out) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace

Result<std::string> renderCsv(const Report& r) {
  std::vector<const ReportTable*> tables;
  for (const auto& s : r.sections)
    for (const auto& t : s.tables) tables.push_back(&t);
  if (tables.empty()) return badInput("\"" + r.title + "\" has no table to write as CSV: export it as md, html or pdf");
  for (const auto* t : tables)
    if (t->header != tables.front()->header)
      return badInput("\"" + r.title + "\" holds tables of different columns: CSV holds one");
  // A column whose cells have notes gets a column of its own for them, after it.
  const auto& header = tables.front()->header;
  std::vector<bool> noted(header.size(), false);
  for (const auto* t : tables)
    for (const auto& row : t->rows)
      for (size_t k = 0; k < row.size() && k < header.size(); ++k) noted[k] = noted[k] || !row[k].note.empty();
  std::string csv = "\xEF\xBB\xBF";  // a byte-order mark: Excel reads the file as UTF-8 only with one
  const auto line = [&csv](const std::vector<std::string>& cells) {
    for (size_t k = 0; k < cells.size(); ++k) csv += (k ? "," : "") + csvField(cells[k]);
    csv += "\r\n";
  };
  const auto& note_headers = tables.front()->note_headers;
  std::vector<std::string> cells;
  for (size_t k = 0; k < header.size(); ++k) {
    cells.push_back(header[k]);
    if (!noted[k]) continue;
    cells.push_back(k < note_headers.size() && !note_headers[k].empty() ? note_headers[k] : header[k] + " (where)");
  }
  line(cells);
  for (const auto* t : tables)
    for (const auto& row : t->rows) {
      cells.clear();
      for (size_t k = 0; k < header.size(); ++k) {
        cells.push_back(k < row.size() ? row[k].text : std::string());
        if (noted[k]) cells.push_back(k < row.size() ? row[k].note : std::string());
      }
      line(cells);
    }
  return csv;
}

Result<ReportFormat> parseReportFormat(std::string_view name) {
  if (name == "md" || name == "markdown") return ReportFormat::Markdown;
  if (name == "html") return ReportFormat::Html;
  if (name == "pdf") return ReportFormat::Pdf;
  if (name == "csv") return ReportFormat::Csv;
  return badInput("report format \"" + std::string(name) + "\": expected md, html, pdf or csv");
}

std::string renderMarkdown(const Report& r, const std::map<size_t, std::string>& images) {
  std::string md = "# " + r.title + "\n\n";
  if (!r.subtitle.empty()) md += "_" + r.subtitle + "_\n\n";
  for (size_t i = 0; i < r.sections.size(); ++i) {
    const auto& s = r.sections[i];
    md += "## " + s.heading + "\n\n**" + s.label + "**\n\n" + s.body + "\n\n";
    for (const auto& c : s.changes) md += changeMd(c);
    for (const auto& t : s.tables) md += tableMd(t);
    if (!s.thinking.empty()) md += "<details><summary>Thinking</summary>\n\n" + quoteMd(s.thinking) + "\n</details>\n\n";
    if (!s.sources.empty()) {
      md += "### Sources\n\n";
      for (const auto& src : s.sources) md += "- **" + sourceLine(src) + "**\n\n" + quoteMd(src) + "\n";
    }
    if (!s.dropped.empty()) {
      md += "Citations that point to no source (dropped):";
      for (const auto& d : s.dropped) md += " " + d;
      md += "\n\n";
    }
    if (!s.facts.empty()) {
      md += "### Plan\n\n| | |\n|---|---|\n";
      for (const auto& [k, v] : s.facts) md += "| " + mdCell(k) + " | " + mdCell(v) + " |\n";
      md += "\n";
    }
    if (!s.budgets.empty()) {
      md += "### Budgets\n\n|";
      for (const char* h : kBudgetHeader) md += std::string(" ") + h + " |";
      md += "\n|";
      for (size_t k = 0; k < std::size(kBudgetHeader); ++k) md += "---|";
      md += "\n";
      for (const auto& b : s.budgets) {
        md += "|";
        for (const auto& c : budgetCells(b)) md += " " + mdCell(c) + " |";
        md += "\n";
      }
      md += "\n";
    }
    if (auto it = images.find(i); it != images.end()) md += "### Expert routing\n\n![Expert routing heatmap](" + it->second + ")\n\n";
  }
  return md;
}

std::string renderHtml(const Report& r, const std::map<size_t, std::string>& images) {
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(r.title) +
                  "</title>\n<style>body{font-family:sans-serif;max-width:" + std::string(r.wide ? "none" : "60em") +
                  ";margin:2em auto;line-height:1.4}"
                  "blockquote{color:#333;border-left:3px solid #ccc;margin:0.4em 0;padding-left:0.8em}"
                  "pre{white-space:pre-wrap;font-size:0.9em}"
                  "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}"
                  ".label{font-weight:bold;color:#444}</style></head>\n<body>\n<h1>" +
                  esc(r.title) + "</h1>\n";
  if (!r.subtitle.empty()) h += "<p><i>" + esc(r.subtitle) + "</i></p>\n";
  for (size_t i = 0; i < r.sections.size(); ++i) {
    const auto& s = r.sections[i];
    h += "<h2>" + esc(s.heading) + "</h2>\n<p class=\"label\">" + esc(s.label) + "</p>\n" + paragraphs(s.body);
    for (const auto& c : s.changes) h += changeHtml(c);
    for (const auto& t : s.tables) h += tableHtml(t);
    if (!s.thinking.empty()) h += "<h3>Thinking</h3>\n<blockquote>" + paragraphs(s.thinking) + "</blockquote>\n";
    if (!s.sources.empty()) {
      h += "<h3>Sources</h3>\n";
      for (const auto& src : s.sources)
        h += "<p><b>" + esc(sourceLine(src)) + "</b></p>\n<blockquote>" +
             (src.verbatim ? "<pre>" + esc(src.quote) + "</pre>" : paragraphs(src.quote)) + "</blockquote>\n";
    }
    if (!s.dropped.empty()) {
      h += "<p>Citations that point to no source (dropped):";
      for (const auto& d : s.dropped) h += " " + esc(d);
      h += "</p>\n";
    }
    if (!s.facts.empty()) {
      h += "<h3>Plan</h3>\n<table>\n";
      for (const auto& [k, v] : s.facts) h += "<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>\n";
      h += "</table>\n";
    }
    if (!s.budgets.empty()) {
      h += "<h3>Budgets</h3>\n<table>\n<tr>";
      for (const char* c : kBudgetHeader) h += std::string("<th>") + c + "</th>";
      h += "</tr>\n";
      for (const auto& b : s.budgets) {
        h += "<tr>";
        for (const auto& c : budgetCells(b)) h += "<td>" + esc(c) + "</td>";
        h += "</tr>\n";
      }
      h += "</table>\n";
    }
    if (auto it = images.find(i); it != images.end())
      h += "<h3>Expert routing</h3>\n<p><img src=\"" + esc(it->second) + "\" alt=\"Expert routing heatmap\"></p>\n";
  }
  return h + "</body></html>\n";
}

QByteArray renderPdf(const Report& r) {
  QTextDocument doc;
  std::map<size_t, std::string> refs;
  for (size_t i = 0; i < r.sections.size(); ++i) {
    const QImage img = renderRoutingHeatmap(r.sections[i].routing);
    if (img.isNull()) continue;
    const std::string name = "folio-routing-" + std::to_string(i) + ".png";
    doc.addResource(QTextDocument::ImageResource, QUrl(QString::fromStdString(name)), QVariant(img));
    refs[i] = name;
  }
  doc.setHtml(QString::fromStdString(renderHtml(r, refs)));
  QByteArray bytes;
  QBuffer buf(&bytes);
  buf.open(QIODevice::WriteOnly);
  {
    QPdfWriter pdf(&buf);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    if (r.wide) pdf.setPageOrientation(QPageLayout::Landscape);
    pdf.setResolution(96);
    pdf.setTitle(QString::fromStdString(r.title));
    pdf.setCreator("Folio");
    doc.setPageSize(QSizeF(pdf.width(), pdf.height()));
    doc.print(&pdf);
  }
  buf.close();
  return bytes;
}

FileWriter atomicFileWriter() {
  return [](const std::filesystem::path& p, std::string_view bytes) { return writeFileAtomic(p, bytes); };
}

Result<std::vector<std::filesystem::path>> exportReport(const Report& r, ReportFormat format,
                                                        const std::filesystem::path& out, const FileWriter& writer) {
  // Said before anything is rendered, in words about the target: the writer's own error would name
  // the hidden temporary file it could not create.
  std::error_code ec;
  const std::filesystem::path dir = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir, ec))
    return ioError(out.string() + ": the folder " + dir.string() + " does not exist");
  if (std::filesystem::is_directory(out, ec)) return ioError(out.string() + ": is a folder; give a file name to export to");
  std::vector<std::filesystem::path> written;
  const auto undo = [&written](const Error& e) -> Error {
    std::error_code ec;
    for (const auto& p : written) std::filesystem::remove(p, ec);
    return e;
  };
  std::map<size_t, std::string> refs;
  switch (format) {
    case ReportFormat::Markdown: {
      for (size_t i = 0; i < r.sections.size(); ++i) {
        const QImage img = renderRoutingHeatmap(r.sections[i].routing);
        if (img.isNull()) continue;
        const std::string name = out.stem().string() + "-routing-" + std::to_string(i + 1) + ".png";
        const auto path = out.parent_path() / name;
        const QByteArray png = pngBytes(img);
        if (auto s = writer(path, std::string_view(png.constData(), static_cast<size_t>(png.size()))); !s)
          return undo(s.error());
        written.push_back(path);
        refs[i] = name;
      }
      if (auto s = writer(out, renderMarkdown(r, refs)); !s) return undo(s.error());
      break;
    }
    case ReportFormat::Html: {
      for (size_t i = 0; i < r.sections.size(); ++i) {
        const QImage img = renderRoutingHeatmap(r.sections[i].routing);
        if (!img.isNull()) refs[i] = "data:image/png;base64," + pngBytes(img).toBase64().toStdString();
      }
      if (auto s = writer(out, renderHtml(r, refs)); !s) return undo(s.error());
      break;
    }
    case ReportFormat::Csv: {
      auto csv = renderCsv(r);
      if (!csv) return csv.error();
      if (auto s = writer(out, *csv); !s) return undo(s.error());
      break;
    }
    case ReportFormat::Pdf: {
      const QByteArray pdf = renderPdf(r);
      if (pdf.isEmpty()) return ioError(out.string() + ": the PDF writer produced nothing");
      if (auto s = writer(out, std::string_view(pdf.constData(), static_cast<size_t>(pdf.size()))); !s)
        return undo(s.error());
      break;
    }
  }
  written.push_back(out);
  return written;
}

}  // namespace folio::app
