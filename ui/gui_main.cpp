#include "ui/gui_main.h"

#include <QApplication>

#include "ui/main_window.h"

namespace folio::ui {

int runGui(int argc, char** argv) {
  QApplication qapp(argc, argv);
  QApplication::setApplicationName("Folio");
  QApplication::setOrganizationName("Folio");
  QApplication::setApplicationVersion(FOLIO_VERSION);
  QApplication::setDesktopFileName("folio");
  MainWindow window;
  window.show();
  return QApplication::exec();
}

}  // namespace folio::ui
