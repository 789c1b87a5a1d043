#include "ui/gui_main.h"

#include <QApplication>
#include <QFileInfo>
#include <QIcon>
#include <QStringList>

#include "ui/main_window.h"

namespace folio::ui {

int runGui(int argc, char** argv) {
  QApplication qapp(argc, argv);
  QApplication::setApplicationName("Folio");
  QApplication::setOrganizationName("Folio");
  QApplication::setApplicationVersion(FOLIO_VERSION);
  // The desktop entry, icon and AppStream id share this name (packaging/), so Wayland matches the window.
  QApplication::setDesktopFileName("io.github.folio.Folio");
  QApplication::setWindowIcon(QIcon::fromTheme("io.github.folio.Folio"));
  // `folio FILE...` (the desktop entry): the existing paths among the arguments are added to the library.
  QStringList paths;
  const QStringList args = QApplication::arguments();
  for (int i = 1; i < args.size(); ++i)
    if (!args[i].startsWith('-') && QFileInfo::exists(args[i])) paths << QFileInfo(args[i]).absoluteFilePath();
  MainWindow window;
  window.show();
  if (!paths.isEmpty()) window.addPaths(paths);
  return QApplication::exec();
}

}  // namespace folio::ui
