// OCR benchmark (a program, not a test): writes PDFs of scanned pages (dense numbered clause lines,
// rendered by poppler at --scan-dpi and embedded as images without a text layer), reads them with
// extractBytes as `folio ingest` does (the extraction child, Tesseract at 300 dpi), and prints Markdown
// tables for docs/perf.md: one page alone, and the whole file on 1..--threads OCR threads, with the
// share of the clause lines' lines read exactly. --write PATH also keeps the N-page scan, to time
// `folio ingest` on it.
//
//   bench_ocr [--pages N] [--lines N] [--scan-dpi N] [--page-inches N] [--threads N (0: only --write)]
//             [--write PATH]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/extract.h"
#include "tests/support/scanned_pdf.h"

using namespace folio::ingest;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  int pages = 20;
  int lines = 48;
  int scan_dpi = 200;
  int page_inches = 0;  // > 0: the scans on pages this wide (a drawing), their pixels unchanged
  int threads = 2;
  std::string write;
};

// Clause lines like a contract's, different on every page so that words are not guessed from others.
std::vector<std::string> clauseLines(int page, int lines) {
  static const char* kSubjects[] = {"The Supplier", "The Customer", "Either party", "The Licensee", "The Landlord"};
  static const char* kVerbs[] = {"shall deliver", "may terminate", "must notify", "shall indemnify", "may assign"};
  static const char* kObjects[] = {"the goods", "this agreement", "the other party", "all claims", "its rights"};
  static const char* kTimes[] = {"within thirty days", "on written notice", "before the renewal date",
                                 "after the inspection", "without undue delay"};
  std::vector<std::string> out;
  for (int i = 0; i < lines; ++i) {
    const int k = page * 7 + i;
    out.push_back(std::to_string(page) + "." + std::to_string(i + 1) + " " + kSubjects[k % 5] + " " +
                  kVerbs[(k / 5) % 5] + " " + kObjects[(k / 3) % 5] + " " + kTimes[(k / 2) % 5] + ".");
  }
  return out;
}

std::vector<std::vector<std::string>> scanText(int pages, int lines) {
  std::vector<std::vector<std::string>> text;
  for (int p = 1; p <= pages; ++p) text.push_back(clauseLines(p, lines));
  return text;
}

std::string scannedPdf(const std::vector<std::vector<std::string>>& text, int dpi, int page_inches) {
  std::vector<folio::test::PdfPageSpec> pages;
  for (const auto& lines : text) {
    folio::test::PdfPageSpec p;
    p.image = folio::test::renderTextPage(lines, dpi);
    if (page_inches > 0) p.image.dpi = std::max(1, p.image.width / page_inches);
    pages.push_back(std::move(p));
  }
  return folio::test::writeMixedPdf(pages);
}

// The share of the lines of `text` that the OCR'd `read` holds exactly, each looked up in the whole
// read (a page's lines are distinct).
double linesFound(const std::vector<std::vector<std::string>>& text, const std::string& read) {
  size_t found = 0, total = 0;
  for (const auto& lines : text) {
    for (const auto& line : lines) {
      ++total;
      if (read.find(line) != std::string::npos) ++found;
    }
  }
  return total ? static_cast<double>(found) / static_cast<double>(total) : 0;
}

double childCpuSeconds() {
  rusage r{};
  getrusage(RUSAGE_CHILDREN, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e-6;
}

struct Run {
  double wall_s = 0, cpu_s = 0, found = 0;
  int ocr_pages = 0;
};

Run read(const std::string& pdf, const std::vector<std::vector<std::string>>& text, int threads) {
  ExtractOptions options;
  options.ocr_threads = threads;
  const double cpu0 = childCpuSeconds();
  const auto t0 = Clock::now();
  auto r = extractBytes(pdf, SourceType{SourceKind::Pdf, ""}, "scan.pdf", options);
  Run run;
  run.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  run.cpu_s = childCpuSeconds() - cpu0;
  if (!r) {
    std::fprintf(stderr, "bench_ocr: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  if (!r->ocr_problem.empty()) std::fprintf(stderr, "bench_ocr: %s\n", r->ocr_problem.c_str());
  run.ocr_pages = r->ocr_pages;
  run.found = linesFound(text, r->text);
  return run;
}

int parseCount(const std::string& flag, const char* value) {
  const int v = std::atoi(value);
  if (v < (flag == "--threads" ? 0 : 1)) {  // --threads 0: only write the scan
    std::fprintf(stderr, "bench_ocr: %s needs a positive number\n", flag.c_str());
    std::exit(2);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    int* number = flag == "--pages"         ? &args.pages
                  : flag == "--lines"       ? &args.lines
                  : flag == "--scan-dpi"    ? &args.scan_dpi
                  : flag == "--page-inches" ? &args.page_inches
                  : flag == "--threads"     ? &args.threads
                                            : nullptr;
    if (value && number) *number = parseCount(flag, value);
    else if (value && flag == "--write") args.write = value;
    else {
      std::fprintf(stderr,
                   "usage: bench_ocr [--pages N] [--lines N] [--scan-dpi N] [--page-inches N] [--threads N] "
                   "[--write PATH]\n");
      return 2;
    }
    ++i;
  }
  const char* omp = std::getenv("OMP_THREAD_LIMIT");
  std::printf("OMP_THREAD_LIMIT=%s; scans of %d lines a page at %d dpi, read at 300 dpi\n\n", omp ? omp : "(unset)",
              args.lines, args.scan_dpi);

  const auto one_text = scanText(1, args.lines);
  const std::string one = scannedPdf(one_text, args.scan_dpi, args.page_inches);
  std::printf("| one page | wall | CPU | lines read exactly |\n|---|---:|---:|---:|\n");
  const Run single = read(one, one_text, 1);
  std::printf("| %d lines | %.2f s | %.2f s | %.1f %% |\n\n", args.lines, single.wall_s, single.cpu_s,
              100 * single.found);

  const auto text = scanText(args.pages, args.lines);
  const std::string pdf = scannedPdf(text, args.scan_dpi, args.page_inches);
  if (!args.write.empty() && !(std::ofstream(args.write, std::ios::binary) << pdf)) {
    std::fprintf(stderr, "bench_ocr: cannot write %s\n", args.write.c_str());
    return 1;
  }
  if (args.threads > 0) {
    std::printf("| %d pages (%.1f MB) | wall | per page | CPU | lines read exactly |\n|---|---:|---:|---:|---:|\n",
                args.pages, static_cast<double>(pdf.size()) / 1e6);
  }
  for (int threads = 1; threads <= args.threads; ++threads) {
    const Run run = read(pdf, text, threads);
    std::printf("| %d OCR thread%s | %.1f s | %.2f s | %.1f s | %.1f %% |\n", threads, threads == 1 ? "" : "s",
                run.wall_s, run.wall_s / std::max(1, run.ocr_pages), run.cpu_s, 100 * run.found);
  }
  return 0;
}
