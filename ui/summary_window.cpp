#include "ui/summary_window.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "app/report/report_render.h"
#include "ui/report_file.h"

namespace folio::ui {

SummaryWindow::SummaryWindow(app::Report report, const QString& export_dir, QWidget* parent)
    : QDialog(parent), report_(std::move(report)), export_dir_(export_dir) {
  setObjectName("summaryWindow");
  setWindowTitle(QString::fromStdString(report_.title));
  view_ = new QTextBrowser;
  view_->setObjectName("summaryView");
  view_->setHtml(QString::fromStdString(app::renderHtml(report_, {})));
  status_ = new QLabel;
  status_->setObjectName("summaryStatus");
  status_->setWordWrap(true);
  status_->setTextFormat(Qt::PlainText);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  QPushButton* exp = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
  exp->setObjectName("exportSummaryButton");
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(view_, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
  connect(exp, &QPushButton::clicked, this, &SummaryWindow::chooseExport);
  resize(760, 640);
}

void SummaryWindow::chooseExport() {
  QString name = QString::fromStdString(report_.title).replace('/', '_').replace(' ', '_') + ".pdf";
  const QString dir = export_dir_.isEmpty() ? QDir::homePath() : export_dir_;
  const QString path = chooseReportFile(this, tr("Export the summary"), QDir(dir).filePath(name));
  if (!path.isEmpty()) exportTo(path);
}

bool SummaryWindow::exportTo(const QString& path) {
  const ReportFileWritten written = writeReportFile(report_, path);
  status_->setText(written.message);
  return written.ok;
}

}  // namespace folio::ui
