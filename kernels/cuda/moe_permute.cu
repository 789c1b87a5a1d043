// Token permutation by expert (a deterministic counting sort) and the weighted un-permutation.
// Tokens are cut into tiles of kTile; per tile and expert the rows are counted, a single block turns
// the counts into each (tile, expert)'s first output row, and each token then finds its rank among
// the earlier tokens of its tile that chose the same expert, so rows come out in expert-then-token
// order without atomics on the output.
#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kTile = 256;
constexpr int kMaxExperts = 1024;
constexpr int kMaxTopK = 32;

int64_t tileCount(int64_t T) { return (T + kTile - 1) / kTile; }

// tileCounts[tile, e] = rows of expert e among the tile's tokens.
__global__ void countKernel(const int* experts, const int* kept, int64_t T, int K, int E, int* tileCounts) {
  extern __shared__ int cnt[];  // [E]
  for (int e = threadIdx.x; e < E; e += blockDim.x) cnt[e] = 0;
  __syncthreads();
  const int64_t t = int64_t(blockIdx.x) * kTile + threadIdx.x;
  if (t < T)
    for (int j = 0; j < kept[t]; ++j) atomicAdd(&cnt[experts[t * K + j]], 1);
  __syncthreads();
  for (int e = threadIdx.x; e < E; e += blockDim.x) tileCounts[int64_t(blockIdx.x) * E + e] = cnt[e];
}

// counts, offsets (exclusive prefix, E + 1) and tileBase[tile, e] = first output row of (tile, e).
__global__ void scanKernel(const int* tileCounts, int64_t tiles, int E, int* counts, int* offsets, int* tileBase) {
  __shared__ int totals[kMaxExperts + 1];
  for (int e = threadIdx.x; e < E; e += blockDim.x) {
    int sum = 0;
    for (int64_t tile = 0; tile < tiles; ++tile) sum += tileCounts[tile * E + e];
    totals[e] = sum;
    counts[e] = sum;
  }
  __syncthreads();
  if (threadIdx.x == 0) {
    int run = 0;
    for (int e = 0; e < E; ++e) {
      const int c = totals[e];
      totals[e] = run;
      offsets[e] = run;
      run += c;
    }
    offsets[E] = run;
  }
  __syncthreads();
  for (int e = threadIdx.x; e < E; e += blockDim.x) {
    int base = totals[e];
    for (int64_t tile = 0; tile < tiles; ++tile) {
      tileBase[tile * E + e] = base;
      base += tileCounts[tile * E + e];
    }
  }
}

__global__ void scatterKernel(const int* experts, const float* weights, const int* kept, int64_t T, int K, int E,
                              const int* tileBase, int* permToken, float* permWeight) {
  extern __shared__ int tileExperts[];  // [kTile, K] chosen experts, −1 when not kept
  const int64_t first = int64_t(blockIdx.x) * kTile;
  for (int i = threadIdx.x; i < kTile * K; i += blockDim.x) {
    const int64_t t = first + i / K;
    const int j = i % K;
    tileExperts[i] = t < T && j < kept[t] ? experts[t * K + j] : -1;
  }
  __syncthreads();
  const int i = threadIdx.x;
  const int64_t t = first + i;
  if (t >= T) return;
  for (int j = 0; j < K; ++j) {
    const int e = tileExperts[i * K + j];
    if (e < 0) continue;
    int rank = 0;  // earlier tokens of this tile routed to e (a token picks an expert at most once)
    for (int x = 0; x < i * K; ++x) rank += tileExperts[x] == e;
    const int row = tileBase[int64_t(blockIdx.x) * E + e] + rank;
    permToken[row] = static_cast<int>(t);
    permWeight[row] = weights[t * K + j];
  }
}

// xperm[r, :] = x[permToken[r], :] for r < offsets[E]; one block per row.
__global__ void gatherKernel(const float* x, int64_t C, const int* offsets, int E, const int* permToken, float* xperm) {
  const int64_t r = blockIdx.x;
  if (r >= offsets[E]) return;
  const float* src = x + int64_t(permToken[r]) * C;
  float* dst = xperm + r * C;
  for (int64_t c = threadIdx.x; c < C; c += blockDim.x) dst[c] = src[c];
}

