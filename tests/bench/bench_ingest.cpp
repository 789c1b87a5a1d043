// Ingest benchmark (a program, not a test): generates a tree of source files and a long text PDF in a
// temporary directory, ingests them into fresh libraries, and measures FTS query latency over a
// scratch library of synthetic chunks: search() against the single `ORDER BY rank` statement it
// replaced (same queries, same library; also checks that both return the same hits). Prints tables
// (Markdown) for docs/perf.md.
//
//   bench_ingest [--files N] [--pages N] [--chunks N] [--queries N] [--workers N] [--batch-files N]
//                [--batch-ms N] [--dir DIR]
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/ingest_job.h"
#include "ingest/library/fts_prefix_index.h"
#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "ingest/library/search.h"
#include "tests/bench/bench_pdf_writer.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  int files = 20000;
  int pages = 1000;
  int chunks = 1000000;
  int queries = 400;
  int workers = 0;
  int batch_files = 0;  // 0: IngestOptions defaults
  int batch_ms = 0;
  fs::path dir;
};

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// CPU seconds used by this process (all threads; PDF parser children are reaped, so add theirs).
double cpuSeconds() {
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  return tv(self.ru_utime) + tv(self.ru_stime) + tv(children.ru_utime) + tv(children.ru_stime);
}

// The load average when a measurement starts: this machine is shared, so wall times vary with it.
double loadAverage() {
  double l[1] = {0};
  return getloadavg(l, 1) == 1 ? l[0] : -1;
}

// CPU milliseconds used by the calling thread (the load on a shared machine does not inflate it).
double threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// search() as it was before the top-k ranking: one statement in which FTS5 computes bm25 for every
// matching row and sorts them, with snippets for the first `limit`. Kept to time the change against
// and to check that the hits are the same.
struct ReferenceHit {
  int64_t chunk_id = 0;
  double score = 0;
  std::string snippet;
};

std::vector<ReferenceHit> referenceQuery(Database& db, const std::string& expression, const SearchOptions& o) {
  auto s = db.prepare(
      "SELECT rowid, rank, snippet(chunks_fts, 0, ?2, ?3, '…', ?4) FROM chunks_fts WHERE chunks_fts MATCH ?1 "
      "ORDER BY rank LIMIT ?5");
  if (!s) std::exit(1);
  s->bind(1, expression).bind(2, o.highlight_open).bind(3, o.highlight_close).bind(4, o.snippet_tokens).bind(5, o.limit);
  std::vector<ReferenceHit> out;
  while (s->step().value()) out.push_back({s->columnInt64(0), -s->columnDouble(1), s->columnText(2)});
  return out;
}

std::vector<ReferenceHit> referenceSearch(Database& db, const std::string& user_query, const SearchOptions& o) {
  const auto terms = parseQuery(user_query);
  auto hits = referenceQuery(db, ftsExpression(terms, false), o);
  if (hits.empty() && terms.size() > 1 && o.fall_back_to_any) hits = referenceQuery(db, ftsExpression(terms, true), o);
  return hits;
}

struct Measured {
  double wall_s = 0, cpu_s = 0, load = 0;
};

template <class F>
Measured measure(F&& f) {
  Measured m;
  m.load = loadAverage();
  const double c0 = cpuSeconds();
  const auto t0 = Clock::now();
  f();
  m.wall_s = seconds(t0, Clock::now());
  m.cpu_s = cpuSeconds() - c0;
  return m;
}

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Pseudo-words from syllables, deterministic; index 0 is the most frequent.
std::vector<std::string> makeVocabulary(size_t n) {
  static const char* kSyl[] = {"ka", "ro", "mi", "te", "lu", "san", "dor", "vel", "qui", "pra", "nos", "ti",
                               "ber", "gal", "hin", "jo", "zu", "fen", "wor", "cly", "ast", "em", "ux", "ob"};
  constexpr size_t kS = sizeof kSyl / sizeof kSyl[0];
  std::vector<std::string> words;
  words.reserve(n);
  for (size_t i = 0; words.size() < n; ++i) {
    std::string w;
    size_t v = i;
    do {
      w += kSyl[v % kS];
      v /= kS;
    } while (v);
    words.push_back(w);
  }
  return words;
}

