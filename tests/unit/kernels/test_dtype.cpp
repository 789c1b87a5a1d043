#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/cpu/dtype.h"

using namespace folio::kernels;

namespace {
uint32_t bitsOf(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
float fromBits(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }
}  // namespace

TEST(DType, Sizes) {
  EXPECT_EQ(dtypeSize(DType::F32), 4u);
  EXPECT_EQ(dtypeSize(DType::BF16), 2u);
  EXPECT_EQ(dtypeSize(DType::F16), 2u);
  EXPECT_EQ(dtypeSize(DType::I8), 1u);
  EXPECT_EQ(dtypeName(DType::BF16), "BF16");
}

TEST(DType, Bf16RoundTripsEveryValue) {
  for (uint32_t b = 0; b < 0x10000; ++b) {
    const float f = bf16ToF32(static_cast<uint16_t>(b));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(bf16ToF32(f32ToBf16(f))));
      continue;
    }
    ASSERT_EQ(f32ToBf16(f), b) << "bits " << b;
  }
}

TEST(DType, Bf16RoundsToNearestEven) {
  // 1 + 2^-8 is exactly halfway between bf16 1.0 and 1 + 2^-7: ties go to the even mantissa (1.0).
  EXPECT_EQ(f32ToBf16(fromBits(0x3f808000u)), 0x3f80u);
  // 1 + 3*2^-8 is halfway between 1+2^-7 (odd) and 1+2^-6 (even): rounds up.
  EXPECT_EQ(f32ToBf16(fromBits(0x3f818000u)), 0x3f82u);
  // Just above halfway rounds up.
  EXPECT_EQ(f32ToBf16(fromBits(0x3f808001u)), 0x3f81u);
  EXPECT_EQ(f32ToBf16(std::numeric_limits<float>::infinity()), 0x7f80u);
}

TEST(DType, F16RoundTripsEveryValue) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = f16ToF32(static_cast<uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(f16ToF32(f32ToF16(f))));
      continue;
    }
    ASSERT_EQ(f32ToF16(f), h) << "bits " << h << " value " << f;
  }
}

TEST(DType, F16KnownValuesAndRounding) {
  EXPECT_EQ(f16ToF32(0x3c00), 1.0f);
  EXPECT_EQ(f16ToF32(0xc000), -2.0f);
  EXPECT_EQ(f16ToF32(0x7bff), 65504.0f);
  EXPECT_EQ(f16ToF32(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(f32ToF16(65520.0f), 0x7c00);                // rounds to infinity
  EXPECT_EQ(f32ToF16(65519.0f), 0x7bff);
  EXPECT_EQ(f32ToF16(std::ldexp(1.0f, -25)), 0x0000);   // halfway to the smallest subnormal: ties to even (0)
  EXPECT_EQ(f32ToF16(std::ldexp(1.5f, -25)), 0x0001);
  // Every value halfway between two neighbouring f16 numbers rounds to the even one.
  for (uint32_t h = 0; h < 0x7bff; ++h) {
    const double lo = f16ToF32(static_cast<uint16_t>(h)), hi = f16ToF32(static_cast<uint16_t>(h + 1));
    const float mid = static_cast<float>((lo + hi) / 2);
    ASSERT_EQ(static_cast<double>(mid), (lo + hi) / 2);  // representable in f32
    ASSERT_EQ(f32ToF16(mid), (h & 1) ? h + 1 : h) << h;
  }
}

TEST(DType, ConvertToF32) {
  const uint16_t bf[3] = {0x3f80, 0xc000, 0x0000};
  float out[3];
  convertToF32(DType::BF16, bf, out, 3);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], -2.0f);
  EXPECT_EQ(out[2], 0.0f);
  const int8_t q[2] = {-127, 5};
  convertToF32(DType::I8, q, out, 2);
  EXPECT_EQ(out[0], -127.0f);
  EXPECT_EQ(out[1], 5.0f);
  EXPECT_EQ(bitsOf(bf16ToF32(0x8000)), 0x80000000u);  // negative zero kept
}
