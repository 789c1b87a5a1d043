#include "ingest/pdf_extract.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "ingest/content_hash.h"
#include "ingest/pdf_markup_reader.h"
#include "ingest/running_lines.h"
#include "ingest/pdf_ocr.h"
#include "ingest/utf8_text.h"

namespace folio::ingest {
namespace {

// Frames: one tag byte, an 8-byte little-endian length, the payload. kOcrStart comes before each page
// read by OCR (the parent then allows it more time), kOcrPage carries that page's text, kOcrReused a
// scanned page's earlier reading (ExtractOptions::ocr_kept), kOcrProblem why a page without text stays
// empty; kNotes follows a page's frame with the lines of its comments and form fields (pdf_markup.h),
// kept out of its OCR reading.
enum Tag : char {
  kTitle = 'T', kAuthor = 'A', kPage = 'P', kError = 'E', kDone = 'D',
  kOcrStart = 'o', kOcrPage = 'O', kOcrReused = 'C', kOcrProblem = 'R', kNotes = 'N'
};

bool writeAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool writeFrame(int fd, Tag tag, std::string_view payload) {
  char header[9];
  header[0] = tag;
  uint64_t len = payload.size();
  for (int i = 0; i < 8; ++i) header[1 + i] = static_cast<char>((len >> (8 * i)) & 0xFF);
  return writeAll(fd, header, sizeof header) && writeAll(fd, payload.data(), payload.size());
}

std::string utf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

void silentPoppler(const std::string&, void*) {}

uint64_t currentAddressSpace() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long pages = 0;
  const int got = std::fscanf(f, "%lu", &pages);
  std::fclose(f);
  return got == 1 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

bool blank(std::string_view text) { return text.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos; }

// Runs in the child: parse and stream the result; `cached` (or null) holds earlier readings of these
// bytes' scanned pages. Never returns.
[[noreturn]] void childMain(int fd, std::string_view bytes, const ExtractOptions& options,
                            const OcrPageTexts* cached) {
  // The address space already holds the parent's mappings; the budget is on top of them.
  const uint64_t base = currentAddressSpace();
  rlimit as{};
  const int ocr_threads = options.ocr ? std::clamp(options.ocr_threads, 1, 16) : 1;
  as.rlim_cur = as.rlim_max =
      static_cast<rlim_t>(base + options.pdf_memory_bytes + static_cast<uint64_t>(ocr_threads - 1) * (256ull << 20));
  ::setrlimit(RLIMIT_AS, &as);
  rlimit cpu{};
  cpu.rlim_cur = static_cast<rlim_t>(options.pdf_timeout_s > 0 ? options.pdf_timeout_s : 1);
  // The hard limit leaves room for OCR; the soft one is raised towards it by each page read by OCR (as
  // the parent's deadline is), so a file without scanned pages keeps the plain limit.
  const rlim_t ocr_budget = options.ocr ? static_cast<rlim_t>(std::max(0, options.ocr_page_timeout_s)) *
                                              static_cast<rlim_t>(std::max(0, options.ocr_max_pages))
                                        : 0;
  cpu.rlim_max = cpu.rlim_cur + ocr_budget + 1;
  ::setrlimit(RLIMIT_CPU, &cpu);
  ::signal(SIGPIPE, SIG_IGN);
  // The libraries' own messages (Tesseract prints to stderr) would land in the user's terminal; what
  // matters comes back in the frames.
  if (const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC); null >= 0) {
    ::dup2(null, STDERR_FILENO);
    ::close(null);
  }
  int code = 0;
  try {
    poppler::set_debug_error_function(silentPoppler, nullptr);
    if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
      writeFrame(fd, kError, "too large for the PDF parser (over 2 GiB)");
      ::_exit(0);
    }
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!doc) {
      writeFrame(fd, kError, "not a readable PDF (damaged, truncated or not a PDF)");
    } else if (doc->is_locked()) {
      writeFrame(fd, kError, "encrypted: a password is required to open it");
    } else {
      writeFrame(fd, kTitle, utf8(doc->get_title()));
      writeFrame(fd, kAuthor, utf8(doc->get_author()));
      const int pages = doc->pages();
      if (pages <= 0) {
        writeFrame(fd, kError, "the PDF has no pages (damaged page tree?)");
      } else {
        // Pages go out in order: a text page waits behind the scanned pages before it. Scanned pages
        // are rendered here (poppler stays on this thread) and read on the pool's threads.
        std::unique_ptr<OcrPool> pool;
        enum class From { Layer, Ocr, Reused };
        struct Pending {
          From from;
          std::string text;     // the text layer (a scanned page's, kept when OCR fails); Reused: the reading
          std::string problem;  // why a scanned page was not sent to OCR
          std::string notes;    // its comments and form fields
        };
        std::deque<Pending> pending;
        PdfMarkupReader markup(bytes);
        bool ok = true;
        auto emit = [&](bool all) {
          while (ok && !pending.empty()) {
            Pending& front = pending.front();
            if (front.from == From::Reused) {
              ok = writeFrame(fd, kOcrReused, front.text);
            } else if (front.from == From::Layer) {
              if (!front.problem.empty()) ok = writeFrame(fd, kOcrProblem, front.problem);
              ok = ok && writeFrame(fd, kPage, front.text);
            } else if (all || pool->inFlight() >= static_cast<size_t>(pool->threads())) {
              auto read = pool->next();
              if (read.ok()) {
                ok = writeFrame(fd, kOcrPage, *read);
              } else {
                ok = writeFrame(fd, kOcrProblem, read.error().message) && writeFrame(fd, kPage, front.text);
              }
            } else {
              return;  // the oldest scanned page is still being read; read more pages meanwhile
            }
            if (ok && !front.notes.empty()) ok = writeFrame(fd, kNotes, front.notes);
            pending.pop_front();
          }
        };
        int ocr_done = 0;
        for (int i = 0; i < pages && ok; ++i) {
          std::unique_ptr<poppler::page> page(doc->create_page(i));
          std::string text = page ? utf8(page->text()) : std::string();
          const bool scanned = page && options.ocr && needsOcr(text);
          const std::string* reading = nullptr;
          if (scanned && cached) {
            if (const auto at = cached->pages.find(i); at != cached->pages.end()) reading = &at->second;
          }
          std::string unavailable = scanned && pool ? pool->unavailable() : std::string();
          if (reading) {
            pending.push_back({From::Reused, *reading, {}, {}});  // neither rendered nor read again
          } else if (!unavailable.empty()) {
            pending.push_back({From::Layer, std::move(text), std::move(unavailable), {}});  // not rendered for nothing
          } else if (scanned && ocr_done < options.ocr_max_pages) {
            ++ocr_done;
            const auto page_budget = static_cast<rlim_t>(std::max(0, options.ocr_page_timeout_s));
            cpu.rlim_cur = std::min(cpu.rlim_max - 1, cpu.rlim_cur + page_budget);
            ::setrlimit(RLIMIT_CPU, &cpu);
            if (!pool) pool = std::make_unique<OcrPool>(ocr_threads, options.ocr_languages);
            ok = writeFrame(fd, kOcrStart, {});
            const int dpi = ocrDpi(*page);
            pool->submit(std::make_unique<poppler::image>(renderForOcr(*page, dpi)), dpi);
            pending.push_back({From::Ocr, std::move(text), {}, {}});
          } else {
            pending.push_back({From::Layer, std::move(text), {}, {}});
          }
          pending.back().notes = markup.pageNotes(i);
          emit(false);
        }
        emit(true);
        if (ok) writeFrame(fd, kDone, {});
      }
    }
  } catch (const std::bad_alloc&) {
    writeFrame(fd, kError, "exceeded the memory limit of " + std::to_string(options.pdf_memory_bytes >> 20) + " MiB");
    code = 3;
  } catch (...) {
    writeFrame(fd, kError, "the PDF parser failed with an exception");
    code = 4;
  }
  ::_exit(code);
}

