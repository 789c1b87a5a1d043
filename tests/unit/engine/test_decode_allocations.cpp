// Decode allocates nothing on the heap: every buffer is sized when the session is created (a token
// that mallocs pays for it on every step and fragments a long-running server). Counts the global
// operator new of this test binary while a session decodes, single- and multi-threaded, with the
// routing sink and aggregate on.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "engine/model/decode_batcher.h"
#include "test_session_support.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace folio::engine {
namespace {

void expectDecodeAllocatesNothing(const std::string& model_name, int threads, bool batched = false,
                                  int tensor_parallel = 1) {
  const long at_start = g_allocations.load();
  auto model = test::loadFixtureModel(model_name);
  ASSERT_TRUE(model);
  SessionOptions o;
  o.context_capacity = 600;
  o.threads = threads;
  o.tensor_parallel = tensor_parallel;
  if (batched) {
    auto batcher = DecodeBatcher::create(model, {.threads = threads, .max_batch = 4});
    ASSERT_TRUE(batcher.ok());
    o.decode_batcher = batcher.value();
  }
  auto s = test::openSession(model, o);
  ASSERT_TRUE(s);
  ASSERT_GT(g_allocations.load(), at_start) << "the counting operator new is not in use";
  const auto prompt = test::fixedPrompt(300);  // past the 256-token block, so the KV cache has rows
  ASSERT_TRUE(s->prefill(prompt).ok());
  ASSERT_TRUE(s->decode(prompt[0]).ok());  // the first decode may set up lazily
  const long before = g_allocations.load();
  for (int i = 1; i <= 200; ++i) ASSERT_TRUE(s->decode(prompt[static_cast<size_t>(i)]).ok());
  EXPECT_EQ(g_allocations.load() - before, 0) << model_name << ", " << threads << " threads: heap allocations in 200 decode steps";
}

TEST(DecodeAllocations, NoneOnOneThread) { expectDecodeAllocatesNothing("tiny-f32-h4-ls", 1); }
TEST(DecodeAllocations, NoneOnThreeThreads) { expectDecodeAllocatesNothing("tiny-bf16-h4-gqa2-lsls-hfcfg", 3); }
TEST(DecodeAllocations, NoneWithASharedExpert) { expectDecodeAllocatesNothing("tiny-f32-h4-shared-text01", 2); }
TEST(DecodeAllocations, NoneThroughTheDecodeBatcher) {
  expectDecodeAllocatesNothing("tiny-bf16-h4-gqa2-lsls-hfcfg", 2, /*batched=*/true);
}
TEST(DecodeAllocations, NoneSplitOverTwoRanks) { expectDecodeAllocatesNothing("tiny-f32-h4-shared-text01", 2, false, 2); }
TEST(DecodeAllocations, NoneSplitOverTwoRanksThroughTheDecodeBatcher) {
  expectDecodeAllocatesNothing("tiny-bf16-h4-gqa2-lsls-hfcfg", 2, /*batched=*/true, /*tensor_parallel=*/2);
}

}  // namespace
}  // namespace folio::engine
