// Sampling on the device. Greedy: argmaxRows, one block per row. Temperature / top-k / top-p:
// sampleRow, the selection of engine::Sampler::sampleWith for a uniform drawn on the host:
//   1. keys: each logit becomes a uint32 whose ascending order is the descending (logit, then lower id)
//      order (−0 folded into +0, as the host's == sees them; NaN and −inf get kNotDrawable, last);
//   2. cub::DeviceRadixSort sorts the keys with their ids (stable: equal logits keep the id order);
//   3. one block per tile of kTile sorted positions: the tile's mass (fp32 weights exp((l − max)/T),
//      summed in double) and how many of its positions top-k keeps;
//   4. one block walks. The running mass at a position is the prefix of the tiles' masses before its
//      tile plus the block scan inside the tile: a fixed function of the position, so every walk sees
//      the same values. The tiles' masses say where a walk starts (it then reads one tile, rarely two).
//      total = the running mass at the last kept position; top-p keeps up to the first position whose
//      mass reaches top_p · total (else all); the token is the first kept position whose mass exceeds
//      u · (kept mass), which the last kept position always does.
// Integer counts and double sums in a fixed association: the same inputs give the same token every run.
// Dimension letters: V vocab.
#include <cub/block/block_load.cuh>
#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>
#include <cub/device/device_radix_sort.cuh>

#include <climits>
#include <cmath>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kThreads = 512;

struct Best {
  float value;    // NaN is taken as −inf: it never beats a number (engine::argmaxLogit)
  int64_t index;  // −1: nothing seen yet
};

// a beats b: larger value, or equal value at a lower index.
__device__ __forceinline__ bool beats(const Best& a, const Best& b) {
  if (a.index < 0) return false;
  if (b.index < 0) return true;
  return a.value > b.value || (a.value == b.value && a.index < b.index);
}

__global__ void argmaxKernel(const float* logits, int64_t V, int32_t* out) {
  __shared__ float vals[32];
  __shared__ int64_t idxs[32];
  const float* row = logits + blockIdx.x * V;  // [V]
  Best best{0.0f, -1};
  for (int64_t i = threadIdx.x; i < V; i += blockDim.x) {
    const float v = row[i];
    const Best cand{isnan(v) ? -INFINITY : v, i};
    if (beats(cand, best)) best = cand;
  }
  for (int o = 16; o > 0; o >>= 1) {
    const Best other{__shfl_xor_sync(0xffffffffu, best.value, o), __shfl_xor_sync(0xffffffffu, best.index, o)};
    if (beats(other, best)) best = other;
  }
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) vals[warp] = best.value, idxs[warp] = best.index;
  __syncthreads();
  if (warp == 0) {
    best = lane < (blockDim.x >> 5) ? Best{vals[lane], idxs[lane]} : Best{0.0f, -1};
    for (int o = 16; o > 0; o >>= 1) {
      const Best other{__shfl_xor_sync(0xffffffffu, best.value, o), __shfl_xor_sync(0xffffffffu, best.index, o)};
      if (beats(other, best)) best = other;
    }
    if (lane == 0) out[blockIdx.x] = static_cast<int32_t>(best.index);
  }
}

// ---- sampleRow ----

constexpr int kSampleThreads = 256;
constexpr int kSampleItems = 8;  // consecutive sorted positions per thread
constexpr int64_t kTile = kSampleThreads * kSampleItems;
constexpr uint32_t kNotDrawable = 0xFFFFFFFFu;  // the sort key of NaN and −inf: after every drawable one
constexpr uint32_t kPlusInf = 0x007FFFFFu;      // the sort key of +inf, the smallest

using TileLoad = cub::BlockLoad<uint32_t, kSampleThreads, kSampleItems, cub::BLOCK_LOAD_WARP_TRANSPOSE>;
using TileScan = cub::BlockScan<double, kSampleThreads>;
using MassSum = cub::BlockReduce<double, kSampleThreads>;
using CountSum = cub::BlockReduce<long long, kSampleThreads>;

