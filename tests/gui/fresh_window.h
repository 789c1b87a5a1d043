// Options for a main window on a fresh library in a temporary directory, reading and writing none of
// the user's settings: what most GUI tests open.
#pragma once

#include <QTemporaryDir>
#include <filesystem>

#include "ui/main_window.h"

namespace folio::test {

inline ui::MainWindowOptions optionsIn(const QTemporaryDir& tmp) {
  ui::MainWindowOptions o;
  o.library = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
  o.remember = false;
  return o;
}

}  // namespace folio::test
