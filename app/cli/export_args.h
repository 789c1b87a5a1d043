// --format FORMAT --out FILE, the export options of compare, review and timeline (both or neither),
// and the export itself for those and `folio report`.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "app/report/report.h"

namespace folio::app {
enum class ReportFormat;  // app/report/report_render.h, whose Qt headers stay out of the commands' includes
}

namespace folio::cli {

// The format to export in (none when neither option was given). On a usage error says "<me><why>" on
// stderr and returns false.
bool parseExportArgs(const std::string& format, const std::string& out, const char* me,
                     std::optional<app::ReportFormat>& parsed);

// Writes `report` to `out` (app::exportReport, with the Qt application a PDF needs), saying "wrote <file>"
// for each file on `wrote`; on failure says "<me><why>" on stderr. Returns the exit code.
int exportReporting(const app::Report& report, app::ReportFormat format, const std::string& out, const char* me,
                    std::ostream& wrote);

}  // namespace folio::cli
