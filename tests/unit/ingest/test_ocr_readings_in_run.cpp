// OcrReadingsInRun: a thread reading a PDF holds it until it is done; others wait and get its reading,
// or, when that reading failed, one of them reads it; the readings kept stay within their bound.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "ingest/ocr_readings_in_run.h"

namespace folio::ingest {
namespace {

using namespace std::chrono_literals;

OcrPageTexts reading(const std::string& hash, std::string text) {
  OcrPageTexts r;
  r.pdf_hash = hash;
  r.languages = "eng";
  r.pages = {{0, std::move(text)}};
  return r;
}

TEST(OcrReadingsInRun, AWaitingThreadGetsTheReadingOfTheThreadReadingThePdf) {
  OcrReadingsInRun readings;
  ASSERT_FALSE(readings.acquire("h", nullptr));  // this thread reads it
  std::atomic<bool> got{false};
  std::string seen;
  std::thread other([&] {
    auto r = readings.acquire("h", nullptr);
    if (r) seen = r->pages.at(0);
    got = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(got.load());  // waiting for this thread's reading
  const OcrPageTexts made = reading("h", "The rent is payable quarterly.");
  readings.finished("h", &made);
  other.join();
  EXPECT_EQ(seen, "The rent is payable quarterly.");
  auto again = readings.acquire("h", nullptr);  // from now on without waiting
  ASSERT_TRUE(again);
  EXPECT_EQ(again->pages, made.pages);
}

TEST(OcrReadingsInRun, AFailedReadingLetsTheNextThreadReadIt) {
  OcrReadingsInRun readings;
  ASSERT_FALSE(readings.acquire("h", nullptr));
  std::atomic<int> outcome{0};  // 1: the other thread reads it itself
  std::thread other([&] {
    auto r = readings.acquire("h", nullptr);
    outcome = r ? 2 : 1;
    if (!r) readings.finished("h", nullptr);
  });
  std::this_thread::sleep_for(50ms);
  readings.finished("h", nullptr);
  other.join();
  EXPECT_EQ(outcome.load(), 1);
  EXPECT_FALSE(readings.acquire("h", nullptr));  // nothing was kept
}

TEST(OcrReadingsInRun, ACancelledWaitReturnsWithoutTheReading) {
  OcrReadingsInRun readings;
  ASSERT_FALSE(readings.acquire("h", nullptr));
  std::atomic<bool> cancel{false};
  std::atomic<bool> returned{false};
  std::thread other([&] {
    readings.acquire("h", &cancel);
    returned = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(returned.load());
  cancel = true;
  other.join();  // within 200 ms of the cancel
  EXPECT_TRUE(returned.load());
  readings.finished("h", nullptr);
}

TEST(OcrReadingsInRun, OnlyTheReadingThreadFinishesAPdfAndItNeverWaitsForItself) {
  OcrReadingsInRun readings;
  ASSERT_FALSE(readings.acquire("h", nullptr));
  EXPECT_FALSE(readings.acquire("h", nullptr));  // the same file attached twice, read in turn
  std::thread other([&] {
    const OcrPageTexts wrong = reading("h", "not this thread's");
    readings.finished("h", &wrong);  // it did not acquire "h": no effect
  });
  other.join();
  const OcrPageTexts made = reading("h", "made");
  readings.finished("h", &made);
  EXPECT_EQ(readings.acquire("h", nullptr)->pages.at(0), "made");
}

TEST(OcrReadingsInRun, TheOldestReadingsAreForgottenPastTheBound) {
  OcrReadingsInRun readings(3000);
  for (const std::string h : {"a", "b", "c"}) {
    ASSERT_FALSE(readings.acquire(h, nullptr));
    const OcrPageTexts made = reading(h, std::string(1000, 'x'));
    readings.finished(h, &made);
  }
  EXPECT_LE(readings.bytes(), 3000u);
  EXPECT_FALSE(readings.acquire("a", nullptr));  // forgotten: read again
  readings.finished("a", nullptr);
  EXPECT_TRUE(readings.acquire("c", nullptr));
  // A reading larger than the whole bound is not kept at all.
  ASSERT_FALSE(readings.acquire("big", nullptr));
  const OcrPageTexts big = reading("big", std::string(5000, 'x'));
  readings.finished("big", &big);
  EXPECT_FALSE(readings.acquire("big", nullptr));
  readings.finished("big", nullptr);
}

}  // namespace
}  // namespace folio::ingest
