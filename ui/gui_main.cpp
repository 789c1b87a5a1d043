#include "ui/gui_main.h"

#include <QApplication>
#include <QIcon>
#include <filesystem>

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
  // Read from argv (QApplication has taken its own options out), not arguments(): a QString would lose
  // the bytes of a name that is not UTF-8.
  std::vector<std::filesystem::path> paths;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    const std::filesystem::path p(argv[i]);
    if (argv[i][0] != '-' && std::filesystem::exists(p, ec)) paths.push_back(std::filesystem::absolute(p, ec));
  }
  MainWindow window;
  window.show();
  if (!paths.empty()) window.addPaths(paths);
  return QApplication::exec();
}

}  // namespace folio::ui
