// `folio serve [--model DIR] [--library DB] [--host 127.0.0.1] [--port 8080] [--api-key-file F]
// [--max-concurrent N] [--decode-batch N] [--queue N] [--cors-origin O] [--threads N] [--backend cpu|cuda|auto]
// [--devices 0] [--experts-int8]`:
// the local HTTP API (app/server/server.h). The model, the library and where sessions run are chosen here,
// at start; a backend that cannot run the model fails here, before the server listens. Prints the bound address
// ("folio serve: listening on http://127.0.0.1:PORT") as its first line of output; --port 0 picks a
// free port. SIGINT/SIGTERM stop it gracefully: running generations are cancelled and answered.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/cli/backend_args.h"
#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/library_open.h"
#include "app/library_path.h"
#include "app/server/http_guard.h"
#include "app/server/server.h"

namespace folio::cli {
namespace {

struct ServeArgs {
  std::string model, library, api_key_file;
  int decode_batch = -1;  // -1: --max-concurrent
  BackendArgs backend;
  app::server::ServerOptions options;
};

int fail(const std::string& message, int code) {
  std::cerr << "folio serve: " << message << "\n";
  return code;
}

// Blocks SIGINT and SIGTERM in this thread and so in every thread started after it: the engine's worker
// threads (the decode batcher's pool, CUDA's) are created before the server runs, and a signal delivered
// to one of them would kill the process instead of stopping the server.
class SignalBlock {
 public:
  SignalBlock() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  }
  ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;
  const sigset_t& signals() const { return set_; }

 private:
  sigset_t set_{}, previous_{};
};

// Waits for the blocked signals on a thread of its own that stops the server.
class SignalStopper {
 public:
  SignalStopper(app::server::ApiServer& server, const SignalBlock& block) : set_(block.signals()) {
    thread_ = std::thread([this, &server] {
      while (!done_.load()) {
        timespec wait{0, 200'000'000};
        const int sig = sigtimedwait(&set_, nullptr, &wait);
        if (sig == SIGINT || sig == SIGTERM) {
          std::cerr << "folio serve: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
                    << ": stopping (cancelling running generations)\n";
          signalled_.store(true);
          server.stop();
          return;
        }
      }
    });
  }
  ~SignalStopper() {
    done_.store(true);
    thread_.join();
  }
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;
  bool signalled() const { return signalled_.load(); }