// Ascending key = descending logit. Order-preserving float bits (negatives flipped whole, positives
// get the sign bit), then complemented.
__device__ __forceinline__ uint32_t sortKey(float l) {
  uint32_t u = __float_as_uint(l);
  if (isnan(l) || u == 0xFF800000u) return kNotDrawable;
  if ((u & 0x7FFFFFFFu) == 0) u = 0;
  return ~((u & 0x80000000u) ? ~u : (u | 0x80000000u));
}

__device__ __forceinline__ float logitOf(uint32_t key) {
  const uint32_t ascending = ~key;
  return __uint_as_float((ascending & 0x80000000u) ? (ascending & 0x7FFFFFFFu) : ~ascending);
}

// The host's weight, exp((l − max) · (1/T)) in fp32; 0 past `limit` and for what is not drawable.
__device__ __forceinline__ float weightAt(uint32_t key, int64_t pos, int64_t limit, float max_logit, float inv_t) {
  return pos < limit && key != kNotDrawable ? expf((logitOf(key) - max_logit) * inv_t) : 0.0f;
}

__global__ void sortKeysKernel(const float* logits, int64_t V, uint32_t* keys, int32_t* ids) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < V; i += int64_t(gridDim.x) * blockDim.x) {
    keys[i] = sortKey(logits[i]);
    ids[i] = static_cast<int32_t>(i);
  }
}

// Per tile of sorted positions: its mass and its count of positions kept by top-k (`limit`).
__global__ void __launch_bounds__(kSampleThreads)
    tileMassKernel(const uint32_t* keys, int64_t V, int64_t limit, float inv_t, double* tile_mass, int32_t* tile_kept) {
  __shared__ union {
    TileLoad::TempStorage load;
    MassSum::TempStorage mass;
    CountSum::TempStorage count;
  } tmp;
  const int64_t base = blockIdx.x * kTile;
  const uint32_t top = keys[0];
  double mass = 0;
  long long kept = 0;
  if (base < limit && top != kNotDrawable && top != kPlusInf) {  // the same for the whole block
    uint32_t k[kSampleItems];
    TileLoad(tmp.load).Load(keys + base, k, static_cast<int>(min(kTile, V - base)), kNotDrawable);
    const float max_logit = logitOf(top);
    const int64_t first = base + int64_t(threadIdx.x) * kSampleItems;
#pragma unroll
    for (int j = 0; j < kSampleItems; ++j) {
      mass += weightAt(k[j], first + j, limit, max_logit, inv_t);
      kept += first + j < limit && k[j] != kNotDrawable;
    }
  }
  __syncthreads();
  mass = MassSum(tmp.mass).Sum(mass);
  __syncthreads();
  kept = CountSum(tmp.count).Sum(kept);
  if (threadIdx.x == 0) tile_mass[blockIdx.x] = mass, tile_kept[blockIdx.x] = static_cast<int32_t>(kept);
}

struct SelectArgs {
  const uint32_t* keys;  // [V] sorted
  const int32_t* ids;    // [V] in the same order
  int64_t V;
  int64_t tiles;
  float max_logit;
  float inv_t;
  const double* tile_mass;  // [tiles]
  double* prefix;           // [tiles] mass of the tiles before each, written by selectKernel
};

struct SelectShared {
  union {
    TileLoad::TempStorage load;
    TileScan::TempStorage scan;
    CountSum::TempStorage count;
  } tmp;
  unsigned long long first;
  double mass;
  long long kept;
};

struct Walk {
  int64_t pos;
  double mass;  // the running mass there
};

__device__ __forceinline__ bool reaches(double mass, double target, bool strict) {
  return strict ? mass > target : mass >= target;
}

