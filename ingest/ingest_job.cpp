#include "ingest/ingest_job.h"

#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "engine/common/file_io.h"
#include "ingest/archive_member.h"
#include "ingest/content_hash.h"
#include "ingest/library/ocr_text_reader.h"
#include "ingest/ocr_languages.h"
#include "ingest/ocr_readings_in_run.h"
#include "ingest/pdf_ocr.h"
#include "ingest/reader_version.h"

namespace folio::ingest {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct KnownDocument {
  int64_t id = 0;
  std::string content_hash;
  DocumentStatus status = DocumentStatus::Pending;
  std::string error;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string chunker;
  int chunker_version = 0;
  std::string kind, language;  // as classified when it was read
  int ocr_pages = 0;
  std::string ocr_languages;   // of the OCR readings it keeps; "" for none
  int reader_version = 1;      // of its kind's reader when it was read (reader_version.h)
};

// The file has the bytes the stored document was read from, so it needs no new extraction (a document
// recorded as skipped or pending is tried again).
bool sameContent(const KnownDocument& k, const std::string& content_hash) {
  return k.content_hash == content_hash && (k.status == DocumentStatus::Ok || k.status == DocumentStatus::Failed);
}

// Its chunks were made by a chunker that has changed since (or before chunker versions were stored),
// its text by a reader of its kind that has changed since (which also tries a failed one again), or Folio
// now classifies the file differently
// (a .rb file read as text before Ruby was code), so another chunker would make them.
bool chunkerChanged(const KnownDocument& k, const DocumentRecord& now) {
  if (k.status == DocumentStatus::Failed) return k.reader_version != now.reader_version;  // it may read now
  return k.status == DocumentStatus::Ok && (chunksOutdated(k.chunker, k.chunker_version) ||
                                            k.reader_version != now.reader_version || k.kind != now.kind ||
                                            k.language != now.language);
}

// Its scanned pages were read in other languages than the collection's now. A PDF's (or an image's)
// pages read before readings were kept (schema v13) were read in English; an e-mail keeps no readings of
// its attached scans' readings from schema v14 on.
bool ocrLanguagesChanged(const KnownDocument& k, const std::string& languages) {
  const bool keeps_readings = k.kind == sourceKindName(SourceKind::Pdf) || k.kind == sourceKindName(SourceKind::Image);
  const std::string read_in = !k.ocr_languages.empty()          ? k.ocr_languages
                              : k.ocr_pages > 0 && keeps_readings ? std::string(kDefaultOcrLanguages)
                                                                  : std::string();
  return k.status == DocumentStatus::Ok && !read_in.empty() && read_in != languages;
}

struct FileTask {
  WalkEntry entry;
  std::string key;  // documents.path
};

enum class Outcome { Unchanged, Stored, Failed, Skipped };

struct FileResult {
  size_t task = 0;
  Outcome outcome = Outcome::Failed;
  DocumentRecord doc;
  std::vector<Chunk> chunks;
  bool rechunk = false;  // same content as stored, read again only because its chunker changed
  // Same content as stored, read again only because pages without a text layer were left unread (OCR
  // was off or unavailable) and OCR is on now.
  bool reread_unread_pages = false;
  std::string ocr_problem;  // why scanned pages of it were not read (doc.ocr_pages counts those read)
  int ocr_read = 0, ocr_reused = 0, ocr_blank = 0;  // its scanned pages (ExtractedText)
  std::vector<OcrPageTexts> ocr_texts;  // the OCR readings behind its text, kept with it
};

// An extraction thread's way to the OCR readings the library keeps: a connection of the thread's own,
// opened when it first meets a PDF (or an image, read as one). A library it cannot read only costs the
// OCR again.
struct KeptReadings {
  std::optional<OcrTextReader> reader;
  bool unavailable = false;
  ArchiveMemberReader archives;  // the zip archive whose files the thread reads, kept open
};

// A bounded multi-producer, single-consumer queue of results; close() releases blocked producers.
class ResultQueue {
 public:
  explicit ResultQueue(size_t capacity) : capacity_(capacity) {}

