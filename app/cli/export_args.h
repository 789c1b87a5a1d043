// --format FORMAT --out FILE, the export options of compare, review and timeline: both or neither.
#pragma once

#include <optional>
#include <string>

namespace folio::app {
enum class ReportFormat;  // app/report/report_render.h, whose Qt headers stay out of the commands' includes
}

namespace folio::cli {

// The format to export in (none when neither option was given). On a usage error says "<me><why>" on
// stderr and returns false.
bool parseExportArgs(const std::string& format, const std::string& out, const char* me,
                     std::optional<app::ReportFormat>& parsed);

}  // namespace folio::cli
