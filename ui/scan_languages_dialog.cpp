#include "ui/scan_languages_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

#include "ingest/ocr_languages.h"

namespace folio::ui {

ScanLanguagesDialog::ScanLanguagesDialog(const QString& collection, const QString& current,
                                         const QStringList& installed, QWidget* parent)
    : QDialog(parent), list_(new QListWidget(this)) {
  setWindowTitle(tr("Scan languages"));
  auto* layout = new QVBoxLayout(this);
  auto* note = new QLabel(
      tr("Scanned pages of the collection <b>%1</b> are read by OCR in the languages checked, the first as the "
         "main one (drag to reorder). Changing them reads its scanned documents again. A language not "
         "listed needs its package, e.g. <tt>tesseract-ocr-deu</tt>.")
          .arg(collection.toHtmlEscaped()),
      this);
  note->setWordWrap(true);
  layout->addWidget(note);
  const QStringList chosen = current.isEmpty() ? QStringList{"eng"} : current.split('+', Qt::SkipEmptyParts);
  QStringList order;
  for (const QString& l : chosen)
    if (!order.contains(l)) order << l;  // the collection's, also one whose data is gone (shown, unchecked)
  for (const QString& l : installed)
    if (!order.contains(l) && l != "osd") order << l;  // osd: orientation data, not a language
  for (const QString& l : order) {
    auto* item = new QListWidgetItem(l, list_);
    const bool present = installed.contains(l);
    item->setFlags(present ? (item->flags() | Qt::ItemIsUserCheckable) & ~Qt::ItemIsDropEnabled
                           : Qt::ItemIsSelectable);
    item->setCheckState(present && chosen.contains(l) ? Qt::Checked : Qt::Unchecked);
    if (!present)
      item->setToolTip(tr("not installed: the package %1").arg(QString::fromStdString(ingest::ocrLanguagePackage(l.toStdString()))));
  }
  list_->setDragDropMode(QAbstractItemView::InternalMove);
  layout->addWidget(list_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
}

QString ScanLanguagesDialog::languages() const {
  QStringList checked;
  for (int i = 0; i < list_->count(); ++i)
    if (list_->item(i)->checkState() == Qt::Checked) checked << list_->item(i)->text();
  const QString joined = checked.join('+');
  return joined == "eng" ? QString() : joined;
}

}  // namespace folio::ui
