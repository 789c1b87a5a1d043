// A one-line label that elides its text in the middle to the width it is given, so a long text (a path
// of thousands of characters) never widens the layout it sits in; the whole text is its tooltip.
#pragma once

#include <QLabel>

namespace folio::ui {

class ElidedLabel : public QLabel {
  Q_OBJECT

 public:
  explicit ElidedLabel(QWidget* parent = nullptr);

  void setFullText(const QString& text);
  QString fullText() const { return full_; }
  QSize minimumSizeHint() const override;
  QSize sizeHint() const override;

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void elide();

  QString full_;
};

}  // namespace folio::ui
