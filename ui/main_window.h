// The main window: library on the left, reader in the middle, the ask panel on the right.
#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QTextBrowser;
class QLineEdit;

namespace folio::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

  QListWidget* libraryList() const { return library_; }
  QLabel* modeLabel() const { return mode_label_; }

 private:
  void buildMenus();
  void showAbout();

  QListWidget* library_ = nullptr;
  QTextBrowser* reader_ = nullptr;
  QLineEdit* question_ = nullptr;
  QTextBrowser* answer_ = nullptr;
  QLabel* mode_label_ = nullptr;
};

}  // namespace folio::ui
