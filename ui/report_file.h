// Exporting a report shown in a window of its own (a summary, a comparison): the save dialog offering
// PDF, HTML and Markdown, and the export itself with the line the window shows after it.
#pragma once

#include <QString>

#include "app/report/report.h"

class QWidget;

namespace folio::ui {

// The file chosen in a save dialog that proposes `proposed` (a .pdf); "" when none was.
QString chooseReportFile(QWidget* parent, const QString& title, const QString& proposed);
// The same for a report that is a table (a review, a timeline): CSV offered first, then PDF, HTML and
// Markdown; a name given without a suffix takes the chosen filter's.
QString chooseTableFile(QWidget* parent, const QString& title, const QString& proposed);
// Why a table cannot be written to `path` ("…: name the file .csv, .pdf, .html or .md"), or "".
QString tableFileProblem(const QString& path);

struct ReportFileWritten {
  bool ok = false;
  QString message;  // "Exported /x/y.pdf", or why not (a suffix other than .md, .html, .pdf; the write's error)
};
// Writes `report` to `path` in the format its suffix names (app::exportReport).
ReportFileWritten writeReportFile(const app::Report& report, const QString& path);

}  // namespace folio::ui
