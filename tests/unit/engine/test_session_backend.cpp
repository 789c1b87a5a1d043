// Backend selection in Session::create: --backend cpu|cuda|auto and --devices parsing, a clear refusal
// when CUDA is asked for but cannot run (no CUDA build, no device, a device that does not exist,
// several devices), and Auto falling back to the CPU when the machine has no CUDA device.
#include <gtest/gtest.h>

#include "test_session_support.h"

namespace folio::engine {
namespace {

TEST(SessionBackend, ParsesBackendNames) {
  for (Backend b : {Backend::Cpu, Backend::Cuda, Backend::Auto}) {
    auto parsed = parseBackend(backendName(b));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value(), b);
  }
  auto bad = parseBackend("gpu");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'gpu'"), std::string::npos) << bad.error().message;
}

TEST(SessionBackend, ParsesDeviceLists) {
  auto one = parseDeviceList("0");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one.value(), std::vector<int>{0});
  auto several = parseDeviceList("2,0,11");
  ASSERT_TRUE(several.ok());
  EXPECT_EQ(several.value(), (std::vector<int>{2, 0, 11}));
  for (const char* bad : {"", "0,", ",1", "a", "1,-2", "0,0", "1.5", "3x"}) {
    auto r = parseDeviceList(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "' was accepted";
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("devices:"), std::string::npos) << r.error().message;
    }
  }
}

TEST(SessionBackend, CpuIsTheDefault) {
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  auto s = test::openSession(model, SessionOptions{});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->backend(), Backend::Cpu);
}

// Without a usable device (every CI machine), cuda is refused by name and auto runs on the CPU with the
// CPU's logits; on a machine with a device both take CUDA.
TEST(SessionBackend, CudaWithoutDeviceFailsClearlyAndAutoFallsBack) {
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  SessionOptions cuda;
  cuda.backend = Backend::Cuda;
  auto c = Session::create(model, cuda);
  SessionOptions automatic;
  automatic.backend = Backend::Auto;
  auto a = Session::create(model, automatic);
  ASSERT_TRUE(a.ok()) << a.error().message;
  if (c.ok()) {
    EXPECT_EQ(c.value()->backend(), Backend::Cuda);
    EXPECT_EQ(a.value()->backend(), Backend::Cuda);
    return;
  }
  EXPECT_EQ(c.error().kind, ErrorKind::Unsupported);
  EXPECT_EQ(c.error().message.rfind("CUDA backend requested but ", 0), 0u) << c.error().message;
  EXPECT_EQ(a.value()->backend(), Backend::Cpu);
  const std::vector<int32_t> ids = test::fixedPrompt(20);
  auto cpu = test::openSession(model, SessionOptions{});
  ASSERT_TRUE(cpu);
  std::vector<float> want, got;
  ASSERT_TRUE(cpu->prefill(ids, &want).ok());
  ASSERT_TRUE(a.value()->prefill(ids, &got).ok());
  EXPECT_EQ(got, want);
}

TEST(SessionBackend, CudaRefusesDevicesThatDoNotExist) {
  // {0, 1}: this machine has fewer than two devices (CI has none; the device machines one)
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  for (const std::vector<int>& devices : {std::vector<int>{0, 1}, std::vector<int>{4096}}) {
    SessionOptions o;
    o.backend = Backend::Cuda;
    o.devices = devices;
    auto s = Session::create(model, o);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message.rfind("CUDA backend requested but ", 0), 0u) << s.error().message;
  }
  SessionOptions negative;
  negative.backend = Backend::Auto;
  negative.devices = {-1};
  auto s = Session::create(model, negative);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("device numbers"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace folio::engine