  bool push(FileResult r) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(r));
    not_empty_.notify_one();
    return true;
  }

  // Waits until `deadline` for a result.
  std::optional<FileResult> pop(Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    if (!not_empty_.wait_until(lock, deadline, [&] { return !items_.empty(); })) return std::nullopt;
    FileResult r = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return r;
  }

  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<FileResult> items_;
  size_t capacity_;
  bool closed_ = false;
};

int countLines(std::string_view text) {
  if (text.empty()) return 0;
  auto n = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  return text.back() == '\n' ? n : n + 1;
}

bool isCancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(std::memory_order_relaxed); }

fs::path normaliseRoot(const fs::path& root) {
  std::error_code ec;
  fs::path abs = fs::absolute(root, ec);
  if (ec) abs = root;
  abs = abs.lexically_normal();
  if (!abs.has_filename() && abs.has_parent_path() && abs != abs.root_path()) abs = abs.parent_path();
  return abs;
}

bool isUnder(const std::string& path, const std::string& root) {
  if (path == root) return true;
  if (path.size() <= root.size() || path.compare(0, root.size(), root) != 0) return false;
  return root.back() == '/' || path[root.size()] == '/';
}

class IngestRun {
 public:
  IngestRun(Library& library, const IngestOptions& options, const TokenCounter& tokens,
            const IngestProgressFn& on_progress, const std::atomic<bool>* cancel)
      : lib_(library), options_(options), tokens_(tokens), on_progress_(on_progress), cancel_(cancel) {}

  Result<IngestReport> run(std::span<const fs::path> roots);
  // Walks these stored documents (each path a root of its own), keeping their relative paths; one whose
  // file is gone or is no longer a file is removed.
  Result<IngestReport> reread(std::span<const DocumentRecord> documents);

 private:
  Status loadKnown();
  Status resolveOcrLanguages();
  Status walk(std::span<const fs::path> roots, bool& complete);
  void work(std::atomic<size_t>& next, ResultQueue& queue, const std::atomic<bool>& stop);
  FileResult process(size_t index, KeptReadings& kept);
  OcrPageTexts keptReadings(KeptReadings& kept, const std::string& pdf_hash);
  DocumentRecord baseRecord(const FileTask& task) const;
  Status writeSkippedAndRemoved(bool walk_complete);
  Status apply(FileResult& r);
  Status commitIfDue(bool force);
  Status ensureTransaction();
  void progress(bool walking);

  Library& lib_;
  const IngestOptions& options_;
  const TokenCounter& tokens_;
  const IngestProgressFn& on_progress_;
  const std::atomic<bool>* cancel_;
  int ocr_threads_ = 1;  // threads reading one PDF's scanned pages (run: the cores other files leave)
  std::filesystem::path library_path_;  // for the extraction threads' own connections (KeptReadings)
  std::string ocr_languages_;           // the collection's (IngestOptions::ocr_languages)
  OcrReadingsInRun made_readings_;      // what this run's threads read by OCR, for the others

  int64_t collection_id_ = 0;
  uint64_t collection_max_file_bytes_ = 0;  // the collection's size cap; 0: the walk options' caps
  std::unordered_map<std::string, KnownDocument> known_;
  std::vector<std::string> roots_;          // normalised, as strings
  std::vector<FileTask> tasks_;
  std::vector<SkippedEntry> skipped_;
  std::vector<size_t> skipped_root_;        // root index of each skipped entry
  std::unordered_set<std::string> seen_;
  // reread(): documents.path -> the relative path it keeps (a single-file walk would name it by file name)
  std::unordered_map<std::string, std::string> kept_rel_paths_;
  bool documents_as_roots_ = false;  // reread(): a root that is not a file is not walked

