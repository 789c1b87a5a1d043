// InProcessComm: sums in rank order (bit-exact whatever the thread timing), the same bits on every rank,
// gathers in rank order, many rounds of mixed collectives, 1 … 8 ranks, a clear error when the ranks
// call different collectives, and abort() releasing ranks that wait for a failed one.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "engine/parallel/in_process_comm.h"

namespace folio::engine {
namespace {

// Runs body(comm) on one thread per rank and waits for all.
void onRanks(InProcessGroup& group, const std::function<void(Comm&)>& body) {
  std::vector<std::thread> threads;
  for (int r = 0; r < group.size(); ++r) threads.emplace_back([&, r] { body(group.comm(r)); });
  for (std::thread& t : threads) t.join();
}

// Values whose float sum depends on the order of the terms.
float term(int rank, int64_t i) {
  static const float kTerms[] = {1e8f, 1.0f, -1e8f, 3.0f, 0.1f, -7e7f, 2.5e-3f, 6e7f};
  return kTerms[(rank + i) % 8] * (1.0f + 0.01f * static_cast<float>(i % 13));
}

float rankOrderSum(int ranks, int64_t i) {
  float s = term(0, i);
  for (int r = 1; r < ranks; ++r) s += term(r, i);
  return s;
}

bool sameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(InProcessComm, RankAndSize) {
  InProcessGroup group(3);
  EXPECT_EQ(group.size(), 3);
  for (int r = 0; r < 3; ++r) {
    EXPECT_EQ(group.comm(r).rank(), r);
    EXPECT_EQ(group.comm(r).size(), 3);
  }
}

TEST(InProcessComm, AllReduceSumsInRankOrderForOneToEightRanks) {
  for (int ranks = 1; ranks <= 8; ++ranks) {
    InProcessGroup group(ranks);
    const int64_t n = 37;  // not a multiple of the rank count: uneven slices of the reduction
    std::vector<std::vector<float>> data(static_cast<size_t>(ranks), std::vector<float>(n));
    onRanks(group, [&](Comm& c) {
      std::vector<float>& mine = data[static_cast<size_t>(c.rank())];
      for (int64_t i = 0; i < n; ++i) mine[static_cast<size_t>(i)] = term(c.rank(), i);
      ASSERT_TRUE(c.allReduceSum(mine.data(), n).ok());
    });
    for (int r = 0; r < ranks; ++r) {
      for (int64_t i = 0; i < n; ++i) {
        const float got = data[static_cast<size_t>(r)][static_cast<size_t>(i)];
        ASSERT_TRUE(sameBits(got, rankOrderSum(ranks, i)))
            << ranks << " ranks, rank " << r << ", element " << i << ": " << got << " vs " << rankOrderSum(ranks, i);
      }
    }
  }
}

TEST(InProcessComm, OrderOfTermsMattersAndIsRankOrder) {
  // 1e8 + 1 − 1e8 + 1 is 1 in this order (the first 1 is lost) and 2 in others.
  InProcessGroup group(4);
  const float values[] = {1e8f, 1.0f, -1e8f, 1.0f};
  std::vector<float> got(4);
  for (int round = 0; round < 50; ++round) {
    onRanks(group, [&](Comm& c) {
      float v = values[c.rank()];
      if (c.rank() == 3) std::this_thread::yield();  // perturb the arrival order
      ASSERT_TRUE(c.allReduceSum(&v, 1).ok());
      got[static_cast<size_t>(c.rank())] = v;
    });
    for (float v : got) ASSERT_EQ(v, 1.0f) << "round " << round;
  }
}

TEST(InProcessComm, AllGatherConcatenatesInRankOrder) {
  for (int ranks = 1; ranks <= 8; ++ranks) {
    InProcessGroup group(ranks);
    const int64_t n = 5;
    std::vector<std::vector<float>> recv(static_cast<size_t>(ranks), std::vector<float>(static_cast<size_t>(ranks * n)));
    onRanks(group, [&](Comm& c) {
      std::vector<float> send(n);
      for (int64_t i = 0; i < n; ++i) send[static_cast<size_t>(i)] = static_cast<float>(100 * c.rank() + i);
      ASSERT_TRUE(c.allGather(send.data(), n, recv[static_cast<size_t>(c.rank())].data()).ok());
    });
    for (int r = 0; r < ranks; ++r) {
      for (int src = 0; src < ranks; ++src) {
        for (int64_t i = 0; i < n; ++i) {
          ASSERT_EQ(recv[static_cast<size_t>(r)][static_cast<size_t>(src * n + i)], static_cast<float>(100 * src + i));
        }
      }
    }
  }
}

TEST(InProcessComm, BarrierWaitsForEveryRank) {
  InProcessGroup group(6);
  std::atomic<int> arrived{0};
  std::atomic<int> early{0};
  onRanks(group, [&](Comm& c) {
    for (int round = 1; round <= 20; ++round) {
      arrived.fetch_add(1);
      ASSERT_TRUE(c.barrier().ok());
      if (arrived.load() < 6 * round) early.fetch_add(1);
      ASSERT_TRUE(c.barrier().ok());  // nobody starts the next round before all have checked
    }
  });
  EXPECT_EQ(early.load(), 0);
}

TEST(InProcessComm, ManyRoundsOfMixedCollectives) {
  const int ranks = 5;
  InProcessGroup group(ranks);
  std::atomic<int> failures{0};
  onRanks(group, [&](Comm& c) {
    std::vector<float> buf, recv;
    for (int round = 0; round < 400; ++round) {
      const int64_t n = round % 23;  // includes 0 and counts below the rank count
      buf.assign(static_cast<size_t>(n), 0.0f);
      for (int64_t i = 0; i < n; ++i) buf[static_cast<size_t>(i)] = term(c.rank(), i + round);
      if (!c.allReduceSum(buf.data(), n).ok()) failures.fetch_add(1);
      for (int64_t i = 0; i < n; ++i) {
        float expect = term(0, i + round);
        for (int r = 1; r < ranks; ++r) expect += term(r, i + round);
        if (!sameBits(buf[static_cast<size_t>(i)], expect)) failures.fetch_add(1);
      }
      recv.assign(static_cast<size_t>(ranks * n), -1.0f);
      if (!c.allGather(buf.data(), n, recv.data()).ok()) failures.fetch_add(1);
      for (int64_t i = 0; i < ranks * n; ++i) {
        if (!sameBits(recv[static_cast<size_t>(i)], buf[static_cast<size_t>(i % std::max<int64_t>(n, 1))])) {
          failures.fetch_add(1);
        }
      }
      if (round % 7 == 0 && !c.barrier().ok()) failures.fetch_add(1);
    }
  });
  EXPECT_EQ(failures.load(), 0);
}

TEST(InProcessComm, MismatchedCallsAreAnErrorOnEveryRank) {
  InProcessGroup group(3);
  std::vector<std::string> errors(3);
  onRanks(group, [&](Comm& c) {
    std::vector<float> buf(8, 1.0f);
    const Status s = c.allReduceSum(buf.data(), c.rank() == 2 ? 7 : 8);
    errors[static_cast<size_t>(c.rank())] = s.ok() ? "" : s.error().message;
    // the group stays usable afterwards
    ASSERT_TRUE(c.allReduceSum(buf.data(), 8).ok());
    EXPECT_EQ(buf[0], 3.0f);
  });
  for (const std::string& e : errors) {
    EXPECT_NE(e.find("mismatch"), std::string::npos) << e;
    EXPECT_NE(e.find("rank 2 called allReduceSum with 7"), std::string::npos) << e;
  }
  onRanks(group, [&](Comm& c) {
    float v = 1.0f;
    const Status s = c.rank() == 0 ? c.barrier() : c.allReduceSum(&v, 1);
    EXPECT_FALSE(s.ok());
    if (!s.ok()) {
      EXPECT_NE(s.error().message.find("rank 0 called barrier"), std::string::npos) << s.error().message;
    }
  });
}

TEST(InProcessComm, AbortReleasesRanksWaitingForAFailedOne) {
  // rank 2 fails before its collective and aborts the group: the ranks already waiting for it return an
  // error instead of waiting forever, and so does every later collective, on any rank
  InProcessGroup group(3);
  std::vector<std::string> errors(3);
  onRanks(group, [&](Comm& c) {
    std::vector<float> buf(8, 1.0f);
    if (c.rank() == 2) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the others are waiting by now
      c.abort();
      c.abort();  // more than once is fine
      return;
    }
    const Status s = c.allReduceSum(buf.data(), 8);
    errors[static_cast<size_t>(c.rank())] = s.ok() ? "" : s.error().message;
  });
  EXPECT_NE(errors[0].find("aborted"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("aborted"), std::string::npos) << errors[1];
  float v = 1.0f, gathered[3] = {};
  EXPECT_FALSE(group.comm(0).barrier().ok());
  EXPECT_FALSE(group.comm(1).allGather(&v, 1, gathered).ok());
  EXPECT_FALSE(group.comm(2).allReduceSum(&v, 1).ok());
}

}  // namespace
}  // namespace folio::engine
