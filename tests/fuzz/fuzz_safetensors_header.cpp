// Fuzzes the safetensors header parser with whole-file images. Beyond "no crash", an accepted header
// must satisfy the format's invariants, and every tensor's last byte must be readable.
// fuzz-link: folio_engine
#include <cstddef>
#include <cstdint>

#include "engine/weights/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using folio::engine::parseSafetensorsHeader;
  auto r = parseSafetensorsHeader({data, size}, size, "fuzz.safetensors");
  if (!r.ok()) return 0;
  const auto& h = r.value();
  if (h.data_start + h.data_bytes != size || h.data_start > size) __builtin_trap();
  uint64_t cursor = 0;
  for (const auto& e : h.tensors) {
    if (e.begin != cursor || e.end < e.begin) __builtin_trap();  // contiguous, sorted, no holes or overlaps
    uint64_t numel = 1;
    for (int64_t d : e.shape) {
      if (d < 0) __builtin_trap();
      numel *= static_cast<uint64_t>(d);
    }
    if (numel * folio::kernels::dtypeSize(e.dtype) != e.end - e.begin) __builtin_trap();
    if (e.end > e.begin) {
      volatile uint8_t last = data[h.data_start + e.end - 1];  // in bounds by construction; ASan checks it
      (void)last;
    }
    cursor = e.end;
  }
  if (cursor != h.data_bytes) __builtin_trap();
  return 0;
}