// Typographic ligatures (U+FB00..U+FB06) expanded to letters, so that search and chunk headings see
// "Definitions" rather than "De\uFB01nitions".
std::string expandLigatures(std::string s) {
  static constexpr std::string_view kExpansions[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
  if (s.find("\xEF\xAC") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (i + 2 < s.size() && s[i] == '\xEF' && s[i + 1] == '\xAC' && static_cast<unsigned char>(s[i + 2]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 2]) <= 0x86) {
      out += kExpansions[static_cast<unsigned char>(s[i + 2]) - 0x80];
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The time a file was allowed: its own and each page's read by OCR ("60 s", "240 s (60 s and 60 s for
// each of 3 pages read by OCR)").
std::string timeBudget(const ExtractOptions& options, int ocr_started) {
  const int base = options.pdf_timeout_s > 0 ? options.pdf_timeout_s : 1;
  const int per_page = std::max(0, options.ocr_page_timeout_s);
  if (ocr_started == 0 || per_page == 0) return std::to_string(base) + " s";
  return std::to_string(base + static_cast<int64_t>(per_page) * ocr_started) + " s (" + std::to_string(base) +
         " s and " + std::to_string(per_page) + " s for each of " + std::to_string(ocr_started) +
         (ocr_started == 1 ? " page" : " pages") + " read by OCR)";
}

std::string signalReason(int sig, const ExtractOptions& options, int ocr_started) {
  switch (sig) {
    case SIGXCPU:
      return "exceeded the CPU time limit of " + timeBudget(options, ocr_started);
    case SIGABRT:
      return "the PDF parser aborted (most likely out of memory: limit " +
             std::to_string(options.pdf_memory_bytes >> 20) + " MiB)";
    case SIGSEGV:
    case SIGBUS: return std::string("the PDF parser crashed (") + strsignal(sig) + ")";
    default: return std::string("the PDF parser was killed by signal ") + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
}

// Parses the frames the child wrote into `out`; `body_ends`: where each page's own text ends (its
// comments and form fields follow).
Status decodeFrames(std::string_view data, const std::string& name, ExtractedText& out, bool& done,
                    std::string& child_error, std::vector<int64_t>& body_ends) {
  size_t pos = 0;
  while (pos < data.size()) {
    if (data.size() - pos < 9) return badInput(name + ": truncated reply from the PDF parser");
    const char tag = data[pos];
    uint64_t len = 0;
    for (int i = 0; i < 8; ++i) len |= static_cast<uint64_t>(static_cast<unsigned char>(data[pos + 1 + i])) << (8 * i);
    pos += 9;
    if (len > data.size() - pos) return badInput(name + ": truncated reply from the PDF parser");
    const std::string_view payload = data.substr(pos, len);
    pos += len;
    switch (tag) {
      case kTitle: out.title = normalizeText(payload); break;
      case kAuthor: out.author = normalizeText(payload); break;
      case kOcrStart: break;
      case kOcrProblem:
        if (out.ocr_problem.empty()) out.ocr_problem = normalizeText(payload);
        break;
      case kOcrPage:
      case kOcrReused:
      case kPage: {
        if (tag == kPage) {
          if (needsOcr(payload)) ++out.unread_pages;  // no text layer, and not read by OCR
        } else {
          // A blank sheet (a separator, an empty back side) has no text to weigh as OCR's: counted apart.
          int& count = blank(payload) ? out.ocr_blank : tag == kOcrPage ? out.ocr_pages : out.ocr_reused;
          ++count;
          if (out.ocr_texts.empty()) out.ocr_texts.emplace_back();
          out.ocr_texts.front().pages[static_cast<int>(out.page_starts.size())] = normalizeText(payload);
        }
        out.page_starts.push_back(static_cast<int64_t>(out.text.size()));
        std::string page = expandLigatures(normalizeText(payload));
        for (char& c : page) if (c == '\f') c = '\n';
        out.text += page;
        if (out.text.empty() || out.text.back() != '\n') out.text.push_back('\n');
        body_ends.push_back(static_cast<int64_t>(out.text.size()));
        break;
      }
      case kNotes: {  // the page just read: its text, then these lines
        if (out.page_starts.empty()) return badInput(name + ": malformed reply from the PDF parser");
        out.text += normalizeText(payload);
        if (out.text.back() != '\n') out.text.push_back('\n');
        break;
      }
      case kError: child_error.assign(payload); break;
      case kDone: done = true; break;
      default: return badInput(name + ": malformed reply from the PDF parser");
    }
  }
  return {};
}

// The readings kept of the scanned pages of the PDF with this hash, made as this extraction would make
// them (none: no pages).
OcrPageTexts keptReadings(const ExtractOptions& options, const std::string& hash) {
  if (!options.ocr || !options.ocr_kept) return {};
  OcrPageTexts kept = options.ocr_kept(hash);
  if (kept.pdf_hash != hash || kept.languages != options.ocr_languages || kept.version != kOcrVersion) return {};
  return kept;
}

// Tells ExtractOptions::ocr_made how the reading of a PDF whose kept readings were asked for ended:
// finish() with its readings, else (an exception) as failed when it goes.
class ReadingEnd {
 public:
  ReadingEnd(const ExtractOptions& options, const std::string& hash)
      : made_(options.ocr && options.ocr_kept && options.ocr_made ? &options.ocr_made : nullptr), hash_(hash) {}
  ReadingEnd(const ReadingEnd&) = delete;
  ReadingEnd& operator=(const ReadingEnd&) = delete;
  ~ReadingEnd() { finish(nullptr); }
  // `readings` null: the reading failed, or read no scanned page.
  void finish(const OcrPageTexts* readings) {
    if (made_ != nullptr) std::exchange(made_, nullptr)->operator()(hash_, readings);
  }

 private:
  const std::function<void(const std::string&, const OcrPageTexts*)>* made_;
  const std::string& hash_;
};

// The PDF read in a child process, the pages in `kept` from there.
Result<ExtractedText> readInChild(std::string_view bytes, const std::string& name, const ExtractOptions& options,
                                  const std::string& hash, const OcrPageTexts& kept);

}  // namespace

Result<ExtractedText> extractPdfIsolated(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
    return badInput(name + ": not a PDF (no %PDF- header)");
  }
  // These bytes' own hash: the file's may be another's (an image's, an e-mail's holding this PDF).
  const std::string hash = options.ocr ? contentHashHex(bytes) : std::string();
  ReadingEnd end(options, hash);
  const OcrPageTexts kept = keptReadings(options, hash);
  Result<ExtractedText> out = readInChild(bytes, name, options, hash, kept);
  end.finish(out.ok() && !out->ocr_texts.empty() ? &out->ocr_texts.front() : nullptr);
  return out;
}

namespace {

Result<ExtractedText> readInChild(std::string_view bytes, const std::string& name, const ExtractOptions& options,
                                  const std::string& hash, const OcrPageTexts& kept) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ioError(name + ": pipe: " + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return ioError(name + ": fork: " + std::strerror(err));
  }
  if (pid == 0) {
    ::close(fds[0]);
    childMain(fds[1], bytes, options, kept.pages.empty() ? nullptr : &kept);
  }
  ::close(fds[1]);

  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::seconds(options.pdf_timeout_s > 0 ? options.pdf_timeout_s : 1);
  size_t scanned = 0;  // frames of the reply looked at so far: each page read by OCR adds its time
  int ocr_started = 0;
  bool cancelled = false;
  const uint64_t max_reply = options.pdf_memory_bytes + (1u << 20);
  std::string reply;
  bool timed_out = false, too_big = false;
  char buf[65536];
  while (true) {
    if (options.cancel && options.cancel->load()) {
      cancelled = true;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
    if (reply.size() > max_reply) {
      too_big = true;
      break;
    }
    while (reply.size() - scanned >= 9) {
      uint64_t len = 0;
      for (int i = 0; i < 8; ++i) len |= static_cast<uint64_t>(static_cast<unsigned char>(reply[scanned + 1 + i])) << (8 * i);
      if (len > reply.size() - scanned - 9) break;
      if (reply[scanned] == kOcrStart) {
        ++ocr_started;
        deadline += std::chrono::seconds(std::max(0, options.ocr_page_timeout_s));
      }
      scanned += 9 + len;
    }
  }
  ::close(fds[0]);
  if (timed_out || too_big || cancelled) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (cancelled) return folio::cancelled(name + ": stopped while reading");
  if (timed_out) return badInput(name + ": timed out after " + timeBudget(options, ocr_started));
  if (too_big) return badInput(name + ": extracted text exceeds the memory limit");

  ExtractedText out;
  bool done = false;
  std::string child_error;
  std::vector<int64_t> body_ends;
  const Status decoded = decodeFrames(reply, name, out, done, child_error, body_ends);
  if (!child_error.empty()) return badInput(name + ": " + child_error);
  if (WIFSIGNALED(status))
    return badInput(name + ": " + signalReason(WTERMSIG(status), options, ocr_started));
  FOLIO_TRY(decoded);
  if (!done) {
    return badInput(name + ": the PDF parser stopped before the last page (exit status " +
                    std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "; the memory limit is " +
                    std::to_string(options.pdf_memory_bytes >> 20) + " MiB)");
  }
  // A typeset document's running header and footer ("CONFIDENTIAL", "Page 3 of 40") out of its pages.
  removeRunningLines(out, body_ends);
  for (OcrPageTexts& reading : out.ocr_texts) {  // this PDF's: one
    reading.pdf_hash = hash;
    reading.languages = options.ocr_languages;
    reading.version = kOcrVersion;
  }
  if (out.unread_pages > 0 && out.ocr_problem.empty()) {
    if (!options.ocr)
      out.ocr_problem = kOcrOff;
    else if (ocr_started >= options.ocr_max_pages)
      out.ocr_problem =
          "only a file's first " + std::to_string(options.ocr_max_pages) + " such pages are read by OCR";
    else
      out.ocr_problem = "the PDF parser could not open the page";
  }
  return out;
}

}  // namespace

}  // namespace folio::ingest
