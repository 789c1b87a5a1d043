// A document's summary in a window of its own: the document summary and each section's summary with its
// heading and page or line span (the report `folio report --doc` exports), and Export to Markdown, HTML
// or PDF.
#pragma once

#include <QDialog>

#include "app/report/report.h"

class QLabel;
class QTextBrowser;

namespace folio::ui {

class SummaryWindow : public QDialog {
  Q_OBJECT

 public:
  // export_dir: where Export… proposes to write.
  SummaryWindow(app::Report report, const QString& export_dir, QWidget* parent = nullptr);

  QTextBrowser* view() const { return view_; }
  QLabel* status() const { return status_; }
  // Writes the summary to `path`, its format from the suffix (.md, .html, .pdf); says on the window what
  // was written or why not. True when written.
  bool exportTo(const QString& path);

 private:
  void chooseExport();

  app::Report report_;
  QString export_dir_;
  QTextBrowser* view_;
  QLabel* status_;
};

}  // namespace folio::ui
