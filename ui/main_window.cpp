#include "ui/main_window.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace folio::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("Folio");
  setObjectName("FolioMainWindow");
  resize(1280, 800);

  library_ = new QListWidget;
  library_->setObjectName("libraryList");
  reader_ = new QTextBrowser;
  reader_->setObjectName("reader");
  reader_->setPlaceholderText(tr("Select a document in the library to read it here."));

  auto* ask_panel = new QWidget;
  auto* ask_layout = new QVBoxLayout(ask_panel);
  question_ = new QLineEdit;
  question_->setObjectName("questionEdit");
  question_->setPlaceholderText(tr("Ask a question about the library…"));
  answer_ = new QTextBrowser;
  answer_->setObjectName("answerView");
  ask_layout->addWidget(question_);
  ask_layout->addWidget(answer_, 1);

  auto* splitter = new QSplitter;
  splitter->addWidget(library_);
  splitter->addWidget(reader_);
  splitter->addWidget(ask_panel);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 3);
  splitter->setStretchFactor(2, 2);
  setCentralWidget(splitter);

  mode_label_ = new QLabel(tr("Extractive mode: no model loaded"));
  mode_label_->setObjectName("modeLabel");
  statusBar()->addPermanentWidget(mode_label_);
  buildMenus();
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
  quit->setShortcut(QKeySequence::Quit);
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Folio"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Folio"),
                     tr("<b>Folio %1</b><p>Long-document analysis with a local MiniMax-M1-class engine.</p>")
                         .arg(QApplication::applicationVersion()));
}

}  // namespace folio::ui