  std::optional<LibraryTransaction> tx_;  // chunks are indexed for search once per batch, at commit
  Clock::time_point tx_started_{};
  size_t in_tx_ = 0;

  IngestReport report_;
  IngestProgress progress_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_progress_{};
};

Status IngestRun::loadKnown() {
  auto s = lib_.db().prepare(
      "SELECT id, path, content_hash, status, error, size, mtime_ns, chunker, chunker_version, kind, language, "
      "ocr_pages, (SELECT languages FROM ocr_texts o WHERE o.document_id = d.id LIMIT 1), reader_version "
      "FROM documents d "
      "WHERE collection_id = ?1");
  if (!s) return s.error();
  s->bind(1, collection_id_);
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return {};
    KnownDocument k;
    k.id = s->columnInt64(0);
    k.content_hash = s->columnText(2);
    k.status = parseDocumentStatus(s->columnTextView(3)).value_or(DocumentStatus::Pending);
    k.error = s->columnText(4);
    k.size = static_cast<uint64_t>(s->columnInt64(5));
    k.mtime_ns = s->columnInt64(6);
    k.chunker = s->columnText(7);
    k.chunker_version = s->columnInt(8);
    k.kind = s->columnText(9);
    k.language = s->columnText(10);
    k.ocr_pages = s->columnInt(11);
    k.ocr_languages = s->columnText(12);
    k.reader_version = s->columnInt(13);
    known_.emplace(s->columnText(1), std::move(k));
  }
}

Status IngestRun::resolveOcrLanguages() {
  const std::optional<std::string>& given = options_.ocr_languages;
  std::string kept;
  if (!given) {
    auto stored = lib_.collectionOcrLanguages(collection_id_);
    if (!stored) return stored.error();
    kept = std::move(*stored);
  }
  const std::string& setting = given ? *given : kept;
  ocr_languages_ = setting.empty() ? std::string(kDefaultOcrLanguages) : setting;
  // A chosen setting is checked before any file is read, not found missing on the first scan. The
  // default is not: a tree without scans is read without English data, and such pages noted for later.
  if (ocr_languages_ != kDefaultOcrLanguages && (options_.extract.ocr || given)) {
    if (Status st = checkOcrLanguages(ocr_languages_); !st) {
      if (given) return st;
      return st.error().context("the OCR languages collection \"" + options_.collection + "\" keeps (" +
                                ocr_languages_ + "; --ocr-lang sets others)");
    }
  }
  if (given) {
    FOLIO_TRY(lib_.setCollectionOcrLanguages(collection_id_, ocr_languages_ == kDefaultOcrLanguages ? "" : ocr_languages_));
  }
  return {};
}

Status IngestRun::walk(std::span<const fs::path> roots, bool& complete) {
  complete = true;
  // The workers read every file in full anyway; they sniff its first bytes there (process()).
  WalkOptions walk_options = options_.walk;
  walk_options.sniff_contents = false;
  // The collection's cap raises the default caps, never lowers them.
  walk_options.max_file_bytes = std::max(walk_options.max_file_bytes, collection_max_file_bytes_);
  walk_options.max_document_bytes = std::max(walk_options.max_document_bytes, collection_max_file_bytes_);
  for (size_t i = 0; i < roots.size(); ++i) {
    const fs::path root = normaliseRoot(roots[i]);
    roots_.push_back(root.string());
    std::error_code ec;
    // A file inside a zip archive is walked through its archive.
    const std::optional<ArchiveMember> member = documents_as_roots_ ? archiveMemberOf(root) : std::nullopt;
    if (documents_as_roots_ && !member && !fs::is_regular_file(root, ec)) continue;  // gone, or now a folder: removed below
    const auto walk_root = [&](const auto& on_file, const auto& on_skipped) {
      return member ? walkArchiveFile(member->archive, member->member, walk_options, on_file, on_skipped, member->member)
                    : walkTree(root, walk_options, on_file, on_skipped);
    };
    Status st = walk_root(
        [&](const WalkEntry& e) {
          std::string key = e.path.string();
          if (seen_.insert(key).second) {
            progress_.bytes_total += e.size;
            tasks_.push_back(FileTask{e, std::move(key)});
            if (const auto kept = kept_rel_paths_.find(tasks_.back().key); kept != kept_rel_paths_.end())
              tasks_.back().entry.rel_path = kept->second;
          }
          if ((tasks_.size() & 1023) == 0) progress(true);
          return !isCancelled(cancel_);
        },
        [&](const SkippedEntry& s) {
          if (seen_.insert(s.path.string()).second) {
            skipped_.push_back(s);
            skipped_root_.push_back(i);
          }
        });
    if (!st) return st.error();
    if (isCancelled(cancel_)) {
      complete = false;
      return {};
    }
  }
  progress_.files_total = tasks_.size() + skipped_.size();
  return {};
}

