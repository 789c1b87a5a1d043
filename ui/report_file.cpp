#include "ui/report_file.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QObject>

#include "app/report/report_render.h"

namespace folio::ui {

QString chooseReportFile(QWidget* parent, const QString& title, const QString& proposed) {
  return QFileDialog::getSaveFileName(parent, title, proposed, QObject::tr("PDF (*.pdf);;HTML (*.html);;Markdown (*.md)"));
}

QString chooseTableFile(QWidget* parent, const QString& title, const QString& proposed) {
  QString selected;
  QString path = QFileDialog::getSaveFileName(parent, title, proposed,
                                              QObject::tr("CSV (*.csv);;PDF (*.pdf);;HTML (*.html);;Markdown (*.md)"), &selected);
  if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty()) {
    const qsizetype star = selected.indexOf("*.");
    if (star >= 0) path += selected.mid(star + 1, selected.indexOf(')', star) - star - 1);
  }
  return path;
}

QString tableFileProblem(const QString& path) {
  if (QStringList{"csv", "pdf", "html", "md"}.contains(QFileInfo(path).suffix().toLower())) return {};
  return QObject::tr("%1: name the file .csv, .pdf, .html or .md").arg(path);
}

ReportFileWritten writeReportFile(const app::Report& report, const QString& path) {
  auto format = app::parseReportFormat(QFileInfo(path).suffix().toLower().toStdString());
  if (!format) return {false, QObject::tr("%1: name the file .md, .html or .pdf").arg(path)};
  auto files = app::exportReport(report, *format, path.toStdString());
  if (!files) return {false, QString::fromStdString(files.error().message)};
  return {true, QObject::tr("Exported %1").arg(QString::fromStdString(files->back().string()))};
}

}  // namespace folio::ui