// The first position p < limit whose running mass reaches `target` (exceeds it when strict), or
// limit − 1 when none does. Called by the whole block.
__device__ Walk walkTo(const SelectArgs& a, SelectShared& sh, double target, bool strict, int64_t limit) {
  const int64_t last_tile = (limit - 1) / kTile;
  int64_t start = last_tile;  // the first tile whose mass takes the running mass to the target
  for (int64_t c = 0; c <= last_tile; c += kSampleThreads) {
    if (threadIdx.x == 0) sh.first = ULLONG_MAX;
    __syncthreads();
    const int64_t i = c + threadIdx.x;
    if (i <= last_tile && reaches(a.prefix[i] + a.tile_mass[i], target, strict))
      atomicMin(&sh.first, static_cast<unsigned long long>(i));
    __syncthreads();
    const unsigned long long found = sh.first;
    __syncthreads();
    if (found != ULLONG_MAX) {
      start = static_cast<int64_t>(found);
      break;
    }
  }
  for (int64_t t = start;; ++t) {  // ends at the latest in the tile of limit − 1
    const int64_t base = t * kTile;
    uint32_t k[kSampleItems];
    TileLoad(sh.tmp.load).Load(a.keys + base, k, static_cast<int>(min(kTile, a.V - base)), kNotDrawable);
    __syncthreads();
    const int64_t first = base + int64_t(threadIdx.x) * kSampleItems;
    float w[kSampleItems];
    double own = 0;
#pragma unroll
    for (int j = 0; j < kSampleItems; ++j) own += w[j] = weightAt(k[j], first + j, limit, a.max_logit, a.inv_t);
    double before;
    TileScan(sh.tmp.scan).ExclusiveSum(own, before);
    if (threadIdx.x == 0) sh.first = ULLONG_MAX;
    __syncthreads();
    double run = a.prefix[t] + before;
    int64_t hit = -1;
    double hit_mass = 0;
#pragma unroll
    for (int j = 0; j < kSampleItems; ++j) {
      run += w[j];
      const int64_t p = first + j;
      if (hit < 0 && p < limit && (reaches(run, target, strict) || p == limit - 1)) hit = p, hit_mass = run;
    }
    if (hit >= 0) atomicMin(&sh.first, static_cast<unsigned long long>(hit));
    __syncthreads();
    const unsigned long long found = sh.first;
    if (found != ULLONG_MAX) {
      if (hit == static_cast<int64_t>(found)) sh.mass = hit_mass;
      __syncthreads();
      const Walk r{static_cast<int64_t>(found), sh.mass};
      __syncthreads();
      return r;
    }
  }
}

__global__ void __launch_bounds__(kSampleThreads)
    selectKernel(SelectArgs a, const int32_t* tile_kept, double top_p, double u, int32_t* out) {
  __shared__ SelectShared sh;
  const uint32_t top = a.keys[0];
  if (top == kNotDrawable || top == kPlusInf) {  // nothing drawable: 0 (argmaxLogit); +inf: its lowest id
    if (threadIdx.x == 0) out[0] = top == kNotDrawable ? 0 : a.ids[0];
    return;
  }
  a.max_logit = logitOf(top);
  // the tiles' prefix masses and the kept count
  double carry = 0;
  long long kept = 0;
  for (int64_t c = 0; c < a.tiles; c += kSampleThreads) {
    const int64_t i = c + threadIdx.x;
    const double m = i < a.tiles ? a.tile_mass[i] : 0.0;
    double before, chunk;
    TileScan(sh.tmp.scan).ExclusiveSum(m, before, chunk);
    if (i < a.tiles) a.prefix[i] = carry + before;
    carry += chunk;
    __syncthreads();
    const long long n = CountSum(sh.tmp.count).Sum(i < a.tiles ? tile_kept[i] : 0);
    if (threadIdx.x == 0) sh.kept = n;
    __syncthreads();
    kept += sh.kept;
    __syncthreads();
  }
  const Walk total = walkTo(a, sh, INFINITY, false, kept);
  int64_t limit = kept;
  double mass = total.mass;
  if (top_p < 1.0) {
    const Walk nucleus = walkTo(a, sh, top_p * total.mass, false, kept);
    limit = nucleus.pos + 1;
    mass = nucleus.mass;
  }
  const Walk draw = walkTo(a, sh, u * mass, true, limit);
  if (threadIdx.x == 0) out[0] = a.ids[draw.pos];
}

size_t align256(size_t bytes) { return (bytes + 255) & ~size_t(255); }

// Where each piece of sampleRow's scratch lies (byte offsets).
struct SampleScratch {
  int64_t tiles = 0;
  size_t keys_in = 0, keys_out = 0, ids_in = 0, ids_out = 0, tile_mass = 0, tile_kept = 0, prefix = 0, sort = 0;
  size_t sort_bytes = 0, total = 0;

