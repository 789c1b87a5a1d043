// The export dialog: what (the answer on screen, or every answer of a collection as a session), the
// format (Markdown, HTML, PDF) and the file. The export itself runs on the AskService's worker.
#pragma once

#include <QDialog>

#include "app/report/report_render.h"

class QComboBox;
class QLineEdit;
class QRadioButton;

namespace folio::ui {

class ExportDialog : public QDialog {
  Q_OBJECT

 public:
  // answer_id 0: no answer on screen (only a session can be exported). session: the collection.
  ExportDialog(qint64 answer_id, const QString& session, const QString& format, const QString& dir,
               QWidget* parent = nullptr);

  bool exportSession() const;
  app::ReportFormat format() const;
  QString formatName() const;  // "md", "html", "pdf"
  QString path() const;
  void setPath(const QString& path);
  void setFormatName(const QString& name);

 private:
  void updateSuffix();

  QRadioButton* answer_;
  QRadioButton* session_;
  QComboBox* format_;
  QLineEdit* path_;
};

}  // namespace folio::ui
