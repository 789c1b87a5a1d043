#include "app/bench/batch_decode_bench.h"

#include <chrono>
#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

#include "engine/model/decode_batcher.h"
#include "engine/model/session.h"

namespace folio::bench {

using namespace folio::engine;

namespace {

constexpr int64_t kPrompt = 64;

double seconds() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

int32_t tokenFor(size_t session, int64_t i, int32_t V) {
  return static_cast<int32_t>((static_cast<int64_t>(session) * 104729 + i * 7919 + 13) % V);
}

// B sessions, each prefilled with its own kPrompt tokens.
std::vector<std::unique_ptr<Session>> openSessions(const std::shared_ptr<const Model>& model, size_t B,
                                                   const SessionOptions& o) {
  std::vector<std::unique_ptr<Session>> sessions;
  const int32_t V = model->config().vocab_size;
  for (size_t s = 0; s < B; ++s) {
    auto created = Session::create(model, o);
    if (!created.ok()) {
      std::fprintf(stderr, "folio bench: %s\n", created.error().message.c_str());
      return {};
    }
    std::vector<int32_t> prompt(kPrompt);
    for (int64_t i = 0; i < kPrompt; ++i) prompt[static_cast<size_t>(i)] = tokenFor(s, i, V);
    (void)created.value()->prefill(prompt);
    sessions.push_back(std::move(created.value()));
  }
  return sessions;
}

// Tokens per second of B sessions (each on its own pool of all the threads) decoding one after another.
double decodeInTurn(const std::shared_ptr<const Model>& model, size_t B, int64_t steps, int threads) {
  SessionOptions o;
  o.context_capacity = kPrompt + steps + 1;
  o.threads = threads;
  auto sessions = openSessions(model, B, o);
  if (sessions.empty()) return 0;
  const int32_t V = model->config().vocab_size;
  const double t0 = seconds();
  for (int64_t i = 0; i < steps; ++i) {
    for (size_t s = 0; s < B; ++s) (void)sessions[s]->decode(tokenFor(s, kPrompt + i, V));
  }
  return static_cast<double>(B) * static_cast<double>(steps) / (seconds() - t0);
}

// Tokens per second of B sessions decoding at once, each in its own thread, through one batcher on all
// the threads; *stats receives the batcher's step counts.
double decodeBatched(const std::shared_ptr<const Model>& model, size_t B, int64_t steps, int threads,
                     DecodeBatcher::Stats* stats) {
  auto batcher = DecodeBatcher::create(model, {.threads = threads, .max_batch = static_cast<int>(B)});
  if (!batcher.ok()) {
    std::fprintf(stderr, "folio bench: %s\n", batcher.error().message.c_str());
    return 0;
  }
  SessionOptions o;
  o.context_capacity = kPrompt + steps + 1;
  o.threads = 1;  // the sessions' own pools only prefill, before the clock starts
  o.decode_batcher = batcher.value();
  auto sessions = openSessions(model, B, o);
  if (sessions.empty()) return 0;
  const int32_t V = model->config().vocab_size;
  std::latch start(static_cast<std::ptrdiff_t>(B) + 1);
  std::vector<std::thread> decoders;
  for (size_t s = 0; s < B; ++s) {
    decoders.emplace_back([&, s] {
      start.arrive_and_wait();
      for (int64_t i = 0; i < steps; ++i) (void)sessions[s]->decode(tokenFor(s, kPrompt + i, V));
    });
  }
  start.arrive_and_wait();
  const double t0 = seconds();
  for (auto& d : decoders) d.join();
  const double elapsed = seconds() - t0;
  *stats = batcher.value()->stats();
  return static_cast<double>(B) * static_cast<double>(steps) / elapsed;
}

}  // namespace

void printBatchDecodeTable(const std::shared_ptr<const Model>& model, const EngineBenchOptions& a) {
  const int64_t steps = a.quick ? 16 : 48;
  const std::vector<size_t> sizes = a.quick ? std::vector<size_t>{1, 4, 8} : std::vector<size_t>{1, 2, 4, 8, 16};
  std::printf("\nB8 decode of B sequences at once: B sessions through one decode batcher (a thread each) vs the same "
              "B decoding in turn\n  (position ~%lld, %lld tokens each; tokens/s summed over the sessions)\n",
              (long long)kPrompt, (long long)steps);
  std::printf("  %4s  %14s  %14s  %7s  %7s  %10s\n", "B", "in turn tok/s", "batched tok/s", "x", "steps",
              "mean batch");
  for (size_t B : sizes) {
    const double alone = decodeInTurn(model, B, steps, a.threads);
    DecodeBatcher::Stats stats;
    const double together = decodeBatched(model, B, steps, a.threads, &stats);
    if (alone <= 0 || together <= 0) return;
    std::printf("  %4zu  %14.1f  %14.1f  %6.2fx  %7lld  %10.2f\n", B, alone, together, together / alone,
                (long long)stats.steps, stats.steps ? double(stats.tokens) / double(stats.steps) : 0.0);
    std::fflush(stdout);
  }
}

}  // namespace folio::bench
