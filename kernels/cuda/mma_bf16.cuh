// Warp-level bf16 tensor-core helpers (sm_80+) shared by the kernels that keep their tiles in
// registers: ldmatrix loads of 8×8 bf16 tiles from shared memory, mma.m16n8k16 with fp32 accumulation,
// and the packing of two fp32 values as a bf16 pair.
//
// Fragment layouts are those of the PTX ISA for mma.m16n8k16 with .bf16 (g = lane / 4, c = lane % 4):
//   A 16×16: {row g, cols 2c, 2c+1}, {row g+8, …}, {row g, cols 8+2c, +1}, {row g+8, cols 8+2c, +1}
//   B 16×8:  {rows 2c, 2c+1, col g}, {rows 8+2c, +1, col g}
//   C 16×8:  row g cols 2c, 2c+1, then row g+8 cols 2c, 2c+1
// and ldmatrix.x4 gives each lane, for each of four 8×8 tiles (tile i's row r at the address lane 8i + r
// supplies), row g's elements 2c, 2c+1 (.trans: column g's rows 2c, 2c+1). So the C fragments of two
// adjacent n-tiles are, packed to bf16, the A fragment of a 16-wide k-step.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>

#include "kernels/cuda/async_copy.cuh"

namespace folio::kernels::cuda::detail {

__device__ __forceinline__ void ldmatrixX4(const uint16_t* p, uint32_t (&r)[4]) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(sharedAddress(p)));
}
__device__ __forceinline__ void ldmatrixX4Trans(const uint16_t* p, uint32_t (&r)[4]) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(sharedAddress(p)));
}

// c += a·b for one 16×8 tile (a 16×16 bf16, b 16×8 bf16, c fp32).
__device__ __forceinline__ void mmaBf16(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  asm volatile(
      "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
      "{%0, %1, %2, %3};\n"
      : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// Two fp32 values as a bf16 pair (round to nearest even), lo in the low half as mma expects.
__device__ __forceinline__ uint32_t packBf16(float lo, float hi) {
  const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
  return *reinterpret_cast<const uint32_t*>(&v);
}

// A 16-wide k-step's A operand from the fp32 accumulators of two adjacent 8-column tiles (rounded to bf16).
__device__ __forceinline__ void accumulatorsAsA(const float (&lo)[4], const float (&hi)[4], uint32_t (&a)[4]) {
  a[0] = packBf16(lo[0], lo[1]);
  a[1] = packBf16(lo[2], lo[3]);
  a[2] = packBf16(hi[0], hi[1]);
  a[3] = packBf16(hi[2], hi[3]);
}

// This lane's offset in a 16×16 bf16 tile of row stride ld for ldmatrix.x4, in the two tile orders the
// operands need (mma_bf16.cuh's header: tile i is what registers i hold).
//   rowsFirst: rows 0–7, rows 8–15 at columns 0–7, then the same at columns 8–15 — an A operand stored
//              row-major (m rows, k columns), and, read transposed, a B operand stored k-major (k rows).
//   colsFirst: columns 0–7, 8–15 of rows 0–7, then of rows 8–15 — two B operands stored n-major (n rows,
//              k columns), and, read transposed, an A operand stored k-major (k rows, m columns).
__device__ __forceinline__ int rowsFirstOffset(int lane, int ld) {
  return ((lane & 7) + ((lane >> 3) & 1) * 8) * ld + (lane >> 4) * 8;
}
__device__ __forceinline__ int colsFirstOffset(int lane, int ld) {
  return ((lane & 7) + (lane >> 4) * 8) * ld + ((lane >> 3) & 1) * 8;
}

// acc[0 … 2N−1] += a · B for one k-step, B stored n-major: `b` is this lane's colsFirstOffset address at
// the k-step's column and the first n row; output tile j is n rows 8j … 8j+7.
template <int N>
__device__ __forceinline__ void mmaNMajor(float (&acc)[2 * N][4], const uint32_t (&a)[4], const uint16_t* b, int ld) {
#pragma unroll
  for (int j = 0; j < N; ++j) {
    uint32_t r[4];
    ldmatrixX4(b + j * 16 * ld, r);
    mmaBf16(acc[2 * j], a, r[0], r[1]);
    mmaBf16(acc[2 * j + 1], a, r[2], r[3]);
  }
}

// acc[0 … 2N−1] += a · B for one k-step, B stored k-major: `b` is this lane's rowsFirstOffset address at
// the k-step's first row and column 0; output tile j is columns 8j … 8j+7.
template <int N>
__device__ __forceinline__ void mmaKMajor(float (&acc)[2 * N][4], const uint32_t (&a)[4], const uint16_t* b) {
#pragma unroll
  for (int j = 0; j < N; ++j) {
    uint32_t r[4];
    ldmatrixX4Trans(b + j * 16, r);
    mmaBf16(acc[2 * j], a, r[0], r[1]);
    mmaBf16(acc[2 * j + 1], a, r[2], r[3]);
  }
}

}  // namespace folio::kernels::cuda::detail