class Zipf {
 public:
  explicit Zipf(size_t n, double s = 1.0) : cdf_(n) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) cdf_[i] = (sum += 1.0 / std::pow(static_cast<double>(i + 1), s));
    for (auto& c : cdf_) c /= sum;
  }
  size_t operator()(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::vector<double> cdf_;
};

std::string sourceFile(int i, std::mt19937_64& rng, const std::vector<std::string>& vocab, const Zipf& zipf) {
  auto word = [&] { return vocab[zipf(rng)]; };
  std::string s;
  switch (i % 4) {
    case 0:  // Python
      s = "\"\"\"" + word() + " " + word() + " module.\"\"\"\nimport os\n\n";
      for (int f = 0; f < 4; ++f) {
        s += "\ndef " + word() + "_" + std::to_string(f) + "(" + word() + ", " + word() + "):\n";
        s += "    # " + word() + " " + word() + " " + word() + "\n    total = 0\n";
        s += "    for item in " + word() + ":\n        total += len(item)\n    return total\n";
      }
      s += "\n\nclass " + word() + "Service:\n    def run(self):\n        return \"" + word() + "\"\n";
      break;
    case 1:  // C++
      s = "#include <string>\n\nnamespace " + word() + " {\n\n";
      for (int f = 0; f < 4; ++f) {
        s += "// " + word() + " " + word() + " " + word() + "\nint " + word() + std::to_string(f) +
             "(const std::string& s) {\n  int n = 0;\n  for (char c : s) n += c == '{' ? 1 : 0;\n  return n;\n}\n\n";
      }
      s += "}  // namespace\n";
      break;
    case 2:  // TypeScript
      s = "export interface " + word() + " { id: string; " + word() + ": number }\n\n";
      for (int f = 0; f < 4; ++f) {
        s += "export function " + word() + std::to_string(f) + "(x: number): number {\n  // " + word() + " " +
             word() + "\n  return x * " + std::to_string(f + 2) + ";\n}\n\n";
      }
      break;
    default:  // Markdown
      s = "# " + word() + " " + word() + "\n\n";
      for (int p = 0; p < 4; ++p) {
        s += "## " + word() + "\n\n";
        for (int w = 0; w < 40; ++w) s += word() + (w % 12 == 11 ? ".\n" : " ");
        s += "\n\n";
      }
  }
  return s;
}

const char* kExt[] = {".py", ".cpp", ".ts", ".md"};

void printMachine() {
  std::string model = "unknown";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  utsname u{};
  uname(&u);
  std::printf("Machine: %u cores (nproc), %s, %s %s\n\n", std::thread::hardware_concurrency(), model.c_str(), u.sysname,
              u.release);
}