DocumentRecord IngestRun::baseRecord(const FileTask& task) const {
  DocumentRecord d;
  d.collection_id = collection_id_;
  d.path = task.key;
  d.rel_path = task.entry.rel_path;
  d.kind = std::string(sourceKindName(task.entry.type.kind));
  d.language = std::string(task.entry.type.language);
  d.size = task.entry.size;
  d.mtime_ns = task.entry.mtime_ns;
  return d;
}

OcrPageTexts IngestRun::keptReadings(KeptReadings& kept, const std::string& pdf_hash) {
  // Read by another file of this run (waiting while it is read), else by an earlier one (the library).
  if (auto made = made_readings_.acquire(pdf_hash, cancel_)) return std::move(*made);
  if (!kept.reader && !kept.unavailable) {
    auto reader = OcrTextReader::open(library_path_);
    if (reader) kept.reader.emplace(std::move(*reader));
    kept.unavailable = !reader;
  }
  if (!kept.reader) return {};
  auto found = kept.reader->find(pdf_hash, ocr_languages_);
  return found ? std::move(*found) : OcrPageTexts{};
}

FileResult IngestRun::process(size_t index, KeptReadings& kept) {
  const FileTask& task = tasks_[index];
  FileResult r;
  r.task = index;
  r.doc = baseRecord(task);
  auto fail = [&](std::string reason) {
    r.outcome = Outcome::Failed;
    r.doc.status = DocumentStatus::Failed;
    r.doc.error = std::move(reason);
    return std::move(r);
  };
  // A mail store is hashed and read from its file a block at a time (its cap is the walker's); one inside
  // a zip archive is read out of it into memory, as one attached to a message is.
  const bool in_place = isMailStore(task.entry.type) && task.entry.member.empty();
  auto bytes = in_place                   ? Result<std::string>(std::string())
               : task.entry.member.empty() ? readFile(task.entry.path, options_.extract.max_file_bytes)
                                           : kept.archives.read({task.entry.archive, task.entry.member},
                                                                options_.extract.max_file_bytes);
  if (!bytes) return fail(bytes.error().message);
  SourceType type = task.entry.type;
  if (!isBinaryFormat(type.kind) || type.kind == SourceKind::Image) {  // small images: icons, not pages
    if (auto reason = sniffContent(*bytes, type)) {
      r.outcome = Outcome::Skipped;
      r.doc.status = DocumentStatus::Skipped;
      r.doc.error = std::move(*reason);
      return r;
    }
    r.doc.kind = std::string(sourceKindName(type.kind));
    r.doc.language = std::string(type.language);
  }
  r.doc.reader_version = readerVersion(type.kind);
  r.doc.size = in_place ? task.entry.size : bytes->size();
  if (in_place) {
    auto hash = fileContentHashHex(task.entry.path, cancel_);
    if (!hash) return fail(hash.error().message);
    r.doc.content_hash = *hash;
  } else {
    r.doc.content_hash = contentHashHex(*bytes);
  }
  const auto known = known_.find(task.key);
  if (!options_.reread_unchanged && known != known_.end() && sameContent(known->second, r.doc.content_hash)) {
    r.rechunk = chunkerChanged(known->second, r.doc);
    r.reread_unread_pages = !r.rechunk && options_.extract.ocr &&
                            known->second.status == DocumentStatus::Ok &&
                            ocrMayReadUnreadPages(known->second.error);
    const bool languages_changed = options_.extract.ocr && ocrLanguagesChanged(known->second, ocr_languages_);
    if (!r.rechunk && !r.reread_unread_pages && !languages_changed) {
      r.outcome = Outcome::Unchanged;
      return r;
    }
  }
  ExtractOptions extract = options_.extract;
  extract.cancel = cancel_;
  extract.ocr_threads = ocr_threads_;
  extract.ocr_languages = ocr_languages_;
  // What OCR read before on the scanned pages of each PDF it reads (this file, one made of an image, a
  // message's attached scans), in this run or an earlier one, is not read again.
  if (extract.ocr) {
    extract.ocr_kept = [&](const std::string& pdf_hash) { return keptReadings(kept, pdf_hash); };
    extract.ocr_made = [&](const std::string& pdf_hash, const OcrPageTexts* readings) {
      made_readings_.finished(pdf_hash, readings);
    };
  }
  auto text = in_place ? extractMailStore(task.entry.path, task.key, extract) : extractBytes(*bytes, type, task.key, extract);
  if (!text) return fail(text.error().message);
  const ChunkerId chunker = chunkerFor(*text, type);
  r.chunks = chunkWith(chunker, *text, type, tokens_, options_.chunk);
  r.doc.chunker = std::string(chunkerName(chunker));
  r.doc.chunker_version = chunkerVersion(chunker);
  r.doc.title = text->title;
  r.doc.ocr_pages = text->ocr_pages + text->ocr_reused;
  r.ocr_read = text->ocr_pages;
  r.ocr_reused = text->ocr_reused;
  r.ocr_blank = text->ocr_blank;
  r.ocr_texts = std::move(text->ocr_texts);
  r.doc.page_count = static_cast<int>(text->page_starts.size());
  if (text->unread_pages > 0) {  // kept with the document: `folio docs` says so, and OCR reads it later
    r.doc.error = unreadPagesNote(text->unread_pages, r.doc.page_count, text->ocr_problem);
    r.ocr_problem = r.doc.error;
  }
  if (r.reread_unread_pages && r.doc.error == known->second.error) {  // OCR could still not read them
    r.outcome = Outcome::Unchanged;
    return r;
  }
  r.doc.line_count = countLines(text->text);
  r.doc.status = DocumentStatus::Ok;
  r.outcome = Outcome::Stored;
  return r;
}

