#include "app/cli/export_args.h"

#include <iostream>

#include "app/cli/exit_codes.h"
#include "app/report/gui_app.h"
#include "app/report/report_render.h"

namespace folio::cli {

bool parseExportArgs(const std::string& format, const std::string& out, const char* me,
                     std::optional<app::ReportFormat>& parsed) {
  if (format.empty() != out.empty()) {
    std::cerr << me << "--format and --out go together\n";
    return false;
  }
  if (format.empty()) return true;
  auto f = app::parseReportFormat(format);
  if (!f) {
    std::cerr << me << f.error().message << "\n";
    return false;
  }
  parsed = *f;
  return true;
}

int exportReporting(const app::Report& report, app::ReportFormat format, const std::string& out, const char* me,
                    std::ostream& wrote) {
  app::EnsureGuiApp gui;
  auto files = app::exportReport(report, format, out);
  if (!files) {
    std::cerr << me << files.error().message << "\n";
    return exitCodeFor(files.error());
  }
  for (const auto& f : *files) wrote << "wrote " << f.string() << "\n";
  return kExitOk;
}

}  // namespace folio::cli