 private:
  sigset_t set_;
  std::atomic<bool> done_{false}, signalled_{false};
  std::thread thread_;
};

int runServe(ServeArgs& a) {
  const SignalBlock signal_block;  // before any thread starts
  auto& o = a.options;
  if (o.port < 0 || o.port > 65535) return fail("--port must be in [0, 65535] (0: any free port)", kExitUsage);
  if (o.max_concurrent < 1 || o.max_concurrent > 64) return fail("--max-concurrent must be in [1, 64]", kExitUsage);
  if (a.decode_batch < -1 || a.decode_batch > 64) return fail("--decode-batch must be in [0, 64] (0 or 1: each generation decodes alone)", kExitUsage);
  if (o.queue < 0 || o.queue > 1024) return fail("--queue must be in [0, 1024]", kExitUsage);
  if (o.session.threads < 0 || o.session.threads > 4096) return fail("--threads must be in [0, 4096] (0: all cores)", kExitUsage);
  if (o.host.empty()) return fail("--host may not be empty", kExitUsage);
  if (!o.cors_origin.empty())
    if (const std::string problem = app::server::corsOriginProblem(o.cors_origin); !problem.empty())
      return fail("--cors-origin: " + problem, kExitUsage);
  auto backend = parseBackendArgs(a.backend);
  if (!backend) return fail(backend.error().message, kExitUsage);
  o.session.backend = backend->backend;
  o.session.devices = backend->devices;
  if (!a.api_key_file.empty()) {
    std::ifstream in(a.api_key_file, std::ios::binary);
    if (!in) return fail("--api-key-file: cannot read " + a.api_key_file + ": " + std::strerror(errno), kExitFailure);
    std::ostringstream text;
    text << in.rdbuf();
    o.api_key = app::server::trimKey(text.str());
    if (o.api_key.empty()) return fail("--api-key-file: " + a.api_key_file + " is empty", kExitBadInput);
  }

  std::optional<app::server::LoadedModel> model;
  if (!a.model.empty()) {
    auto loaded = app::server::loadModel(a.model, loadOptions(a.backend));
    if (!loaded) return fail(loaded.error().message, exitCodeFor(loaded.error()));
    auto runs_on = app::server::checkPlacement(*loaded, o.session);
    if (!runs_on) return fail(runs_on.error().message, exitCodeFor(runs_on.error()));
    o.session.backend = *runs_on;  // Auto resolved once, so every request runs where the check did
    // CUDA batches only when asked: its batched step has not yet run on a device
    const int by_default = o.session.backend == engine::Backend::Cpu ? o.max_concurrent : 0;
    const int batch = a.decode_batch < 0 ? by_default : std::min(a.decode_batch, o.max_concurrent);
    auto batcher = app::server::makeDecodeBatcher(*loaded, o.session, batch);
    if (!batcher) return fail(batcher.error().message, exitCodeFor(batcher.error()));
    o.session.decode_batcher = *batcher;
    model = std::move(*loaded);
  }

  std::optional<std::filesystem::path> library;
  std::string library_problem;
  {
    auto lib = openLibraryReporting(a.library, false, "folio serve");
    if (lib) {
      library = *app::resolveLibraryPath(a.library);
    } else if (!a.library.empty() || lib.error().kind == ErrorKind::Cancelled) {
      return fail("--library: " + lib.error().message, exitCodeFor(lib.error()));
    } else {
      library_problem = lib.error().message;
    }
  }

  app::server::ApiServer server(o, std::move(model), library, library_problem);
  SignalStopper stopper(server, signal_block);
  auto port = server.bind();
  if (!port) return fail(port.error().message, kExitFailure);
  const bool v6 = o.host.find(':') != std::string::npos;
  std::cout << "folio serve: listening on http://" << (v6 ? "[" + o.host + "]" : o.host) << ":" << *port << std::endl;
  std::cerr << "folio serve: model " << (server.state().model ? server.state().model->name : "(none: generation endpoints answer 503)")
            << "; library " << (library ? library->string() : "(none: " + library_problem + ")") << "; "
            << (server.state().model ? std::string(engine::backendName(o.session.backend)) + " backend; " : "")
            << o.max_concurrent << " concurrent"
            << (o.session.decode_batcher ? " (decode steps batched)" : "") << ", queue " << o.queue << (o.api_key.empty() ? "" : "; API key required")
            << (o.cors_origin.empty() ? "" : "; CORS origin " + o.cors_origin) << "\n";
  if (!app::server::isLoopbackName(o.host))
    std::cerr << "folio serve: warning: " << o.host << " is not a loopback address; the API is reachable from the network\n";
  server.run();
  std::cerr << "folio serve: stopped\n";
  return kExitOk;
}

}  // namespace

void addServeCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("serve", "Serve the engine and the library over a local HTTP API");
  auto a = std::make_shared<ServeArgs>();
  cmd->add_option("--model", a->model, "Model directory (config.json, weights, tokenizer.json); without it the generation endpoints answer 503");
  cmd->add_option("--library", a->library, "Library database (default: $XDG_DATA_HOME/folio/library.sqlite)");
  cmd->add_option("--host", a->options.host, "Address to bind (loopback by default)")->capture_default_str();
  cmd->add_option("--port", a->options.port, "Port to bind (0: any free port, printed at start)")->capture_default_str();
  cmd->add_option("--api-key-file", a->api_key_file, "Require Authorization: Bearer <the file's contents, trimmed>");
  cmd->add_option("--max-concurrent", a->options.max_concurrent, "Generations running at once")->capture_default_str();
  cmd->add_option("--decode-batch", a->decode_batch,
                  "Most concurrent generations whose decode steps run as one batch, reading the weights once for "
                  "all (default: --max-concurrent on the CPU, off on CUDA; 0 or 1: each decodes alone)");
  cmd->add_option("--queue", a->options.queue, "Generations waiting beyond those; more get 429 with Retry-After")
      ->capture_default_str();
  cmd->add_option("--cors-origin", a->options.cors_origin, "Allow this browser origin (CORS); none by default");
  cmd->add_option("--threads", a->options.session.threads, "Engine CPU threads per generation (0: all cores)")->capture_default_str();
  addBackendOptions(cmd, &a->backend);
  cmd->callback([&ctx, a] { ctx.exit_code = runServe(*a); });
}

}  // namespace folio::cli