void IngestRun::work(std::atomic<size_t>& next, ResultQueue& queue, const std::atomic<bool>& stop) {
  KeptReadings kept;
  for (;;) {
    if (stop.load(std::memory_order_relaxed) || isCancelled(cancel_)) return;
    const size_t i = next.fetch_add(1, std::memory_order_relaxed);
    if (i >= tasks_.size()) return;
    FileResult r;
    try {
      r = process(i, kept);
    } catch (const std::exception& e) {
      r = FileResult{};
      r.task = i;
      r.doc = baseRecord(tasks_[i]);
      r.outcome = Outcome::Failed;
      r.doc.status = DocumentStatus::Failed;
      r.doc.error = tasks_[i].key + ": internal error while extracting: " + e.what();
    }
    if (isCancelled(cancel_)) return;  // a read stopped half-way is no failure of its file
    if (!queue.push(std::move(r))) return;
  }
}

Status IngestRun::ensureTransaction() {
  if (tx_) return {};
  auto tx = lib_.beginWrite();
  if (!tx) return tx.error();
  tx_.emplace(std::move(*tx));
  tx_started_ = Clock::now();
  in_tx_ = 0;
  return {};
}

Status IngestRun::commitIfDue(bool force) {
  if (!tx_) return {};
  if (!force && in_tx_ < options_.batch_files && Clock::now() - tx_started_ < options_.batch_time) return {};
  Status st = tx_->commit();
  tx_.reset();
  if (!st) return st;
  progress_.files_done += in_tx_;
  in_tx_ = 0;
  progress(false);
  return {};
}

