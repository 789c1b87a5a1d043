#!/usr/bin/env python3
"""How far the bf16 tensor-core softmax prefill may be from the fp32 reference, before a GPU runs it.

  python3 tools/reference/attention_bf16_error.py            # the cases of test_cuda_ops_attention.cpp

Emulates exactly the rounding of kernels/cuda/softmax_prefill_mma.cu in float64: q rounded to bf16,
scores of the bf16 q with the (already bf16) cached k, online softmax over 64-key tiles, probabilities
rounded to bf16 for P·V while the row sums add the unrounded ones. Prints the normalised L2 error
(‖got − want‖ / ‖want‖, as tests/gpu/gpu_test_util.h computes it) against the exact softmax over the same
bf16 K/V, with the test's input distribution (uniform in [−2, 2]); the test's bound is set from it.
"""
import _env  # noqa: F401  (NumPy from Debian's python3-numpy under any Python 3.11)
import numpy as np

from safetensors_io import round_to_dtype

KEYS_PER_TILE = 64


def normalised_error(D, H, KV, p0, T, seed):
    rng = np.random.default_rng(seed)
    P = p0 + T
    k = round_to_dtype(rng.uniform(-2, 2, (P, KV, D)), "BF16")
    v = round_to_dtype(rng.uniform(-2, 2, (P, KV, D)), "BF16")
    q = rng.uniform(-2, 2, (T, H, D)).astype(np.float32)
    scale = 1.0 / np.sqrt(D)
    masked = np.arange(P)[None, :] > (p0 + np.arange(T))[:, None]
    diff = norm = 0.0
    for h in range(H):
        kh, vh = k[:, h // (H // KV), :], v[:, h // (H // KV), :]
        exact = q[:, h, :].astype(np.float64) @ kh.T * scale
        rounded = round_to_dtype(q[:, h, :], "BF16") @ kh.T * scale
        exact[masked] = rounded[masked] = -np.inf
        w = np.exp(exact - exact.max(1, keepdims=True))
        want = (w / w.sum(1, keepdims=True)) @ vh
        o, m, l = np.zeros((T, D)), np.full(T, -np.inf), np.zeros(T)
        for k0 in range(0, P, KEYS_PER_TILE):
            s = rounded[:, k0:k0 + KEYS_PER_TILE]
            m_new = np.maximum(m, s.max(1))
            m_use = np.where(np.isinf(m_new), 0.0, m_new)
            alpha, p = np.exp(m - m_use), np.exp(s - m_use[:, None])
            l = l * alpha + p.sum(1)
            o = o * alpha[:, None] + round_to_dtype(p, "BF16") @ vh[k0:k0 + KEYS_PER_TILE]
            m = m_new
        got = o / l[:, None]
        diff += ((got - want) ** 2).sum()
        norm += (want ** 2).sum()
    return np.sqrt(diff / norm)


def main():
    cases = []
    for D in (64, 128):
        cases += [(D, 6, 2, 0, T) for T in (2, 3, 63, 64, 65, 77, 129, 300)]
        cases += [(D, 6, 6, 45, 33), (D, 4, 1, 300, 2), (D, 8, 2, 100, 1000), (D, 3, 3, 4000, 130)]
    worst = 0.0
    for c in cases:
        e = max(normalised_error(*c, seed=s) for s in range(2))
        worst = max(worst, e)
        print("D=%d H=%d KV=%d p0=%d T=%d: %.2e" % (c + (e,)))
    print("worst %.2e" % worst)


if __name__ == "__main__":
    main()
