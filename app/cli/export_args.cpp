#include "app/cli/export_args.h"

#include <iostream>

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

}  // namespace folio::cli