void IngestRun::progress(bool walking) {
  if (!on_progress_) return;
  const auto now = Clock::now();
  if (walking && now - last_progress_ < std::chrono::milliseconds(100)) return;
  last_progress_ = now;
  progress_.walking = walking;
  if (walking) progress_.files_total = tasks_.size() + skipped_.size();
  progress_.elapsed_s = std::chrono::duration<double>(now - started_).count();
  progress_.files_per_s = progress_.elapsed_s > 0 ? static_cast<double>(progress_.files_done) / progress_.elapsed_s : 0;
  on_progress_(progress_);
}

Status IngestRun::writeSkippedAndRemoved(bool walk_complete) {
  FOLIO_TRY(ensureTransaction());
  for (size_t i = 0; i < skipped_.size(); ++i) {
    const SkippedEntry& s = skipped_[i];
    const std::string key = s.path.string();
    report_.skipped++;
    report_.skipped_files.push_back({key, s.reason});
    const auto known = known_.find(key);
    if (known != known_.end() && known->second.status == DocumentStatus::Skipped && known->second.error == s.reason) {
      continue;
    }
    DocumentRecord d;
    d.collection_id = collection_id_;
    d.path = key;
    const fs::path root(roots_[skipped_root_[i]]);
    // A file in a zip archive given as the root is named under the archive's name, as the files read are.
    std::error_code ec;
    d.rel_path = key == root.string()                ? s.path.filename().string()
                 : fs::is_regular_file(root, ec) ? (root.filename() / s.path.lexically_relative(root)).string()
                                                 : s.path.lexically_relative(root).string();
    if (const auto kept = kept_rel_paths_.find(key); kept != kept_rel_paths_.end()) d.rel_path = kept->second;
    const SourceType type = classifySource(s.path);
    d.kind = std::string(sourceKindName(type.kind));
    d.language = std::string(type.language);
    d.status = DocumentStatus::Skipped;
    d.error = s.reason;
    auto id = lib_.putDocument(d, {});
    if (!id) return id.error();
    ++in_tx_;
  }
  if (walk_complete) {
    for (const auto& [path, k] : known_) {
      if (seen_.count(path)) continue;
      const bool under = std::any_of(roots_.begin(), roots_.end(), [&known_path = path](const std::string& r) { return isUnder(known_path, r); });
      if (!under) continue;
      FOLIO_TRY(lib_.removeDocument(k.id));
      report_.removed++;
    }
  }
  return {};
}

