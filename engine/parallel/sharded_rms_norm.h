// RMSNorm over features that are split across the ranks of a tensor-parallel group (the lightning
// layers' joint norm over all H·D columns when each rank holds Hr heads): each rank sums the squares
// of its columns, the sums are all-reduced, and each rank scales its own columns.
// Dimension letters: T rows, Nr this rank's features, N all ranks' features.
#pragma once

#include <cstdint>

#include "engine/parallel/comm.h"

namespace folio::engine {

// x [T, Nr] -> y [T, Nr] (y may alias x); w [Nr] this rank's part of the weight; ss [T] scratch.
// y = x / sqrt(Σ_all ranks x² / N + eps) · w, squares summed in fp32 as kernels/cpu/ref_norm.h.
Status shardedRmsNorm(const float* x, int64_t T, int64_t Nr, int64_t N, const float* w, float eps, float* y,
                      float* ss, Comm& comm);

}  // namespace folio::engine
