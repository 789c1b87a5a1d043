// Rendering a Report as Markdown, HTML, PDF or (its tables) CSV, and exporting it atomically.
//
// Markdown references each routing heatmap as a sibling PNG (<stem>-routing-<k>.png, written next to
// the .md); HTML embeds them as PNG data URIs; the PDF is the HTML laid out by QTextDocument with the
// images as document resources, printed by QPdfWriter into memory. Every file goes through the
// writer (writeFileAtomic: temporary file + rename), and when any write fails the files this export
// already wrote are removed, so an interrupted export leaves no partial output.
#pragma once

#include <QByteArray>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "app/report/report.h"
#include "engine/common/result.h"

namespace folio::app {

enum class ReportFormat { Markdown, Html, Pdf, Csv };
Result<ReportFormat> parseReportFormat(std::string_view name);  // md|markdown, html, pdf, csv

// image_refs: section index -> the image's reference (file name or data URI); sections without one
// get no image.
std::string renderMarkdown(const Report& report, const std::map<size_t, std::string>& image_refs);
std::string renderHtml(const Report& report, const std::map<size_t, std::string>& image_refs);
// The report's tables as one CSV (RFC 4180, UTF-8 with a byte-order mark, CRLF), a cell's note in a
// column of its own after its column; BadInput when the report has no table or tables of different
// columns.
Result<std::string> renderCsv(const Report& report);
// Needs a QGuiApplication (EnsureGuiApp).
QByteArray renderPdf(const Report& report);

using FileWriter = std::function<Status(const std::filesystem::path&, std::string_view)>;
FileWriter atomicFileWriter();  // folio::writeFileAtomic

// Needs a QGuiApplication. Returns the files written (the report last).
Result<std::vector<std::filesystem::path>> exportReport(const Report& report, ReportFormat format,
                                                        const std::filesystem::path& out,
                                                        const FileWriter& writer = atomicFileWriter());

}  // namespace folio::app