IngestReport ingestOrDie(Library& lib, const fs::path& root, const IngestOptions& options) {
  const EstimatingTokenCounter tokens;
  std::vector<fs::path> roots{root};
  auto r = runIngest(lib, roots, options, tokens);
  if (!r) {
    std::fprintf(stderr, "bench_ingest: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  return *r;
}

Library openOrDie(const fs::path& path) {
  auto lib = Library::open(path);
  if (!lib) {
    std::fprintf(stderr, "bench_ingest: %s\n", lib.error().message.c_str());
    std::exit(1);
  }
  return std::move(*lib);
}

void benchIngest(const Args& a) {
  std::mt19937_64 rng(42);
  const auto vocab = makeVocabulary(20000);
  const Zipf zipf(vocab.size());

  const fs::path tree = a.dir / "tree";
  fs::create_directories(tree);
  const auto g0 = Clock::now();
  uint64_t bytes = 0;
  for (int i = 0; i < a.files; ++i) {
    const std::string text = sourceFile(i, rng, vocab, zipf);
    bytes += text.size();
    writeFile(tree / ("pkg" + std::to_string(i % 50)) / ("m" + std::to_string(i % 17)) /
                  ("f" + std::to_string(i) + kExt[i % 4]),
              text);
  }
  std::fprintf(stderr, "generated %d files (%.1f MB) in %.1f s\n", a.files, static_cast<double>(bytes) / 1e6,
               seconds(g0, Clock::now()));

  const fs::path pdf_dir = a.dir / "pdf";
  std::vector<std::vector<std::string>> pages(static_cast<size_t>(a.pages));
  int clause = 1;
  for (int p = 0; p < a.pages; ++p) {
    auto& lines = pages[static_cast<size_t>(p)];
    for (int l = 0; l < 45; ++l) {
      std::string line;
      if (l % 15 == 0) line = std::to_string(clause++) + ". " + vocab[zipf(rng)] + " and " + vocab[zipf(rng)];
      else
        for (int w = 0; w < 11; ++w) line += vocab[zipf(rng)] + " ";
      lines.push_back(line);
    }
  }
  writeFile(pdf_dir / "bundle.pdf", folio::bench::writeTextPdf(pages, "Benchmark bundle"));

  IngestOptions options;
  options.worker_threads = a.workers;
  if (a.batch_files > 0) options.batch_files = static_cast<size_t>(a.batch_files);
  if (a.batch_ms > 0) options.batch_time = std::chrono::milliseconds(a.batch_ms);
  std::printf("Ingest: %d extraction threads (0 = one per core), commit every %zu documents or %lld ms.\n\n",
              options.worker_threads, options.batch_files, static_cast<long long>(options.batch_time.count()));
  ::sync();  // flush the generated files so writeback does not compete with the measurement
  std::printf("| run | files | chunks | wall s | files/s | CPU s | files per CPU-s | load avg |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|\n");
  {
    Library lib = openOrDie(a.dir / "tree.sqlite");
    for (const char* run : {"source tree, fresh library", "source tree, re-run, all unchanged"}) {
      IngestReport r;
      const Measured m = measure([&] { r = ingestOrDie(lib, tree, options); });
      const double files = static_cast<double>(r.files_seen);
      std::printf("| %s | %zu | %lld | %.2f | %.0f | %.2f | %.0f | %.1f |\n", run, r.files_seen,
                  static_cast<long long>(r.chunks), m.wall_s, files / m.wall_s, m.cpu_s, files / m.cpu_s, m.load);
      if (r.failed || r.skipped) std::printf("(%zu failed, %zu skipped)\n", r.failed, r.skipped);
    }
  }
  {
    Library lib = openOrDie(a.dir / "pdf.sqlite");
    IngestReport r;
    const Measured m = measure([&] { r = ingestOrDie(lib, pdf_dir, options); });
    if (r.failed) std::printf("PDF failed: %s\n", r.failed_files[0].reason.c_str());
    const double pages = static_cast<double>(r.pages);
    std::printf("\n| run | pages | chunks | wall s | pages/s | CPU s | pages per CPU-s | load avg |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| %d-page text PDF | %lld | %lld | %.2f | %.0f | %.2f | %.0f | %.1f |\n", a.pages,
                static_cast<long long>(r.pages), static_cast<long long>(r.chunks), m.wall_s, pages / m.wall_s, m.cpu_s,
                pages / m.cpu_s, m.load);
  }
}

void benchSearch(const Args& a) {
  std::mt19937_64 rng(7);
  const auto vocab = makeVocabulary(50000);
  const Zipf zipf(vocab.size());
  // A library kept with --dir from an older Folio is migrated when opened: time that as well.
  int old_version = 0;
  if (fs::exists(a.dir / "fts.sqlite")) {
    auto db = Database::open(a.dir / "fts.sqlite");
    auto v = db ? schemaVersion(*db) : folio::Result<int>(0);
    old_version = v ? *v : 0;
  }
  std::optional<Library> opened;
  const Measured open_m = measure([&] { opened.emplace(openOrDie(a.dir / "fts.sqlite")); });
  Library& lib = *opened;
  if (old_version > 0 && old_version < kSchemaVersion) {
    std::printf("Migrated the kept library from schema version %d to %d in %.1f s (CPU %.1f s, load avg %.1f).\n",
                old_version, kSchemaVersion, open_m.wall_s, open_m.cpu_s, open_m.load);
  }
  const auto t0 = Clock::now();
  const bool reuse = *lib.db().queryInt("SELECT count(*) FROM chunks") >= a.chunks;  // kept with --dir
  if (!reuse) {
    auto col = lib.ensureCollection("bench");
    constexpr int kPerDoc = 1000;
    std::vector<Chunk> chunks(kPerDoc);
    auto tx = lib.beginWrite();
    for (int d = 0; d * kPerDoc < a.chunks; ++d) {
      for (int c = 0; c < kPerDoc; ++c) {
        Chunk& ch = chunks[static_cast<size_t>(c)];
        ch.kind = ChunkKind::Section;
        ch.heading_path = {std::to_string(c + 1) + ". " + vocab[zipf(rng)] + " " + vocab[zipf(rng)]};
        ch.text.clear();
        const int words = 30 + static_cast<int>(rng() % 40);
        for (int w = 0; w < words; ++w) ch.text += vocab[zipf(rng)] + (w % 15 == 14 ? ". " : " ");
        ch.page_first = ch.page_last = c / 3 + 1;
        ch.line_first = 1 + (c % 3) * 15;
        ch.line_last = ch.line_first + 14;
        ch.token_count = words;
      }
      DocumentRecord doc{.collection_id = *col, .path = "/bench/doc" + std::to_string(d) + ".pdf",
                         .rel_path = "doc" + std::to_string(d) + ".pdf", .kind = "pdf", .page_count = kPerDoc / 3,
                         .status = DocumentStatus::Ok};
      if (!lib.putDocument(doc, chunks)) std::exit(1);
      if (d % 20 == 19) {
        if (!tx->commit()) std::exit(1);
        tx = lib.beginWrite();
        std::fprintf(stderr, "\rinserted %d chunks", (d + 1) * kPerDoc);
      }
    }
    if (!tx->commit()) std::exit(1);
  }
  const double build_s = reuse ? 0 : seconds(t0, Clock::now());
  if (!lib.db().exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab USING fts5vocab(main, chunks_fts, 'row')")) std::exit(1);
  std::fprintf(stderr, "\n");

  // Queries: 1-3 content words drawn by corpus frequency, skipping the 100 most frequent (stopword-like),
  // two-word phrases, and prefixes (a content word of 6+ letters less its last two, and '*', as when
  // typing a stem; the synthetic vocabulary is made of 24 syllables, so a prefix of four letters or
  // fewer stands for thousands of words, which real vocabularies rarely do). Drawn from their own
  // generator, so a library kept with --dir is queried with the same queries as a freshly built one.
  std::mt19937_64 query_rng(8);
  auto contentWord = [&] {
    size_t i;
    do i = zipf(query_rng);
    while (i < 100);
    return vocab[i];
  };
  struct Query {
    std::string text;
    int kind;  // 0..2: 1..3 words; 3: a two-word phrase; 4: a prefix
    double ms = 0, cpu_ms = 0;          // search(): the top-k ranking, then snippets for the hits
    double ref_ms = 0, ref_cpu_ms = 0;  // the single ORDER BY rank statement search() used before
    size_t hits = 0;
    bool any = false;
    bool same = true;  // search() and the reference returned the same chunks, scores and snippets
  };
  static const char* kKindName[] = {"one word", "two words", "three words", "\"two-word phrase\"", "prefix*"};
  constexpr int kKinds = 5;
  std::vector<Query> queries;
  for (int q = 0; q < a.queries; ++q) {
    const int kind = q % kKinds;
    std::string text;
    if (kind == 3) text = "\"" + contentWord() + " " + contentWord() + "\"";
    else if (kind == 4) {
      std::string w;
      do w = contentWord();
      while (w.size() < 6);
      text = w.substr(0, w.size() - 2) + "*";
    }
    else
      for (int w = 0; w <= kind; ++w) text += contentWord() + " ";
    queries.push_back(Query{text, kind});
  }
  SearchOptions options;
  options.limit = 10;
  (void)search(lib.db(), queries[0].text, options);  // warm the page cache
  const double query_load = loadAverage();
  for (auto& q : queries) {
    const double c0 = threadCpuMs();
    const auto q0 = Clock::now();
    auto r = search(lib.db(), q.text, options);
    q.ms = seconds(q0, Clock::now()) * 1e3;
    q.cpu_ms = threadCpuMs() - c0;
    if (!r) {
      std::fprintf(stderr, "bench_ingest: %s\n", r.error().message.c_str());
      std::exit(1);
    }
    q.hits = r->hits.size();
    q.any = r->matched_any;
    const double c1 = threadCpuMs();
    const auto q1 = Clock::now();
    const auto ref = referenceSearch(lib.db(), q.text, options);
    q.ref_ms = seconds(q1, Clock::now()) * 1e3;
    q.ref_cpu_ms = threadCpuMs() - c1;
    q.same = ref.size() == r->hits.size();
    for (size_t i = 0; q.same && i < ref.size(); ++i) {
      q.same = ref[i].chunk_id == r->hits[i].chunk_id && ref[i].score == r->hits[i].score &&
               ref[i].snippet == r->hits[i].snippet;
    }
  }
  auto pct = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
  };
  constexpr int kAll = -1, kAllButPrefix = -2;
  auto stats = [&](int kind) {
    std::vector<double> ms, cpu, ref, ref_cpu;
    size_t hits = 0, same = 0;
    for (const auto& q : queries) {
      if (kind == kAll || (kind == kAllButPrefix && q.kind != 4) || q.kind == kind) {
        ms.push_back(q.ms);
        cpu.push_back(q.cpu_ms);
        ref.push_back(q.ref_ms);
        ref_cpu.push_back(q.ref_cpu_ms);
        hits += q.hits;
        same += q.same;
      }
    }
    std::printf("| %s | %zu | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %zu/%zu |\n",
                kind == kAll ? "all" : kind == kAllButPrefix ? "all but prefix*" : kKindName[kind], ms.size(), pct(ref, 0.5), pct(ref, 0.95), pct(ref, 0.99),
                pct(ref_cpu, 0.95), pct(ms, 0.5), pct(ms, 0.95), pct(ms, 0.99), pct(cpu, 0.95),
                static_cast<double>(hits) / static_cast<double>(ms.size()), same, ms.size());
  };
  const auto db_bytes = fs::file_size(a.dir / "fts.sqlite");
  // The full-text index alone (its segments), without the chunk text and the row sizes.
  const auto index_bytes = lib.db().queryInt("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = 'chunks_fts_data'");
  const double index_mb = index_bytes ? static_cast<double>(*index_bytes) / 1e6 : -1;
  const int64_t n = *lib.db().queryInt("SELECT count(*) FROM chunks");
  std::printf("\nFTS over %lld chunks (%.0f MB library, of which %.0f MB the FTS index; built in %.0f s), limit 10 "
              "with snippets, load avg %.1f.\n"
              "Before: one statement, `ORDER BY rank LIMIT 10` (bm25 for every match). After: search() (top-k "
              "ranking, then snippets for the hits). Wall ms, and CPU ms of this thread; same = identical chunks, "
              "scores and snippets.\n\n",
              static_cast<long long>(n), static_cast<double>(db_bytes) / 1e6, index_mb, build_s, query_load);
  std::printf("| queries | n | before p50 | before p95 | before p99 | before p95 CPU | after p50 | after p95 | "
              "after p99 | after p95 CPU | mean hits | same |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  stats(kAll);
  stats(kAllButPrefix);
  for (int k = 0; k < kKinds; ++k) stats(k);
  std::sort(queries.begin(), queries.end(), [](const Query& x, const Query& y) { return x.ms > y.ms; });
  // Index terms are stems (porter): look words and prefixes up the way the tokenizer makes them.
  if (!lib.db().exec("CREATE VIRTUAL TABLE temp.stemmer USING fts5(x, tokenize='" + std::string(kChunkTokenizer) +
                     "'); CREATE VIRTUAL TABLE temp.stems USING fts5vocab(temp, stemmer, 'instance')")) {
    std::exit(1);
  }
  auto stem = [&](const std::string& word) {
    (void)lib.db().exec("DELETE FROM temp.stemmer");
    auto ins = lib.db().prepare("INSERT INTO temp.stemmer(x) VALUES (?1)");
    ins->bind(1, word);
    (void)ins->run();
    auto st = lib.db().prepare("SELECT term FROM temp.stems");
    return st->step().value() ? st->columnText(0) : word;
  };
  std::printf("\nSlowest queries (after):\n\n| query | ms | CPU ms | before ms | hits | any-term fallback | chunks "
              "holding each word (prefix: stem, terms under it, how FTS5 reads it) |\n|---|---:|---:|---:|---:|---|---|\n");
  for (size_t i = 0; i < 5 && i < queries.size(); ++i) {
    std::string df;
    for (const auto& t : parseQuery(queries[i].text)) {
      std::string words = t.text;
      std::replace(words.begin(), words.end(), ' ', ',');
      auto c = lib.db().prepare("SELECT doc FROM chunks_vocab WHERE term = ?1");
      for (size_t b = 0, e; b <= words.size(); b = e + 1) {
        e = words.find(',', b);
        if (e == std::string::npos) e = words.size();
        const std::string word = stem(words.substr(b, e - b));
        if (!df.empty()) df += ' ';
        if (t.prefix) {
          auto terms = lib.db().prepare("SELECT count(*) FROM chunks_vocab WHERE term GLOB ?1");
          terms->bind(1, word + "*");
          const auto indexed = servedByPrefixIndex(lib.db(), t.text);
          df += "`" + word + "*`, " + std::to_string(terms->step().value() ? terms->columnInt64(0) : 0) + " terms, " +
                (indexed && *indexed ? "prefix index" : "merge");
        } else {
          c->bind(1, word);
          df += std::to_string(c->step().value() ? c->columnInt64(0) : 0);
          c->reset();
        }
      }
    }
    std::printf("| `%s` | %.1f | %.1f | %.1f | %zu | %s | %s |\n", queries[i].text.c_str(), queries[i].ms,
                queries[i].cpu_ms, queries[i].ref_ms, queries[i].hits, queries[i].any ? "yes" : "no", df.c_str());
  }
  // The worst case: the most frequent word (in most chunks), ranked over all its matches.
  const auto c0 = Clock::now();
  auto common = search(lib.db(), vocab[0], options);
  const double common_ms = seconds(c0, Clock::now()) * 1e3;
  const auto r0 = Clock::now();
  (void)referenceSearch(lib.db(), vocab[0], options);
  const double common_ref_ms = seconds(r0, Clock::now()) * 1e3;
  std::printf("\nMost frequent word alone (`%s`, in %lld chunks): %.1f ms (%zu hits); before: %.1f ms.\n",
              vocab[0].c_str(),
              static_cast<long long>(*lib.db().queryInt("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '" +
                                                       vocab[0] + "'")),
              common_ms, common ? common->hits.size() : 0, common_ref_ms);

  // Questions, as rankChunks (app/pipeline/evidence.cpp) asks for one in words: chunks holding any of its
  // 3-6 content words (match_any), the best 200, over the whole library and over a scope of 10 of its
  // 1,000 documents (the documents filter). From a generator of their own (seed 9).
  std::mt19937_64 question_rng(9);
  std::vector<std::string> questions;
  for (int q = 0; q < 80; ++q) {
    std::string text;
    for (int w = 0; w < 3 + q % 4; ++w) {
      size_t i;
      do i = zipf(question_rng);
      while (i < 100);
      text += vocab[i] + " ";
    }
    questions.push_back(text);
  }
  SearchOptions any;
  any.match_any = true;
  any.limit = 200;
  SearchOptions scoped = any;
  auto first_docs = lib.db().prepare("SELECT id FROM documents ORDER BY id LIMIT 10");
  while (first_docs && first_docs->step().value()) scoped.documents.push_back(first_docs->columnInt64(0));
  std::printf("\nQuestions (%zu, 3-6 content words, any of them, best 200 with snippets): ms per search\n\n"
              "| ranked over | p50 | p95 | p99 | p95 CPU | mean hits |\n|---|---:|---:|---:|---:|---:|\n",
              questions.size());
  for (const SearchOptions* o : {&any, &scoped}) {
    std::vector<double> ms, cpu;
    size_t hits = 0;
    for (const auto& q : questions) {
      const double c = threadCpuMs();
      const auto t = Clock::now();
      auto r = search(lib.db(), q, *o);
      ms.push_back(seconds(t, Clock::now()) * 1e3);
      cpu.push_back(threadCpuMs() - c);
      if (!r) {
        std::fprintf(stderr, "bench_ingest: %s\n", r.error().message.c_str());
        std::exit(1);
      }
      hits += r->hits.size();
    }
    std::printf("| %s | %.2f | %.2f | %.2f | %.2f | %.1f |\n",
                o == &any ? "the library" : "10 documents (1%)", pct(ms, 0.5), pct(ms, 0.95), pct(ms, 0.99),
                pct(cpu, 0.95), static_cast<double>(hits) / static_cast<double>(ms.size()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&] {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_ingest: %s needs a value\n", arg.c_str());
        std::exit(64);
      }
      return std::string(argv[++i]);
    };
    if (arg == "--files") a.files = std::stoi(next());
    else if (arg == "--pages") a.pages = std::stoi(next());
    else if (arg == "--chunks") a.chunks = std::stoi(next());
    else if (arg == "--queries") a.queries = std::stoi(next());
    else if (arg == "--workers") a.workers = std::stoi(next());
    else if (arg == "--batch-files") a.batch_files = std::stoi(next());
    else if (arg == "--batch-ms") a.batch_ms = std::stoi(next());
    else if (arg == "--dir") { a.dir = next(); keep = true; }
    else {
      std::fprintf(stderr, "usage: bench_ingest [--files N] [--pages N] [--chunks N] [--queries N] [--workers N] [--batch-files N] [--batch-ms N] [--dir DIR]\n");
      return 64;
    }
  }
  if (a.dir.empty()) a.dir = fs::temp_directory_path() / ("folio-bench-" + std::to_string(getpid()));
  if (!keep) fs::remove_all(a.dir);
  for (const char* db : {"tree.sqlite", "pdf.sqlite"}) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(a.dir / (std::string(db) + suffix));
  }
  fs::create_directories(a.dir);
  printMachine();
  if (a.files > 0 || a.pages > 0) benchIngest(a);
  if (a.chunks > 0) benchSearch(a);
  if (!keep) fs::remove_all(a.dir);
  return 0;
}
