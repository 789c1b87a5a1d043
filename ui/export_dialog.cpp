#include "ui/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace folio::ui {

ExportDialog::ExportDialog(qint64 answer_id, const QString& session, const QString& format, const QString& dir,
                           QWidget* parent)
    : QDialog(parent) {
  setObjectName("exportDialog");
  setWindowTitle(tr("Export a report"));
  answer_ = new QRadioButton(tr("The answer on screen"));
  answer_->setObjectName("exportAnswer");
  answer_->setEnabled(answer_id > 0);
  session_ = new QRadioButton(session.isEmpty() ? tr("Session (needs a collection in the scope)")
                                                : tr("Every answer of the session \"%1\"").arg(session));
  session_->setObjectName("exportSession");
  session_->setEnabled(!session.isEmpty());
  (answer_id > 0 ? answer_ : session_)->setChecked(true);
  format_ = new QComboBox;
  format_->setObjectName("exportFormat");
  format_->addItem(tr("PDF"), "pdf");
  format_->addItem(tr("HTML"), "html");
  format_->addItem(tr("Markdown"), "md");
  path_ = new QLineEdit;
  path_->setObjectName("exportPath");
  const QString base = QDir(dir.isEmpty() ? QDir::homePath() : dir)
                           .filePath(answer_id > 0 ? QString("folio-answer-%1").arg(answer_id) : QString("folio-session"));
  path_->setText(base + ".pdf");
  auto* browse = new QPushButton(tr("Browse…"));
  auto* row = new QHBoxLayout;
  row->addWidget(path_, 1);
  row->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(tr("Export"), answer_);
  form->addRow(QString(), session_);
  form->addRow(tr("Format"), format_);
  form->addRow(tr("File"), row);
  auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  box->button(QDialogButtonBox::Ok)->setText(tr("Export"));
  // Neither an answer on screen nor a collection in the scope: nothing to export (the session line says
  // what is needed).
  box->button(QDialogButtonBox::Ok)->setEnabled(answer_id > 0 || !session.isEmpty());
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(box);
  connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSuffix);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString p = QFileDialog::getSaveFileName(this, tr("Export to"), path_->text());
    if (!p.isEmpty()) path_->setText(p);
  });
  setFormatName(format);
}

bool ExportDialog::exportSession() const { return session_->isChecked(); }

QString ExportDialog::formatName() const { return format_->currentData().toString(); }

app::ReportFormat ExportDialog::format() const {
  const QString f = formatName();
  return f == "md" ? app::ReportFormat::Markdown : f == "html" ? app::ReportFormat::Html : app::ReportFormat::Pdf;
}

QString ExportDialog::path() const { return path_->text().trimmed(); }
void ExportDialog::setPath(const QString& path) { path_->setText(path); }

void ExportDialog::setFormatName(const QString& name) {
  const int i = format_->findData(name);
  format_->setCurrentIndex(i >= 0 ? i : 0);
  updateSuffix();
}

void ExportDialog::updateSuffix() {
  const QFileInfo fi(path_->text());
  if (fi.fileName().isEmpty()) return;
  path_->setText(fi.dir().filePath(fi.completeBaseName() + "." + formatName()));
}

}  // namespace folio::ui