Status IngestRun::apply(FileResult& r) {
  FOLIO_TRY(ensureTransaction());
  const FileTask& task = tasks_[r.task];
  const auto known = known_.find(task.key);
  progress_.bytes_done += r.doc.size;
  progress_.current = task.entry.rel_path;
  report_.bytes += r.doc.size;
  switch (r.outcome) {
    case Outcome::Unchanged: {
      const KnownDocument& k = known->second;
      if (k.size != r.doc.size || k.mtime_ns != r.doc.mtime_ns) {
        FOLIO_TRY(lib_.updateFileStat(k.id, r.doc.size, r.doc.mtime_ns));
      }
      if (k.status == DocumentStatus::Failed) {
        report_.failed++;
        report_.failed_files.push_back({task.key, k.error});
      } else {
        report_.unchanged++;
        if (!r.ocr_problem.empty()) report_.ocr_problems.push_back({task.key, r.ocr_problem});
      }
      break;
    }
    case Outcome::Skipped: {
      report_.skipped++;
      report_.skipped_files.push_back({task.key, r.doc.error});
      const bool recorded = known != known_.end() && known->second.status == DocumentStatus::Skipped &&
                            known->second.error == r.doc.error;
      if (!recorded) {
        auto id = lib_.putDocument(r.doc, {});
        if (!id) return id.error();
      }
      break;
    }
    case Outcome::Stored:
    case Outcome::Failed: {
      auto id = lib_.putDocument(r.doc, r.chunks, r.ocr_texts);
      if (!id) return id.error();
      if (r.outcome == Outcome::Failed) {
        report_.failed++;
        report_.failed_files.push_back({task.key, r.doc.error});
      } else if (r.rechunk) {
        report_.rechunked++;
      } else if (known != known_.end()) {
        report_.updated++;
      } else {
        report_.added++;
      }
      progress_.pages += r.doc.page_count;
      progress_.chunks += static_cast<int64_t>(r.chunks.size());
      report_.pages += r.doc.page_count;
      report_.chunks += static_cast<int64_t>(r.chunks.size());
      report_.ocr_pages += r.ocr_read;
      report_.ocr_reused += r.ocr_reused;
      report_.ocr_blank += r.ocr_blank;
      if (!r.ocr_problem.empty()) report_.ocr_problems.push_back({task.key, r.ocr_problem});
      break;
    }
  }
  ++in_tx_;
  return commitIfDue(false);
}

Result<IngestReport> IngestRun::run(std::span<const fs::path> roots) {
  report_.collection = options_.collection;
  auto col = lib_.ensureCollection(options_.collection);
  if (!col) return col.error();
  collection_id_ = *col;
  library_path_ = lib_.db().name();
  if (options_.max_file_bytes) FOLIO_TRY(lib_.setCollectionMaxFileBytes(collection_id_, *options_.max_file_bytes));
  auto cap = lib_.collectionMaxFileBytes(collection_id_);
  if (!cap) return cap.error();
  collection_max_file_bytes_ = *cap;
  FOLIO_TRY(resolveOcrLanguages());
  FOLIO_TRY(loadKnown());
  bool walk_complete = false;
  FOLIO_TRY(walk(roots, walk_complete));
  report_.files_seen = tasks_.size() + skipped_.size();
  progress(false);
  if (!walk_complete) {
    report_.cancelled = true;
    return report_;
  }
  FOLIO_TRY(writeSkippedAndRemoved(walk_complete));

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int workers = std::clamp(options_.worker_threads > 0 ? options_.worker_threads : static_cast<int>(cores), 1, 8);
  // A scanned PDF's pages are read on the cores the other files leave free: a single 2,000-page scan
  // gets them all (up to 4), a folder of scans (PDFs or images) one each. PDFs stored before with the same size and time
  // are not counted: they are most likely not read again (a new scan added to a folder of 100 PDFs).
  const auto pdfs = std::count_if(tasks_.begin(), tasks_.end(), [&](const FileTask& t) {
    if (t.entry.type.kind != SourceKind::Pdf && t.entry.type.kind != SourceKind::Image) return false;
    const auto k = known_.find(t.key);
    return options_.reread_unchanged || k == known_.end() || k->second.size != t.entry.size ||
           k->second.mtime_ns != t.entry.mtime_ns ||
           (options_.extract.ocr &&
            (ocrMayReadUnreadPages(k->second.error) || ocrLanguagesChanged(k->second, ocr_languages_)));
  });
  ocr_threads_ = std::clamp(static_cast<int>(cores) / std::max(1, std::min(workers, static_cast<int>(pdfs))), 1, 4);
  ResultQueue queue(256);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(workers));
  for (int i = 0; i < workers; ++i) {
    threads.emplace_back([&] {
      pthread_setname_np(pthread_self(), "folio-extract");  // shows in top/perf
      work(next, queue, stop);
    });
  }
  auto shutdown = [&] {
    stop = true;
    queue.close();
    for (auto& t : threads) t.join();
    threads.clear();
  };

  Status failure;
  size_t received = 0;
  while (received < tasks_.size()) {
    if (isCancelled(cancel_)) {
      report_.cancelled = true;
      break;
    }
    const auto deadline = tx_ ? tx_started_ + options_.batch_time : Clock::now() + std::chrono::milliseconds(100);
    auto r = queue.pop(deadline);
    if (!r) {
      if (auto st = commitIfDue(false); !st) {
        failure = st;
        break;
      }
      continue;
    }
    ++received;
    if (auto st = apply(*r); !st) {
      failure = st;
      break;
    }
  }
  shutdown();
  if (!failure) {
    tx_.reset();  // roll back whatever the failed batch held
    return failure.error();
  }
  FOLIO_TRY(commitIfDue(true));
  report_.elapsed_s = std::chrono::duration<double>(Clock::now() - started_).count();
  progress(false);
  return report_;
}