// out[t, :] += Σ rows r of token t (ascending r) permWeight[r] · y[r, :]; one block per token. The rows
// of token t are found by binary search in each expert's segment (tokens ascend within a segment).
__global__ void unpermuteKernel(const float* y, const int* offsets, int E, const int* permToken, const float* permWeight,
                                int64_t C, float* out) {
  __shared__ int rows[kMaxTopK];
  __shared__ int nrows;
  const int t = static_cast<int>(blockIdx.x);
  if (threadIdx.x < 32) {
    const int lane = threadIdx.x;
    int count = 0;
    for (int e0 = 0; e0 < E; e0 += 32) {
      const int e = e0 + lane;
      int found = -1;
      if (e < E) {
        int lo = offsets[e], hi = offsets[e + 1];
        while (lo < hi) {
          const int mid = (lo + hi) / 2;
          if (permToken[mid] < t) lo = mid + 1;
          else hi = mid;
        }
        if (lo < offsets[e + 1] && permToken[lo] == t) found = lo;
      }
      const unsigned mask = __ballot_sync(0xffffffffu, found >= 0);
      const int pos = count + __popc(mask & ((1u << lane) - 1u));
      if (found >= 0 && pos < kMaxTopK) rows[pos] = found;
      count += __popc(mask);
    }
    if (lane == 0) nrows = count < kMaxTopK ? count : kMaxTopK;
  }
  __syncthreads();
  const int n = nrows;
  for (int64_t c = threadIdx.x; c < C; c += blockDim.x) {
    float acc = out[int64_t(t) * C + c];
    for (int i = 0; i < n; ++i) acc += permWeight[rows[i]] * y[int64_t(rows[i]) * C + c];
    out[int64_t(t) * C + c] = acc;
  }
}

}  // namespace

int64_t moePermuteScratchBytes(int64_t T, int /*K*/, int E) {
  return 2 * tileCount(T) * static_cast<int64_t>(E) * static_cast<int64_t>(sizeof(int));
}

void moePermute(const float* x, int64_t T, int64_t C, const int* experts, const float* weights, const int* kept, int K,
                int E, int* counts, int* offsets, int* perm_token, float* perm_weight, float* xperm, void* scratch,
                cudaStream_t s) {
  detail::requireArg(E > 0 && E <= kMaxExperts, "moePermute", "E must be in 1 … 1024");
  detail::requireArg(K > 0 && K <= kMaxTopK && K <= E, "moePermute", "K must be in 1 … min(E, 32)");
  detail::requireArg(T * K < (int64_t(1) << 31), "moePermute", "T·K must fit in int32");
  detail::requireArg(T <= 0 || scratch != nullptr, "moePermute", "scratch is null");
  if (T <= 0) {
    FOLIO_CUDA_CHECK(cudaMemsetAsync(counts, 0, sizeof(int) * E, s));
    FOLIO_CUDA_CHECK(cudaMemsetAsync(offsets, 0, sizeof(int) * (E + 1), s));
    return;
  }
  const int64_t tiles = tileCount(T);
  int* tileCounts = static_cast<int*>(scratch);  // [tiles, E]
  int* tileBase = tileCounts + tiles * E;         // [tiles, E]
  countKernel<<<static_cast<unsigned>(tiles), kTile, sizeof(int) * E, s>>>(experts, kept, T, K, E, tileCounts);
  FOLIO_CUDA_LAUNCH_CHECK();
  scanKernel<<<1, 1024, 0, s>>>(tileCounts, tiles, E, counts, offsets, tileBase);
  FOLIO_CUDA_LAUNCH_CHECK();
  scatterKernel<<<static_cast<unsigned>(tiles), kTile, sizeof(int) * kTile * K, s>>>(experts, weights, kept, T, K, E,
                                                                                     tileBase, perm_token, perm_weight);
  FOLIO_CUDA_LAUNCH_CHECK();
  gatherKernel<<<static_cast<unsigned>(T * K), 256, 0, s>>>(x, C, offsets, E, perm_token, xperm);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void moeUnpermuteAdd(const float* y, const int* offsets, int E, const int* perm_token, const float* perm_weight,
                     int64_t T, int K, int64_t C, float* out, cudaStream_t s) {
  detail::requireArg(E > 0 && K > 0 && K <= kMaxTopK, "moeUnpermuteAdd", "E must be > 0 and K in 1 … 32");
  if (T <= 0) return;
  unpermuteKernel<<<static_cast<unsigned>(T), 256, 0, s>>>(y, offsets, E, perm_token, perm_weight, C, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
