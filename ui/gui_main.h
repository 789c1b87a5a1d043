// Entry point of the desktop application.
#pragma once

namespace folio::ui {

// Creates the QApplication and the main window and runs the event loop; returns its exit code.
int runGui(int argc, char** argv);

}  // namespace folio::ui
