// cp.async helpers shared by the kernels that stream tiles into shared memory while they compute on
// the previous ones (sm_80+): 16-byte copies that bypass L1, commit groups and waits.
#pragma once

#include <cuda_runtime.h>

namespace folio::kernels::cuda::detail {

__device__ __forceinline__ unsigned sharedAddress(const void* p) {
  return static_cast<unsigned>(__cvta_generic_to_shared(p));
}

// 16 bytes global → shared (both 16-byte aligned).
__device__ __forceinline__ void cpAsync16(void* dst, const void* src) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(sharedAddress(dst)), "l"(src));
}

// The same, or with valid false 16 zero bytes written and nothing read.
__device__ __forceinline__ void cpAsync16OrZero(void* dst, const void* src, bool valid) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(sharedAddress(dst)), "l"(src),
               "r"(valid ? 16 : 0));
}

__device__ __forceinline__ void cpAsyncCommit() {
  asm volatile("cp.async.commit_group;\n" ::);
}

// Waits until at most N of this thread's committed groups are still in flight.
template <int N>
__device__ __forceinline__ void cpAsyncWait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}

}  // namespace folio::kernels::cuda::detail