Result<IngestReport> IngestRun::reread(std::span<const DocumentRecord> documents) {
  documents_as_roots_ = true;
  std::vector<fs::path> roots;
  for (const DocumentRecord& d : documents) {
    roots.emplace_back(d.path);
    kept_rel_paths_[d.path] = d.rel_path;
  }
  return run(roots);
}

}  // namespace

void IngestReport::merge(const IngestReport& other) {
  if (collection.empty()) {
    collection = other.collection;
  } else if (!other.collection.empty()) {
    collection += ", " + other.collection;
  }
  added += other.added;
  updated += other.updated;
  unchanged += other.unchanged;
  removed += other.removed;
  rechunked += other.rechunked;
  skipped += other.skipped;
  failed += other.failed;
  skipped_files.insert(skipped_files.end(), other.skipped_files.begin(), other.skipped_files.end());
  failed_files.insert(failed_files.end(), other.failed_files.begin(), other.failed_files.end());
  files_seen += other.files_seen;
  bytes += other.bytes;
  pages += other.pages;
  chunks += other.chunks;
  ocr_pages += other.ocr_pages;
  ocr_reused += other.ocr_reused;
  ocr_blank += other.ocr_blank;
  ocr_problems.insert(ocr_problems.end(), other.ocr_problems.begin(), other.ocr_problems.end());
  elapsed_s += other.elapsed_s;
  cancelled = cancelled || other.cancelled;
}

Result<IngestReport> rereadDocuments(Library& library, std::span<const int64_t> document_ids,
                                     const IngestOptions& options, const TokenCounter& tokens,
                                     const IngestProgressFn& on_progress, const std::atomic<bool>* cancel) {
  auto all = library.documents();
  if (!all) return all.error();
  const std::unordered_set<int64_t> wanted(document_ids.begin(), document_ids.end());
  std::map<std::string, std::vector<DocumentRecord>> by_collection;  // in name order
  for (auto& d : *all) {
    if (wanted.count(d.id)) by_collection[d.collection].push_back(std::move(d));
  }
  IngestReport total;
  for (const auto& [collection, documents] : by_collection) {
    if (isCancelled(cancel)) {
      total.cancelled = true;
      break;
    }
    IngestOptions o = options;
    o.collection = collection;
    o.reread_unchanged = true;
    IngestRun run(library, o, tokens, on_progress, cancel);
    auto report = run.reread(documents);
    if (!report) return report.error();
    total.merge(*report);
  }
  return total;
}

Result<IngestReport> runIngest(Library& library, std::span<const std::filesystem::path> roots,
                               const IngestOptions& options, const TokenCounter& tokens,
                               const IngestProgressFn& on_progress, const std::atomic<bool>* cancel) {
  IngestRun run(library, options, tokens, on_progress, cancel);
  return run.run(roots);
}

}  // namespace folio::ingest