  explicit SampleScratch(int64_t V) : tiles((V + kTile - 1) / kTile) {
    FOLIO_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, sort_bytes, static_cast<const uint32_t*>(nullptr),
                                                     static_cast<uint32_t*>(nullptr), static_cast<const int32_t*>(nullptr),
                                                     static_cast<int32_t*>(nullptr), static_cast<int>(V)));
    const size_t row = align256(size_t(V) * 4);
    keys_out = keys_in + row;
    ids_in = keys_out + row;
    ids_out = ids_in + row;
    tile_mass = ids_out + row;
    tile_kept = tile_mass + align256(size_t(tiles) * 8);
    prefix = tile_kept + align256(size_t(tiles) * 4);
    sort = prefix + align256(size_t(tiles) * 8);
    total = sort + align256(sort_bytes);
  }
};

}  // namespace

void argmaxRows(const float* logits, int64_t T, int64_t V, int32_t* out, cudaStream_t s) {
  detail::requireArg(V > 0, "argmaxRows", "V must be > 0");
  if (T <= 0) return;
  argmaxKernel<<<static_cast<unsigned>(T), kThreads, 0, s>>>(logits, V, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

size_t sampleRowScratchBytes(int64_t V) {
  detail::requireArg(V > 0 && V <= INT_MAX, "sampleRowScratchBytes", "V must be in [1, 2^31)");
  return SampleScratch(V).total;
}

void sampleRow(const float* logits, int64_t V, const DeviceSampling& p, double u, void* scratch, int32_t* out,
               cudaStream_t s) {
  detail::requireArg(V > 0 && V <= INT_MAX, "sampleRow", "V must be in [1, 2^31)");
  detail::requireArg(std::isfinite(p.temperature) && p.temperature > 0, "sampleRow",
                     "temperature must be finite and > 0 (greedy sampling is argmaxRows)");
  detail::requireArg(p.top_k >= 0, "sampleRow", "top_k must be >= 0 (0 = no limit)");
  detail::requireArg(p.top_p > 0 && p.top_p <= 1, "sampleRow", "top_p must be in (0, 1]");
  detail::requireArg(u >= 0 && u < 1, "sampleRow", "u must be in [0, 1)");
  detail::requireArg(scratch != nullptr && reinterpret_cast<uintptr_t>(scratch) % 256 == 0, "sampleRow",
                     "scratch must be sampleRowScratchBytes(V) bytes, 256-byte aligned");
  const SampleScratch at(V);
  char* base = static_cast<char*>(scratch);
  auto* keys_in = reinterpret_cast<uint32_t*>(base + at.keys_in);
  auto* keys_out = reinterpret_cast<uint32_t*>(base + at.keys_out);
  auto* ids_in = reinterpret_cast<int32_t*>(base + at.ids_in);
  auto* ids_out = reinterpret_cast<int32_t*>(base + at.ids_out);
  auto* tile_mass = reinterpret_cast<double*>(base + at.tile_mass);
  auto* tile_kept = reinterpret_cast<int32_t*>(base + at.tile_kept);
  auto* prefix = reinterpret_cast<double*>(base + at.prefix);
  const int64_t limit = p.top_k > 0 && p.top_k < V ? p.top_k : V;  // top-k: the first k sorted positions
  const auto inv_t = static_cast<float>(1.0 / p.temperature);      // as the host computes it

  sortKeysKernel<<<detail::gridFor(V, 256), 256, 0, s>>>(logits, V, keys_in, ids_in);
  FOLIO_CUDA_LAUNCH_CHECK();
  size_t sort_bytes = at.sort_bytes;
  FOLIO_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(base + at.sort, sort_bytes, keys_in, keys_out, ids_in, ids_out,
                                                   static_cast<int>(V), 0, 32, s));
  tileMassKernel<<<static_cast<unsigned>(at.tiles), kSampleThreads, 0, s>>>(keys_out, V, limit, inv_t, tile_mass,
                                                                            tile_kept);
  FOLIO_CUDA_LAUNCH_CHECK();
  const SelectArgs args{keys_out, ids_out, V, at.tiles, 0.0f, inv_t, tile_mass, prefix};
  selectKernel<<<1, kSampleThreads, 0, s>>>(args, tile_kept, p.top_p, u, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
